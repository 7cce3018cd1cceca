"""Buyers' document links (``/d/<token>``), outside the API: no key, the signed token is the access."""

from django.urls import path

from faktura.apps.delivery.views import document_link, document_link_pdf

urlpatterns = [
    path("<str:token>", document_link, name="document-link"),
    path("<str:token>/pdf", document_link_pdf, name="document-link-pdf"),
]
