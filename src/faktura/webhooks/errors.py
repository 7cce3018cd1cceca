"""Why an inbound webhook was refused, as ``FakturaError``\\ s with stable codes.

A delivery that cannot be authenticated answers 401 (the sender should check its
secret or clock); a delivery whose signature header is not in the documented
shape answers 400 (the sender's code is wrong, retrying will not help).

>>> err = SignatureMismatch("no signature matches the configured secrets", field="Faktura-Signature")
>>> err.code, err.http_status, err.as_dict()["field"]
('webhook_signature_invalid', 401, 'Faktura-Signature')
>>> isinstance(TimestampTooOld("..."), WebhookRejected)
True
"""

from __future__ import annotations

from faktura.core.errors import FakturaError

__all__ = [
    "HeaderMalformed",
    "HeaderMissing",
    "SignatureMismatch",
    "TimestampTooNew",
    "TimestampTooOld",
    "WebhookRejected",
]


class WebhookRejected(FakturaError):
    """An inbound webhook delivery was not accepted; ``field`` names the header to blame."""

    code = "webhook_rejected"
    http_status = 401


class HeaderMissing(WebhookRejected):
    """A header the scheme requires (signature, event id) is absent or empty."""

    code = "webhook_header_missing"
    http_status = 401


class HeaderMalformed(WebhookRejected):
    """A header is present but not in the scheme's documented shape."""

    code = "webhook_header_malformed"
    http_status = 400


class TimestampTooOld(WebhookRejected):
    """The signed timestamp is older than the tolerance: a late retry or a replay."""

    code = "webhook_timestamp_too_old"


class TimestampTooNew(WebhookRejected):
    """The signed timestamp lies further in the future than the tolerance: a wrong clock."""

    code = "webhook_timestamp_too_new"


class SignatureMismatch(WebhookRejected):
    """No signature in the request matches the body under any configured secret."""

    code = "webhook_signature_invalid"
