"""Settings pages of the delivery app in the seller web app (mounted under /app/)."""

from django.urls import path  # noqa: F401

app_name = "delivery"

urlpatterns: list[object] = []
