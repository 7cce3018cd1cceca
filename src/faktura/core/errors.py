"""One error hierarchy for the whole product.

Every error a seller, buyer or integrator can cause is a ``FakturaError`` with a
stable ``code`` (what a program branches on), a human ``message`` (what a person
reads) and, where one input is to blame, the ``field`` that holds it. The API
turns these into HTTP 4xx bodies ``{"code", "message", "field"}`` and the web app
into form errors, so the rule that raises decides the wording once.

>>> err = InvalidValue("must not be negative", field="lines[0].quantity")
>>> err.code, err.field, str(err)
('invalid', 'lines[0].quantity', 'lines[0].quantity: must not be negative')
>>> err.as_dict()
{'code': 'invalid', 'message': 'must not be negative', 'field': 'lines[0].quantity'}
"""

from __future__ import annotations


class FakturaError(Exception):
    """Base of every domain error; ``code`` is stable across releases."""

    code: str = "error"
    http_status: int = 400

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field

    def __str__(self) -> str:
        return f"{self.field}: {self.message}" if self.field else self.message

    def as_dict(self) -> dict[str, str | None]:
        return {"code": self.code, "message": self.message, "field": self.field}


class ValidationError(FakturaError):
    """Input that can never be accepted as it is."""

    code = "invalid"
    http_status = 422


class InvalidValue(ValidationError):
    """A single value is malformed or out of range."""


class MissingValue(ValidationError):
    """A value the law or the configuration requires is absent."""

    code = "required"


class CurrencyMismatch(ValidationError):
    """Amounts in two currencies were combined."""

    code = "currency_mismatch"


class NotFound(FakturaError):
    """The object does not exist for this seller (also used for other sellers' objects)."""

    code = "not_found"
    http_status = 404


class Conflict(FakturaError):
    """The request is valid but contradicts the current state."""

    code = "conflict"
    http_status = 409


class ImmutableDocument(Conflict):
    """An issued document was about to change; corrections go through a credit note."""

    code = "document_immutable"


class PermissionDenied(FakturaError):
    """The actor's role does not allow this action."""

    code = "forbidden"
    http_status = 403
