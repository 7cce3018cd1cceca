"""Web pages of the sales app, mounted under /app/: the orders, and Settings -> Sales channels."""

from django.urls import path

from faktura.apps.sales import views_settings as channels
from faktura.apps.sales.views import order_actions, orders

app_name = "sales"

urlpatterns = [
    path("orders/", orders.order_list, name="orders"),
    path("orders/<int:order_id>/", orders.order_detail, name="order"),
    path("orders/<int:order_id>/explain", orders.order_explain, name="order-explain"),
    path("orders/<int:order_id>/issue", order_actions.order_issue, name="order-issue"),
    path("orders/<int:order_id>/upload", order_actions.order_upload, name="order-upload"),
    path("orders/<int:order_id>/payments", order_actions.order_payment, name="order-payment"),
    path("settings/channels/", channels.channels, name="channels"),
    path("settings/channels/<int:channel_id>/", channels.channel, name="channel"),
    path("settings/channels/<int:channel_id>/webhook", channels.webhook_create, name="webhook-create"),
    path("settings/channels/<int:channel_id>/webhook/change", channels.webhook_change, name="webhook-change"),
    path("settings/channels/<int:channel_id>/webhook/rotate", channels.webhook_rotate, name="webhook-rotate"),
    path("settings/channels/<int:channel_id>/webhook/retire", channels.webhook_retire, name="webhook-retire"),
]
