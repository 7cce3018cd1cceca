"""Settings -> Issuing rules: list, editor, order of the rules, triggers, explain on a past order (F4)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from faktura.apps.audit.selectors import events_for
from faktura.apps.automation import connectors, selectors
from faktura.apps.automation.services import order_receive, rule_create
from faktura.core.rules import OrderStatus, PaymentMethod
from tests import factories as make
from tests.integration.automation import helpers

pytestmark = pytest.mark.django_db

RULES = "/app/settings/rules/"


def signed_in(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def rule_form(**changes: Any) -> dict[str, Any]:
    form: dict[str, Any] = {
        "name": "Invoice for cards",
        "enabled": "on",
        "statuses": ["accepted"],
        "payment_methods": ["card"],
        "delivery_methods": "",
        "billing_details": "always",
        "buyer_countries": "",
        "buyer_kind": "any",
        "document_type": "invoice",
        "send_to_buyer": "on",
        "due_days": "",
        "mark_paid": "on",
    }
    form.update(changes)
    return {k: v for k, v in form.items() if v is not None}


@pytest.fixture
def shop() -> tuple[Any, Any]:
    return helpers.shop()


def test_the_rules_page_lists_the_channel_s_rules_in_order_with_their_conditions(shop: tuple[Any, Any]) -> None:
    org, channel = shop
    helpers.seed_003(org, channel)
    page = signed_in(make.person(org, "owner")).get(RULES, {"channel": channel.pk})
    assert page.status_code == 200
    text = page.content.decode()
    assert text.index("Proforma for transfers") < text.index("Invoice for cards") < text.index("Credit note when")
    assert "paid by Bank transfer" in text
    assert "Add a rule" in text
    assert 'name="final_invoice_when_proforma_paid" checked' in text


def test_a_rule_is_added_through_the_editor_and_audited(shop: tuple[Any, Any]) -> None:
    org, channel = shop
    client = signed_in(make.person(org, "admin"))
    assert client.get(f"{RULES}new/", {"channel": channel.pk}).status_code == 200
    response = client.post(
        f"{RULES}new/",
        rule_form(channel=channel.pk, buyer_countries="ro, sk", delivery_methods="Courier, Pickup"),
    )
    assert response.status_code == 302, response.content.decode()
    assert response["Location"] == f"{RULES}?channel={channel.pk}"
    (rule,) = selectors.rules(organization=org, channel_id=channel.pk)
    assert rule.conditions["buyer_countries"] == ["RO", "SK"]
    assert rule.conditions["delivery_methods"] == ["Courier", "Pickup"]
    assert rule.action["mark_paid"] is True
    assert events_for(organization=org).filter(action="rule.created").count() == 1


def test_a_rule_is_edited_moved_and_deleted(shop: tuple[Any, Any]) -> None:
    org, channel = shop
    helpers.seed_003(org, channel)
    client = signed_in(make.person(org, "owner"))
    first, second, third = selectors.rules(organization=org, channel_id=channel.pk)
    page = client.get(f"{RULES}{second.pk}/")
    assert page.status_code == 200
    assert 'value="Invoice for cards"' in page.content.decode()
    edited = client.post(f"{RULES}{second.pk}/", rule_form(name="Cards and PayPal", payment_methods=["card", "paypal"]))
    assert edited.status_code == 302
    assert selectors.rule_get(organization=org, rule_id=second.pk).conditions["payment_methods"] == ["card", "paypal"]  # type: ignore[union-attr]

    assert client.post(f"{RULES}{third.pk}/move", {"direction": "up"}).status_code == 302
    assert [r.pk for r in selectors.rules(organization=org, channel_id=channel.pk)] == [first.pk, third.pk, second.pk]
    assert client.post(f"{RULES}{first.pk}/delete").status_code == 302
    assert [r.pk for r in selectors.rules(organization=org, channel_id=channel.pk)] == [third.pk, second.pk]


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"name": ""}, "name", "This field is required"),
        ({"statuses": None}, "statuses", "This field is required"),
        ({"buyer_countries": "XX"}, "buyer_countries", "XX"),
        ({"payment_methods": ["bank_transfer"]}, "mark_paid", "paid upfront"),
        ({"due_days": "900"}, "due_days", "365"),
        ({"statuses": ["lost"]}, "statuses", "lost"),
    ],
)
def test_a_rule_that_cannot_be_right_is_refused_next_to_its_field(
    shop: tuple[Any, Any], changes: dict[str, Any], field: str, message: str
) -> None:
    org, channel = shop
    response = signed_in(make.person(org, "owner")).post(f"{RULES}new/", rule_form(channel=channel.pk, **changes))
    assert response.status_code == 422
    form = response.context["form"]
    assert field in form.errors, form.errors
    assert message in " ".join(form.errors[field])
    assert selectors.rules(organization=org).count() == 0


def test_triggers_are_switched_per_channel(shop: tuple[Any, Any]) -> None:
    org, channel = shop
    client = signed_in(make.person(org, "owner"))
    response = client.post(
        f"{RULES}channels/{channel.pk}/triggers", {"invoice_when_order_paid": "on", "credit_note_when_cancelled": "on"}
    )
    assert response.status_code == 302
    rule_set = selectors.rule_set_get(organization=org, channel_id=channel.pk)
    assert rule_set is not None
    assert rule_set.triggers["invoice_when_order_paid"] is True
    assert rule_set.triggers["final_invoice_when_proforma_paid"] is False
    assert events_for(organization=org).filter(action="rules.triggers_set").exists()


class NoProformas:
    name = "no-proformas"
    label = "Books Without Proformas"
    supported_document_types = frozenset({"invoice"})

    def check_order(self, order: object) -> list[object]:
        return []


@pytest.fixture
def no_proformas() -> Any:
    connectors.register(NoProformas())  # type: ignore[arg-type]
    yield NoProformas.name
    connectors.unregister(NoProformas.name)


def test_a_connector_s_unsupported_document_types_cannot_be_chosen(shop: tuple[Any, Any], no_proformas: str) -> None:
    org, channel = shop
    channel.connector = no_proformas
    channel.save()
    client = signed_in(make.person(org, "owner"))
    page = client.get(f"{RULES}new/", {"channel": channel.pk}).content.decode()
    assert 'value="invoice"' in page
    assert 'value="proforma"' not in page
    assert 'value="credit_note"' not in page
    refused = client.post(f"{RULES}new/", rule_form(channel=channel.pk, document_type="proforma", mark_paid=None))
    assert refused.status_code == 422
    assert "document_type" in refused.context["form"].errors
    listing = client.get(RULES, {"channel": channel.pk}).content.decode()
    assert 'name="credit_note_when_cancelled"  disabled' in listing or "does not accept" in listing


def _order(org: Any, channel: Any, external_id: str, payment_method: PaymentMethod) -> Any:
    outcome = order_receive(
        actor=make.TEST_ACTOR,
        organization=org,
        channel=channel,
        payload=helpers.order(external_id, payment_method=payment_method, status=OrderStatus.ACCEPTED),
    )
    return outcome.order_id


def test_explain_shows_the_rule_as_edited_matching_a_past_order_before_it_is_saved(shop: tuple[Any, Any]) -> None:
    org, channel = shop
    order_id = _order(org, channel, "5001", PaymentMethod.BANK_TRANSFER)
    rule = rule_create(
        actor=make.TEST_ACTOR,
        organization=org,
        channel_id=channel.pk,
        name="Invoice for cards",
        conditions={"statuses": ["accepted"], "payment_methods": ["card"]},
        action={"document_type": "invoice"},
    )
    client = signed_in(make.person(org, "owner"))
    editor = client.get(f"{RULES}{rule.pk}/").content.decode()
    assert "#RO-5001" in editor

    saved = client.post(
        f"{RULES}channels/{channel.pk}/explain", rule_form(rule=rule.pk, explain_order=order_id, mark_paid=None)
    )
    assert saved.status_code == 200
    assert "payment method is bank_transfer, rule wants card" in saved.content.decode()

    edited = client.post(
        f"{RULES}channels/{channel.pk}/explain",
        rule_form(rule=rule.pk, explain_order=order_id, payment_methods=["card", "bank_transfer"], mark_paid=None),
    )
    text = edited.content.decode()
    assert "matches" in text
    assert "this rule" in text
    assert "invoice 34.20" in text
    # Nothing was saved by explaining.
    assert selectors.rule_get(organization=org, rule_id=rule.pk).conditions["payment_methods"] == ["card"]  # type: ignore[union-attr]

    # Without JavaScript the editor's own form explains, with the page around it.
    plain = client.post(
        f"{RULES}{rule.pk}/",
        rule_form(explain="1", explain_order=order_id, payment_methods=["bank_transfer"], mark_paid=None),
    )
    assert plain.status_code == 200
    assert "invoice 34.20" in plain.content.decode()
    assert selectors.rule_get(organization=org, rule_id=rule.pk).conditions["payment_methods"] == ["card"]  # type: ignore[union-attr]


def test_explain_of_a_new_rule_that_cannot_be_right_names_the_problem(shop: tuple[Any, Any]) -> None:
    org, channel = shop
    order_id = _order(org, channel, "5002", PaymentMethod.CARD)
    client = signed_in(make.person(org, "owner"))
    response = client.post(
        f"{RULES}channels/{channel.pk}/explain",
        rule_form(explain_order=order_id, payment_methods=["bank_transfer"], mark_paid="on"),
    )
    assert response.status_code == 200
    assert "Correct the rule first" in response.content.decode()
    new = client.post(f"{RULES}channels/{channel.pk}/explain", rule_form(explain_order=order_id, mark_paid=None))
    assert "this rule" in new.content.decode()
    assert "invoice 34.20" in new.content.decode()


@pytest.mark.parametrize("role", ["viewer", "accountant"])
def test_viewers_and_accountants_read_the_rules_but_cannot_change_them(shop: tuple[Any, Any], role: str) -> None:
    org, channel = shop
    helpers.seed_003(org, channel)
    rule = selectors.rules(organization=org, channel_id=channel.pk).first()
    assert rule is not None
    client = signed_in(make.person(org, role))
    page = client.get(RULES)
    assert page.status_code == 200
    assert "Add a rule" not in page.content.decode()
    assert "Proforma for transfers" in page.content.decode()
    assert client.get(f"{RULES}new/", {"channel": channel.pk}).status_code == 403
    assert client.get(f"{RULES}{rule.pk}/").status_code == 403
    assert client.post(f"{RULES}{rule.pk}/", rule_form()).status_code == 403
    assert client.post(f"{RULES}{rule.pk}/delete").status_code == 403
    assert client.post(f"{RULES}{rule.pk}/move", {"direction": "down"}).status_code == 403
    assert client.post(f"{RULES}channels/{channel.pk}/triggers", {}).status_code == 403
    assert client.post(f"{RULES}channels/{channel.pk}/explain", rule_form()).status_code == 403
    assert selectors.rules(organization=org, channel_id=channel.pk).count() == 3


def test_another_seller_s_channel_rule_and_order_are_not_found(shop: tuple[Any, Any]) -> None:
    org, channel = shop
    helpers.seed_003(org, channel)
    rule = selectors.rules(organization=org, channel_id=channel.pk).first()
    assert rule is not None
    order_id = _order(org, channel, "5003", PaymentMethod.CARD)
    other_org, other_channel = helpers.shop()
    client = signed_in(make.person(other_org, "owner"))
    assert client.get(RULES, {"channel": channel.pk}).status_code == 404
    assert client.get(RULES, {"channel": "nope"}).status_code == 404
    assert client.get(f"{RULES}new/", {"channel": channel.pk}).status_code == 404
    assert client.get(f"{RULES}{rule.pk}/").status_code == 404
    assert client.post(f"{RULES}{rule.pk}/delete").status_code == 404
    assert client.post(f"{RULES}{rule.pk}/move", {"direction": "up"}).status_code == 404
    assert client.post(f"{RULES}channels/{channel.pk}/triggers", {}).status_code == 404
    assert client.post(f"{RULES}channels/{channel.pk}/explain", rule_form(explain_order=order_id)).status_code == 404
    # Another seller's order in one's own channel's explain: asked to choose an order of the channel.
    foreign = client.post(f"{RULES}channels/{other_channel.pk}/explain", rule_form(explain_order=order_id))
    assert foreign.status_code == 200
    assert "Choose an order of this channel" in foreign.content.decode()
    assert selectors.rules(organization=org, channel_id=channel.pk).count() == 3
