"""Settings -> Issuing rules in the seller web app (mounted under /app/)."""

from django.urls import path

from faktura.apps.automation import views

app_name = "automation"

urlpatterns = [
    path("settings/rules/", views.rules, name="rules"),
    path("settings/rules/new/", views.rule_new, name="rule-new"),
    path("settings/rules/<int:rule_id>/", views.rule_edit, name="rule-edit"),
    path("settings/rules/<int:rule_id>/delete", views.rule_delete, name="rule-delete"),
    path("settings/rules/<int:rule_id>/move", views.rule_move, name="rule-move"),
    path("settings/rules/channels/<int:channel_id>/triggers", views.triggers_save, name="triggers"),
    path("settings/rules/channels/<int:channel_id>/explain", views.rule_explain, name="rule-explain"),
]
