"""Settings -> Emails to buyers: the seller's own wording per kind and language, checked, previewed (F6)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from faktura.apps.audit.selectors import events_for
from faktura.apps.delivery import selectors
from tests import factories as make

pytestmark = pytest.mark.django_db

PAGE = "/app/settings/emails/"


def signed_in(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def wording(**changes: Any) -> dict[str, Any]:
    form = {
        "kind": "document",
        "language": "sk",
        "subject": "Doklad {document.number} od {seller.name}",
        "body": "Dobrý deň {order.client.name},\n\nv prílohe je {document.type} {document.number}.\n\nĎakujeme",
    }
    form.update(changes)
    return form


def test_the_page_starts_from_the_built_in_wording_with_macros_and_a_preview() -> None:
    org = make.seller()
    page = signed_in(make.person(org, "owner")).get(PAGE, {"kind": "order_confirmation", "language": "en"})
    assert page.status_code == 200
    text = page.content.decode()
    assert "Your order {order.number}" in text
    assert 'data-insert-macro="{order.client.name}"' in text
    assert "Your order 10025 — Invoice FA2026001" in text  # the preview of the built-in subject
    assert "built-in wording" in text


def test_own_wording_is_saved_audited_used_by_the_page_and_reset() -> None:
    org = make.seller()
    client = signed_in(make.person(org, "admin"))
    response = client.post(PAGE, wording())
    assert response.status_code == 302
    assert response["Location"] == f"{PAGE}?kind=document&language=sk"
    (template,) = selectors.email_templates(organization=org)
    assert (template.kind, template.language, template.subject) == ("document", "sk", wording()["subject"])
    assert "\r" not in template.body
    assert events_for(organization=org).filter(action="email_template.created").count() == 1
    page = client.get(PAGE, {"kind": "document", "language": "sk"}).content.decode()
    assert "your own wording" in page
    assert "Doklad FA2026001 od Exemplu SRL" in page

    reset = client.post(f"{PAGE}reset", {"kind": "document", "language": "sk"})
    assert reset.status_code == 302
    assert not selectors.email_templates(organization=org).exists()
    assert events_for(organization=org).filter(action="email_template.deleted").count() == 1


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"subject": "Doklad {document.numbr}"}, "subject", "did you mean {document.number}"),
        ({"body": "Hello {order.client.nam}"}, "body", "unknown macro"),
        ({"body": "Hello {order.number"}, "body", "is not closed"),
        ({"subject": ""}, "subject", "required"),
        ({"subject": "x" * 301}, "subject", "300"),
    ],
)
def test_bad_wording_is_refused_next_to_its_field(changes: dict[str, Any], field: str, words: str) -> None:
    org = make.seller()
    response = signed_in(make.person(org, "owner")).post(PAGE, wording(**changes))
    assert response.status_code == 422
    errors = response.context["form"].errors
    assert field in errors, errors
    assert words in " ".join(errors[field])
    assert not selectors.email_templates(organization=org).exists()


def test_the_preview_fills_in_the_example_order_in_the_email_s_language_or_names_the_error() -> None:
    client = signed_in(make.person(make.seller(), "owner"))
    shown = client.post(f"{PAGE}preview", wording(body="Suma: {document.total}\n\nSplatné {document.due_date}"))
    assert shown.status_code == 200
    text = shown.content.decode()
    assert "Doklad FA2026001 od Exemplu SRL" in text
    assert "1\xa0234,56\xa0€" in text or "1 234,56 €" in text
    assert "Otvoriť doklad online" in text
    refused = client.post(f"{PAGE}preview", wording(subject="{nope}")).content.decode()
    assert "Subject" in refused
    assert "unknown macro" in refused


@pytest.mark.parametrize(("kind", "language"), [("receipt", "en"), ("document", "fr"), ("document", "../en")])
def test_an_unknown_kind_or_language_is_not_found(kind: str, language: str) -> None:
    client = signed_in(make.person(make.seller(), "owner"))
    assert client.get(PAGE, {"kind": kind, "language": language}).status_code == 404
    assert client.post(PAGE, wording(kind=kind, language=language)).status_code == 404
    assert client.post(f"{PAGE}reset", {"kind": kind, "language": language}).status_code == 404


def test_resetting_a_wording_never_written_says_so_without_a_500() -> None:
    client = signed_in(make.person(make.seller(), "owner"))
    response = client.post(f"{PAGE}reset", {"kind": "document", "language": "en"}, follow=True)
    assert response.status_code == 200
    assert "no own document template in en" in response.content.decode()


@pytest.mark.parametrize("role", ["viewer", "accountant"])
def test_viewers_and_accountants_look_but_cannot_change(role: str) -> None:
    org = make.seller()
    assert signed_in(make.person(org, "owner")).post(PAGE, wording()).status_code == 302
    client = signed_in(make.person(org, role))
    page = client.get(PAGE, {"kind": "document", "language": "sk"})
    assert page.status_code == 200
    assert "Save wording" not in page.content.decode()
    assert client.post(PAGE, wording(subject="Changed")).status_code == 403
    assert client.post(f"{PAGE}reset", {"kind": "document", "language": "sk"}).status_code == 403
    assert selectors.email_templates(organization=org).get().subject == wording()["subject"]


def test_one_seller_never_sees_another_s_wording() -> None:
    org = make.seller()
    assert (
        signed_in(make.person(org, "owner")).post(PAGE, wording(subject="Secret {document.number}")).status_code == 302
    )
    other = signed_in(make.person(make.seller(), "owner"))
    page = other.get(PAGE, {"kind": "document", "language": "sk"}).content.decode()
    assert "Secret" not in page
    assert "built-in wording" in page
