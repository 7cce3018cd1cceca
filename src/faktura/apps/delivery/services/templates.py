"""Sellers' own wording of the emails to buyers, checked when saved with the field macro parser."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction

from faktura.apps.audit.services import audit_record
from faktura.apps.delivery.labels import LANGUAGES
from faktura.apps.delivery.models import EmailTemplate, MessageKind
from faktura.core.actors import Actor
from faktura.core.errors import InvalidValue, MissingValue, NotFound
from faktura.core.macros import parse_field

if TYPE_CHECKING:
    from faktura.apps.accounts.models import Organization

MAX_SUBJECT = 300


def _checked_key(kind: str, language: str) -> None:
    if kind not in MessageKind.values:
        raise InvalidValue(f"must be one of {', '.join(MessageKind.values)}", field="kind")
    if language not in LANGUAGES:
        raise InvalidValue(f"must be one of {', '.join(LANGUAGES)}", field="language")


def email_template_save(
    *, actor: Actor, organization: Organization, kind: str, language: str, subject: str, body: str
) -> EmailTemplate:
    """Create or replace the seller's wording of ``kind`` emails in ``language``.

    Subject and body may use every field macro; an unknown macro, bad syntax or
    an over-long text is refused here, naming the field, so sending never fails on it.
    """
    _checked_key(kind, language)
    if not subject.strip():
        raise MissingValue("must not be empty", field="subject")
    if not body.strip():
        raise MissingValue("must not be empty", field="body")
    if "\n" in subject or "\r" in subject:
        raise InvalidValue("must be one line", field="subject")
    if len(subject) > MAX_SUBJECT:
        raise InvalidValue(f"is too long: at most {MAX_SUBJECT} characters", field="subject")
    parse_field("email.subject", subject, field="subject")
    parse_field("email.body", body, field="body")
    with transaction.atomic():
        template, created = EmailTemplate.objects.update_or_create(
            organization=organization, kind=kind, language=language, defaults={"subject": subject, "body": body}
        )
        audit_record(
            organization=organization,
            actor=actor,
            action="email_template.created" if created else "email_template.updated",
            object_type="email_template",
            object_id=template.pk,
            data={"kind": kind, "language": language, "subject": subject},
        )
    return template


def email_template_delete(*, actor: Actor, organization: Organization, kind: str, language: str) -> None:
    """Go back to the built-in wording of ``kind`` emails in ``language``."""
    _checked_key(kind, language)
    with transaction.atomic():
        template = EmailTemplate.objects.for_organization(organization).filter(kind=kind, language=language).first()
        if template is None:
            raise NotFound(f"no own {kind} template in {language}", field="kind")
        template_id = template.pk
        template.delete()
        audit_record(
            organization=organization,
            actor=actor,
            action="email_template.deleted",
            object_type="email_template",
            object_id=template_id,
            data={"kind": kind, "language": language},
        )
