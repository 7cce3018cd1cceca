"""What a failed attempt at sending means: try again later, or give up and tell the seller why.

SMTP says it with the reply code (RFC 5321 §4.2.1): 4xx is a temporary
failure, 5xx a permanent one. A connection that cannot be made or breaks
off, a timeout, or an error we do not know is temporary too. A server that
refuses our credentials (535) is the operator's to fix, so those messages
wait for it rather than fail for good. A document deleted before its email
went out fails the message at once.

>>> import smtplib
>>> classify(ConnectionRefusedError(111, "Connection refused"))
Failure(permanent=False, code='smtp_unavailable', reason='cannot reach the mail server: [Errno 111] Connection refused')
>>> classify(smtplib.SMTPRecipientsRefused({"ana@example.ro": (550, b"5.1.1 No such user")})).reason
'the mail server refused ana@example.ro: 550 5.1.1 No such user'
>>> classify(smtplib.SMTPRecipientsRefused({"ana@example.ro": (550, b"5.1.1 No such user")})).permanent
True
>>> classify(smtplib.SMTPDataError(451, b"4.3.0 Try again later")).permanent
False
"""

from __future__ import annotations

import smtplib
from dataclasses import dataclass

from faktura.core.errors import NotFound


@dataclass(frozen=True)
class Failure:
    permanent: bool
    code: str
    reason: str


def _text(message: bytes | str) -> str:
    return (message.decode("utf-8", "replace") if isinstance(message, bytes) else str(message)).strip()


def classify(error: BaseException) -> Failure:
    if isinstance(error, NotFound):  # the document was deleted meanwhile: nothing left to send
        return Failure(True, "document_missing", error.message)
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        refused = sorted(error.recipients.items())
        permanent = any(code >= 500 for _, (code, _) in refused)
        detail = "; ".join(f"{address}: {code} {_text(message)}" for address, (code, message) in refused)
        return Failure(permanent, "recipient_refused", f"the mail server refused {detail}")
    if isinstance(error, smtplib.SMTPAuthenticationError):
        return Failure(
            False, "smtp_auth", f"the mail server refused our login: {error.smtp_code} {_text(error.smtp_error)}"
        )
    if isinstance(error, smtplib.SMTPSenderRefused):
        permanent = error.smtp_code >= 500
        return Failure(
            permanent,
            "sender_refused",
            f"the mail server refused the sender {error.sender}: {error.smtp_code} {_text(error.smtp_error)}",
        )
    if isinstance(error, smtplib.SMTPResponseException):
        permanent = error.smtp_code >= 500
        code = "rejected" if permanent else "smtp_temporary"
        return Failure(permanent, code, f"the mail server answered {error.smtp_code} {_text(error.smtp_error)}")
    if isinstance(error, smtplib.SMTPServerDisconnected | OSError):
        return Failure(False, "smtp_unavailable", f"cannot reach the mail server: {error}")
    return Failure(False, "error", f"{type(error).__name__}: {error}")
