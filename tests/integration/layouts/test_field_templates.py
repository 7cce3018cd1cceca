"""Field templates (F5.2): checked when a layout is saved, filled in when a draft is made from an order."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from faktura.apps.invoicing.services import document_create_from_order
from faktura.apps.layouts.models import DocumentLayout
from faktura.apps.layouts.services import LayoutSettings, layout_save
from faktura.apps.sales.services import OrderLineData, buyer_create, order_create
from faktura.core.errors import InvalidValue
from faktura.core.macros import MACROS
from tests import factories as make

pytestmark = pytest.mark.django_db


def _order(org, *, name: str = "Ana Popescu", language: str = "", channel=None, number: str = "10025"):
    buyer = buyer_create(actor=make.TEST_ACTOR, organization=org, name=name, country="RO", language=language)
    return order_create(
        actor=make.TEST_ACTOR,
        organization=org,
        channel=channel or make.channel(org),
        external_id=number,
        number=number,
        buyer=buyer,
        currency="RON",
        lines=[OrderLineData(name="Cană", quantity=Decimal(2), unit_price=Decimal("12.10"), vat_rate=Decimal(21))],
        placed_at=dt.datetime(2026, 1, 5, 10, tzinfo=dt.UTC),
    )


def _save(org, templates: dict[str, str], **where):
    return layout_save(actor=make.TEST_ACTOR, organization=org, settings=LayoutSettings(templates=templates), **where)


def test_an_unknown_macro_is_refused_on_save_naming_the_field() -> None:
    org = make.seller()
    with pytest.raises(InvalidValue) as refused:
        _save(org, {"title": "Invoice {order.numbr}"})
    assert refused.value.field == "templates.title"
    assert "did you mean {order.number}" in refused.value.message
    assert not DocumentLayout.objects.filter(organization=org).exists()


@pytest.mark.parametrize(
    ("field", "text", "why"),
    [
        ("due_date", "{order.date} + 14 days", "exactly one date macro"),
        ("due_date", "{document.due_date+3}", "cannot be used here"),
        ("note", "Order {order.number", "is not closed"),
        ("note", "{order.__class__}", "not a macro name"),
        ("colour", "{order.number}", "no field 'colour'"),
    ],
)
def test_bad_templates_are_refused_on_save(field: str, text: str, why: str) -> None:
    with pytest.raises(InvalidValue) as refused:
        _save(make.seller(), {field: text})
    assert refused.value.field == f"templates.{field}"
    assert why in refused.value.message


def test_templates_fill_title_note_and_due_date_in_the_documents_language() -> None:
    org = make.seller()  # a Romanian seller: documents in Romanian unless the buyer has a language
    _save(
        org,
        {
            "title": "Factura pentru comanda {order.number}",
            "note": "Comanda din {order.date}, client {order.client.name}",
            "due_date": "{document.issue_date+14}",
        },
    )
    today = dt.date.today()
    ro = document_create_from_order(actor=make.TEST_ACTOR, organization=org, order=_order(org), document_type="invoice")
    assert ro.title == "Factura pentru comanda 10025"
    assert ro.note == "Comanda din 05.01.2026, client Ana Popescu"
    assert ro.language == "ro"
    assert ro.due_date is not None
    assert abs((ro.due_date - today).days - 14) <= 1  # today in the seller's time zone

    en = document_create_from_order(
        actor=make.TEST_ACTOR,
        organization=org,
        order=_order(org, language="en", number="10026"),
        document_type="invoice",
    )
    assert (en.language, en.note) == ("en", "Comanda din 5 Jan 2026, client Ana Popescu")


def test_a_due_date_given_by_the_caller_wins_and_no_templates_change_nothing() -> None:
    org = make.seller()
    plain = document_create_from_order(
        actor=make.TEST_ACTOR, organization=org, order=_order(org), document_type="invoice"
    )
    assert (plain.title, plain.note, plain.due_date) == ("", "", None)

    _save(org, {"due_date": "{document.issue_date+14}"})
    given = dt.date(2026, 12, 31)
    document = document_create_from_order(
        actor=make.TEST_ACTOR, organization=org, order=_order(org, number="2"), document_type="invoice", due_date=given
    )
    assert document.due_date == given


def test_the_most_specific_layout_wins_field_by_field() -> None:
    org = make.seller()
    shop = make.channel(org)
    _save(org, {"title": "Default {order.number}", "note": "Thanks"})
    _save(org, {"title": "Shop invoice {order.number}"}, channel_id=shop.pk, document_type="invoice")
    document = document_create_from_order(
        actor=make.TEST_ACTOR, organization=org, order=_order(org, channel=shop), document_type="invoice"
    )
    assert (document.title, document.note) == ("Shop invoice 10025", "Thanks")
    proforma = document_create_from_order(
        actor=make.TEST_ACTOR, organization=org, order=_order(org, channel=shop, number="7"), document_type="proforma"
    )
    assert proforma.title == "Default 7"


def test_braces_in_a_buyers_name_are_printed_never_read_as_a_template() -> None:
    org = make.seller()
    _save(org, {"title": "Pentru {order.client.name}", "note": "{order.client.name} / {order.number}"})
    name = "{order.__class__} {{seller.iban}} {order.number}"
    document = document_create_from_order(
        actor=make.TEST_ACTOR, organization=org, order=_order(org, name=name), document_type="invoice"
    )
    assert document.title == f"Pentru {name}"
    assert document.note == f"{name} / 10025"


def test_the_supply_date_comes_first_and_the_due_date_may_use_it() -> None:
    org = make.seller()
    _save(org, {"supply_date": "{order.date}", "due_date": "{document.supply_date+30}"})
    document = document_create_from_order(
        actor=make.TEST_ACTOR, organization=org, order=_order(org), document_type="invoice"
    )
    assert (document.supply_date, document.due_date) == (dt.date(2026, 1, 5), dt.date(2026, 2, 4))


def test_every_macro_of_the_catalog_is_documented_for_sellers() -> None:
    guide = (Path(__file__).parents[3] / "docs" / "sellers.md").read_text()
    section = guide[guide.index("## Field macros") :]
    assert [macro.placeholder for macro in MACROS if f"`{macro.placeholder}`" not in section] == []


def test_the_order_number_and_the_buyer_as_printed_come_from_templates() -> None:
    org = make.seller()
    _save(
        org,
        {
            "order_number": "WEB-{order.number}",
            "buyer.company": "{order.client.name} PFA",
            "buyer.city": "{order.client.city}",
            "currency": "{order.currency}",
        },
    )
    document = document_create_from_order(
        actor=make.TEST_ACTOR, organization=org, order=_order(org), document_type="invoice"
    )
    assert document.order_number == "WEB-10025"
    assert document.buyer_name == "Ana Popescu PFA"
    assert document.buyer_details["name"] == "Ana Popescu PFA"
    assert document.currency == "RON"
    # a macro with no value (the order's buyer has no city) leaves the buyer's own value alone
    assert document.buyer_details["city"] == ""


def test_a_buyer_field_from_a_template_is_checked_like_any_buyer() -> None:
    org = make.seller()
    _save(org, {"buyer.country": "{order.number}"})
    with pytest.raises(InvalidValue) as refused:
        document_create_from_order(actor=make.TEST_ACTOR, organization=org, order=_order(org), document_type="invoice")
    assert refused.value.field == "buyer.country"


def test_the_sellers_iban_is_the_default_account_in_the_documents_currency() -> None:
    from faktura.apps.accounts.services import bank_account_add

    org = make.seller()
    bank_account_add(actor=make.TEST_ACTOR, organization=org, iban="DE89370400440532013000", currency="EUR")
    bank_account_add(actor=make.TEST_ACTOR, organization=org, iban="RO49AAAA1B31007593840000", currency="RON")
    _save(org, {"note": "Plătiți în {seller.iban}"})
    document = document_create_from_order(
        actor=make.TEST_ACTOR, organization=org, order=_order(org), document_type="invoice"
    )
    assert document.note == "Plătiți în RO49AAAA1B31007593840000"
