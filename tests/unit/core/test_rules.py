"""Issuing rules: conditions, decisions, triggers, the one-live-document rule and explain (F4)."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from typing import Any

import pytest

from faktura.core.rules import (
    Action,
    BillingDetails,
    BuyerKind,
    Conditions,
    DocumentType,
    Event,
    OrderDocument,
    OrderFacts,
    OrderStatus,
    PaymentMethod,
    PaymentRecorded,
    Refunded,
    RefundedLine,
    Rule,
    RuleSet,
    StatusChanged,
    Trigger,
    Triggers,
    decide,
    explain,
    first_failure,
    issue,
)

D = Decimal
INVOICE, PROFORMA, CREDIT_NOTE = DocumentType.INVOICE, DocumentType.PROFORMA, DocumentType.CREDIT_NOTE
ALL_TRIGGERS = Triggers(True, True, True, True)


def rule(
    rule_id: int,
    document_type: DocumentType,
    *statuses: OrderStatus,
    payment: tuple[PaymentMethod, ...] | None = None,
    enabled: bool = True,
    **conditions: Any,
) -> Rule:
    return Rule(
        id=rule_id,
        name=f"{document_type.value} {rule_id}",
        conditions=Conditions(
            statuses=frozenset(statuses or {OrderStatus.ACCEPTED}),
            payment_methods=frozenset(payment) if payment is not None else None,
            **conditions,
        ),
        action=Action(document_type),
        enabled=enabled,
    )


SEED_003 = RuleSet(
    rules=(
        rule(1, PROFORMA, OrderStatus.ACCEPTED, payment=(PaymentMethod.BANK_TRANSFER,)),
        rule(2, INVOICE, OrderStatus.ACCEPTED, payment=(PaymentMethod.CARD,)),
        rule(3, CREDIT_NOTE, OrderStatus.CANCELLED),
    )
)


def order(
    status: OrderStatus = OrderStatus.ACCEPTED,
    payment: PaymentMethod = PaymentMethod.CARD,
    *documents: OrderDocument,
    total: str = "100.00",
    paid: str = "0",
    **fields: Any,
) -> OrderFacts:
    return OrderFacts(status, payment, total=D(total), paid=D(paid), documents=documents, **fields)


def invoice(number: str = "FA2026001", amount: str = "100.00", **fields: Any) -> OrderDocument:
    return OrderDocument(INVOICE, number, amount=D(amount), **fields)


def credit_note(number: str, amount: str, credits: str = "FA2026001", **fields: Any) -> OrderDocument:
    return OrderDocument(CREDIT_NOTE, number, amount=D(amount), credits=credits, **fields)


def proforma(number: str = "ZAL2026001", amount: str = "100.00", paid: str = "0", **fields: Any) -> OrderDocument:
    return OrderDocument(PROFORMA, number, amount=D(amount), paid=D(paid), **fields)


def reasons(rule_set: RuleSet, facts: OrderFacts, event: Event) -> list[str]:
    return [skip.reason for skip in decide(rule_set, facts, event).skipped]


# -- conditions -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("conditions", "facts", "reason"),
    [
        pytest.param(
            {"statuses": frozenset({OrderStatus.SHIPPED, OrderStatus.DELIVERED})},
            {},
            "status is accepted, rule wants delivered or shipped",
            id="status",
        ),
        pytest.param(
            {"payment_methods": frozenset({PaymentMethod.CARD, PaymentMethod.BANK_TRANSFER})},
            {"payment_method": PaymentMethod.CASH_ON_DELIVERY},
            "payment method is cash_on_delivery, rule wants bank_transfer or card",
            id="payment method",
        ),
        pytest.param(
            {"delivery_methods": frozenset({"Courier", "Post"})},
            {"delivery_method": "Pickup point"},
            "delivery method is 'Pickup point', rule wants 'Courier' or 'Post'",
            id="delivery method",
        ),
        pytest.param(
            {"delivery_methods": frozenset({"Courier"})},
            {},
            "order has no delivery method, rule wants 'Courier'",
            id="no delivery method",
        ),
        pytest.param(
            {"billing_details": BillingDetails.ONLY_IF_ENTERED},
            {},
            "only if billing details entered: buyer did not enter billing details",
            id="billing details",
        ),
        pytest.param(
            {"buyer_countries": frozenset({"SK", "CZ", "HU"})},
            {"buyer_country": "ro"},
            "buyer country is RO, rule wants CZ, HU or SK",
            id="buyer country",
        ),
        pytest.param(
            {"buyer_countries": frozenset({"SK"})},
            {},
            "buyer country is unknown, rule wants SK",
            id="no buyer country",
        ),
        pytest.param(
            {"buyer_kind": BuyerKind.BUSINESS}, {}, "buyer is a consumer, rule wants a business", id="consumer"
        ),
        pytest.param(
            {"buyer_kind": BuyerKind.CONSUMER},
            {"buyer_is_business": True},
            "buyer is a business, rule wants a consumer",
            id="business",
        ),
    ],
)
def test_a_failing_condition_is_told_in_a_sentence(
    conditions: dict[str, Any], facts: dict[str, Any], reason: str
) -> None:
    wanted = Conditions(**{"statuses": frozenset({OrderStatus.ACCEPTED}), **conditions})

    assert first_failure(wanted, replace(order(), **facts)) == reason


def test_conditions_are_checked_in_order_and_the_first_failure_is_the_reason() -> None:
    wanted = Conditions(
        statuses=frozenset({OrderStatus.SHIPPED}),
        payment_methods=frozenset({PaymentMethod.CARD}),
        buyer_kind=BuyerKind.BUSINESS,
    )

    reason = first_failure(wanted, order(OrderStatus.ACCEPTED, PaymentMethod.CASH))

    assert reason == "status is accepted, rule wants shipped"


def test_an_order_that_fits_every_condition_matches() -> None:
    wanted = Conditions(
        statuses=frozenset({OrderStatus.ACCEPTED}),
        payment_methods=frozenset({PaymentMethod.CARD}),
        delivery_methods=frozenset({"Courier"}),
        billing_details=BillingDetails.ONLY_IF_ENTERED,
        buyer_countries=frozenset({"SK"}),
        buyer_kind=BuyerKind.BUSINESS,
    )
    facts = order(delivery_method="COURIER", billing_details_entered=True, buyer_country="sk", buyer_is_business=True)

    assert first_failure(wanted, facts) is None


# -- seed 003 ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "payment", "document_type", "rule_id"),
    [
        pytest.param(
            OrderStatus.ACCEPTED, PaymentMethod.BANK_TRANSFER, PROFORMA, 1, id="proforma on accepted + transfer"
        ),
        pytest.param(OrderStatus.ACCEPTED, PaymentMethod.CARD, INVOICE, 2, id="invoice on accepted + card"),
    ],
)
def test_seed_003_rules_issue_the_document_their_conditions_name(
    status: OrderStatus, payment: PaymentMethod, document_type: DocumentType, rule_id: int
) -> None:
    decision = decide(SEED_003, order(status, payment), StatusChanged(status))

    assert [(i.document_type, i.source) for i in decision.issue] == [(document_type, SEED_003.rules[rule_id - 1])]


def test_seed_003_credit_note_on_cancelled_credits_the_whole_invoice() -> None:
    facts = order(OrderStatus.CANCELLED, PaymentMethod.CARD, invoice())

    [intent] = decide(SEED_003, facts, StatusChanged(OrderStatus.CANCELLED)).issue

    assert (intent.document_type, intent.credits, intent.amount) == (CREDIT_NOTE, "FA2026001", D("100.00"))


def test_an_order_that_matches_no_rule_gets_nothing_and_every_rule_says_why() -> None:
    facts = order(OrderStatus.ACCEPTED, PaymentMethod.CASH_ON_DELIVERY)

    decision = decide(SEED_003, facts, StatusChanged(OrderStatus.ACCEPTED))

    assert decision.issue == ()
    assert [skip.reason for skip in decision.skipped] == [
        "payment method is cash_on_delivery, rule wants bank_transfer",
        "payment method is cash_on_delivery, rule wants card",
        "status is accepted, rule wants cancelled",
    ]


# -- precedence -------------------------------------------------------------------------------------


def test_the_first_matching_rule_for_a_document_type_wins_and_later_ones_name_it() -> None:
    rules = RuleSet(rules=(rule(7, INVOICE, payment=(PaymentMethod.CARD,)), rule(3, INVOICE)))

    decision = decide(rules, order(), StatusChanged(OrderStatus.ACCEPTED))

    assert [i.source for i in decision.issue] == [rules.rules[0]]
    assert (
        decision.skipped[0].describe()
        == 'no invoice by rule 3 "invoice 3": rule 7 "invoice 7" already issues an invoice'
    )


def test_an_event_never_issues_a_proforma_and_an_invoice_together_and_the_invoice_goes_first() -> None:
    rules = RuleSet(rules=(rule(1, PROFORMA), rule(2, INVOICE)))

    decision = decide(rules, order(), StatusChanged(OrderStatus.ACCEPTED))

    assert [i.document_type for i in decision.issue] == [INVOICE]
    assert (
        decision.skipped[0].describe()
        == 'no proforma by rule 1 "proforma 1": rule 2 "invoice 2" already issues an invoice'
    )


def test_a_whole_invoice_is_credited_only_for_a_cancelled_or_returned_order() -> None:
    rules = RuleSet(rules=(rule(1, CREDIT_NOTE, OrderStatus.SHIPPED, OrderStatus.RETURNED),))
    shipped = order(OrderStatus.SHIPPED, PaymentMethod.CARD, invoice())

    assert reasons(rules, shipped, StatusChanged(OrderStatus.SHIPPED)) == [
        "order is shipped; a whole invoice is credited when the order is cancelled or returned"
    ]
    assert decide(rules, replace(shipped, status=OrderStatus.RETURNED), StatusChanged(OrderStatus.RETURNED)).issue


def test_a_disabled_rule_is_not_asked() -> None:
    rules = RuleSet(rules=(rule(1, INVOICE, enabled=False), rule(2, INVOICE)))

    decision = decide(rules, order(), StatusChanged(OrderStatus.ACCEPTED))

    assert [i.source for i in decision.issue] == [rules.rules[1]]
    assert decision.skipped == ()


def test_a_rule_wins_over_the_cancellation_trigger() -> None:
    rules = replace(SEED_003, triggers=Triggers(credit_note_when_cancelled=True))
    facts = order(OrderStatus.CANCELLED, PaymentMethod.CARD, invoice())

    decision = decide(rules, facts, StatusChanged(OrderStatus.CANCELLED))

    assert [i.source for i in decision.issue] == [SEED_003.rules[2]]
    assert decision.skipped[-1].describe() == (
        'no credit note by trigger "credit note when the order is cancelled": '
        'rule 3 "credit_note 3" already issues a credit note'
    )


def test_triggers_that_are_off_are_not_asked() -> None:
    facts = order(paid="100.00")

    assert decide(SEED_003, facts, PaymentRecorded(D("100.00"))) == decide(RuleSet(), facts, PaymentRecorded(D(1)))
    assert decide(SEED_003, facts, PaymentRecorded(D("100.00"))).skipped == ()


# -- one live document ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("documents", "reason"),
    [
        pytest.param(
            (invoice(),),
            "order already has live invoice FA2026001; a second invoice needs the first fully credited",
            id="live invoice",
        ),
        pytest.param(
            (invoice(), credit_note("DOP2026001", "99.99")),
            "order already has live invoice FA2026001; a second invoice needs the first fully credited",
            id="partly credited invoice",
        ),
    ],
)
def test_a_second_invoice_is_refused_while_the_first_is_live(documents: tuple[OrderDocument, ...], reason: str) -> None:
    assert reasons(
        RuleSet(rules=(rule(1, INVOICE),)),
        order(OrderStatus.ACCEPTED, PaymentMethod.CARD, *documents),
        StatusChanged(OrderStatus.ACCEPTED),
    ) == [reason]


@pytest.mark.parametrize(
    "documents",
    [
        pytest.param((invoice(), credit_note("DOP2026001", "100.00")), id="fully credited"),
        pytest.param((invoice(), credit_note("DOP1", "40.00"), credit_note("DOP2", "60.00")), id="credited in parts"),
        pytest.param((invoice(cancelled=True),), id="cancelled"),
    ],
)
def test_an_invoice_that_is_fully_credited_or_cancelled_is_not_live(documents: tuple[OrderDocument, ...]) -> None:
    facts = order(OrderStatus.ACCEPTED, PaymentMethod.CARD, *documents)

    [intent] = decide(RuleSet(rules=(rule(1, INVOICE),)), facts, StatusChanged(OrderStatus.ACCEPTED)).issue

    assert intent.document_type == INVOICE


def test_a_cancelled_credit_note_does_not_count_as_credited() -> None:
    facts = order(OrderStatus.ACCEPTED, PaymentMethod.CARD, invoice(), credit_note("DOP1", "100.00", cancelled=True))

    assert facts.live(INVOICE) == (invoice(),)


def test_a_free_order_is_not_invoiced_twice() -> None:
    facts = order(OrderStatus.ACCEPTED, PaymentMethod.CARD, invoice(amount="0.00"), total="0.00")

    assert decide(RuleSet(rules=(rule(1, INVOICE),)), facts, StatusChanged(OrderStatus.ACCEPTED)).issue == ()


@pytest.mark.parametrize(
    ("facts", "reason"),
    [
        pytest.param(
            order(OrderStatus.ACCEPTED, PaymentMethod.BANK_TRANSFER, proforma()),
            "order already has live proforma ZAL2026001",
            id="live proforma",
        ),
        pytest.param(
            order(OrderStatus.ACCEPTED, PaymentMethod.BANK_TRANSFER, invoice()),
            "order is already invoiced (FA2026001)",
            id="invoiced",
        ),
        pytest.param(
            order(OrderStatus.ACCEPTED, PaymentMethod.BANK_TRANSFER, paid="100.00"),
            "order is already paid; a proforma asks for payment",
            id="paid",
        ),
    ],
)
def test_a_proforma_is_refused_when_it_would_ask_for_money_again(facts: OrderFacts, reason: str) -> None:
    assert reasons(RuleSet(rules=(rule(1, PROFORMA),)), facts, StatusChanged(OrderStatus.ACCEPTED)) == [reason]


def test_a_cancelled_proforma_leaves_room_for_a_new_one() -> None:
    facts = order(OrderStatus.ACCEPTED, PaymentMethod.BANK_TRANSFER, proforma(cancelled=True))

    assert [
        i.document_type
        for i in decide(RuleSet(rules=(rule(1, PROFORMA),)), facts, StatusChanged(OrderStatus.ACCEPTED)).issue
    ] == [PROFORMA]


# -- triggers ---------------------------------------------------------------------------------------


def test_the_final_invoice_settles_the_paid_proforma_and_leaves_nothing_due() -> None:
    facts = order(OrderStatus.ACCEPTED, PaymentMethod.BANK_TRANSFER, proforma(paid="100.00"), paid="100.00")
    rules = RuleSet(triggers=Triggers(final_invoice_when_proforma_paid=True))

    [intent] = decide(rules, facts, PaymentRecorded(D("100.00"))).issue

    assert intent.source == Trigger.FINAL_INVOICE_WHEN_PROFORMA_PAID
    assert (intent.settles, intent.amount, intent.advance, intent.due) == (("ZAL2026001",), D(100), D(100), D(0))
    assert intent.action.mark_paid


def test_a_partly_paid_proforma_does_not_fire_the_final_invoice() -> None:
    facts = order(OrderStatus.ACCEPTED, PaymentMethod.BANK_TRANSFER, proforma(paid="40.00"), paid="40.00")
    rules = RuleSet(triggers=ALL_TRIGGERS)

    assert reasons(rules, facts, PaymentRecorded(D("40.00"))) == [
        "proforma ZAL2026001 is not fully paid (40.00 of 100.00)",
        "order is not fully paid (40.00 of 100.00)",
    ]


def test_a_paid_proforma_with_both_invoice_triggers_on_gives_one_invoice() -> None:
    facts = order(OrderStatus.ACCEPTED, PaymentMethod.BANK_TRANSFER, proforma(paid="100.00"), paid="100.00")

    decision = decide(RuleSet(triggers=ALL_TRIGGERS), facts, PaymentRecorded(D("100.00")))

    assert [i.source for i in decision.issue] == [Trigger.FINAL_INVOICE_WHEN_PROFORMA_PAID]
    assert [s.source for s in decision.skipped] == [Trigger.INVOICE_WHEN_ORDER_PAID]


def test_any_invoice_settles_the_open_proformas_so_the_advance_is_never_forgotten() -> None:
    facts = order(OrderStatus.ACCEPTED, PaymentMethod.BANK_TRANSFER, proforma(paid="100.00"), paid="100.00")

    [intent] = decide(RuleSet(triggers=Triggers(invoice_when_order_paid=True)), facts, PaymentRecorded(D(100))).issue

    assert (intent.settles, intent.advance, intent.due) == (("ZAL2026001",), D(100), D(0))


def test_the_order_paid_trigger_issues_an_invoice_marked_paid() -> None:
    facts = order(OrderStatus.NEW, PaymentMethod.CARD, paid="100.00")

    [intent] = decide(RuleSet(triggers=Triggers(invoice_when_order_paid=True)), facts, PaymentRecorded(D(100))).issue

    assert (intent.document_type, intent.amount, intent.settles, intent.action.mark_paid) == (INVOICE, D(100), (), True)


def test_a_paid_but_cancelled_order_is_not_invoiced_by_a_trigger() -> None:
    facts = order(OrderStatus.CANCELLED, PaymentMethod.CARD, paid="100.00")

    assert reasons(RuleSet(triggers=Triggers(invoice_when_order_paid=True)), facts, PaymentRecorded(D(100))) == [
        "order is cancelled; nothing is invoiced for it"
    ]


@pytest.mark.parametrize(
    ("documents", "reason"),
    [
        pytest.param((), "nothing invoiced to credit", id="nothing invoiced"),
        pytest.param((proforma(),), "nothing invoiced to credit", id="only a proforma"),
        pytest.param((invoice(), credit_note("DOP1", "100.00")), "FA2026001 is already fully credited", id="credited"),
    ],
)
def test_a_cancellation_credits_nothing_when_nothing_is_left_invoiced(
    documents: tuple[OrderDocument, ...], reason: str
) -> None:
    facts = order(OrderStatus.CANCELLED, PaymentMethod.CARD, *documents)
    rules = RuleSet(triggers=Triggers(credit_note_when_cancelled=True))

    assert reasons(rules, facts, StatusChanged(OrderStatus.CANCELLED)) == [reason]


def test_a_cancellation_after_a_partial_refund_credits_what_is_left() -> None:
    facts = order(OrderStatus.CANCELLED, PaymentMethod.CARD, invoice(), credit_note("DOP1", "30.00", refund_id="R1"))

    [intent] = decide(RuleSet(triggers=ALL_TRIGGERS), facts, StatusChanged(OrderStatus.CANCELLED)).issue

    assert (intent.credits, intent.amount, intent.refund_id) == ("FA2026001", D(70), None)


def test_the_cancellation_trigger_waits_for_a_cancelled_order() -> None:
    facts = order(OrderStatus.RETURNED, PaymentMethod.CARD, invoice())
    rules = RuleSet(triggers=Triggers(credit_note_when_cancelled=True))

    assert reasons(rules, facts, StatusChanged(OrderStatus.RETURNED)) == ["order is returned, not cancelled"]


def test_a_refund_gets_a_partial_credit_note_with_its_lines() -> None:
    facts = order(OrderStatus.COMPLETED, PaymentMethod.CARD, invoice())
    refund = Refunded("R1", D("30.00"), lines=(RefundedLine(position=2, quantity=D(1)),))

    [intent] = decide(RuleSet(triggers=Triggers(credit_note_for_partial_refund=True)), facts, refund).issue

    assert (intent.document_type, intent.credits, intent.amount) == (CREDIT_NOTE, "FA2026001", D("30.00"))
    assert (intent.refund_id, intent.refund_lines) == ("R1", refund.lines)


@pytest.mark.parametrize(
    ("documents", "refund", "reason"),
    [
        pytest.param(
            (invoice(), credit_note("DOP1", "30.00", refund_id="R1")),
            Refunded("R1", D("30.00")),
            "refund R1 is already credited by DOP1",
            id="same refund again",
        ),
        pytest.param(
            (invoice(), credit_note("DOP1", "80.00", refund_id="R1")),
            Refunded("R2", D("30.00")),
            "refund of 30.00 exceeds the 20.00 left to credit on FA2026001; credit it by hand",
            id="more than is left",
        ),
        pytest.param((), Refunded("R1", D("30.00")), "nothing invoiced to credit", id="nothing invoiced"),
    ],
)
def test_a_refund_is_credited_once_and_never_beyond_the_invoice(
    documents: tuple[OrderDocument, ...], refund: Refunded, reason: str
) -> None:
    facts = order(OrderStatus.COMPLETED, PaymentMethod.CARD, *documents)

    assert reasons(RuleSet(triggers=Triggers(credit_note_for_partial_refund=True)), facts, refund) == [reason]


def test_a_refund_after_a_cancelled_credit_note_for_it_is_credited_again() -> None:
    facts = order(
        OrderStatus.COMPLETED,
        PaymentMethod.CARD,
        invoice(),
        credit_note("DOP1", "30.00", refund_id="R1", cancelled=True),
    )

    [intent] = decide(RuleSet(triggers=ALL_TRIGGERS), facts, Refunded("R1", D("30.00"))).issue

    assert intent.amount == D("30.00")


# -- idempotency ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("facts", "event"),
    [
        pytest.param(
            order(OrderStatus.ACCEPTED, PaymentMethod.BANK_TRANSFER),
            StatusChanged(OrderStatus.ACCEPTED),
            id="proforma rule",
        ),
        pytest.param(
            order(OrderStatus.ACCEPTED, PaymentMethod.CARD), StatusChanged(OrderStatus.ACCEPTED), id="invoice rule"
        ),
        pytest.param(
            order(OrderStatus.CANCELLED, PaymentMethod.CARD, invoice()),
            StatusChanged(OrderStatus.CANCELLED),
            id="credit note rule",
        ),
        pytest.param(
            order(OrderStatus.ACCEPTED, PaymentMethod.BANK_TRANSFER, proforma(paid="100.00"), paid="100.00"),
            PaymentRecorded(D(100)),
            id="final invoice",
        ),
        pytest.param(order(OrderStatus.COMPLETED, PaymentMethod.CARD, invoice()), Refunded("R1", D(10)), id="refund"),
    ],
)
def test_the_same_event_delivered_twice_issues_one_document(facts: OrderFacts, event: Event) -> None:
    rules = replace(SEED_003, triggers=ALL_TRIGGERS)
    first = decide(rules, facts, event)
    for number, intent in enumerate(first.issue):
        facts = issue(facts, intent, f"DOC{number}")

    assert len(first.issue) == 1
    assert decide(rules, facts, event).issue == ()


# -- rendering and explain --------------------------------------------------------------------------


def test_an_intent_describes_its_options() -> None:
    rules = RuleSet(rules=(replace(rule(1, INVOICE), action=Action(INVOICE, send_to_buyer=False, due_days=7)),))

    [intent] = decide(rules, order(), StatusChanged(OrderStatus.ACCEPTED)).issue

    assert intent.describe() == 'invoice 100.00, by rule 1 "invoice 1"; not sent, due in 7 days'


def test_explain_shows_disabled_rules_and_what_blocks_a_matching_one() -> None:
    rules = RuleSet(
        rules=(rule(1, INVOICE), rule(2, PROFORMA, enabled=False)),
        triggers=Triggers(credit_note_for_partial_refund=True, invoice_when_order_paid=True),
    )
    facts = order(OrderStatus.ACCEPTED, PaymentMethod.CARD, invoice(), paid="100.00")

    text = explain(rules, facts).render_text()

    assert text == "\n".join(
        [
            "Rules:",
            '  rule 1 "invoice 1" -> invoice: matches',
            '  rule 2 "proforma 2" (disabled) -> proforma: matches',
            "Triggers:",
            "  final invoice when a proforma is paid: off",
            "  invoice when the order is paid: would issue nothing, order already has live invoice FA2026001;"
            " a second invoice needs the first fully credited",
            "  credit note when the order is cancelled: off",
            "  credit note for a refund: on a refund, would credit up to 100.00 on FA2026001",
            "Now:",
            "  issue nothing",
            '  no invoice by rule 1 "invoice 1": order already has live invoice FA2026001; a second invoice needs the'
            " first fully credited",
        ]
    )


def test_explain_now_is_the_decision_for_the_current_status() -> None:
    facts = order(OrderStatus.ACCEPTED, PaymentMethod.CARD)

    explanation = explain(SEED_003, facts)

    assert explanation.now == decide(SEED_003, facts, StatusChanged(OrderStatus.ACCEPTED))
    assert [check.matched for check in explanation.rules] == [False, True, False]


def test_explain_tells_what_a_trigger_would_issue_on_its_event() -> None:
    rules = RuleSet(triggers=Triggers(final_invoice_when_proforma_paid=True))
    facts = order(OrderStatus.ACCEPTED, PaymentMethod.BANK_TRANSFER, proforma(paid="100.00"), paid="100.00")

    [final, *_] = explain(rules, facts).triggers

    assert final.describe() == (
        "final invoice when a proforma is paid: would issue invoice 100.00 settling ZAL2026001"
        " (advance 100.00, due 0.00); sent to the buyer, marked paid"
    )
