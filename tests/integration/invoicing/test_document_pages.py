"""document_page: every sort, paged forwards and backwards, gives exactly the sorted set, once each.

Rows are stored directly (as drafts, which may hold any key) so hypothesis can
draw ties, missing keys and mixed case freely; the reference order is the
database's own ``ORDER BY`` over the whole set, so collations never differ.
"""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from faktura.apps.invoicing import selectors
from faktura.apps.invoicing.document_pages import ORDERS, DocumentSort, Position, encode
from faktura.apps.invoicing.models import Document
from faktura.apps.invoicing.selectors import DocumentFilters, document_ids_matching, document_page
from faktura.core.errors import InvalidValue
from tests import factories as make

pytestmark = pytest.mark.django_db

DAYS = [None, dt.date(2025, 12, 31), dt.date(2026, 1, 1), dt.date(2026, 1, 2)]
_serial = itertools.count()
NAMES = ["", "ana", "Ana", "Bogdan", "Ștefan", "zoltán"]
row = st.fixed_dictionaries(
    {
        "issue_date": st.sampled_from(DAYS),
        "due_date": st.sampled_from(DAYS),
        "buyer_name": st.sampled_from(NAMES),
        "payable": st.sampled_from([Decimal("0.00"), Decimal("9.90"), Decimal("10.00"), Decimal("-5.00")]),
        "numbered": st.booleans(),
    }
)


def store(org, rows: list[dict]) -> list[int]:
    made = []
    for values in rows:
        index = next(_serial)
        numbered = values.pop("numbered")
        made.append(
            Document.objects.create(
                organization=org,
                document_type="invoice",
                currency="RON",
                language="ro",
                number=f"FA{(index * 7) % 11:03d}-{index}" if numbered else None,
                **values,
            ).pk
        )
    return made


def reference(org, sort: DocumentSort) -> list[int]:
    """The whole set in ``sort`` by one ORDER BY (NULL keys greatest, as document_pages promises)."""
    order = ORDERS[sort]
    key = order.key()
    by = key.desc(nulls_first=True) if order.descending else key.asc(nulls_last=True)
    found = Document.objects.for_organization(org).order_by(by, "-pk" if order.descending else "pk")
    return list(found.values_list("pk", flat=True))


def walk_forward(org, sort: DocumentSort, limit: int) -> tuple[list[int], list[str]]:
    seen: list[int] = []
    cursors: list[str] = []
    cursor = None
    while True:
        found = document_page(organization=org, filters=DocumentFilters(sort=sort.value), cursor=cursor, limit=limit)
        assert (found.previous_cursor is None) == (cursor is None)
        seen += [document.pk for document in found.rows]
        if found.next_cursor is None:
            return seen, cursors
        cursor = found.next_cursor
        cursors.append(cursor)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(row, max_size=14), limit=st.integers(1, 4), sort=st.sampled_from(list(DocumentSort)))
def test_every_sort_pages_forwards_and_backwards_through_exactly_the_sorted_set(
    rows: list[dict], limit: int, sort: DocumentSort
) -> None:
    org = make.seller()
    made = store(org, rows)
    expected = reference(org, sort)
    assert sorted(expected) == sorted(made)

    forward, _ = walk_forward(org, sort, limit)
    assert forward == expected

    # From the last page back to the first, by previous_cursor.
    cursor: str | None = None
    found = document_page(organization=org, filters=DocumentFilters(sort=sort.value), cursor=None, limit=limit)
    while found.next_cursor:
        cursor = found.next_cursor
        found = document_page(organization=org, filters=DocumentFilters(sort=sort.value), cursor=cursor, limit=limit)
    pages = [[document.pk for document in found.rows]]
    while found.previous_cursor:
        found = document_page(
            organization=org, filters=DocumentFilters(sort=sort.value), cursor=found.previous_cursor, limit=limit
        )
        pages.insert(0, [document.pk for document in found.rows])
    backward = [pk for page in pages for pk in page]
    assert found.previous_cursor is None
    assert pages[0] == expected[:limit]  # back at the start, a whole first page
    assert sorted(set(backward)) == sorted(expected)
    assert [pk for pk in expected if pk in backward] == backward  # in order; a short first page may overlap


def test_backward_pages_mirror_the_forward_ones() -> None:
    org = make.seller()
    store(org, [{"issue_date": DAYS[index % 4], "due_date": None, "buyer_name": "x", "payable": Decimal(1),
                 "numbered": True} for index in range(9)])  # fmt: skip
    filters = DocumentFilters(sort="newest")
    first = document_page(organization=org, filters=filters, cursor=None, limit=3)
    second = document_page(organization=org, filters=filters, cursor=first.next_cursor, limit=3)
    third = document_page(organization=org, filters=filters, cursor=second.next_cursor, limit=3)
    assert third.next_cursor is None
    back = document_page(organization=org, filters=filters, cursor=third.previous_cursor, limit=3)
    assert [d.pk for d in back.rows] == [d.pk for d in second.rows]
    assert back.next_cursor is not None
    assert back.previous_cursor is not None
    again = document_page(organization=org, filters=filters, cursor=back.next_cursor, limit=3)
    assert [d.pk for d in again.rows] == [d.pk for d in third.rows]


def test_a_new_document_never_shifts_a_later_page() -> None:
    org = make.seller()
    store(org, [{"issue_date": DAYS[2], "due_date": None, "buyer_name": "x", "payable": Decimal(1),
                 "numbered": True} for _ in range(5)])  # fmt: skip
    filters = DocumentFilters(sort="newest")
    first = document_page(organization=org, filters=filters, cursor=None, limit=2)
    expected = document_page(organization=org, filters=filters, cursor=first.next_cursor, limit=2)
    store(org, [{"issue_date": DAYS[3], "due_date": None, "buyer_name": "x", "payable": Decimal(1), "numbered": True}])
    second = document_page(organization=org, filters=filters, cursor=first.next_cursor, limit=2)
    assert [d.pk for d in second.rows] == [d.pk for d in expected.rows]


@pytest.mark.parametrize(
    ("sort", "cursor"),
    [
        ("newest", "not a cursor"),
        ("newest", encode(DocumentSort.NUMBER, "a", Position("FA1", 5))),  # another sort's
        ("newest", encode(DocumentSort.NEWEST, "x", Position("2026-01-01", 5))),
        ("newest", encode(DocumentSort.NEWEST, "a", Position("2026-02-30", 5))),
        ("newest", encode(DocumentSort.NEWEST, "a", Position("2026-01-01", 0))),
        ("newest", encode(DocumentSort.NEWEST, "a", Position("2026-01-01", 2**63))),
        ("total", encode(DocumentSort.TOTAL, "a", Position(None, 5))),  # total is never missing
        ("total", encode(DocumentSort.TOTAL, "a", Position("NaN", 5))),
    ],
    ids=["garbage", "other-sort", "direction", "date", "id-zero", "id-big", "null-total", "nan"],
)
def test_a_cursor_not_made_for_this_sort_is_refused_on_the_cursor_field(sort: str, cursor: str) -> None:
    with pytest.raises(InvalidValue) as refused:
        document_page(organization=make.seller(), filters=DocumentFilters(sort=sort), cursor=cursor, limit=5)
    assert refused.value.field == "cursor"


def test_an_unknown_sort_is_refused_on_the_sort_field() -> None:
    with pytest.raises(InvalidValue) as refused:
        document_page(organization=make.seller(), filters=DocumentFilters(sort="price"), cursor=None, limit=5)
    assert refused.value.field == "sort"


def test_ids_matching_streams_every_id_of_the_filter_and_only_the_sellers() -> None:
    org, other = make.seller(), make.seller()
    kinds = ["invoice", "proforma", "invoice"] * 3
    made = [
        Document.objects.create(organization=org, document_type=kind, currency="RON", language="ro").pk
        for kind in kinds
    ]
    Document.objects.create(organization=other, document_type="invoice", currency="RON", language="ro")
    found = document_ids_matching(organization=org, filters=DocumentFilters(document_type="invoice"), chunk=2)
    assert list(found) == [pk for pk, kind in zip(made, kinds, strict=True) if kind == "invoice"]
    assert list(selectors.document_ids_matching(organization=org, filters=DocumentFilters(q="nothing"))) == []
