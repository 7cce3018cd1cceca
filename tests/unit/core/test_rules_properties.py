"""Properties of the rules engine over any rule set and any history of events (F4.5).

Rule sets here need not pass validation (an invoice on cancelled orders, an
estimate...): the engine's guarantees must hold whatever a seller configured.
"""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from faktura.core.rules import (
    Action,
    BillingDetails,
    BuyerKind,
    Conditions,
    DocumentType,
    Event,
    OrderFacts,
    OrderStatus,
    PaymentMethod,
    PaymentRecorded,
    Refunded,
    Rule,
    RuleSet,
    StatusChanged,
    Trigger,
    Triggers,
    apply_event,
    decide,
    issue,
    replay,
)

AMOUNTS = st.sampled_from([Decimal(a) for a in ("10.00", "30.00", "50.00", "50.00", "100.00", "100.00")])
MOSTLY_ON = st.sampled_from([True, True, True, False])


def mostly_any(values: list[str]) -> st.SearchStrategy[frozenset[str] | None]:
    """None (any) three times in four, so that rules match often enough to issue."""
    return st.one_of(st.none(), st.none(), st.none(), st.frozensets(st.sampled_from(values), min_size=1))


conditions = st.builds(
    Conditions,
    statuses=st.frozensets(st.sampled_from(list(OrderStatus)), min_size=1),
    payment_methods=mostly_any(list(PaymentMethod)),
    delivery_methods=mostly_any(["Courier", "Pickup"]),
    billing_details=st.sampled_from([BillingDetails.ALWAYS, BillingDetails.ALWAYS, BillingDetails.ONLY_IF_ENTERED]),
    buyer_countries=mostly_any(["SK", "CZ"]),
    buyer_kind=st.sampled_from([BuyerKind.ANY, BuyerKind.ANY, BuyerKind.BUSINESS, BuyerKind.CONSUMER]),
)
actions = st.builds(
    Action,
    document_type=st.sampled_from(list(DocumentType)),
    send_to_buyer=st.booleans(),
    due_days=st.none() | st.just(14),
    mark_paid=st.booleans(),
)
SEED_003 = (
    (
        Conditions(frozenset({OrderStatus.ACCEPTED}), frozenset({PaymentMethod.BANK_TRANSFER})),
        Action(DocumentType.PROFORMA),
    ),
    (Conditions(frozenset({OrderStatus.ACCEPTED}), frozenset({PaymentMethod.CARD})), Action(DocumentType.INVOICE)),
    (Conditions(frozenset({OrderStatus.CANCELLED})), Action(DocumentType.CREDIT_NOTE)),
)
rule_sets = st.builds(
    lambda seed, more, triggers: RuleSet(
        rules=tuple(
            Rule(id=i, name=f"rule {i}", conditions=c, action=a, enabled=e)
            for i, (c, a, e) in enumerate([*((c, a, True) for c, a in seed), *more])
        ),
        triggers=triggers,
    ),
    st.lists(st.sampled_from(SEED_003), unique=True),
    st.lists(st.tuples(conditions, actions, MOSTLY_ON), max_size=4),
    st.builds(Triggers, MOSTLY_ON, MOSTLY_ON, MOSTLY_ON, MOSTLY_ON),
)
new_orders = st.builds(
    OrderFacts,
    status=st.just(OrderStatus.NEW),
    payment_method=st.sampled_from([PaymentMethod.BANK_TRANSFER, PaymentMethod.CARD, *PaymentMethod]),
    total=st.sampled_from([Decimal("0.00"), Decimal("50.00"), Decimal("100.00")]),
    delivery_method=st.sampled_from(["", "Courier", "Pickup"]),
    billing_details_entered=st.booleans(),
    buyer_country=st.sampled_from(["", "SK", "HU"]),
    buyer_is_business=st.booleans(),
)
events: st.SearchStrategy[Event] = st.one_of(
    st.builds(StatusChanged, st.sampled_from(list(OrderStatus))),
    st.builds(PaymentRecorded, AMOUNTS),
    st.builds(Refunded, st.sampled_from(["R1", "R2", "R3"]), AMOUNTS),
)
# Stories: the steps of a real order, in any order, so that proformas get paid, invoices credited...
STEPS: list[Event] = [
    StatusChanged(OrderStatus.ACCEPTED),
    StatusChanged(OrderStatus.ACCEPTED),
    StatusChanged(OrderStatus.SHIPPED),
    StatusChanged(OrderStatus.CANCELLED),
    PaymentRecorded(Decimal("50.00")),
    PaymentRecorded(Decimal("100.00")),
    PaymentRecorded(Decimal("100.00")),
    Refunded("R1", Decimal("30.00")),
    Refunded("R2", Decimal("100.00")),
]
histories = st.lists(events, max_size=16) | st.lists(st.sampled_from(STEPS), max_size=10)

ASKED_BY: dict[Trigger, tuple[type, ...]] = {
    Trigger.FINAL_INVOICE_WHEN_PROFORMA_PAID: (PaymentRecorded,),
    Trigger.INVOICE_WHEN_ORDER_PAID: (PaymentRecorded,),
    Trigger.CREDIT_NOTE_WHEN_CANCELLED: (StatusChanged,),
    Trigger.CREDIT_NOTE_FOR_PARTIAL_REFUND: (Refunded,),
}


def replay_checked(rule_set: RuleSet, facts: OrderFacts, history: list[Event], deliveries: int) -> OrderFacts:
    """Replay delivering every event ``deliveries`` times, checking the invariants after each document."""
    for event in history:
        facts = apply_event(facts, event)
        for _ in range(deliveries):
            for intent in decide(rule_set, facts, event).issue:
                facts = issue(facts, intent, f"SIM{len(facts.documents) + 1}")
                assert_invariants(facts)
    return facts


def assert_invariants(facts: OrderFacts) -> None:
    assert len(facts.live(DocumentType.INVOICE)) <= 1
    assert len(facts.live(DocumentType.PROFORMA)) <= 1
    assert not any(d.document_type == DocumentType.ESTIMATE for d in facts.documents)
    for invoice in (d for d in facts.documents if d.document_type == DocumentType.INVOICE):
        assert facts.credited(invoice) <= invoice.amount
    credit_notes = [d for d in facts.documents if d.document_type == DocumentType.CREDIT_NOTE]
    assert all(note.credits is not None and note.amount > 0 for note in credit_notes)
    refunds = Counter(note.refund_id for note in credit_notes if note.refund_id is not None)
    assert all(count == 1 for count in refunds.values())


@settings(max_examples=300)
@given(rule_set=rule_sets, facts=new_orders, history=histories)
def test_every_event_delivered_twice_issues_the_same_documents_as_once(
    rule_set: RuleSet, facts: OrderFacts, history: list[Event]
) -> None:
    once = replay_checked(rule_set, facts, history, deliveries=1)
    twice = replay_checked(rule_set, facts, history, deliveries=2)

    assert twice.documents == once.documents


@settings(max_examples=300)
@given(rule_set=rule_sets, facts=new_orders, history=histories)
def test_an_order_never_has_two_live_invoices_and_is_never_credited_beyond_its_invoices(
    rule_set: RuleSet, facts: OrderFacts, history: list[Event]
) -> None:
    final = replay_checked(rule_set, facts, history, deliveries=1)

    assert final == replay(rule_set, facts, history).facts


@given(rule_set=rule_sets, facts=new_orders, history=histories)
def test_every_rule_and_trigger_an_event_asks_is_issued_or_skipped_with_a_reason(
    rule_set: RuleSet, facts: OrderFacts, history: list[Event]
) -> None:
    for event in history:
        facts = apply_event(facts, event)
        decision = decide(rule_set, facts, event)
        asked = [t for t in Trigger if rule_set.triggers.is_on(t) and type(event) in ASKED_BY[t]]
        if isinstance(event, StatusChanged):
            asked += [rule for rule in rule_set.rules if rule.enabled]

        assert Counter([*(i.source for i in decision.issue), *(s.source for s in decision.skipped)]) == Counter(asked)
        assert all(skip.reason for skip in decision.skipped)
        for intent in decision.issue:
            facts = issue(facts, intent, f"SIM{len(facts.documents) + 1}")
