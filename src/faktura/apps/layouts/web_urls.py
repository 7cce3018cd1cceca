"""Settings -> Layout and templates in the seller web app (mounted under /app/)."""

from django.urls import path

from faktura.apps.layouts import views

app_name = "layouts"

urlpatterns = [
    path("settings/layouts/", views.layouts, name="layouts"),
    path("settings/layouts/preview", views.preview, name="preview"),
    path("settings/layouts/preview.pdf", views.preview_pdf, name="preview-pdf"),
    path("settings/layouts/<int:layout_id>/delete", views.layout_delete, name="delete"),
]
