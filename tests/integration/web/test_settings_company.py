"""Settings -> Company: the seller's data, bank accounts and the test mode switch, by role and by seller."""

from __future__ import annotations

from dataclasses import asdict

import pytest
from django.test import Client

from faktura.apps.accounts.models import BankAccount, Organization
from faktura.apps.accounts.services import bank_account_add
from faktura.apps.audit.models import AuditEvent
from tests import factories as make

pytestmark = pytest.mark.django_db

URL = "/app/settings/company/"


def signed_in(org: Organization, role: str = "owner") -> Client:
    client = Client()
    client.force_login(make.person(org, role))
    return client


def company_data(**changes: object) -> dict[str, object]:
    data: dict[str, object] = {k: v for k, v in asdict(make.RO_SELLER).items() if v not in (None, False)}
    data["vat_registered"] = "on"
    data.update(changes)
    return data


def actions(org: Organization) -> list[str]:
    return list(AuditEvent.objects.filter(organization=org).order_by("seq").values_list("action", flat=True))


@pytest.mark.parametrize("role", ["owner", "admin", "accountant", "viewer"])
def test_everyone_on_the_team_sees_the_company_data(role: str) -> None:
    org = make.seller()
    page = signed_in(org, role).get(URL)
    assert page.status_code == 200
    html = page.content.decode()
    assert "RO18547290" in html
    assert "Test mode" in html
    may_change = role in {"owner", "admin"}
    assert ("Save company data" in html) is may_change
    assert ("Read only" in html) is not may_change


def test_an_owner_changes_the_company_data_and_it_is_audited() -> None:
    org = make.seller()
    response = signed_in(org).post(URL, company_data(legal_name="Nou Comerț SRL", phone="+40 721 000 000"))
    assert response.status_code == 302
    org.refresh_from_db()
    assert org.legal_name == "Nou Comerț SRL"
    assert org.phone == "+40 721 000 000"
    assert "organization.updated" in actions(org)


def test_a_wrong_vat_id_is_said_next_to_the_field_and_nothing_changes() -> None:
    org = make.seller()
    response = signed_in(org).post(URL, company_data(vat_id="RO18547291"))
    assert response.status_code == 422
    html = response.content.decode()
    assert 'id="id_vat_id"' in html
    assert "is-invalid" in html.split('id="id_vat_id"')[0].rsplit("<input", 1)[1]
    org.refresh_from_db()
    assert org.vat_id == "RO18547290"


def test_a_missing_postal_code_and_a_bad_time_zone_are_form_errors_not_500() -> None:
    org = make.seller()
    client = signed_in(org)
    assert client.post(URL, company_data(postal_code="")).status_code == 422
    response = client.post(URL, company_data(time_zone="Mars/Olympus"))
    assert response.status_code == 422
    assert "not an IANA time zone" in response.content.decode()
    assert client.post(URL, {}).status_code == 422


@pytest.mark.parametrize("role", ["accountant", "viewer"])
def test_a_role_without_settings_change_cannot_post_changes(role: str) -> None:
    org = make.seller()
    client = signed_in(org, role)
    assert client.post(URL, company_data(legal_name="Hacked SRL")).status_code == 403
    assert client.post(f"{URL}test-mode", {"test_mode": "on"}).status_code == 403
    assert (
        client.post(f"{URL}bank-accounts/", {"iban": "RO49AAAA1B31007593840000", "currency": "RON"}).status_code == 403
    )
    org.refresh_from_db()
    assert org.legal_name != "Hacked SRL"
    assert not org.test_mode


def test_switching_test_mode_on_and_off_is_audited_and_shown() -> None:
    org = make.seller()
    client = signed_in(org)
    assert client.post(f"{URL}test-mode", {"test_mode": "on"}).status_code == 302
    org.refresh_from_db()
    assert org.test_mode
    page = client.get(URL).content.decode()
    assert 'data-test-mode="on"' in page
    assert "Switch test mode off" in page
    client.post(f"{URL}test-mode", {"test_mode": "off"})
    org.refresh_from_db()
    assert not org.test_mode
    assert actions(org)[-2:] == ["organization.test_mode_on", "organization.test_mode_off"]


def test_test_mode_issues_test_numbers_and_leaves_the_real_counter_alone() -> None:
    from faktura.apps.invoicing.services import document_issue

    org = make.seller()
    make.series(org)
    signed_in(org).post(f"{URL}test-mode", {"test_mode": "on"})
    org.refresh_from_db()
    test_doc = document_issue(actor=make.TEST_ACTOR, organization=org, document_id=make.draft(org).pk)
    assert test_doc.number.startswith("TEST-FA")
    signed_in(org).post(f"{URL}test-mode", {"test_mode": "off"})
    org.refresh_from_db()
    real = document_issue(actor=make.TEST_ACTOR, organization=org, document_id=make.draft(org).pk)
    assert real.number.endswith("001")
    assert not real.number.startswith("TEST")


def test_bank_accounts_are_added_with_a_checked_iban_and_removed() -> None:
    org = make.seller()
    client = signed_in(org)
    bad = client.post(f"{URL}bank-accounts/", {"iban": "RO49AAAA1B31007593840001", "currency": "RON"})
    assert bad.status_code == 422
    assert "IBAN" in bad.content.decode()
    good = client.post(
        f"{URL}bank-accounts/", {"iban": "RO49 AAAA 1B31 0075 9384 0000", "currency": "RON", "bank_name": "BT"}
    )
    assert good.status_code == 302
    account = BankAccount.objects.for_organization(org).get()
    assert account.iban == "RO49AAAA1B31007593840000"
    assert "RO49AAAA1B31007593840000" in client.get(URL).content.decode()
    again = client.post(f"{URL}bank-accounts/", {"iban": "RO49AAAA1B31007593840000", "currency": "RON"})
    assert again.status_code == 422
    assert client.post(f"{URL}bank-accounts/{account.pk}/remove").status_code == 302
    assert not BankAccount.objects.for_organization(org).exists()
    assert actions(org)[-2:] == ["bank_account.added", "bank_account.removed"]


def test_another_sellers_bank_account_is_a_404() -> None:
    mine, theirs = make.seller(), make.seller()
    account = bank_account_add(
        actor=make.TEST_ACTOR, organization=theirs, iban="RO49AAAA1B31007593840000", currency="RON"
    )
    response = signed_in(mine).post(f"{URL}bank-accounts/{account.pk}/remove")
    assert response.status_code == 404
    assert BankAccount.objects.filter(pk=account.pk).exists()


def test_a_stranger_is_sent_to_sign_in() -> None:
    response = Client().get(URL)
    assert response.status_code == 302
    assert "/app/sign-in" in response["Location"]


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("ro", ["Mod de test", "Canale de vânzare", "Serii de numerotare", "Chei API"]),
        ("sk", ["Testovací režim", "Predajné kanály", "Číselné rady", "Kľúče API"]),
        ("hu", ["Tesztüzemmód", "Értékesítési csatornák", "Számsorozatok", "API-kulcsok"]),
    ],
)
def test_the_settings_pages_speak_the_persons_language(language: str, words: list[str]) -> None:
    org = make.seller()
    client = signed_in(org)
    client.cookies["django_language"] = language
    pages = ["/app/settings/company/", "/app/settings/channels/", "/app/settings/series/", "/app/settings/members/"]
    for url, word in zip(pages, words, strict=True):
        assert word in client.get(url).content.decode(), url
