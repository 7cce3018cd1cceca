"""The seller web app under /app/: the shell's own pages, then each area's pages from its app."""

from django.urls import path

from faktura.web import views

app_name = "web"

urlpatterns = [
    path("", views.home, name="home"),
    path("sign-in", views.SignInView.as_view(), name="sign-in"),
    path("sign-out", views.SignOutView.as_view(), name="sign-out"),
    path("switch", views.switch_seller, name="switch-seller"),
    path("language", views.language_set, name="language"),
    path("settings/", views.settings_home, name="settings"),
]
