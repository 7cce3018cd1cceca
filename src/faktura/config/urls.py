"""URL map of the whole instance: admin for operators; API and web app join here."""

from django.contrib import admin
from django.urls import path

from faktura.config.api import api, api_docs

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("api/docs", api_docs, name="api-docs"),
]
