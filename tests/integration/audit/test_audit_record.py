"""Recording audit events: chained per organization or counter, in the caller's transaction."""

from __future__ import annotations

import datetime as dt
import threading
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.contrib.admin.sites import site
from django.db import connections, transaction
from django.db.transaction import TransactionManagementError
from django.test import Client

from faktura.apps.accounts.models import Organization, User
from faktura.apps.audit.models import AuditChain, AuditEvent
from faktura.apps.audit.selectors import events_for
from faktura.apps.audit.services import audit_append_locked, audit_record
from faktura.apps.audit.verification import verify_all
from faktura.core.actors import SYSTEM, Actor
from faktura.core.audit_chain import GENESIS, event_hash
from tests import factories as make

from .chains import append_to_counter, counter, record_of

pytestmark = pytest.mark.django_db

ANA = Actor.user(7, "ana@example.ro")


def record(org: Organization | None, action: str = "setting.changed", **fields: object) -> AuditEvent:
    return audit_record(
        organization=org,
        actor=fields.pop("actor", ANA),  # type: ignore[arg-type]
        action=action,
        object_type=str(fields.pop("object_type", "organization")),
        object_id=fields.pop("object_id", org.pk if org else "instance"),  # type: ignore[arg-type]
        data=fields.pop("data", {"field": "language", "to": "sk"}),  # type: ignore[arg-type]
    )


def test_each_organization_has_its_own_chain_and_its_head_follows_the_last_event() -> None:
    a, b = make.seller(), make.seller()
    before = AuditEvent.objects.filter(chain=f"org:{a.pk}").count()

    first, second = record(a), record(a)
    other = record(b)

    assert (first.chain, second.chain, other.chain) == (f"org:{a.pk}", f"org:{a.pk}", f"org:{b.pk}")
    assert (first.seq, second.seq) == (before + 1, before + 2)
    assert second.prev_hash == first.hash
    head = AuditChain.objects.get(key=f"org:{a.pk}")
    assert (head.seq, head.head_hash, head.organization_id) == (second.seq, second.hash, a.pk)
    assert second.actor == "user:7 ana@example.ro"
    assert verify_all().ok


def test_the_first_event_of_a_chain_creates_its_head_and_starts_at_genesis() -> None:
    event = record(None, action="operator.login", object_type="user", object_id=1)
    assert (event.chain, event.seq, event.prev_hash) == ("instance", 1, GENESIS)
    assert AuditChain.objects.get(key="instance").organization_id is None
    assert event.organization_id is None


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_of_a_new_chain_queue_on_its_head_and_leave_no_gap() -> None:
    writers = 6
    barrier = threading.Barrier(writers)
    errors: list[BaseException] = []

    def write(i: int) -> None:
        try:
            barrier.wait()
            record(None, action="operator.login", object_type="user", object_id=i)
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(i,)) for i in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    assert errors == []
    seqs = sorted(AuditEvent.objects.filter(chain="instance").values_list("seq", flat=True))
    assert seqs == list(range(1, writers + 1))
    assert AuditChain.objects.get(key="instance").seq == writers
    assert verify_all().ok


def test_an_event_rolls_back_with_the_change_it_records() -> None:
    org = make.seller()
    kept = record(org)

    def failing_change() -> None:
        with transaction.atomic():
            record(org, action="setting.changed")
            raise RuntimeError("the change failed")

    with pytest.raises(RuntimeError):
        failing_change()

    assert AuditEvent.objects.filter(chain=f"org:{org.pk}").latest("seq") == kept
    assert AuditChain.objects.get(key=f"org:{org.pk}").seq == kept.seq
    assert record(org).seq == kept.seq + 1
    assert verify_all().ok


def test_data_is_stored_as_the_json_that_was_hashed() -> None:
    org = make.seller()
    event = record(org, data={"total": Decimal("24.20"), "on": dt.date(2026, 1, 5), "lines": (1, 2)})
    stored = AuditEvent.objects.get(pk=event.pk)
    assert stored.data == {"total": "24.20", "on": "2026-01-05", "lines": [1, 2]}
    assert event_hash(record_of(event)) == stored.hash


@pytest.mark.parametrize(
    "data",
    [{"amount": 0.5}, {"note": "a\x00b"}, {"when": dt.datetime(2026, 1, 5, 10, 0)}],
    ids=["float", "nul", "naive-datetime"],
)
def test_data_that_would_not_round_trip_is_refused_and_nothing_is_written(data: dict) -> None:
    org = make.seller()
    count = AuditEvent.objects.count()
    with pytest.raises((TypeError, ValueError)):
        record(org, data=data)
    assert AuditEvent.objects.count() == count
    assert verify_all().ok


@pytest.mark.parametrize(
    "fields",
    [{"action": ""}, {"action": "x" * 65}, {"object_type": "t" * 65}, {"object_id": "9" * 65}],
    ids=["empty-action", "long-action", "long-object-type", "long-object-id"],
)
def test_a_value_the_column_would_cut_is_refused_on_both_databases(fields: dict) -> None:
    org = make.seller()
    with pytest.raises(ValueError, match="characters"):
        record(org, **fields)


def test_a_long_actor_is_cut_to_its_column_before_it_is_hashed() -> None:
    org = make.seller()
    event = record(org, actor=Actor.user(7, "a" * 250 + "@example.ro"))
    assert len(event.actor) == 200
    assert event_hash(record_of(event)) == event.hash


@pytest.mark.parametrize(
    "occurred_at",
    [
        dt.datetime(2026, 1, 5, 10, 0, 0, 123456, tzinfo=dt.UTC),
        dt.datetime(2026, 1, 5, 10, 0, 0, 0, tzinfo=dt.UTC),
        dt.datetime(2026, 1, 5, 10, 0, 0, 1, tzinfo=dt.UTC),
        dt.datetime(2026, 7, 1, 0, 30, 0, 999999, tzinfo=ZoneInfo("Europe/Bucharest")),
        None,
    ],
    ids=["microseconds", "whole-second", "one-microsecond", "local-time", "now"],
)
def test_an_event_reads_back_exactly_as_it_was_hashed(occurred_at: dt.datetime | None) -> None:
    org = make.seller()
    row = counter(org)
    data = {"number": "FA2026001", "payable": Decimal("1234.50"), "buyer": "Žofia Kováčová", "big": 2**62}
    data |= {"flags": [True, False, None], "nested": {"b": "ő", "a": "ș"}}

    event = append_to_counter(row, data=data, occurred_at=occurred_at)

    stored = record_of(event)
    assert stored.occurred_at == event.occurred_at
    assert stored.data == event.data
    assert event_hash(stored) == event.hash
    assert verify_all().ok


def test_counter_events_chain_on_the_counter_row() -> None:
    org = make.seller()
    row = counter(org)
    first, second = append_to_counter(row), append_to_counter(row)
    row.refresh_from_db()
    assert (first.chain, first.seq, second.seq) == (f"counter:{row.pk}", 1, 2)
    assert (row.chain_seq, row.chain_head) == (2, second.hash)
    assert second.organization_id == org.pk


@pytest.mark.django_db(transaction=True)
def test_appending_under_a_lock_outside_a_transaction_is_refused() -> None:
    with pytest.raises(TransactionManagementError):
        audit_append_locked(
            chain="counter:1",
            head_seq=0,
            head_hash="",
            organization=None,
            actor=SYSTEM,
            action="document.issued",
            object_type="document",
            object_id=1,
        )


def test_events_for_reads_one_organization_newest_first_and_filters_by_object() -> None:
    a, b = make.seller(), make.seller()
    old = record(a, object_type="document", object_id=5)
    new = record(a, object_type="document", object_id=5)
    record(a, object_type="document", object_id=6)
    record(b, object_type="document", object_id=5)

    assert list(events_for(organization=a, object_type="document", object_id=5)) == [new, old]
    assert all(e.organization_id == a.pk for e in events_for(organization=a))
    with pytest.raises(ValueError, match="organization"):
        events_for(organization=None)  # type: ignore[arg-type]


def test_the_admin_shows_events_but_cannot_add_change_or_delete_them(client: Client) -> None:
    org = make.seller()
    event = record(org)
    admin = site._registry[AuditEvent]
    client.force_login(User.objects.create_superuser("root@example.ro", "x"))

    assert client.get("/admin/audit/auditevent/").status_code == 200
    page = client.get(f"/admin/audit/auditevent/{event.pk}/change/")
    assert page.status_code == 200
    assert b'name="_save"' not in page.content
    assert client.get("/admin/audit/auditevent/add/").status_code == 403
    assert client.post(f"/admin/audit/auditevent/{event.pk}/delete/", {"post": "yes"}).status_code == 403
    assert not admin.has_add_permission(page.wsgi_request)
    assert not admin.has_delete_permission(page.wsgi_request)
    assert AuditEvent.objects.filter(pk=event.pk).exists()
