"""Settings pages of the layouts app in the seller web app (mounted under /app/)."""

from django.urls import path  # noqa: F401

app_name = "layouts"

urlpatterns: list[object] = []
