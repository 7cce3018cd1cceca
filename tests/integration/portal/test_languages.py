"""The portal speaks the seven document languages: Accept-Language, then the buyer's choice, kept on their account."""

from __future__ import annotations

import pytest
from django.test import Client

from faktura.apps.portal.models import BuyerAccount
from tests.integration.portal import helpers
from tests.integration.portal.helpers import ANA

pytestmark = pytest.mark.django_db

SIGN_IN_BUTTON = {
    "en": "Email me a sign-in link",
    "ro": "Trimiteți-mi un link de autentificare",
    "sk": "Pošlite mi odkaz na prihlásenie",
    "hu": "Küldjenek bejelentkezési linket",
    "cs": "Pošlete mi odkaz pro přihlášení",
    "de": "Anmeldelink per E-Mail senden",
    "pl": "Wyślij mi link do logowania",
}


@pytest.mark.parametrize("language", sorted(SIGN_IN_BUTTON))
def test_the_sign_in_page_follows_accept_language(language: str) -> None:
    page = Client().get("/my/sign-in", headers={"Accept-Language": f"{language},en;q=0.5"})
    assert f'<html lang="{language}">' in page.content.decode()
    assert SIGN_IN_BUTTON[language] in page.content.decode()


def test_the_switcher_keeps_the_language_on_the_account_for_the_next_visit() -> None:
    client = helpers.signed_in(ANA)
    answer = client.post("/my/language", {"language": "hu", "next": "/my/orders/"})
    assert answer.status_code == 302
    assert answer["Location"] == "/my/orders/"
    assert BuyerAccount.objects.get(email=ANA).language == "hu"
    assert "Rendeléseim" in client.get("/my/orders/").content.decode()

    fresh = helpers.signed_in(ANA)  # another browser: no cookie, the account's language
    fresh.cookies.pop("django_language", None)
    assert "Rendeléseim" in fresh.get("/my/orders/").content.decode()


def test_an_unknown_language_or_an_outside_next_is_refused() -> None:
    client = Client()
    assert client.post("/my/language", {"language": "xx"}).status_code == 400
    answer = client.post("/my/language", {"language": "de", "next": "https://evil.example/"})
    assert answer["Location"] == "/my/"


def test_the_sign_in_email_is_in_the_language_of_the_page_it_was_asked_from(smtp: object) -> None:
    org, channel = helpers.shop("Carpathia Ceramics SRL")
    helpers.order_for(org, channel, "1001")
    Client().post("/my/sign-in", {"email": ANA}, headers={"Accept-Language": "sk"})
    helpers.run_sends()
    [mail] = smtp.received  # type: ignore[attr-defined]
    assert mail.header("Subject") == "Váš odkaz na prihlásenie"
    assert "Otvorí sa raz, do 15 minút." in mail.body("plain")
