"""Every API error is a JSON body ``{"code", "message", "field"}`` with a 4xx status.

Domain errors carry their own code and status (``faktura.core.errors``);
request bodies that fail schema validation name the first offending field in
the dotted form integrators see in their payload (``lines.0.quantity``). A
database conflict that slipped past the services becomes a 409, not a 500.
A number too large for the database (``OverflowError`` from the driver) is a
404 when it is an id in the path — no such row can exist — and a 422 otherwise.
A value the database refuses to store (``DataError``: a NUL character in a
path, text too long for its column) is a 422, nothing having been written.
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import DataError, IntegrityError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, AuthorizationError, HttpError
from ninja.errors import ValidationError as SchemaValidationError

from faktura.core.errors import FakturaError

logger = logging.getLogger(__name__)


def error_body(code: str, message: str, field: str | None = None) -> dict[str, Any]:
    return {"code": code, "message": message, "field": field}


def install_error_handlers(api: NinjaAPI) -> None:
    def respond(request: HttpRequest, status: int, body: dict[str, Any]) -> HttpResponse:
        return api.create_response(request, body, status=status)

    @api.exception_handler(FakturaError)
    def domain_error(request: HttpRequest, error: FakturaError) -> HttpResponse:
        return respond(request, error.http_status, error.as_dict())

    @api.exception_handler(SchemaValidationError)
    def schema_error(request: HttpRequest, error: SchemaValidationError) -> HttpResponse:
        first = error.errors[0] if error.errors else {}
        location = [
            str(part) for part in first.get("loc", ()) if part not in ("body", "payload", "query", "path", "form")
        ]
        message = str(first.get("msg", "invalid request"))
        return respond(
            request,
            422,
            {
                **error_body("invalid", message, ".".join(location) or None),
                "errors": [
                    {"field": ".".join(str(p) for p in e.get("loc", ())[1:]) or None, "message": e.get("msg")}
                    for e in error.errors
                ],
            },
        )

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request: HttpRequest, error: AuthenticationError) -> HttpResponse:
        return respond(
            request, 401, error_body("unauthenticated", "send a valid API key as 'Authorization: Bearer fk_…'")
        )

    @api.exception_handler(AuthorizationError)
    def forbidden(request: HttpRequest, error: AuthorizationError) -> HttpResponse:
        return respond(request, 403, error_body("forbidden", str(error) or "not allowed"))

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, error: Http404) -> HttpResponse:
        return respond(request, 404, error_body("not_found", str(error) or "not found"))

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, error: HttpError) -> HttpResponse:
        if isinstance(error.__cause__, FakturaError):  # the body parser refused a value (a NUL character)
            return domain_error(request, error.__cause__)
        return respond(request, error.status_code, error_body("http_error", str(error)))

    @api.exception_handler(OverflowError)
    def out_of_range(request: HttpRequest, error: OverflowError) -> HttpResponse:
        path_ids = (request.resolver_match.kwargs if request.resolver_match else {}).items()
        for name, value in path_ids:
            number = int(value) if isinstance(value, int) or str(value).isdigit() else 0
            if not -(2**63) <= number < 2**63:
                return respond(request, 404, error_body("not_found", f"no object has the id {value}", name))
        return respond(request, 422, error_body("invalid", "a number in the request is out of range"))

    @api.exception_handler(IntegrityError)
    def integrity(request: HttpRequest, error: IntegrityError) -> HttpResponse:
        logger.warning("integrity error reached the API: %s", error)
        return respond(request, 409, error_body("conflict", "the request conflicts with the current state; retry"))

    @api.exception_handler(DataError)
    def unstorable(request: HttpRequest, error: DataError) -> HttpResponse:
        logger.warning("data error reached the API: %s", error)
        return respond(request, 422, error_body("invalid", "a value in the request cannot be stored"))
