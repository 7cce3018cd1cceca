"""Bulk downloads and exports under /app/documents/exports/."""

from django.urls import path

from faktura.apps.exports import views

app_name = "exports"

urlpatterns = [
    path("documents/exports/", views.jobs, name="jobs"),
    path("documents/exports/start", views.start, name="start"),
    path("documents/exports/<int:job_id>/", views.job, name="job"),
    path("documents/exports/<int:job_id>/download", views.download, name="download"),
]
