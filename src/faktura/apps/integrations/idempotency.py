"""``@idempotent``: the ``Idempotency-Key`` header on an API POST, with Stripe's semantics, durably.

Usage, directly under the router's decorator::

    @router.post("/orders", response={201: OrderOut})
    @idempotent
    def order_create(request, payload: OrderIn): ...

Semantics:

* No header: the operation just runs. An empty header or one over 255
  characters: 400 ``invalid`` with field ``Idempotency-Key``.
* Keys belong to the seller (the API key's organization): two sellers never collide.
* First use: the operation runs in one transaction with the key's row locked;
  its response (status, body, content type) is stored and the row marked
  ``completed`` in that same transaction. The operation's writes commit if and
  only if its response is stored, so a crash can leave neither half alone.
* Same key, same request (method, path and body, see ``fingerprint``): the
  stored response is replayed byte for byte, with ``Idempotent-Replayed: true``.
  Other response headers are not stored.
* Same key, different request: 409 ``idempotency_key_reused``.
* Same key at the same time: one runs; the others wait on the row lock and
  then replay its response. On PostgreSQL the wait is bounded
  (``LOCK_WAIT_SECONDS``), then 409 ``idempotency_key_in_progress``; on SQLite
  writers queue on the busy timeout (``FAKTURA_SQLITE_TIMEOUT``).
* What is stored and replayed: every response under 500 except 409 and 429,
  so 2xx and domain errors such as 404 or 422 are replayed (a failed
  operation's writes are rolled back before its error is stored). A 409 or 429
  (a conflict or limit that may pass), any 5xx and any unexpected exception
  roll the operation back and release the key: a retry runs again. Request
  schema and authentication errors happen before the operation starts and
  never touch the key.
* Keys are kept ``FAKTURA_IDEMPOTENCY_RETENTION_DAYS`` (30) days: an older key
  is never replayed, even before it is deleted (the request runs as new); run
  ``faktura prune_idempotency_keys`` daily to delete them.

The operation must return a whole response (not a stream) and should run in
autocommit mode (no ``ATOMIC_REQUESTS``), so the reservation and the wait stay
outside any longer transaction.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import inspect
import json
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja.decorators import decorate_view

from faktura.apps.integrations import selectors, services
from faktura.apps.integrations.errors import (
    HEADER,
    IdempotencyKeyInProgress,
    IdempotencyKeyReused,
    InvalidIdempotencyKey,
)
from faktura.apps.integrations.fingerprint import fingerprint
from faktura.apps.integrations.models import MAX_KEY_LENGTH, IdempotencyKey
from faktura.platform.transactions import atomic_with_retry, is_retryable

LOCK_WAIT_SECONDS = 10.0
REPLAYED_HEADER = "Idempotent-Replayed"
NOT_STORED = frozenset({409, 429})
_ATTEMPTS = 5  # a key released under us is reserved again this many times
_OPERATION = "_faktura_idempotent_operation"


def idempotent(view: Callable[..., Any]) -> Callable[..., Any]:
    """Make a ninja POST operation honour ``Idempotency-Key``; see the module docstring."""

    @functools.wraps(view)
    def guarded(request: HttpRequest, *args: Any, **values: Any) -> Any:
        key = request.headers.get(HEADER)
        if key is None:
            return view(request, *args, **values)
        key = key.strip()
        if not key:
            raise InvalidIdempotencyKey("must not be empty")
        if len(key) > MAX_KEY_LENGTH:
            raise InvalidIdempotencyKey(f"must be at most {MAX_KEY_LENGTH} characters")
        organization = getattr(request, "organization", None)
        if organization is None:
            raise RuntimeError("@idempotent needs an authenticated seller (request.organization)")
        return _Guard(view, request, args, values, organization, key).run()

    # ninja reads the signature through __wrapped__ but resolves string
    # annotations in the wrapper's module: hand it the resolved signature.
    guarded.__signature__ = inspect.signature(view, eval_str=True)  # type: ignore[attr-defined]
    return decorate_view(_remember_operation)(guarded)


def _remember_operation(run: Callable[..., Any]) -> Callable[..., Any]:
    """Wraps ninja's ``Operation.run`` (re-applied to every mount) so the view can serialize like ninja does."""
    operation = getattr(run, "__self__", None)
    if operation is None:
        raise RuntimeError("put @idempotent directly under @router.post(...)")

    @functools.wraps(run)
    def remembering(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        setattr(request, _OPERATION, operation)
        return run(request, *args, **kwargs)

    return remembering


class _Failure:
    def __init__(self, error: Exception) -> None:
        self.error = error


class _Guard:
    """One request with a key: reserve, lock, then replay, refuse or run-and-store."""

    def __init__(
        self,
        view: Callable[..., Any],
        request: HttpRequest,
        args: Any,
        values: dict[str, Any],
        organization: Any,
        key: str,
    ) -> None:
        self.view, self.request, self.args, self.values = view, request, args, values
        self.organization, self.key = organization, key
        self.operation = getattr(request, _OPERATION)
        self.method = request.method or "POST"
        self.path = request.get_full_path()
        self.fingerprint = fingerprint(self.method, self.path, *_signed_body(request))

    def run(self) -> HttpResponse:
        for _ in range(_ATTEMPTS):
            services.idempotency_key_reserve(
                organization=self.organization,
                key=self.key,
                method=self.method,
                path=self.path,
                fingerprint=self.fingerprint,
            )
            outcome = atomic_with_retry(self._attempt)
            if isinstance(outcome, _Failure):
                raise outcome.error
            if outcome is not None:
                return outcome
        raise IdempotencyKeyInProgress

    def _attempt(self) -> HttpResponse | _Failure | None:
        record = selectors.idempotency_key_lock(
            organization=self.organization, key=self.key, wait_seconds=LOCK_WAIT_SECONDS
        )
        if record is None:
            return None  # released by a request that failed: reserve it again
        if record.state == IdempotencyKey.State.COMPLETED and _expired(record):
            services.idempotency_key_restart(
                record=record, method=self.method, path=self.path, fingerprint=self.fingerprint
            )
        elif record.state == IdempotencyKey.State.COMPLETED:
            if record.request_fingerprint != self.fingerprint:
                raise IdempotencyKeyReused(record.created_at)
            return _replay(record)
        else:
            services.idempotency_key_take_over(
                record=record, method=self.method, path=self.path, fingerprint=self.fingerprint
            )
        try:
            with transaction.atomic():  # the operation's writes, undone on failure
                response = self._respond()
                if not _stored(response):
                    transaction.set_rollback(True)
        except Exception as error:
            if is_retryable(error):
                raise  # the whole attempt is retried by atomic_with_retry
            handled = self._handled(error)
            if handled is None:
                services.idempotency_key_release(record=record)
                return _Failure(error)  # commit the release, then let the error through
            response = handled
        if _stored(response):
            services.idempotency_key_complete(
                record=record,
                status=response.status_code,
                body=bytes(response.content),
                content_type=response.get("Content-Type", ""),
            )
        else:
            services.idempotency_key_release(record=record)
        return response

    def _respond(self) -> HttpResponse:
        result = self.view(self.request, *self.args, **self.values)
        temporal = next((v for v in self.values.values() if isinstance(v, HttpResponse)), None)
        if temporal is None:
            temporal = self.operation.api.create_temporal_response(self.request)
        # ninja's own conversion (response schema, status), kept private by ninja 1.x.
        response = self.operation._result_to_response(self.request, result, temporal)
        if not isinstance(response, HttpResponse):
            raise TypeError("@idempotent operations must return a whole response, not a stream")
        return response

    def _handled(self, error: Exception) -> HttpResponse | None:
        """The API's answer to ``error``; ``None`` if no handler knows it (a 500)."""
        try:
            return self.operation.api.on_exception(self.request, error)
        except Exception:
            return None


def _signed_body(request: HttpRequest) -> tuple[bytes, str]:
    """The body and content type to fingerprint.

    A multipart form (an upload) was parsed already, so its raw body is gone,
    and its boundary changes with every send anyway: it is fingerprinted as its
    fields and the SHA-256 of each file, as JSON.
    """
    if request.content_type != "multipart/form-data":
        return request.body, request.content_type or ""
    files: dict[str, list[str]] = {}
    for name in request.FILES:
        for upload in request.FILES.getlist(name):
            digest = hashlib.sha256()
            for chunk in upload.chunks():
                digest.update(chunk)
            upload.seek(0)
            files.setdefault(name, []).append(digest.hexdigest())
    fields = {name: request.POST.getlist(name) for name in request.POST}
    return json.dumps({"fields": fields, "files": files}, sort_keys=True).encode(), "application/json"


def _expired(record: IdempotencyKey) -> bool:
    """Older than the retention: the key is forgotten even before the daily prune deletes it."""
    retention = dt.timedelta(days=settings.FAKTURA_IDEMPOTENCY_RETENTION_DAYS)
    return record.created_at < timezone.now() - retention


def _stored(response: HttpResponse) -> bool:
    return response.status_code < 500 and response.status_code not in NOT_STORED


def _replay(record: IdempotencyKey) -> HttpResponse:
    response = HttpResponse(
        bytes(record.response_body or b""),
        status=record.response_status or 200,
        content_type=record.response_content_type or None,
    )
    response[REPLAYED_HEADER] = "true"
    return response
