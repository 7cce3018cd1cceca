"""Sign-in link tokens: an HMAC of a random nonce under the instance's secret key, stored only as a SHA-256.

The link row keeps the nonce and the token's SHA-256; the token itself is
never written anywhere. The send task derives it again from the nonce (so the
task row in the queue holds only the link's id), and whoever reads the
database learns neither the token nor how to make one. Reading a token back
looks the hash up and checks the HMAC for the purpose the caller expects, so a
token made for one purpose never opens another.

>>> nonce = new_nonce()
>>> token = token_for(purpose="sign-in", nonce=nonce)
>>> len(token), token == token_for(purpose="sign-in", nonce=nonce), token == token_for(purpose="other", nonce=nonce)
(64, True, False)
>>> matches(token, purpose="sign-in", nonce=nonce), matches(token, purpose="other", nonce=nonce)
(True, False)
"""

from __future__ import annotations

import hashlib
import re
import secrets

from django.utils.crypto import constant_time_compare, salted_hmac

PURPOSE_SIGN_IN = "sign-in"
_SALT = "faktura.portal.link."
SHAPE = re.compile(r"[0-9a-f]{64}")


def new_nonce() -> str:
    return secrets.token_urlsafe(32)


def token_for(*, purpose: str, nonce: str) -> str:
    return salted_hmac(_SALT + purpose, nonce, algorithm="sha256").hexdigest()


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def matches(token: str, *, purpose: str, nonce: str) -> bool:
    return constant_time_compare(token, token_for(purpose=purpose, nonce=nonce))
