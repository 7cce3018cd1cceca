"""Issuing rules, layout and emails in a real browser: edit a rule and explain it on a past order before
saving; change the accent colour and watch the preview change; see an email's preview follow the typing.

Screenshots (``settings-rules``, ``settings-rule-explain``, ``settings-layouts``, ``settings-emails``) are the
sellers' guide's pictures of these pages.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from playwright.sync_api import expect

from faktura.apps.automation import selectors
from faktura.apps.automation.services import order_receive, rule_create
from faktura.apps.layouts import selectors as layouts
from faktura.core.rules import OrderStatus, PaymentMethod
from tests import factories as make
from tests.integration.automation import helpers

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.django_db(transaction=True)


def sign_in(page: Page, base: str, email: str) -> None:
    page.goto(f"{base}/app/sign-in")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(make.PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


def _shop() -> tuple[Any, Any, int]:
    org, channel = helpers.shop()
    channel.name = "Magazin online"
    channel.save()
    make.person(org, "owner", email="ana@shop.test")
    helpers.seed_003(org, channel)
    outcome = order_receive(
        actor=make.TEST_ACTOR,
        organization=org,
        channel=channel,
        payload=helpers.order("7001", payment_method=PaymentMethod.CASH_ON_DELIVERY, status=OrderStatus.ACCEPTED),
    )
    return org, channel, outcome.order_id


def test_a_rule_is_edited_and_explained_on_a_past_order_before_it_is_saved(
    live_server: Any, page: Page, screenshot: Callable[..., Path]
) -> None:
    org, channel, order_id = _shop()
    rule_create(
        actor=make.TEST_ACTOR,
        organization=org,
        channel_id=channel.pk,
        name="Invoice on delivery",
        conditions={"statuses": ["delivered"], "payment_methods": ["cash_on_delivery"], "buyer_countries": ["RO"]},
        action={"document_type": "invoice", "due_days": 0},
    )
    base = live_server.url
    sign_in(page, base, "ana@shop.test")
    page.goto(f"{base}/app/settings/rules/?channel={channel.pk}")
    expect(page.get_by_role("heading", name="Issuing rules")).to_be_visible()
    expect(page.get_by_role("cell", name="Invoice on delivery", exact=True)).to_be_visible()
    screenshot(page, "settings-rules")

    page.get_by_role("row", name="Invoice on delivery").get_by_role("link", name="Edit").click()
    order = page.get_by_label("Order", exact=True)
    order.select_option(value=str(order_id))
    expect(order.locator("option:checked")).to_contain_text("#RO-7001 · Accepted · Cash on delivery")
    page.get_by_role("button", name="Explain").click()
    panel = page.locator("#explanation")
    expect(panel).to_contain_text("status is accepted, rule wants delivered")
    expect(panel.locator(".would-issue-nothing")).to_be_visible()

    # As edited, not saved: cash on delivery on "accepted" now matches and would issue the invoice.
    page.get_by_label("Accepted").check()
    page.get_by_role("button", name="Explain").click()
    expect(panel.locator(".rule-check.edited")).to_contain_text("matches")
    expect(panel.locator(".would-issue")).to_contain_text("invoice 34.20")
    screenshot(page, "settings-rule-explain")
    rule = selectors.rules(organization=org, channel_id=channel.pk).get(name="Invoice on delivery")
    assert rule.conditions["statuses"] == ["delivered"]

    page.get_by_role("button", name="Save rule").click()
    expect(page.get_by_text("Rule saved.")).to_be_visible()
    rule.refresh_from_db()
    assert rule.conditions["statuses"] == ["accepted", "delivered"]


def test_the_accent_colour_changes_the_live_preview_and_is_saved(
    live_server: Any, page: Page, screenshot: Callable[..., Path], tmp_path: Path, settings: Any
) -> None:
    settings.MEDIA_ROOT = str(tmp_path)
    org, _, _ = _shop()
    base = live_server.url
    sign_in(page, base, "ana@shop.test")
    page.goto(f"{base}/app/settings/layouts/")
    preview = page.locator("#preview img.preview-page")
    expect(preview).to_be_visible()
    before = preview.get_attribute("src")

    page.get_by_label("Title").fill("Factura pentru comanda {order.number}")
    expect(page.locator(".template-examples")).to_contain_text("Factura pentru comanda 10025")
    page.get_by_label("Accent colour").fill("#0f766e")
    page.get_by_label("Accent colour").dispatch_event("change")
    expect(preview).not_to_have_attribute("src", before or "")
    page.get_by_label("Footer").fill("Mulțumim pentru comandă!")
    page.wait_for_timeout(1200)
    expect(preview).to_be_visible()
    screenshot(page, "settings-layouts")

    page.get_by_label("Title").fill("Factura {order.numbr}")
    expect(page.locator("#preview")).to_contain_text("did you mean {order.number}")
    page.get_by_role("button", name="Save layout").click()
    expect(page.locator(".invalid-feedback")).to_contain_text("did you mean {order.number}")
    assert not layouts.layouts(organization=org).exists()

    page.get_by_label("Title").fill("Factura {order.number}")
    page.get_by_role("button", name="Save layout").click()
    expect(page.get_by_text("Layout saved.")).to_be_visible()
    saved = layouts.layouts(organization=org).get()
    assert (saved.accent_colour, saved.templates["title"]) == ("#0f766e", "Factura {order.number}")


def test_an_email_s_preview_follows_the_typing(live_server: Any, page: Page, screenshot: Callable[..., Path]) -> None:
    _shop()
    base = live_server.url
    sign_in(page, base, "ana@shop.test")
    page.goto(f"{base}/app/settings/emails/?kind=order_confirmation&language=ro")
    subject = page.get_by_label("Subject")
    subject.fill("Comanda {order.number} de la ")
    page.get_by_role("button", name="{seller.name}").click()
    expect(subject).to_have_value("Comanda {order.number} de la {seller.name}")
    expect(page.locator(".email-subject")).to_have_text("Comanda 10025 de la Exemplu SRL")
    screenshot(page, "settings-emails")
    page.get_by_role("button", name="Save wording").click()
    expect(page.get_by_text("Email wording saved.")).to_be_visible()
