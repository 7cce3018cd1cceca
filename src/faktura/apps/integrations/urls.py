"""URLs of the inbound webhook receiver, included under ``/webhooks/`` by the instance's URL map."""

from django.urls import path

from faktura.apps.integrations.views import inbound_webhook_receive

urlpatterns = [
    path("in/<str:token>", inbound_webhook_receive, name="inbound-webhook"),
]
