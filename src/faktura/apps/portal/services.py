"""Every write of the portal: asking for a sign-in link, sending it, signing in with it, the buyer's language.

A request for a link is one transaction: the rate limits count the request
log (a table, so they hold across every worker process and machine), the
request is logged, the link row is written and its send task queued with the
caller's connection, so all of it commits or none. The answer to the person
asking is the same whether or not the address is a buyer's: the send task
decides that, after the response has gone out, and sends nothing to an
address no seller of the portal's scope has a document or order for.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from functools import partial

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.validators import validate_email
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django_tasks_db.backend import DatabaseBackend

from faktura.apps.delivery.services import email_failure
from faktura.apps.portal import selectors, tokens
from faktura.apps.portal.identity import email_key, ip_key, normalise_email
from faktura.apps.portal.models import BuyerAccount, SignInLink, SignInRequest
from faktura.core.errors import FakturaError, InvalidValue

logger = logging.getLogger(__name__)

SEND_ATTEMPTS = 3
RETRY_SECONDS = 30
PORTAL_LANGUAGES = ("en", "ro", "sk", "hu", "cs", "de", "pl")


class RateLimited(FakturaError):
    code = "rate_limited"
    http_status = 429

    def __init__(self, message: str, *, retry_after: int, field: str = "email") -> None:
        super().__init__(message, field=field)
        self.retry_after = retry_after


class LinkUnknown(FakturaError):
    """Tampered, truncated, made for another purpose, or never made here."""

    code = "link_invalid"
    http_status = 404


class LinkExpired(FakturaError):
    code = "link_expired"
    http_status = 410


class LinkUsed(FakturaError):
    code = "link_used"
    http_status = 410


def sign_in_link_request(
    *,
    email: str,
    client_ip: str,
    language: str = "",
    organization_id: int | None = None,
    next_path: str = "",
    now: dt.datetime | None = None,
) -> SignInLink:
    """Log the request, check the limits, store a new one-time link and queue its email, in one transaction.

    Raises ``RateLimited`` (nothing stored but the pruning) when the address
    or the client asked too often within ``FAKTURA_PORTAL_LIMIT_WINDOW``.
    """
    address = normalise_email(email)
    try:
        validate_email(address)
    except ValidationError:
        raise InvalidValue("enter a valid email address", field="email") from None
    now = now or timezone.now()
    window = dt.timedelta(seconds=settings.FAKTURA_PORTAL_LIMIT_WINDOW)
    by_email, by_ip = email_key(address), ip_key(client_ip)
    with transaction.atomic():
        SignInRequest.objects.filter(created_at__lt=now - window).delete()
        SignInLink.objects.filter(expires_at__lt=now - window).delete()
        recent = SignInRequest.objects.filter(created_at__gte=now - window)
        for rows, limit in (
            (recent.filter(email_key=by_email), settings.FAKTURA_PORTAL_LIMIT_PER_EMAIL),
            (recent.filter(ip_key=by_ip), settings.FAKTURA_PORTAL_LIMIT_PER_IP),
        ):
            times = list(rows.order_by("-created_at").values_list("created_at", flat=True)[:limit])
            if len(times) >= limit:
                wait = int((times[-1] + window - now).total_seconds()) + 1
                raise RateLimited("too many sign-in links asked for; try again later", retry_after=max(wait, 1))
        SignInRequest.objects.create(email_key=by_email, ip_key=by_ip, created_at=now)
        nonce = tokens.new_nonce()
        link = SignInLink.objects.create(
            purpose=tokens.PURPOSE_SIGN_IN,
            email=address,
            nonce=nonce,
            token_hash=tokens.token_hash(tokens.token_for(purpose=tokens.PURPOSE_SIGN_IN, nonce=nonce)),
            organization_id=organization_id,
            language=language if language in PORTAL_LANGUAGES else "",
            next_path=next_path[:300],
            created_at=now,
            expires_at=now + dt.timedelta(minutes=settings.FAKTURA_PORTAL_LINK_MINUTES),
        )
        _enqueue(link_id=link.pk, attempt=1)
    return link


def _enqueue(*, link_id: int, attempt: int, run_after: dt.datetime | None = None) -> None:
    """The send task, with the caller's connection (database backend) or once it commits (any other)."""
    from faktura.apps.portal.tasks import sign_in_link_send  # the task module imports the services

    task = sign_in_link_send if run_after is None else sign_in_link_send.using(run_after=run_after)
    backend = sign_in_link_send.get_backend()
    if run_after is not None and not backend.supports_defer:
        return
    enqueue = partial(task.enqueue, link_id, attempt)
    if isinstance(backend, DatabaseBackend):
        enqueue()
    else:
        transaction.on_commit(enqueue)


@dataclass(frozen=True)
class SendOutcome:
    state: str  # sent, unknown (no such buyer: nothing sent), retry, failed, skipped
    reason: str = ""


def sign_in_link_deliver(*, link_id: int, attempt: int) -> SendOutcome:
    """Send attempt ``attempt`` of a sign-in link's email; a second run of the same attempt does nothing."""
    now = timezone.now()
    with transaction.atomic():
        link = SignInLink.objects.select_for_update().filter(pk=link_id).first()
        if link is None or link.sent_at or link.used_at or link.expires_at <= now or link.send_attempts != attempt - 1:
            return SendOutcome("skipped")
        if not selectors.buyer_is_known(email=link.email, organization_id=link.organization_id):
            link.send_attempts, link.send_error = attempt, "no documents or orders for this address: not sent"
            link.save(update_fields=["send_attempts", "send_error"])
            return SendOutcome("unknown")
        link.send_attempts = attempt
        link.save(update_fields=["send_attempts"])
    token = tokens.token_for(purpose=link.purpose, nonce=link.nonce)
    try:
        with get_connection(fail_silently=False) as connection:
            connection.send_messages([_compose(link, token)])
    except Exception as error:  # recorded, then retried while the link still opens
        failure = email_failure(error)
        retry = not failure.permanent and attempt < SEND_ATTEMPTS
        with transaction.atomic():
            SignInLink.objects.filter(pk=link.pk).update(send_error=failure.reason[:300])
            if retry:
                _enqueue(link_id=link.pk, attempt=attempt + 1, run_after=now + dt.timedelta(seconds=RETRY_SECONDS))
        logger.warning("sign-in link %s attempt %s failed: %s", link.pk, attempt, failure.reason)
        return SendOutcome("retry" if retry else "failed", failure.reason)
    SignInLink.objects.filter(pk=link.pk).update(sent_at=timezone.now(), send_error="")
    return SendOutcome("sent")


def sign_in_url(token: str) -> str:
    return f"{settings.FAKTURA_BASE_URL.rstrip('/')}/my/sign-in/{token}"


def _compose(link: SignInLink, token: str) -> EmailMultiAlternatives:
    language = link.language or "en"
    context = {"url": sign_in_url(token), "minutes": settings.FAKTURA_PORTAL_LINK_MINUTES, "email": link.email}
    with translation.override(language):
        subject = str(translation.gettext("Your sign-in link"))
        text = render_to_string("portal/email/sign_in.txt", context)
        html = render_to_string("portal/email/sign_in.html", {**context, "language": language})
    message = EmailMultiAlternatives(subject=subject, body=text, to=[link.email])
    message.attach_alternative(html, "text/html")
    message.extra_headers["Auto-Submitted"] = "auto-generated"
    return message


def sign_in_link_use(*, token: str, purpose: str = tokens.PURPOSE_SIGN_IN) -> tuple[BuyerAccount, SignInLink]:
    """Sign in with a link, once: marks it used and creates or updates the buyer's account.

    ``LinkUnknown`` for a token that was tampered with, made for another
    purpose or never made; ``LinkExpired`` past its minutes; ``LinkUsed`` the
    second time.
    """
    now = timezone.now()
    with transaction.atomic():
        link = _locked_link(token, purpose)
        if link.used_at is not None:
            raise LinkUsed("this sign-in link has been used already")
        if link.expires_at <= now:
            raise LinkExpired("this sign-in link has expired")
        link.used_at = now
        link.save(update_fields=["used_at"])
        account, _ = BuyerAccount.objects.get_or_create(email=link.email)
        account.last_sign_in_at = now
        if link.language:
            account.language = link.language
        account.save(update_fields=["last_sign_in_at", "language"])
    return account, link


def _locked_link(token: str, purpose: str) -> SignInLink:
    if not tokens.SHAPE.fullmatch(token):
        raise LinkUnknown("this sign-in link is not valid")
    link = SignInLink.objects.select_for_update().filter(token_hash=tokens.token_hash(token)).first()
    if link is None or link.purpose != purpose or not tokens.matches(token, purpose=purpose, nonce=link.nonce):
        raise LinkUnknown("this sign-in link is not valid")
    return link


def buyer_language_set(*, account: BuyerAccount, language: str) -> BuyerAccount:
    if language not in PORTAL_LANGUAGES:
        raise InvalidValue(f"must be one of {', '.join(PORTAL_LANGUAGES)}", field="language")
    account.language = language
    account.save(update_fields=["language"])
    return account
