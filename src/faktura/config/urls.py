"""URL map of the whole instance: admin for operators; API and web app join here."""

from django.contrib import admin
from django.urls import path

urlpatterns = [
    path("admin/", admin.site.urls),
]
