"""Credits and payments racing each other in real OS processes never take more than is left, and add up.

Every process has its own database connection and is released by a barrier.
The credit locks the invoice before it reads what is left, so of eight
processes each crediting everything left exactly one succeeds; eight payments
recorded at once all count.
"""

from __future__ import annotations

import datetime as dt
import json
import multiprocessing
from decimal import Decimal
from pathlib import Path

import pytest

from faktura.apps.invoicing.models import Document
from faktura.apps.invoicing.services import CreditLine, document_credit, document_issue
from faktura.apps.payments.services import payment_record
from faktura.core.errors import FakturaError
from tests import factories as make
from tests.integration.numbering.helpers import run_forked

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

PROCESSES = 8


def _invoice():
    org = make.seller()
    make.series(org)
    make.series(org, pattern="CN{RRRR}{CCC}", document_type="credit_note")
    draft = make.draft(org, lines=[make.line(quantity="8", price="10.00")])  # 80.00 RON
    return org, document_issue(actor=make.TEST_ACTOR, organization=org, document_id=draft.pk)


def _race(tmp_path: Path, work) -> list[str]:
    barrier = multiprocessing.get_context("fork").Barrier(PROCESSES)

    def worker(index: int) -> None:
        barrier.wait(timeout=60)
        try:
            work(index)
            result = "ok"
        except FakturaError as error:
            result = error.code
        (tmp_path / f"{index}.json").write_text(json.dumps(result))

    codes = run_forked([lambda i=i: worker(i) for i in range(PROCESSES)], timeout=180)
    assert codes == [0] * PROCESSES
    return [json.loads((tmp_path / f"{i}.json").read_text()) for i in range(PROCESSES)]


def test_eight_full_credits_at_once_make_one_credit_note(tmp_path: Path) -> None:
    org, invoice = _invoice()
    results = _race(
        tmp_path, lambda _: document_credit(actor=make.TEST_ACTOR, organization=org, document_id=invoice.pk)
    )
    assert sorted(results) == ["conflict"] * (PROCESSES - 1) + ["ok"]
    notes = Document.objects.filter(organization=org, document_type="credit_note")
    assert [note.payable for note in notes] == [-invoice.payable]


def test_eight_credits_of_one_unit_each_take_exactly_what_is_left(tmp_path: Path) -> None:
    org, invoice = _invoice()
    document_credit(actor=make.TEST_ACTOR, organization=org, document_id=invoice.pk, lines=[CreditLine(1, Decimal(3))])

    def one_unit(_: int) -> None:
        document_credit(
            actor=make.TEST_ACTOR, organization=org, document_id=invoice.pk, lines=[CreditLine(1, Decimal(1))]
        )

    results = _race(tmp_path, one_unit)
    assert sorted(results) == ["conflict"] * 3 + ["ok"] * 5
    credited = sum(d.payable for d in Document.objects.filter(organization=org, document_type="credit_note"))
    assert credited == -invoice.payable


def test_eight_payments_at_once_all_count(tmp_path: Path) -> None:
    org, invoice = _invoice()
    results = _race(
        tmp_path,
        lambda i: payment_record(
            actor=make.TEST_ACTOR,
            organization=org,
            document_id=invoice.pk,
            amount=Decimal("10.00"),
            currency="RON",
            received_on=dt.date(2026, 1, 20),
            reference=f"P{i}",
        ),
    )
    assert results == ["ok"] * PROCESSES
    stored = Document.objects.get(pk=invoice.pk)
    assert (stored.amount_paid, stored.payment_state) == (Decimal("80.00"), "paid")
