"""Tampering with one audit row in the database makes `faktura audit verify` fail and name it.

The command prints ``OK: N events in M chains verified`` when every chain is
intact. Otherwise it prints each broken chain with its first broken link and
raises ``CommandError`` (``returncode`` 1): ``call_command`` callers get the
exception, the ``faktura`` console script exits with status 1.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import timedelta
from io import StringIO
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from faktura.apps.accounts.models import Organization
from faktura.apps.audit.models import AuditEvent
from faktura.apps.audit.services import audit_record
from faktura.apps.invoicing.models import SeriesCounter
from faktura.core.actors import Actor
from faktura.core.audit_chain import event_hash
from tests import factories as make

from .chains import COUNTERS, EVENTS, HEADS, append_to_counter, counter, json_placeholder, record_of, sql

pytestmark = pytest.mark.django_db

ANA = Actor.user(7, "ana@example.ro")


def record(org: Organization, object_id: int, action: str = "setting.changed") -> AuditEvent:
    return audit_record(
        organization=org,
        actor=ANA,
        action=action,
        object_type="setting",
        object_id=object_id,
        data={"field": "language", "to": "sk"},
    )


def verify(*args: str) -> tuple[bool, str]:
    out = StringIO()
    try:
        call_command("audit_verify", *args, stdout=out)
    except CommandError as error:
        failure = error
    else:
        return True, out.getvalue()
    assert failure.returncode == 1
    return False, f"{out.getvalue()}{failure}"


@dataclass
class Trail:
    seller: Organization
    other: Organization
    counter: SeriesCounter

    def chain(self, kind: str) -> str:
        return f"counter:{self.counter.pk}" if kind == "counter" else f"org:{self.seller.pk}"

    def event(self, kind: str, which: str) -> AuditEvent:
        events = AuditEvent.objects.filter(chain=self.chain(kind)).order_by("seq")
        return events.last() if which == "last" else events[2]  # type: ignore[return-value]


@pytest.fixture
def trail() -> Trail:
    """Two sellers with a few events each, and a counter chain with four issued documents."""
    seller, other = make.seller(), make.seller()
    row = counter(seller)
    for i in range(4):
        record(seller, object_id=i)
        record(other, object_id=i)
        append_to_counter(row, object_id=100 + i, data={"number": f"FA202600{i + 1}"})
    return Trail(seller, other, row)


def test_an_untouched_trail_verifies_and_counts_every_event_and_chain(trail: Trail) -> None:
    ok, out = verify()
    chains = {*AuditEvent.objects.values_list("chain", flat=True)} | {f"counter:{trail.counter.pk}"}
    assert ok
    assert out.strip() == f"OK: {AuditEvent.objects.count()} events in {len(chains)} chains verified"


def edit_data(event: AuditEvent, trail: Trail) -> list[str]:
    sql(f"UPDATE {EVENTS} SET data = {json_placeholder()} WHERE id = %s", [json.dumps({"to": "hu"}), event.pk])
    return [f"at seq {event.seq}: event id {event.pk}", "hash_mismatch"]


def edit_action(event: AuditEvent, trail: Trail) -> list[str]:
    sql(f"UPDATE {EVENTS} SET action = %s WHERE id = %s", ["setting.viewed", event.pk])
    return [f"at seq {event.seq}: event id {event.pk}", "action setting.viewed", "hash_mismatch"]


def edit_time(event: AuditEvent, trail: Trail) -> list[str]:
    later = connection.ops.adapt_datetimefield_value(event.occurred_at + timedelta(microseconds=1))
    sql(f"UPDATE {EVENTS} SET occurred_at = %s WHERE id = %s", [later, event.pk])
    return [f"at seq {event.seq}: event id {event.pk}", "hash_mismatch"]


def edit_and_rehash(event: AuditEvent, trail: Trail) -> list[str]:
    forged = replace(record_of(event), action="setting.viewed")
    sql(f"UPDATE {EVENTS} SET action = %s, hash = %s WHERE id = %s", [forged.action, event_hash(forged), event.pk])
    return [f"at seq {event.seq + 1}: event id", f"does not follow event {event.pk}", "prev_hash_mismatch"]


def move_to_other_seller(event: AuditEvent, trail: Trail) -> list[str]:
    sql(f"UPDATE {EVENTS} SET organization_id = %s WHERE id = %s", [trail.other.pk, event.pk])
    return [f"at seq {event.seq}: event id {event.pk}", "organization_mismatch"]


def delete(event: AuditEvent, trail: Trail) -> list[str]:
    sql(f"DELETE FROM {EVENTS} WHERE id = %s", [event.pk])
    return [f"at seq {event.seq}", f"event {event.seq} was deleted"]


def edit_head(event: AuditEvent, trail: Trail) -> list[str]:
    sql(f"UPDATE {HEADS} SET head_hash = %s WHERE key = %s", ["0" * 63 + "1", event.chain])
    return [f"at seq {event.seq} (no event row", "head row was edited"]


def delete_head(event: AuditEvent, trail: Trail) -> list[str]:
    sql(f"DELETE FROM {HEADS} WHERE key = %s", [event.chain])
    return [f"event {event.pk}", "missing_head"]


Tamper = Callable[[AuditEvent, Trail], list[str]]


@pytest.mark.parametrize(
    ("tamper", "which"),
    [
        (edit_data, "middle"),
        (edit_action, "middle"),
        (edit_time, "middle"),
        (edit_and_rehash, "middle"),
        (move_to_other_seller, "middle"),
        (delete, "middle"),
        (delete, "last"),
        (edit_head, "last"),
        (delete_head, "last"),
    ],
    ids=[
        "data-edited",
        "action-edited",
        "time-edited",
        "edited-and-rehashed",
        "moved-to-another-seller",
        "middle-deleted",
        "last-deleted",
        "head-edited",
        "head-deleted",
    ],
)
def test_tampering_with_one_row_of_a_seller_chain_is_named(trail: Trail, tamper: Tamper, which: str) -> None:
    target = trail.event("org", which)
    expected = tamper(target, trail)

    ok, out = verify()

    assert not ok
    assert out.count("BROKEN") == 1
    assert f"BROKEN chain {trail.chain('org')} at seq" in out
    for text in expected:
        assert text in out
    assert "audit trail broken: 1 of" in out


@pytest.mark.parametrize(
    ("tamper", "which"),
    [(edit_data, "middle"), (edit_action, "last"), (delete, "middle"), (delete, "last")],
    ids=["data-edited", "last-action-edited", "middle-deleted", "last-deleted"],
)
def test_tampering_with_an_issued_documents_event_is_caught_on_its_counter_chain(
    trail: Trail, tamper: Tamper, which: str
) -> None:
    target = trail.event("counter", which)
    expected = tamper(target, trail)

    ok, out = verify()

    assert not ok
    assert f"BROKEN chain {trail.chain('counter')} at seq" in out
    for text in expected:
        assert text in out
    assert out.count("BROKEN") == 1


def test_a_counter_chain_whose_events_were_all_deleted_is_caught_by_the_counter_head(trail: Trail) -> None:
    sql(f"DELETE FROM {EVENTS} WHERE chain = %s", [trail.chain("counter")])
    ok, out = verify()
    assert not ok
    assert f"BROKEN chain {trail.chain('counter')} at seq 1 (no event row" in out
    assert "events 1..4 were deleted" in out


def test_an_edited_counter_head_is_caught(trail: Trail) -> None:
    sql(f"UPDATE {COUNTERS} SET chain_head = %s WHERE id = %s", ["f" * 64, trail.counter.pk])
    ok, out = verify()
    assert not ok
    assert f"BROKEN chain {trail.chain('counter')} at seq 4" in out


def test_every_broken_chain_is_reported_with_its_first_broken_link(trail: Trail) -> None:
    org_events = list(AuditEvent.objects.filter(chain=trail.chain("org")).order_by("seq"))
    edit_action(org_events[3], trail)
    edit_action(org_events[1], trail)
    delete(trail.event("counter", "middle"), trail)

    ok, out = verify()

    assert not ok
    assert out.count("BROKEN") == 2
    assert f"event id {org_events[1].pk}" in out
    assert f"event id {org_events[3].pk}" not in out
    assert "audit trail broken: 2 of" in out


def test_the_organization_option_checks_only_that_sellers_chains(trail: Trail) -> None:
    edit_action(trail.event("counter", "middle"), trail)

    assert verify("--organization", str(trail.other.pk))[0]
    ok, out = verify("--organization", str(trail.seller.pk))
    assert not ok
    assert f"BROKEN chain {trail.chain('counter')}" in out
    others = AuditEvent.objects.filter(chain=f"org:{trail.other.pk}").count()
    assert verify("--organization", str(trail.other.pk))[1].startswith(f"OK: {others} events in 1 chains")


def test_the_instance_chain_is_verified_too() -> None:
    audit_record(organization=None, actor=ANA, action="operator.login", object_type="user", object_id=1)
    event = audit_record(organization=None, actor=ANA, action="operator.login", object_type="user", object_id=1)
    assert verify()[0]
    sql(f"UPDATE {EVENTS} SET actor = %s WHERE id = %s", ["system", event.pk])
    ok, out = verify()
    assert not ok
    assert f"BROKEN chain instance at seq 2: event id {event.pk}" in out


def database_url_for_subprocess() -> str:
    """The URL of the test database, for a process that does not run inside pytest."""
    name = connection.settings_dict["NAME"]
    if connection.vendor == "sqlite":
        return f"sqlite:///{name}"
    return urlunsplit(urlsplit(os.environ["DATABASE_URL"])._replace(path=f"/{name}"))


def run_faktura(*args: str) -> subprocess.CompletedProcess[str]:
    faktura = Path(sys.executable).with_name("faktura")
    env = {**os.environ, "DATABASE_URL": database_url_for_subprocess()}
    return subprocess.run([str(faktura), *args], env=env, capture_output=True, text=True, timeout=120, check=False)


@pytest.mark.django_db(transaction=True)
def test_the_faktura_command_exits_1_and_names_the_tampered_row() -> None:
    seller = make.seller()
    events = [record(seller, object_id=i) for i in range(3)]
    assert verify()[0]  # outside a test transaction: the read snapshot of the command itself
    assert not connection.in_atomic_block

    intact = run_faktura("audit", "verify")
    assert intact.returncode == 0, intact.stderr
    assert re.fullmatch(r"OK: \d+ events in 1 chains verified\n", intact.stdout)

    sql(f"UPDATE {EVENTS} SET action = %s WHERE id = %s", ["setting.viewed", events[1].pk])
    broken = run_faktura("audit", "verify")

    assert broken.returncode == 1
    assert f"BROKEN chain org:{seller.pk} at seq {events[1].seq}: event id {events[1].pk}" in broken.stdout
    assert "CommandError: audit trail broken: 1 of 1 chains" in broken.stderr
