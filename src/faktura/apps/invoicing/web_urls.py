"""The invoicing pages of the seller web app, mounted under /app/ (documents; the series settings join here)."""

from django.urls import path

from faktura.apps.invoicing.views import document, documents, series

app_name = "invoicing"

urlpatterns = [
    path("documents/", documents.document_list, name="documents"),
    path("documents/bulk", documents.documents_bulk, name="documents-bulk"),
    path("documents/<int:document_id>/", document.document_detail, name="document"),
    path("documents/<int:document_id>/pdf", document.document_download, name="document-download"),
    path("documents/<int:document_id>/payments", document.document_payment, name="document-payment"),
    path("documents/<int:document_id>/cancel", document.document_cancel, name="document-cancel"),
    path("documents/<int:document_id>/credit", document.document_credit, name="document-credit"),
    path("documents/<int:document_id>/email", document.document_resend, name="document-resend"),
    path("documents/<int:document_id>/delete", document.document_delete, name="document-delete"),
    path("settings/series/", series.series_list, name="series"),
    path("settings/series/new", series.series_new, name="series-new"),
    path("settings/series/preview", series.series_preview, name="series-preview"),
    path("settings/series/<int:series_id>/", series.series_detail, name="series-detail"),
    path("settings/series/<int:series_id>/preview", series.series_preview, name="series-preview-edit"),
    path("settings/series/<int:series_id>/active", series.series_active, name="series-active"),
]
