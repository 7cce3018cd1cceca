"""Batched audit events: written together at the end of the block, one lock and one head update per chain."""

from __future__ import annotations

import threading

import pytest
from django.db import DatabaseError, connection, connections, transaction
from django.db.transaction import TransactionManagementError
from django.test.utils import CaptureQueriesContext

from faktura.apps.accounts.models import Organization
from faktura.apps.audit.models import AuditChain, AuditEvent
from faktura.apps.audit.services import audit_batch, audit_record
from faktura.apps.audit.verification import verify_all
from faktura.core.actors import Actor
from faktura.core.audit_chain import event_hash
from tests import factories as make

from .chains import record_of

pytestmark = pytest.mark.django_db

ANA = Actor.user(7, "ana@example.ro")


def record(org: Organization | None, action: str = "setting.changed", object_id: int = 1) -> AuditEvent:
    return audit_record(
        organization=org, actor=ANA, action=action, object_type="organization", object_id=object_id, data={"n": 1}
    )


def chain_of(org: Organization) -> list[tuple[int, str]]:
    return list(AuditEvent.objects.filter(chain=f"org:{org.pk}").order_by("seq").values_list("seq", "action"))


def head_seq(org: Organization) -> int:
    return AuditChain.objects.get(key=f"org:{org.pk}").seq


def test_events_of_a_batch_are_written_at_its_end_in_the_order_recorded() -> None:
    org = make.seller()
    before = head_seq(org)
    with transaction.atomic(), audit_batch():
        first, second, third = record(org, "a.one"), record(org, "a.two"), record(org, "a.three")
        assert first.pk is None
        assert chain_of(org)[-1][0] == before  # nothing written yet
    assert chain_of(org)[-3:] == [(before + 1, "a.one"), (before + 2, "a.two"), (before + 3, "a.three")]
    assert (first.seq, second.seq, third.seq) == (before + 1, before + 2, before + 3)
    assert (second.prev_hash, third.prev_hash) == (first.hash, second.hash)
    stored = record_of(third)
    assert (stored.seq, stored.prev_hash, stored.hash, stored.data) == (
        third.seq,
        third.prev_hash,
        third.hash,
        {"n": 1},
    )
    assert event_hash(stored) == third.hash
    head = AuditChain.objects.get(key=f"org:{org.pk}")
    assert (head.seq, head.head_hash) == (third.seq, third.hash)
    assert verify_all().ok


def test_a_batch_locks_each_chain_once_inserts_once_and_stores_the_head_once() -> None:
    org = make.seller()
    with transaction.atomic():
        with CaptureQueriesContext(connection) as queries, audit_batch():
            for n in range(5):
                record(org, object_id=n)
            assert len(queries) == 0
        assert len(queries) == 3  # lock the head, one INSERT of five rows, update the head
    assert verify_all().ok


def test_an_event_recorded_in_a_savepoint_that_rolls_back_is_dropped_and_the_chain_has_no_gap() -> None:
    org = make.seller()
    before = head_seq(org)
    with transaction.atomic(), audit_batch():
        record(org, "kept.before")
        try:
            with transaction.atomic():
                record(org, "dropped")
                with transaction.atomic():
                    record(org, "dropped.inner")
                raise RuntimeError("this step failed")
        except RuntimeError:
            pass
        with transaction.atomic():
            record(org, "kept.after")
    assert chain_of(org)[-2:] == [(before + 1, "kept.before"), (before + 2, "kept.after")]
    assert head_seq(org) == before + 2
    assert verify_all().ok


def test_a_batch_that_raises_writes_nothing() -> None:
    org = make.seller()
    before = chain_of(org)

    def failing_change() -> None:
        with transaction.atomic(), audit_batch():
            record(org)
            raise RuntimeError("the change failed")

    with pytest.raises(RuntimeError):
        failing_change()
    assert chain_of(org) == before
    assert verify_all().ok


def test_a_batch_spans_several_chains_and_a_nested_batch_joins_the_outer_one() -> None:
    a, b = make.seller(), make.seller()
    before_a, before_b = head_seq(a), head_seq(b)
    with transaction.atomic(), audit_batch():
        record(b)
        with audit_batch():
            record(a)
            record(None, "operator.login")
        assert chain_of(a)[-1][0] == before_a  # the inner block wrote nothing
        record(a)
    assert (head_seq(a), head_seq(b)) == (before_a + 2, before_b + 1)
    assert AuditEvent.objects.filter(chain="instance", action="operator.login").count() == 1
    assert verify_all().ok


def test_recording_after_the_batch_ended_in_the_same_transaction_appends_after_it() -> None:
    org = make.seller()
    before = head_seq(org)
    with transaction.atomic():
        with audit_batch():
            record(org, "in.batch")
        record(org, "after.batch")
    assert chain_of(org)[-2:] == [(before + 1, "in.batch"), (before + 2, "after.batch")]
    assert verify_all().ok


def test_bad_data_is_refused_when_recorded_not_when_the_batch_ends() -> None:
    org = make.seller()
    with transaction.atomic(), audit_batch():
        with pytest.raises(TypeError):
            audit_record(organization=org, actor=ANA, action="x", object_type="y", object_id=1, data={"amount": 0.5})
        with pytest.raises(ValueError, match="characters"):
            record(org, action="")
    assert verify_all().ok


@pytest.mark.django_db(transaction=True)
def test_a_batch_outside_a_transaction_is_refused() -> None:
    with pytest.raises(TransactionManagementError), audit_batch():
        pass


@pytest.mark.django_db(transaction=True)
def test_the_chain_head_stays_unlocked_until_the_batch_ends() -> None:
    """Another writer of the seller is not held up by the work inside the batch, only by its end."""
    if not connection.features.has_select_for_update_nowait:
        pytest.skip("SQLite locks the whole database for a write transaction")
    org = make.seller()
    outcome: list[str] = []

    def other_writer() -> None:
        try:
            with transaction.atomic():
                AuditChain.objects.select_for_update(nowait=True).get(key=f"org:{org.pk}")
            outcome.append("locked")
        except DatabaseError:
            outcome.append("busy")
        finally:
            connections.close_all()

    with transaction.atomic():
        with audit_batch():
            record(org)
            thread = threading.Thread(target=other_writer)
            thread.start()
            thread.join(30)
        assert outcome == ["locked"]
        thread = threading.Thread(target=other_writer)
        thread.start()
        thread.join(30)
        assert outcome == ["locked", "busy"]  # held from the end of the batch to the commit
    assert verify_all().ok


@pytest.mark.django_db(transaction=True)
def test_concurrent_batches_on_one_chain_leave_no_gap() -> None:
    org = make.seller()
    before = head_seq(org)
    writers, per_writer = 6, 4
    barrier = threading.Barrier(writers)
    errors: list[BaseException] = []

    def write(i: int) -> None:
        try:
            barrier.wait()
            for _ in range(3):
                with transaction.atomic(), audit_batch():
                    for n in range(per_writer):
                        record(org, object_id=i * 100 + n)
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(i,)) for i in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)

    assert errors == []
    seqs = [seq for seq, _ in chain_of(org)]
    assert seqs == list(range(1, before + writers * 3 * per_writer + 1))
    assert head_seq(org) == before + writers * 3 * per_writer
    assert verify_all().ok
