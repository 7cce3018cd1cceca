"""The buyer portal, mounted at /my/."""

from django.urls import path

from faktura.apps.portal import views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("sign-in", views.sign_in_page, name="sign-in"),
    path("sign-in/<str:token>", views.sign_in_link, name="sign-in-link"),
    path("sign-out", views.sign_out_page, name="sign-out"),
    path("language", views.language_set, name="language"),
    path("orders/", views.orders, name="orders"),
    path("orders/<int:order_id>/", views.order_detail, name="order"),
    path("documents/<int:document_id>/", views.document_detail, name="document"),
    path("documents/<int:document_id>/pdf", views.document_pdf, name="document-pdf"),
    path("link/<str:token>", views.document_link, name="document-link"),
]
