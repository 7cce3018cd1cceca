"""Hash chains that make the audit trail tamper-evident (F12.3).

Audit events form independent chains: an organization's chain (``org:<id>``),
the instance chain for operator actions (``instance``), and one chain per
numbering counter (``counter:<id>``) for issued documents, which are chained
under the row lock that allocates their number. Event ``seq`` counts 1, 2, 3...
within its chain; each event stores the hash of its predecessor (the first one
stores ``GENESIS``) and its own hash; the chain's head row stores the last
``seq`` and hash.

>>> org_chain(5), counter_chain(12), INSTANCE_CHAIN
('org:5', 'counter:12', 'instance')

An event is hashed over one canonical serialisation: JSON with sorted keys, no
whitespace, UTF-8 (not ``\\u`` escapes), the time in UTC with microseconds, and
``data`` made of JSON values only. Decimals become strings; a float is refused,
because its text is not canonical (``0.1 + 0.2``):

>>> when = datetime(2026, 1, 5, 10, 30, tzinfo=UTC)
>>> first = next_event(chain="org:5", head_seq=0, head_hash="", occurred_at=when, actor="system",
...                    action="series.create", object_type="series", object_id="3",
...                    data={"start": Decimal("1.50"), "note": "Brașov"})
>>> first.seq, first.prev_hash == GENESIS, first.data
(1, True, {'start': '1.50', 'note': 'Brașov'})
>>> print(canonical_bytes(first).decode().replace(GENESIS, "<64 zeros>").replace(",", ",\\n"))
{"action":"series.create",
"actor":"system",
"chain":"org:5",
"data":{"note":"Brașov",
"start":"1.50"},
"object_id":"3",
"object_type":"series",
"occurred_at":"2026-01-05T10:30:00.000000Z",
"prev_hash":"<64 zeros>",
"seq":1}
>>> normalize_data({"amount": 0.1})
Traceback (most recent call last):
...
TypeError: audit data 'amount' is a float; pass a Decimal or a string

The hash is SHA-256 over the previous hash and the canonical bytes, so it
depends on the whole history before the event:

>>> first.hash == event_hash(first), len(first.hash)
(True, 64)
>>> second = next_event(chain="org:5", head_seq=first.seq, head_hash=first.hash, occurred_at=when,
...                     actor="user:7", action="series.update", object_type="series", object_id="3")
>>> second.seq, second.prev_hash == first.hash
(2, True)

``verify_chain`` walks one chain in ``seq`` order and reports the first broken
link, or ``None``; the head it is given catches a deleted tail:

>>> verify_chain([first, second], chain="org:5", head_seq=2, head_hash=second.hash) is None
True
>>> link = verify_chain([first], chain="org:5", head_seq=2, head_hash=second.hash)
>>> link.chain, link.seq, link.problem, link.event
('org:5', 2, <Problem.HEAD_MISMATCH: 'head_mismatch'>, None)
>>> print(link.detail)
the head records seq 2 but the last event is seq 1, event seq 1 (series.create series:3); event 2 was deleted
>>> edited = replace(first, id=41, action="series.delete")
>>> print(verify_chain([edited, second], chain="org:5", head_seq=2, head_hash=second.hash))
org:5 seq 1: hash_mismatch: event 41 (series.delete series:3) does not match its hash; the row was edited
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

GENESIS = "0" * 64
INSTANCE_CHAIN = "instance"


def org_chain(organization_id: int) -> str:
    return f"org:{organization_id}"


def counter_chain(counter_id: int) -> str:
    return f"counter:{counter_id}"


@dataclass(frozen=True)
class EventRecord:
    """One audit event as hashed; ``id`` (the row id) and ``hash`` are not hashed."""

    chain: str
    seq: int
    prev_hash: str
    occurred_at: datetime
    actor: str
    action: str
    object_type: str
    object_id: str
    data: Mapping[str, Any] = field(default_factory=dict)
    hash: str = ""
    id: int | None = None

    def describe(self) -> str:
        ref = f"event {self.id}" if self.id is not None else f"event seq {self.seq}"
        return f"{ref} ({self.action} {self.object_type}:{self.object_id})"


def normalize_data(data: Mapping[str, Any] | None, path: str = "") -> dict[str, Any]:
    """``data`` as the JSON values stored and hashed: Decimals and dates become strings.

    >>> normalize_data({"total": Decimal("12.10"), "lines": (1, "x"), "on": date(2026, 1, 5)})
    {'total': '12.10', 'lines': [1, 'x'], 'on': '2026-01-05'}
    """
    if data is None:
        return {}
    if not isinstance(data, Mapping):
        raise TypeError(f"audit data must be a mapping, not {type(data).__name__}")
    return {_key(k, path): _value(v, f"{path}.{k}" if path else k) for k, v in data.items()}


def _key(key: object, path: str) -> str:
    if not isinstance(key, str):
        raise TypeError(f"audit data key {key!r} under {path or 'data'!r} is not a string")
    return key


def _value(value: object, path: str) -> Any:
    if value is None or isinstance(value, bool | int):
        return value
    if isinstance(value, str):
        if "\x00" in value:  # PostgreSQL cannot store NUL in text or jsonb
            raise ValueError(f"audit data {path!r} contains a NUL character")
        return value
    if isinstance(value, float):
        raise TypeError(f"audit data {path!r} is a float; pass a Decimal or a string")
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime):
        return _utc(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return normalize_data(value, path)
    if isinstance(value, list | tuple):
        return [_value(item, f"{path}[{i}]") for i, item in enumerate(value)]
    raise TypeError(f"audit data {path!r} of type {type(value).__name__} is not a JSON value")


def _utc(moment: datetime) -> str:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("audit times must be timezone-aware")
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def canonical_bytes(event: EventRecord) -> bytes:
    """The exact bytes that are hashed: every field but ``hash`` and ``id``."""
    payload = {
        "chain": event.chain,
        "seq": event.seq,
        "prev_hash": event.prev_hash,
        "occurred_at": _utc(event.occurred_at),
        "actor": event.actor,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "data": normalize_data(event.data),
    }
    text = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
    return text.encode("utf-8")


def event_hash(event: EventRecord) -> str:
    """SHA-256 (hex) over the previous hash and the canonical bytes of the event."""
    return hashlib.sha256(event.prev_hash.encode("ascii") + canonical_bytes(event)).hexdigest()


def next_event(
    *,
    chain: str,
    head_seq: int,
    head_hash: str,
    occurred_at: datetime,
    actor: str,
    action: str,
    object_type: str,
    object_id: str,
    data: Mapping[str, Any] | None = None,
) -> EventRecord:
    """The event that follows the head ``(head_seq, head_hash)``, hashed, data normalised."""
    if head_seq and not head_hash:
        raise ValueError(f"chain {chain!r} has a head at seq {head_seq} without a hash")
    record = EventRecord(
        chain=chain,
        seq=head_seq + 1,
        prev_hash=head_hash if head_seq else GENESIS,
        occurred_at=occurred_at,
        actor=actor,
        action=action,
        object_type=object_type,
        object_id=object_id,
        data=normalize_data(data),
    )
    return replace(record, hash=event_hash(record))


class Problem(StrEnum):
    SEQ_GAP = "seq_gap"  # an event is missing: deleted
    SEQ_ORDER = "seq_order"  # an event repeats or comes out of order
    WRONG_CHAIN = "wrong_chain"  # an event names another chain
    PREV_HASH_MISMATCH = "prev_hash_mismatch"  # an event does not follow its predecessor
    HASH_MISMATCH = "hash_mismatch"  # an event's content was edited
    HEAD_MISMATCH = "head_mismatch"  # the tail was deleted or the head row edited
    MISSING_HEAD = "missing_head"  # events exist but their head row does not
    ORGANIZATION_MISMATCH = "organization_mismatch"  # found by the database adapter


@dataclass(frozen=True)
class BrokenLink:
    """The first broken link of a chain: where (``seq``), why, and the row to look at.

    ``event`` is the event row found at the break, ``None`` when the break is
    in the head row or in rows that no longer exist (``detail`` then names
    the last event that does).
    """

    chain: str
    seq: int
    problem: Problem
    detail: str
    event: EventRecord | None = None

    def __str__(self) -> str:
        return f"{self.chain} seq {self.seq}: {self.problem}: {self.detail}"


def verify_chain(
    events: Iterable[EventRecord], *, chain: str, head_seq: int | None, head_hash: str | None
) -> BrokenLink | None:
    """Walk ``events`` (ascending ``seq``) and return the first broken link, or ``None``.

    ``head_seq``/``head_hash`` are the chain's head row; ``None`` means there is
    no head row. A head at seq 0 may store ``""`` or ``GENESIS`` as its hash.
    """
    expected, prev, last, beyond = 1, GENESIS, None, None
    for event in events:
        broken = _check(event, chain=chain, expected=expected, prev=prev, last=last)
        if broken is not None:
            return broken
        if head_seq is not None and event.seq == head_seq + 1:
            beyond = event
        expected, prev, last = expected + 1, event.hash, event
    count = expected - 1
    tail = f"the last event is seq {count}" + (f", {last.describe()}" if last is not None else "")
    if head_seq is None or head_hash is None:
        if last is None:
            return None
        detail = f"the chain's head row is missing; {tail}"
        return BrokenLink(chain, count, Problem.MISSING_HEAD, detail)
    if head_seq > count:
        detail = f"the head records seq {head_seq} but {tail}; {_deleted(count + 1, head_seq)}"
        return BrokenLink(chain, count + 1, Problem.HEAD_MISMATCH, detail)
    if beyond is not None:
        detail = f"the head records seq {head_seq} but {beyond.describe()} follows it; {tail}"
        return BrokenLink(chain, beyond.seq, Problem.HEAD_MISMATCH, detail, beyond)
    if (head_hash or GENESIS) != prev:
        detail = f"the head hash differs from the hash of the last event; the head row was edited; {tail}"
        return BrokenLink(chain, count, Problem.HEAD_MISMATCH, detail)
    return None


def _check(event: EventRecord, *, chain: str, expected: int, prev: str, last: EventRecord | None) -> BrokenLink | None:
    what = event.describe()
    if event.chain != chain:
        return BrokenLink(chain, expected, Problem.WRONG_CHAIN, f"{what} names chain {event.chain!r}", event)
    if event.seq > expected:
        detail = f"{what} has seq {event.seq}; {_deleted(expected, event.seq - 1)}"
        return BrokenLink(chain, expected, Problem.SEQ_GAP, detail, event)
    if event.seq < expected:
        detail = f"{what} has seq {event.seq} where seq {expected} was expected"
        return BrokenLink(chain, expected, Problem.SEQ_ORDER, detail, event)
    if event.prev_hash != prev:
        before = last.describe() if last is not None else "the genesis hash"
        detail = f"{what} does not follow {before}: its prev_hash differs; one of the two was edited"
        return BrokenLink(chain, event.seq, Problem.PREV_HASH_MISMATCH, detail, event)
    try:
        intact = event_hash(event) == event.hash
    except (TypeError, ValueError) as exc:  # e.g. a float written into data by hand
        detail = f"{what} cannot be serialised canonically ({exc}); the row was edited"
        return BrokenLink(chain, event.seq, Problem.HASH_MISMATCH, detail, event)
    if not intact:
        detail = f"{what} does not match its hash; the row was edited"
        return BrokenLink(chain, event.seq, Problem.HASH_MISMATCH, detail, event)
    return None


def _deleted(first: int, last: int) -> str:
    return f"event {first} was deleted" if first == last else f"events {first}..{last} were deleted"
