from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "faktura.apps.audit"
    label = "audit"
    verbose_name = "Audit trail"
