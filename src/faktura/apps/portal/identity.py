"""Who a buyer is: one normalised email address, the same for every seller of the instance.

Sellers store the address as the buyer typed it; the portal compares
lower-cased, trimmed addresses (the database indexes ``LOWER(email)`` on
documents and buyers for it). Mailbox names are case-sensitive in theory, in
practice never, and treating ``Ana@Example.ro`` and ``ana@example.ro`` as two
people would hide documents from their owner.

>>> normalise_email("  Ana.Popescu@Example.RO ")
'ana.popescu@example.ro'
>>> email_key("ana@example.ro") == email_key(" ANA@example.ro")
True
"""

from __future__ import annotations

import hashlib


def normalise_email(address: str) -> str:
    return address.strip().lower()


def email_key(address: str) -> str:
    """A stable hash of the normalised address, for logs that should not hold the address itself."""
    return hashlib.sha256(("email:" + normalise_email(address)).encode()).hexdigest()


def ip_key(address: str) -> str:
    return hashlib.sha256(("ip:" + address.strip()).encode()).hexdigest()
