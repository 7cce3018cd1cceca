"""Cached SQL (``platform.fastsql``, ``platform.fastread``): what the ORM stores and reads, compiled once."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from enum import StrEnum

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from faktura.apps.accounts.models import Organization
from faktura.apps.sales.models import Buyer, Order, OrderEvent, OrderLine, SalesChannel
from faktura.platform import fastsql
from faktura.platform.fastread import IEXACT, PreparedRead, attach_prefetched
from tests import factories as make

pytestmark = pytest.mark.django_db

PLACED = dt.datetime(2026, 11, 20, 8, 15, tzinfo=dt.UTC)


def fields_of(instance: object) -> dict[str, object]:
    return {name: value for name, value in vars(instance).items() if not name.startswith("_")}


def new_order(org: Organization, channel: SalesChannel, external_id: str = "A-1", **values: object) -> Order:
    return Order(
        organization=org,
        channel=channel,
        external_id=external_id,
        number=external_id,
        currency="RON",
        placed_at=PLACED,
        billing_address={"name": "Ana", "country": "RO"},
        **values,
    )


def test_create_stores_what_save_stores_defaults_auto_now_and_json_included() -> None:
    org = make.seller()
    channel = make.channel(org)
    order = fastsql.create(new_order(org, channel, total=Decimal("12.3400")))
    assert order.pk is not None
    assert not order._state.adding
    stored = Order.objects.get(pk=order.pk)
    assert fields_of(stored) == fields_of(order) | {"total": Decimal("12.3400"), "amount_paid": Decimal("0.0000")}
    assert stored.created_at == order.created_at is not None
    assert stored.billing_address == {"name": "Ana", "country": "RO"}
    assert stored.errors == []


def test_create_many_inserts_in_one_statement_and_gives_each_its_id_in_order() -> None:
    org = make.seller()
    order = fastsql.create(new_order(org, make.channel(org)))
    lines = [
        OrderLine(
            organization=org, order=order, position=n, name=f"L{n}", quantity=n, unit_price=Decimal("1.5"), vat_rate=21
        )
        for n in range(1, 6)
    ]
    with CaptureQueriesContext(connection) as queries:
        fastsql.create_many(lines)
    assert len(queries) == 1
    assert [(line.pk, line.name) for line in lines] == list(OrderLine.objects.order_by("pk").values_list("pk", "name"))
    assert fastsql.create_many([]) == []


def test_create_refuses_a_row_that_has_its_id_already() -> None:
    org = make.seller()
    order = fastsql.create(new_order(org, make.channel(org)))
    with pytest.raises(ValueError, match="without a primary key"):
        fastsql.create(order)


BY_CODE = PreparedRead(
    lambda organization_id, code: SalesChannel.objects.filter(organization_id=organization_id, code=code).order_by(
        "pk"
    )[:1],
    organization_id=int,
    code=str,
)
ORDER_WITH_BUYER = PreparedRead(
    lambda organization_id, external_id: (
        Order.objects.select_related("buyer", "channel")
        .filter(organization_id=organization_id, external_id=external_id)
        .order_by("pk")
    ),
    organization_id=int,
    external_id=str,
)
BUYER_BY_EMAIL = PreparedRead(
    lambda organization_id, email: Buyer.objects.filter(organization_id=organization_id, email__iexact=email).order_by(
        "pk"
    ),
    organization_id=int,
    email=IEXACT,
)
TOTALS = PreparedRead(
    lambda organization_id: (
        Order.objects.filter(organization_id=organization_id)
        .values_list("external_id", "total", "placed_at", "billing_address")
        .order_by("pk")
    ),
    organization_id=int,
)


def test_a_prepared_read_builds_the_instances_the_orm_builds_related_ones_included() -> None:
    org, other = make.seller(), make.seller()
    channel = make.channel(org)
    buyer = fastsql.create(Buyer(organization=org, name="Ana", email="ana@example.ro", country="RO"))
    fastsql.create(new_order(org, channel, "A-1", buyer=buyer, total=Decimal("10.5")))
    fastsql.create(new_order(org, channel, "A-2"))

    for _ in range(2):  # compiled on the first call, reused on the second
        found = ORDER_WITH_BUYER.all(organization_id=org.pk, external_id="A-1")
        expected = list(Order.objects.select_related("buyer", "channel").filter(external_id="A-1"))
        assert [fields_of(o) for o in found] == [fields_of(o) for o in expected]
        assert fields_of(found[0].buyer) == fields_of(expected[0].buyer)
        assert fields_of(found[0].channel) == fields_of(expected[0].channel)
        assert found[0].total == Decimal("10.5000")
    without_buyer = ORDER_WITH_BUYER.first(organization_id=org.pk, external_id="A-2")
    assert without_buyer is not None
    assert without_buyer.buyer is None
    assert ORDER_WITH_BUYER.all(organization_id=other.pk, external_id="A-1") == []  # another seller's: nothing
    assert BY_CODE.first(organization_id=org.pk, code=channel.code) == channel
    assert BY_CODE.first(organization_id=org.pk, code="no-such") is None


def test_values_list_reads_give_the_orm_converted_tuples() -> None:
    org = make.seller()
    channel = make.channel(org)
    fastsql.create(new_order(org, channel, "A-1", total=Decimal("7.1")))
    rows = TOTALS.all(organization_id=org.pk)
    assert rows == list(
        Order.objects.filter(organization=org).values_list("external_id", "total", "placed_at", "billing_address")
    )
    assert rows == [("A-1", Decimal("7.1000"), PLACED, {"name": "Ana", "country": "RO"})]


@pytest.mark.parametrize("asked", ["ANA@example.ro", "ana@EXAMPLE.RO"])
def test_iexact_matches_as_the_orm_does_and_like_wildcards_stay_literal(asked: str) -> None:
    org = make.seller()
    ana = fastsql.create(Buyer(organization=org, name="Ana", email="ana@example.ro", country="RO"))
    fastsql.create(Buyer(organization=org, name="X", email="a_a@example.ro", country="RO"))
    assert BUYER_BY_EMAIL.all(organization_id=org.pk, email=asked) == [ana]
    # "_" and "%" are wildcards of LIKE, which SQLite's iexact uses: they must match only themselves.
    assert BUYER_BY_EMAIL.all(organization_id=org.pk, email="a_a@example.ro") == list(
        Buyer.objects.filter(organization=org, email__iexact="a_a@example.ro")
    )
    assert BUYER_BY_EMAIL.all(organization_id=org.pk, email="ana@example.r_") == []
    assert BUYER_BY_EMAIL.all(organization_id=org.pk, email="%") == []


def test_an_id_no_column_can_hold_finds_nothing_instead_of_failing() -> None:
    org = make.seller()
    assert ORDER_WITH_BUYER.all(organization_id=2**70, external_id="A-1") == []
    assert ORDER_WITH_BUYER.all(organization_id=-(2**70), external_id="A-1") == []
    assert ORDER_WITH_BUYER.all(organization_id=org.pk, external_id="A-1") == []


def test_a_bool_or_an_enum_is_sent_as_the_plain_value_the_orm_would_send() -> None:
    org = make.seller()
    channel = make.channel(org)

    class Code(StrEnum):
        SHOP = channel.code

    assert BY_CODE.first(organization_id=org.pk, code=Code.SHOP) == channel
    by_id = PreparedRead(lambda pk: SalesChannel.objects.filter(pk=pk), pk=int)
    assert by_id.all(pk=True) == list(SalesChannel.objects.filter(pk=True))


def test_values_of_the_wrong_type_are_refused() -> None:
    with pytest.raises(TypeError, match="organization_id"):
        BY_CODE.first(organization_id="1", code="x")
    with pytest.raises(TypeError, match="code"):
        BY_CODE.first(organization_id=1, code=5)


@pytest.mark.parametrize(
    ("build", "kinds"),
    [
        (lambda name: SalesChannel.objects.filter(name__icontains=name), {"name": str}),
        (lambda prefix: Order.objects.filter(external_id__startswith=prefix), {"prefix": str}),
        (lambda code: SalesChannel.objects.filter(code=code).prefetch_related("orders"), {"code": str}),
        (lambda code: SalesChannel.objects.filter(code=code).values("name"), {"code": str}),
        (lambda code: SalesChannel.objects.filter(name="x"), {"code": str}),
    ],
    ids=["transformed-by-icontains", "transformed-by-startswith", "prefetch", "values-dicts", "value-not-used"],
)
def test_a_read_the_stand_ins_cannot_prepare_is_refused_when_first_run(build: object, kinds: dict[str, type]) -> None:
    read: PreparedRead[object] = PreparedRead(build, **kinds)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        read.all(**dict.fromkeys(kinds, "x"))


def test_kinds_other_than_int_str_and_iexact_are_refused() -> None:
    with pytest.raises(TypeError, match="int, str or IEXACT"):
        PreparedRead(lambda when: Order.objects.filter(placed_at=when), when=dt.datetime)


def test_a_prepared_read_may_lock_its_rows() -> None:
    org = make.seller()
    channel = make.channel(org)
    fastsql.create(new_order(org, channel, "A-1"))
    locking = PreparedRead(
        lambda external_id: (
            Order.objects.select_for_update(of=("self",)).select_related("buyer").filter(external_id=external_id)
        ),
        external_id=str,
    )
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        assert [o.external_id for o in locking.all(external_id="A-1")] == ["A-1"]
    if connection.features.has_select_for_update_of:
        assert "FOR UPDATE OF" in queries[0]["sql"]


def test_attached_rows_are_what_the_relation_gives_without_a_query() -> None:
    org = make.seller()
    order = fastsql.create(new_order(org, make.channel(org)))
    line = fastsql.create(
        OrderLine(organization=org, order=order, position=1, name="Mug", quantity=1, unit_price=2, vat_rate=21)
    )
    fresh = Order.objects.get(pk=order.pk)
    attach_prefetched(fresh, "lines", [line])
    attach_prefetched(fresh, "events", [])
    with CaptureQueriesContext(connection) as queries:
        assert list(fresh.lines.all()) == [line]
        assert list(fresh.events.all()) == []
        assert line.order is fresh
    assert len(queries) == 0
    # A query on the attached rows stays within the relation, as with prefetch_related.
    other = fastsql.create(new_order(org, make.channel(org), "B-1"))
    fastsql.create(
        OrderLine(organization=org, order=other, position=1, name="Tea", quantity=1, unit_price=1, vat_rate=9)
    )
    assert fresh.lines.get() == line
    assert list(fresh.lines.filter(position=1)) == [line]
    assert OrderEvent.objects.filter(order=order).count() == 0
