"""Who did something: the audit trail names a person, an API key or the system.

Services take an ``Actor`` as a keyword argument and record ``actor.ref`` in
the audit event, so a reader of the trail knows which door a change came
through without a join to a table that may since have changed.

>>> Actor.user(7, "ana@example.ro").ref
'user:7 ana@example.ro'
>>> Actor.api_key("fk_3b9a").ref
'api_key:fk_3b9a'
>>> SYSTEM.ref
'system'
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Actor:
    kind: str
    identifier: str = ""
    label: str = ""

    @classmethod
    def user(cls, user_id: int, email: str) -> Actor:
        return cls("user", str(user_id), email)

    @classmethod
    def api_key(cls, prefix: str) -> Actor:
        return cls("api_key", prefix)

    @property
    def ref(self) -> str:
        parts = [f"{self.kind}:{self.identifier}" if self.identifier else self.kind]
        if self.label:
            parts.append(self.label)
        return " ".join(parts)


SYSTEM = Actor("system")
CLI = Actor("cli")
