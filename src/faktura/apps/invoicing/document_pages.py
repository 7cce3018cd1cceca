"""Keyset pages over the seller's document list, in every sort the list offers.

A page is asked for "after" or "before" a position (the sort key and the id of
a row), never by an offset: the database walks an index from that position and
stops after ``limit`` rows, so page 1,000 costs what page 1 does, and a
document added meanwhile never shifts a later page.

Every sort is ``(key, id)`` with both in the same direction, so one B-tree
index on ``(organization, key, id)`` serves it forwards and backwards. A key
that may be NULL (a draft has no number, no issue date and maybe no due date)
sorts as if NULL were greater than every value, as PostgreSQL's indexes keep
it: last in an ascending sort, first in a descending one. Rows with and without
a key are fetched by two plain queries (``key IS NULL`` / ``IS NOT NULL``)
rather than one with ``NULLS FIRST``, so both databases can walk an index.

A cursor is opaque to callers: base64url of ``[sort, "a"|"b", key, id]``.
It may be handed back with other filters (it is only a position); with another
sort it is refused, as is anything this module did not make.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any

from django.db.models import Expression, F, Q, QuerySet
from django.db.models.functions import Lower

from faktura.apps.invoicing.models import Document
from faktura.core.errors import InvalidValue

MAX_ID = 2**63 - 1


class DocumentSort(StrEnum):
    """The orders the list offers; a leading ``-`` is the descending one."""

    NEWEST = "newest"  # issue date, latest first (drafts, without one, on top)
    OLDEST = "oldest"
    NUMBER = "number"
    NUMBER_DESC = "-number"
    TOTAL = "total"  # the amount to pay (BT-115)
    TOTAL_DESC = "-total"
    BUYER = "buyer"  # buyer name, ignoring case
    BUYER_DESC = "-buyer"
    DUE = "due"  # due date, soonest first (none: last)
    DUE_DESC = "-due"


@dataclass(frozen=True)
class _Order:
    key: Callable[[], Expression | F]
    descending: bool
    nullable: bool
    parse: Callable[[Any], Any]  # a key read back from a cursor


def _date(value: Any) -> dt.date:
    return dt.date.fromisoformat(value)


def _decimal(value: Any) -> Decimal:
    number = Decimal(value)
    if not number.is_finite():
        raise ValueError(value)
    return number


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError(value)
    return value


ORDERS: dict[DocumentSort, _Order] = {
    DocumentSort.NEWEST: _Order(lambda: F("issue_date"), True, True, _date),
    DocumentSort.OLDEST: _Order(lambda: F("issue_date"), False, True, _date),
    DocumentSort.NUMBER: _Order(lambda: F("number"), False, True, _text),
    DocumentSort.NUMBER_DESC: _Order(lambda: F("number"), True, True, _text),
    DocumentSort.TOTAL: _Order(lambda: F("payable"), False, False, _decimal),
    DocumentSort.TOTAL_DESC: _Order(lambda: F("payable"), True, False, _decimal),
    DocumentSort.BUYER: _Order(lambda: Lower("buyer_name"), False, False, _text),
    DocumentSort.BUYER_DESC: _Order(lambda: Lower("buyer_name"), True, False, _text),
    DocumentSort.DUE: _Order(lambda: F("due_date"), False, True, _date),
    DocumentSort.DUE_DESC: _Order(lambda: F("due_date"), True, True, _date),
}


def sort_of(value: str) -> DocumentSort:
    try:
        return DocumentSort(value or DocumentSort.NEWEST)
    except ValueError:
        allowed = ", ".join(sort.value for sort in DocumentSort)
        raise InvalidValue(f"is not a sort of the list; use one of {allowed}", field="sort") from None


@dataclass(frozen=True)
class Position:
    key: Any  # None: a row without a key
    id: int


@dataclass(frozen=True)
class DocumentPage:
    rows: list[Document]
    next_cursor: str | None
    previous_cursor: str | None


def encode(sort: DocumentSort, direction: str, position: Position) -> str:
    key = position.key
    if isinstance(key, dt.date | Decimal):
        key = str(key)
    text = json.dumps([sort.value, direction, key, position.id], ensure_ascii=False, separators=(",", ":"))
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def decode(cursor: str, sort: DocumentSort) -> tuple[str, Position]:
    """``(direction, position)`` of a cursor this module made for ``sort``; else a 422 on ``cursor``."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        cursor_sort, direction, key, row_id = json.loads(raw.decode())
        if cursor_sort == sort.value and direction in ("a", "b") and type(row_id) is int and 0 < row_id <= MAX_ID:
            order = ORDERS[sort]
            if key is not None or order.nullable:
                return direction, Position(None if key is None else order.parse(key), row_id)
        elif cursor_sort != sort.value and cursor_sort in set(DocumentSort):
            raise InvalidValue(f"belongs to the sort {cursor_sort}; start again without it", field="cursor")
    except (binascii.Error, UnicodeDecodeError, ValueError, TypeError, InvalidOperation):
        pass
    raise InvalidValue("is not a cursor this list gave out; start again without it", field="cursor")


def page(found: QuerySet[Document], *, sort: DocumentSort, cursor: str | None, limit: int) -> DocumentPage:
    """One page of ``found`` (already filtered) in ``sort``, after or before ``cursor``."""
    direction, position = decode(cursor, sort) if cursor else ("a", None)
    if direction == "b" and position is not None:
        rows = scan(found, ORDERS[sort], position, backward=True, limit=limit + 1)
        if len(rows) <= limit:  # reached the start: show a whole first page
            return page(found, sort=sort, cursor=None, limit=limit)
        rows = rows[:limit][::-1]
        return DocumentPage(rows, encode(sort, "a", _at(rows[-1])), encode(sort, "b", _at(rows[0])))
    rows = scan(found, ORDERS[sort], position, backward=False, limit=limit + 1)
    more, rows = len(rows) > limit, rows[:limit]
    previous = None
    if position is not None:
        previous = encode(sort, "b", _at(rows[0]) if rows else position)
    return DocumentPage(rows, encode(sort, "a", _at(rows[-1])) if more else None, previous)


def _at(row: Document) -> Position:
    return Position(row.sort_key, row.pk)  # type: ignore[attr-defined]


def scan(
    found: QuerySet[Document], order: _Order, position: Position | None, *, backward: bool, limit: int
) -> list[Document]:
    """Up to ``limit`` rows strictly beyond ``position`` in the order (reversed when ``backward``)."""
    descending = order.descending != backward
    segments = ["main"]
    if order.nullable:
        segments = ["null", "main"] if descending else ["main", "null"]
    if position is not None:
        start = "null" if position.key is None else "main"
        segments = segments[segments.index(start) :]
    keyed = found.annotate(sort_key=order.key())
    rows: list[Document] = []
    for segment in segments:
        if segment == "null":
            query = keyed.filter(sort_key__isnull=True)
            if position is not None and position.key is None:
                query = query.filter(pk__lt=position.id) if descending else query.filter(pk__gt=position.id)
            query = query.order_by("-pk" if descending else "pk")
        else:
            query = keyed.filter(sort_key__isnull=False) if order.nullable else keyed
            if position is not None and position.key is not None:
                query = query.filter(_beyond(position, descending=descending))
            by = F("sort_key").desc() if descending else F("sort_key").asc()
            query = query.order_by(by, "-pk" if descending else "pk")
        rows += query[: limit - len(rows)]
        if len(rows) >= limit:
            break
    return rows


def _beyond(position: Position, *, descending: bool) -> Q:
    """Rows after ``position``; the first bound is redundant but lets the index start there."""
    key, row_id = position.key, position.id
    if descending:
        return Q(sort_key__lte=key) & (Q(sort_key__lt=key) | Q(pk__lt=row_id))
    return Q(sort_key__gte=key) & (Q(sort_key__gt=key) | Q(pk__gt=row_id))
