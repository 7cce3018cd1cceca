"""The audit hash chain finds any edit, deletion or reordering, and names the first broken link."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from faktura.core.audit_chain import (
    GENESIS,
    EventRecord,
    Problem,
    event_hash,
    next_event,
    normalize_data,
    verify_chain,
)

T0 = datetime(2026, 3, 1, 9, 0, 0, 123456, tzinfo=UTC)


def build(length: int, chain: str = "org:1") -> list[EventRecord]:
    """A chain of ``length`` events with row ids 101, 102, ..."""
    events: list[EventRecord] = []
    seq, head = 0, ""
    for i in range(length):
        event = next_event(
            chain=chain,
            head_seq=seq,
            head_hash=head,
            occurred_at=T0 + timedelta(seconds=i),
            actor="user:7 ana@example.ro",
            action="document.sent",
            object_type="document",
            object_id=str(40 + i),
            data={"to": "buyer@example.sk", "total": Decimal("12.10"), "lines": [1, 2]},
        )
        events.append(replace(event, id=101 + i))
        seq, head = event.seq, event.hash
    return events


def verify(events: list[EventRecord], head: EventRecord | None, chain: str = "org:1"):
    head_seq, head_hash = (head.seq, head.hash) if head is not None else (0, "")
    return verify_chain(events, chain=chain, head_seq=head_seq, head_hash=head_hash)


def test_an_untouched_chain_verifies() -> None:
    events = build(5)
    assert verify(events, events[-1]) is None


@pytest.mark.parametrize("head_hash", ["", GENESIS], ids=["empty-default", "genesis"])
def test_a_chain_without_events_verifies_at_seq_zero(head_hash: str) -> None:
    assert verify_chain([], chain="org:1", head_seq=0, head_hash=head_hash) is None


def test_the_first_event_follows_the_genesis_hash_and_each_next_its_predecessor() -> None:
    events = build(3)
    assert [e.seq for e in events] == [1, 2, 3]
    assert events[0].prev_hash == GENESIS
    assert events[1].prev_hash == events[0].hash
    assert events[2].prev_hash == events[1].hash


@pytest.mark.parametrize(
    "change",
    [
        {"data": {"to": "attacker@example.com", "total": "12.10", "lines": [1, 2]}},
        {"data": {"to": "buyer@example.sk", "total": "12.1", "lines": [1, 2]}},
        {"action": "document.viewed"},
        {"actor": "system"},
        {"object_id": "99"},
        {"occurred_at": T0 + timedelta(microseconds=1)},
        {"hash": "f" * 64},
    ],
    ids=["data", "decimal-text", "action", "actor", "object", "time-by-a-microsecond", "stored-hash"],
)
def test_an_edited_event_is_named_by_its_id(change: dict) -> None:
    events = build(4)
    events[1] = replace(events[1], **change)

    broken = verify(events, events[-1])

    assert broken is not None
    assert (broken.problem, broken.seq, broken.chain) == (Problem.HASH_MISMATCH, 2, "org:1")
    assert broken.event is not None
    assert broken.event.id == 102
    assert "event 102" in broken.detail


def test_an_edited_prev_hash_breaks_the_link_at_that_event() -> None:
    events = build(3)
    events[1] = replace(events[1], prev_hash="a" * 64)
    broken = verify(events, events[-1])
    assert broken is not None
    assert (broken.problem, broken.seq) == (Problem.PREV_HASH_MISMATCH, 2)


def test_an_edit_with_a_recomputed_hash_breaks_the_link_to_the_next_event() -> None:
    events = build(4)
    forged = replace(events[1], action="document.viewed")
    events[1] = replace(forged, hash=event_hash(forged))

    broken = verify(events, events[-1])

    assert broken is not None
    assert (broken.problem, broken.seq) == (Problem.PREV_HASH_MISMATCH, 3)
    assert "event 103" in broken.detail
    assert "event 102" in broken.detail


@pytest.mark.parametrize("index", [0, 2], ids=["first", "middle"])
def test_a_deleted_event_leaves_a_gap_named_by_its_seq(index: int) -> None:
    events = build(5)
    del events[index]

    broken = verify(events, events[-1])

    assert broken is not None
    assert (broken.problem, broken.seq) == (Problem.SEQ_GAP, index + 1)
    assert broken.event is not None
    assert broken.event.id == 101 + index + 1
    assert f"event {index + 1} was deleted" in broken.detail


def test_a_deleted_tail_is_caught_by_the_head() -> None:
    events = build(5)
    head = events[-1]

    broken = verify(events[:3], head)

    assert broken is not None
    assert (broken.problem, broken.seq, broken.event) == (Problem.HEAD_MISMATCH, 4, None)
    assert "events 4..5 were deleted" in broken.detail
    assert "event 103" in broken.detail


def test_a_chain_whose_events_were_all_deleted_is_caught_by_the_head() -> None:
    head = build(2)[-1]
    broken = verify([], head)
    assert broken is not None
    assert (broken.problem, broken.seq) == (Problem.HEAD_MISMATCH, 1)


def test_reordered_events_break_the_sequence() -> None:
    events = build(4)
    events[1], events[2] = events[2], events[1]
    broken = verify(events, events[-1])
    assert broken is not None
    assert (broken.problem, broken.seq) == (Problem.SEQ_GAP, 2)


def test_events_whose_seqs_were_swapped_no_longer_match_their_hashes() -> None:
    events = build(4)
    events[1], events[2] = replace(events[2], seq=2), replace(events[1], seq=3)
    broken = verify(events, events[-1])
    assert broken is not None
    assert broken.seq == 2
    assert broken.problem in (Problem.PREV_HASH_MISMATCH, Problem.HASH_MISMATCH)


def test_a_repeated_event_is_out_of_order() -> None:
    events = build(3)
    broken = verify([events[0], events[1], events[1], events[2]], events[-1])
    assert broken is not None
    assert (broken.problem, broken.seq) == (Problem.SEQ_ORDER, 3)


def test_an_edited_head_hash_is_a_head_mismatch() -> None:
    events = build(3)
    broken = verify_chain(events, chain="org:1", head_seq=3, head_hash="b" * 64)
    assert broken is not None
    assert (broken.problem, broken.seq, broken.event) == (Problem.HEAD_MISMATCH, 3, None)
    assert "head row was edited" in broken.detail


def test_events_beyond_the_head_name_the_first_of_them() -> None:
    events = build(4)
    broken = verify(events, events[1])
    assert broken is not None
    assert (broken.problem, broken.seq) == (Problem.HEAD_MISMATCH, 3)
    assert broken.event is not None
    assert broken.event.id == 103


def test_events_without_a_head_row_are_reported() -> None:
    events = build(2)
    broken = verify_chain(events, chain="org:1", head_seq=None, head_hash=None)
    assert broken is not None
    assert broken.problem == Problem.MISSING_HEAD
    assert verify_chain([], chain="org:1", head_seq=None, head_hash=None) is None


def test_an_event_moved_from_another_chain_is_reported() -> None:
    events = build(2)
    broken = verify(events, events[-1], chain="org:2")
    assert broken is not None
    assert (broken.problem, broken.seq) == (Problem.WRONG_CHAIN, 1)


def test_only_the_first_broken_link_is_reported() -> None:
    events = build(5)
    events[3] = replace(events[3], action="x")
    events[1] = replace(events[1], action="y")
    broken = verify(events, events[-1])
    assert broken is not None
    assert broken.seq == 2


@given(length=st.integers(1, 12), data=st.data())
def test_deleting_any_one_event_is_detected_where_it_was(length: int, data: st.DataObject) -> None:
    events = build(length)
    index = data.draw(st.integers(0, length - 1))
    head = events[-1]
    del events[index]
    broken = verify(events, head)
    assert broken is not None
    assert broken.seq == index + 1


@pytest.mark.parametrize(
    "data",
    [{"amount": 0.1}, {"lines": [{"qty": 1.5}]}, {"nested": {"rate": float("nan")}}],
    ids=["top-level", "in-a-list", "nested-nan"],
)
def test_a_float_is_refused_because_its_text_is_not_canonical(data: dict) -> None:
    with pytest.raises(TypeError, match="float"):
        normalize_data(data)


@pytest.mark.parametrize(
    ("data", "error"),
    [({1: "x"}, TypeError), ({"note": "a\x00b"}, ValueError), ({"when": datetime(2026, 1, 1)}, ValueError)],
    ids=["non-string-key", "nul-character", "naive-datetime"],
)
def test_data_that_cannot_round_trip_the_database_is_refused(data: dict, error: type[Exception]) -> None:
    with pytest.raises(error):
        normalize_data(data)


def test_a_float_written_into_a_stored_row_is_reported_not_raised() -> None:
    events = build(2)
    events[0] = replace(events[0], data={"total": 12.1})
    broken = verify(events, events[-1])
    assert broken is not None
    assert (broken.problem, broken.seq) == (Problem.HASH_MISMATCH, 1)
    assert "float" in broken.detail


def test_the_hash_does_not_depend_on_key_order_time_zone_or_decimal_type() -> None:
    bucharest = T0.astimezone(ZoneInfo("Europe/Bucharest"))
    a = next_event(
        chain="org:1",
        head_seq=0,
        head_hash="",
        occurred_at=T0,
        actor="system",
        action="a",
        object_type="t",
        object_id="1",
        data={"x": Decimal("1.50"), "y": "ž"},
    )
    b = next_event(
        chain="org:1",
        head_seq=0,
        head_hash="",
        occurred_at=bucharest,
        actor="system",
        action="a",
        object_type="t",
        object_id="1",
        data={"y": "ž", "x": "1.50"},
    )
    assert a.hash == b.hash


def test_a_naive_time_is_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        next_event(
            chain="org:1",
            head_seq=0,
            head_hash="",
            occurred_at=datetime(2026, 1, 1),
            actor="system",
            action="a",
            object_type="t",
            object_id="1",
        )


def test_a_head_past_genesis_without_a_hash_is_refused() -> None:
    with pytest.raises(ValueError, match="without a hash"):
        next_event(
            chain="counter:3",
            head_seq=4,
            head_hash="",
            occurred_at=T0,
            actor="system",
            action="a",
            object_type="t",
            object_id="1",
        )
