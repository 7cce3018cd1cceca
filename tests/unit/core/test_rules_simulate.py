"""Simulation: a proposed rule set replayed over past orders (F4.6)."""

from __future__ import annotations

from decimal import Decimal

from faktura.core.rules import (
    DocumentType,
    OrderFacts,
    OrderStatus,
    PastOrder,
    PaymentMethod,
    PaymentRecorded,
    Refunded,
    StatusChanged,
    replay,
    rule_set_from_dict,
    simulate,
)

INVOICE, PROFORMA, CREDIT_NOTE = DocumentType.INVOICE, DocumentType.PROFORMA, DocumentType.CREDIT_NOTE
PROPOSED = rule_set_from_dict(
    {
        "rules": [
            {
                "id": 1,
                "name": "Proforma",
                "conditions": {"statuses": ["accepted"], "payment_methods": ["bank_transfer"]},
                "action": {"document_type": "proforma"},
            },
            {
                "id": 2,
                "name": "Invoice",
                "conditions": {"statuses": ["accepted"], "payment_methods": ["card"]},
                "action": {"document_type": "invoice"},
            },
        ],
        "triggers": {
            "final_invoice_when_proforma_paid": True,
            "credit_note_when_cancelled": True,
            "credit_note_for_partial_refund": True,
        },
    }
)


def new_order(number: str, payment: PaymentMethod, total: str = "100.00") -> OrderFacts:
    return OrderFacts(OrderStatus.NEW, payment, total=Decimal(total), order_number=number)


BY_TRANSFER = PastOrder(
    new_order("1001", PaymentMethod.BANK_TRANSFER),
    (StatusChanged(OrderStatus.ACCEPTED), PaymentRecorded(Decimal("100.00")), StatusChanged(OrderStatus.SHIPPED)),
    received=(PROFORMA, INVOICE),
)
BY_CARD_REFUNDED = PastOrder(
    new_order("1002", PaymentMethod.CARD),
    (StatusChanged(OrderStatus.ACCEPTED), PaymentRecorded(Decimal("100.00")), Refunded("R1", Decimal("25.00"))),
    received=(INVOICE,),
)
CANCELLED_BEFORE_PAYMENT = PastOrder(
    new_order("1003", PaymentMethod.CASH_ON_DELIVERY),
    (StatusChanged(OrderStatus.ACCEPTED), StatusChanged(OrderStatus.CANCELLED)),
    received=(INVOICE,),
)


def test_replay_issues_the_proforma_then_the_final_invoice_that_settles_it() -> None:
    result = replay(PROPOSED, BY_TRANSFER.facts, BY_TRANSFER.events)

    assert [(i.document_type, i.settles, i.due) for i in result.issued] == [
        (PROFORMA, (), Decimal("100.00")),
        (INVOICE, ("SIM1",), Decimal("0.00")),
    ]
    assert result.facts.status == OrderStatus.SHIPPED
    assert result.facts.paid == Decimal("100.00")


def test_simulate_counts_documents_per_type_and_per_rule_or_trigger() -> None:
    report = simulate(PROPOSED, [BY_TRANSFER, BY_CARD_REFUNDED, CANCELLED_BEFORE_PAYMENT])

    assert report.orders == 3
    assert report.by_type == {INVOICE: 2, PROFORMA: 1, CREDIT_NOTE: 1}
    assert report.by_source == {
        'rule 1 "Proforma"': 1,
        'rule 2 "Invoice"': 1,
        'trigger "credit note for a refund"': 1,
        'trigger "final invoice when a proforma is paid"': 1,
    }


def test_simulate_lists_the_orders_whose_documents_would_differ() -> None:
    report = simulate(PROPOSED, [BY_TRANSFER, BY_CARD_REFUNDED, CANCELLED_BEFORE_PAYMENT])

    assert [(d.order_number, d.extra, d.missing) for d in report.differences] == [
        ("1002", (CREDIT_NOTE,), ()),
        ("1003", (), (INVOICE,)),
    ]
    assert report.render_text() == "\n".join(
        [
            "3 orders replayed; would issue:",
            "  2 invoices",
            "  1 proforma",
            "  1 credit note",
            "By rule or trigger:",
            '  1 by rule 1 "Proforma"',
            '  1 by rule 2 "Invoice"',
            '  1 by trigger "credit note for a refund"',
            '  1 by trigger "final invoice when a proforma is paid"',
            "2 orders would get other documents than they did:",
            "  #1002: would also get a credit note",
            "  #1003: got an invoice the rules would not issue",
        ]
    )


def test_simulate_keeps_the_first_differences_and_counts_them_all() -> None:
    history = [CANCELLED_BEFORE_PAYMENT] * 5

    report = simulate(PROPOSED, iter(history), limit=2)

    assert (report.orders, report.differing, len(report.differences)) == (5, 5, 2)
    assert report.render_text().endswith("  and 3 more")


def test_simulating_nothing_reports_nothing() -> None:
    report = simulate(PROPOSED, [])

    assert (report.orders, report.by_type, report.differing) == (0, {}, 0)
    assert "  nothing" in report.render_text()
