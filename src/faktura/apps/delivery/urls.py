"""Buyers' document links (``/d/<token>``), outside the API: no key, the signed token is the access."""

from django.urls import path

from faktura.apps.delivery.views import document_link

urlpatterns = [path("<str:token>", document_link, name="document-link")]
