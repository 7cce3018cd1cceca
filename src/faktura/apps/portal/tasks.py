"""Background tasks of the portal: thin, idempotent, each loads by id and calls a service."""

from __future__ import annotations

from django_tasks import task

from faktura.apps.portal.services import sign_in_link_deliver


@task()
def sign_in_link_send(link_id: int, attempt: int) -> str:
    """Send attempt ``attempt`` of a sign-in link's email (nothing to an address that is not a buyer's)."""
    return sign_in_link_deliver(link_id=link_id, attempt=attempt).state
