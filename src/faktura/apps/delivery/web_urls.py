"""Settings -> Emails to buyers in the seller web app (mounted under /app/)."""

from django.urls import path

from faktura.apps.delivery import web_views

app_name = "delivery"

urlpatterns = [
    path("settings/emails/", web_views.email_templates, name="email-templates"),
    path("settings/emails/preview", web_views.email_preview, name="email-preview"),
    path("settings/emails/reset", web_views.email_template_reset, name="email-reset"),
]
