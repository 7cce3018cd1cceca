"""Signing in to the seller app in a real browser."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests import factories as make

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_seller_signs_in_and_a_wrong_password_is_explained(
    live_server: object, page: object, screenshot: Callable[..., Path]
) -> None:
    org = make.seller()
    make.person(org, "owner", email="ana@shop.test")
    page.goto(f"{live_server.url}/app/")  # type: ignore[attr-defined]
    assert "/app/sign-in" in page.url  # type: ignore[attr-defined]
    page.get_by_label("Email").fill("ana@shop.test")  # type: ignore[attr-defined]
    page.get_by_label("Password").fill("wrong")  # type: ignore[attr-defined]
    page.get_by_role("button", name="Sign in").click()  # type: ignore[attr-defined]
    assert page.get_by_role("alert").is_visible()  # type: ignore[attr-defined]
    screenshot(page, "sign-in")
    page.get_by_label("Password").fill(make.PASSWORD)  # type: ignore[attr-defined]
    page.get_by_role("button", name="Sign in").click()  # type: ignore[attr-defined]
    page.wait_for_load_state()  # type: ignore[attr-defined]
    assert "/app/sign-in" not in page.url  # type: ignore[attr-defined]
    assert page.context.cookies()[0]["name"] in {"sessionid", "csrftoken"}  # type: ignore[attr-defined]


@pytest.mark.parametrize("page", ["ro-RO"], indirect=True)
def test_the_sign_in_page_speaks_the_browsers_language(live_server: object, page: object) -> None:
    page.goto(f"{live_server.url}/app/sign-in")  # type: ignore[attr-defined]
    assert page.get_by_role("heading").inner_text() == "Autentificați-vă în contul de vânzător"  # type: ignore[attr-defined]
