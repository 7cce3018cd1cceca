"""The seller web app's shell: sign-in, the seller a person works for, roles, language."""

from __future__ import annotations

import pytest
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.urls import include, path

from faktura.apps.accounts.models import Membership
from faktura.apps.accounts.services import membership_set
from faktura.core.roles import Permission
from faktura.web.seller import SESSION_KEY, seller_view
from tests import factories as make

pytestmark = pytest.mark.django_db


@seller_view(Permission.SETTINGS_CHANGE)
def _settings_probe(request: HttpRequest) -> HttpResponse:
    return HttpResponse(f"seller={request.seller.organization.pk} role={request.seller.role.value}")  # type: ignore[attr-defined]


urlpatterns = [
    path("probe", _settings_probe),
    path("", include("faktura.config.urls")),
]


def signed_in(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def test_a_page_of_the_app_sends_a_stranger_to_the_sign_in_page_and_back() -> None:
    response = Client().get("/app/")
    assert response.status_code == 302
    assert response["Location"].startswith("/app/sign-in?next=/app/")


def test_signing_in_with_the_email_and_password_opens_the_app() -> None:
    org = make.seller()
    user = make.person(org, "owner", email="ana@shop.test")
    client = Client()
    page = client.get("/app/sign-in")
    assert page.status_code == 200
    assert b"Sign in" in page.content
    response = client.post("/app/sign-in", {"username": "ana@shop.test", "password": make.PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/app/"
    assert client.session["_auth_user_id"] == str(user.pk)


def test_a_wrong_password_is_said_on_the_page_not_as_an_error() -> None:
    make.person(make.seller(), "owner", email="ana@shop.test")
    response = Client().post("/app/sign-in", {"username": "ana@shop.test", "password": "nope"})
    assert response.status_code == 200
    assert b"correct email and password" in response.content or b"Please enter a correct" in response.content


@pytest.mark.urls(__name__)
def test_a_person_in_no_seller_gets_a_page_that_says_so() -> None:
    response = signed_in(make.person(None)).get("/probe")
    assert response.status_code == 403
    assert b"does not belong to any seller" in response.content


@pytest.mark.urls(__name__)
@pytest.mark.parametrize(
    ("role", "allowed"), [("owner", True), ("admin", True), ("accountant", False), ("viewer", False)]
)
def test_the_role_decides_who_may_change_settings(role: str, allowed: bool) -> None:
    org = make.seller()
    response = signed_in(make.person(org, role)).get("/probe")
    if allowed:
        assert response.status_code == 200
        assert response.content.decode() == f"seller={org.pk} role={role}"
    else:
        assert response.status_code == 403
        assert b"change settings" in response.content


@pytest.mark.urls(__name__)
def test_a_person_in_two_sellers_switches_between_them_and_not_into_a_third() -> None:
    first, second, stranger = make.seller(), make.seller(legal_name="Second SRL"), make.seller(legal_name="Other SRL")
    user = make.person(first, "owner")
    membership_set(actor=make.TEST_ACTOR, organization=second, user=user, role="admin")
    client = signed_in(user)
    assert client.get("/probe").content.decode().startswith(f"seller={first.pk} ")
    response = client.post("/app/switch", {"organization": second.pk, "next": "/probe"})
    assert response.status_code == 302
    assert response["Location"] == "/probe"
    assert client.get("/probe").content.decode() == f"seller={second.pk} role=admin"
    assert client.post("/app/switch", {"organization": stranger.pk}).status_code == 404
    assert client.session[SESSION_KEY] == second.pk


@pytest.mark.urls(__name__)
def test_switching_never_redirects_off_site() -> None:
    org = make.seller()
    client = signed_in(make.person(org, "owner"))
    response = client.post("/app/switch", {"organization": org.pk, "next": "https://evil.example/"})
    assert response["Location"] == "/app/"


@pytest.mark.urls(__name__)
def test_a_membership_taken_away_takes_the_seller_away_at_the_next_request() -> None:
    org = make.seller()
    user = make.person(org, "owner")
    client = signed_in(user)
    assert client.get("/probe").status_code == 200
    Membership.objects.filter(user=user).delete()
    assert client.get("/probe").status_code == 403


def test_the_language_is_kept_on_the_person_and_refused_when_unknown() -> None:
    org = make.seller()
    user = make.person(org, "viewer")
    client = signed_in(user)
    response = client.post("/app/language", {"language": "hu", "next": "/app/"})
    assert response.status_code == 302
    assert response.cookies["django_language"].value == "hu"
    user.refresh_from_db()
    assert user.language == "hu"
    assert client.post("/app/language", {"language": "xx"}).status_code == 400
