"""Web pages of the sales app: Settings -> Sales channels (and the orders pages)."""

from django.urls import path

from faktura.apps.sales import views_settings as channels

app_name = "sales"

urlpatterns = [
    path("settings/channels/", channels.channels, name="channels"),
    path("settings/channels/<int:channel_id>/", channels.channel, name="channel"),
    path("settings/channels/<int:channel_id>/webhook", channels.webhook_create, name="webhook-create"),
    path("settings/channels/<int:channel_id>/webhook/change", channels.webhook_change, name="webhook-change"),
    path("settings/channels/<int:channel_id>/webhook/rotate", channels.webhook_rotate, name="webhook-rotate"),
    path("settings/channels/<int:channel_id>/webhook/retire", channels.webhook_retire, name="webhook-retire"),
]
