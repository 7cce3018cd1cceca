"""Settings in a real browser: add a sales channel, set up its numbering series watching the next number
change as the pattern is typed, switch test mode on and see the documents' numbers become TEST- ones."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from faktura.apps.accounts.models import Organization
from faktura.apps.invoicing.models import Series
from faktura.apps.sales.models import SalesChannel
from tests import factories as make

if TYPE_CHECKING:
    from playwright.sync_api import Locator, Page

pytestmark = pytest.mark.django_db(transaction=True)


def sign_in(page: Page, base: str, email: str) -> None:
    page.goto(f"{base}/app/sign-in")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(make.PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


def test_a_seller_adds_a_channel_sets_up_its_series_with_the_preview_and_switches_test_mode(
    live_server: object, page: Page, screenshot: Callable[..., Path]
) -> None:
    org = make.seller()
    make.person(org, "owner", email="ana@shop.test")
    make.series(org, "FA{RRRR}{CCC}")
    base = live_server.url  # type: ignore[attr-defined]
    year = timezone.localdate(timezone=ZoneInfo(org.time_zone)).year
    sign_in(page, base, "ana@shop.test")

    # A channel: eBay, its documents uploaded by hand, nothing automatic.
    page.goto(f"{base}/app/settings/channels/")
    page.get_by_role("link", name="Add channel").click()
    page.get_by_label("Name").fill("eBay")
    page.get_by_label("Kind").select_option("ebay")
    page.get_by_label("I upload them by hand").check()
    page.get_by_label("Automatic issuing").uncheck()
    page.get_by_role("button", name="Add channel").click()
    page.wait_for_url(re.compile(r"/app/settings/channels/\d+/$"))
    assert "added" in page.get_by_role("alert").first.inner_text()
    channel = SalesChannel.objects.for_organization(org).get(name="eBay")
    assert (channel.invoicing_mode, channel.auto_issue) == ("manual_upload", False)
    page.get_by_role("button", name="Make an address").click()
    assert page.locator("[data-secret]").inner_text().startswith("whsec_")
    screenshot(page, "settings-channel")
    page.goto(f"{base}/app/settings/channels/")
    screenshot(page, "settings-channels")

    # Its series: the preview follows the typing, refuses an ambiguous pattern, then shows the number.
    page.goto(f"{base}/app/settings/series/new?channel={channel.pk}")
    preview = page.locator("#series-preview")
    page.get_by_label("Pattern").fill("EBARRRRRCCC")
    page.get_by_label("Pattern").dispatch_event("input")
    assert_text(preview, "ambiguous")
    assert_text(preview, "EBAR{RRRR}{CCC}")
    assert_text(page.locator("#live-error-pattern"), "ambiguous")
    screenshot(page, "settings-series-ambiguous")
    page.get_by_label("Pattern").fill("EBA{RRRR}{CCCC}")
    page.get_by_label("Start number").fill("120")
    page.get_by_label("Start number").dispatch_event("input")
    assert_text(preview, f"EBA{year}0120")
    page.get_by_label("Pattern").fill("FA{RRRR}{CCC}")
    page.get_by_label("Pattern").dispatch_event("input")
    assert_text(preview, "could produce the number")
    assert_text(page.locator("#live-error-pattern"), "could produce the number")
    page.get_by_label("Pattern").fill("EBARRRRCCCC")
    page.get_by_label("Pattern").dispatch_event("input")
    assert_text(preview, f"EBA{year}0120")
    expect(page.locator("#live-error-pattern")).to_be_empty()
    screenshot(page, "settings-series-new")
    page.get_by_role("button", name="Add series").click()
    page.wait_for_url(f"{base}/app/settings/series/")
    series = Series.objects.for_organization(org).get(channel=channel)
    assert (series.pattern, series.start_number) == ("EBA{RRRR}{CCCC}", 120)
    assert page.get_by_text(f"EBA{year}0120").is_visible()
    screenshot(page, "settings-series")

    # Test mode: on, then the page says so everywhere; numbers of documents become TEST- ones.
    page.goto(f"{base}/app/settings/company/")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Switch test mode on").click()
    page.wait_for_load_state()
    assert page.locator('[data-test-mode="on"]').is_visible()
    assert page.locator(".topbar").get_by_text("Test mode").is_visible()
    assert Organization.objects.get(pk=org.pk).test_mode
    page.goto(f"{base}/app/settings/series/")
    assert page.get_by_text(f"EBA{year}0120").is_visible()
    page.goto(f"{base}/app/settings/company/")
    screenshot(page, "settings-company")


def assert_text(locator: Locator, text: str) -> None:
    expect(locator).to_contain_text(text, timeout=10_000)


def test_an_owner_creates_an_api_key_and_sees_it_once(
    live_server: object, page: Page, screenshot: Callable[..., Path]
) -> None:
    org = make.seller()
    make.person(org, "owner", email="ana@shop.test")
    make.person(org, "accountant", email="books@office.test")
    base = live_server.url  # type: ignore[attr-defined]
    sign_in(page, base, "ana@shop.test")
    page.goto(f"{base}/app/settings/members/")
    page.get_by_label("Name").fill("WooCommerce")
    page.get_by_role("button", name="Create API key").click()
    page.wait_for_load_state()
    secret = page.locator("#new-key [data-secret]").inner_text()
    assert secret.startswith("fk_")
    screenshot(page, "settings-members")
    page.goto(f"{base}/app/settings/members/")
    assert page.get_by_role("cell", name="WooCommerce", exact=True).is_visible()
    assert secret not in page.content()
