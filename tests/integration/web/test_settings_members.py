"""Settings -> People and API keys: members with roles, the last owner, keys shown once, by role and by seller."""

from __future__ import annotations

import pytest
from django.test import Client

from faktura.apps.accounts.models import ApiKey, Membership, Organization, User
from faktura.apps.accounts.selectors import api_key_authenticate
from faktura.apps.accounts.services import api_key_create
from faktura.apps.audit.models import AuditEvent
from tests import factories as make

pytestmark = pytest.mark.django_db

URL = "/app/settings/members/"


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def membership(org: Organization, user: User) -> Membership:
    return Membership.objects.for_organization(org).get(user=user)


def actions(org: Organization) -> list[str]:
    return list(AuditEvent.objects.filter(organization=org).order_by("seq").values_list("action", flat=True))


@pytest.mark.parametrize(("role", "status"), [("owner", 200), ("admin", 200), ("accountant", 403), ("viewer", 403)])
def test_only_owners_and_admins_open_people_and_keys(role: str, status: int) -> None:
    org = make.seller()
    owner = make.person(org, "owner", email="boss@shop.test")
    client = signed_in(make.person(org, role) if role != "owner" else owner)
    page = client.get(URL)
    assert page.status_code == status
    if status == 200:
        assert "boss@shop.test" in page.content.decode()
    else:
        assert client.post(f"{URL}add", {"email": "x@shop.test", "role": "admin"}).status_code == 403
        assert client.post(f"{URL}api-keys/", {"name": "Shop"}).status_code == 403
        assert not User.objects.filter(email="x@shop.test").exists()


def test_adding_a_new_person_makes_an_account_and_shows_its_first_password_once() -> None:
    org = make.seller()
    client = signed_in(make.person(org, "owner"))
    response = client.post(f"{URL}add", {"email": "new@shop.test", "role": "accountant"})
    assert response.status_code == 200
    html = response.content.decode()
    password = html.split("data-secret>", 1)[1].split("<", 1)[0]
    user = User.objects.get(email="new@shop.test")
    assert user.check_password(password)
    assert membership(org, user).role == "accountant"
    assert password not in client.get(URL).content.decode()
    assert actions(org)[-1] == "membership.added"


def test_adding_a_person_who_has_an_account_keeps_their_password() -> None:
    org, other = make.seller(), make.seller()
    existing = make.person(other, "owner", email="acc@books.test")
    response = signed_in(make.person(org, "admin")).post(f"{URL}add", {"email": "ACC@books.test", "role": "viewer"})
    assert response.status_code == 302
    existing.refresh_from_db()
    assert existing.check_password(make.PASSWORD)
    assert membership(org, existing).role == "viewer"


def test_adding_someone_twice_or_a_bad_email_is_a_form_error() -> None:
    org = make.seller()
    client = signed_in(make.person(org, "owner"))
    make.person(org, "viewer", email="v@shop.test")
    twice = client.post(f"{URL}add", {"email": "v@shop.test", "role": "admin"})
    assert twice.status_code == 422
    assert "already a member" in twice.content.decode()
    assert client.post(f"{URL}add", {"email": "not-an-email", "role": "admin"}).status_code == 422
    assert client.post(f"{URL}add", {"email": "a@b.test", "role": "emperor"}).status_code == 422


def test_an_admin_cannot_make_an_owner_nor_touch_one() -> None:
    org = make.seller()
    owner = make.person(org, "owner")
    admin = make.person(org, "admin")
    viewer = make.person(org, "viewer")
    client = signed_in(admin)
    assert client.post(f"{URL}add", {"email": "o2@shop.test", "role": "owner"}).status_code == 422
    client.post(f"{URL}{membership(org, viewer).pk}/role", {"role": "owner"})
    assert membership(org, viewer).role == "viewer"
    client.post(f"{URL}{membership(org, owner).pk}/remove")
    assert membership(org, owner).role == "owner"
    client.post(f"{URL}{membership(org, viewer).pk}/role", {"role": "accountant"})
    assert membership(org, viewer).role == "accountant"


def test_the_last_owner_can_neither_leave_nor_be_demoted_but_a_second_owner_frees_them() -> None:
    org = make.seller()
    owner = make.person(org, "owner")
    client = signed_in(owner)
    mine = membership(org, owner).pk
    response = client.post(f"{URL}{mine}/remove", follow=True)
    assert "last owner" in response.content.decode()
    client.post(f"{URL}{mine}/role", {"role": "admin"})
    assert membership(org, owner).role == "owner"
    second = make.person(org, "admin")
    client.post(f"{URL}{membership(org, second).pk}/role", {"role": "owner"})
    assert membership(org, second).role == "owner"
    client.post(f"{URL}{mine}/role", {"role": "admin"})
    assert membership(org, owner).role == "admin"
    assert "membership.role_changed" in actions(org)


def test_removing_a_person_takes_their_access_away() -> None:
    org = make.seller()
    client = signed_in(make.person(org, "owner"))
    viewer = make.person(org, "viewer")
    assert client.post(f"{URL}{membership(org, viewer).pk}/remove").status_code == 302
    assert not Membership.objects.for_organization(org).filter(user=viewer).exists()
    assert signed_in(viewer).get("/app/settings/company/").status_code == 403
    assert actions(org)[-1] == "membership.removed"


def test_an_api_key_is_shown_once_works_and_is_revoked() -> None:
    org = make.seller()
    owner = make.person(org, "owner")
    client = signed_in(owner)
    response = client.post(f"{URL}api-keys/", {"name": "WooCommerce"})
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    plaintext = response.content.decode().split("data-secret>", 1)[1].split("<", 1)[0]
    key = api_key_authenticate(plaintext=plaintext)
    assert key is not None
    assert key.organization_id == org.pk
    assert key.created_by_id == owner.pk
    listing = client.get(URL).content.decode()
    assert "WooCommerce" in listing
    assert plaintext not in listing
    assert f"fk_{key.prefix}_" in listing
    assert client.post(f"{URL}api-keys/{key.pk}/revoke").status_code == 302
    assert api_key_authenticate(plaintext=plaintext) is None
    assert actions(org)[-2:] == ["api_key.created", "api_key.revoked"]


def test_an_api_key_without_a_name_is_a_form_error() -> None:
    org = make.seller()
    response = signed_in(make.person(org, "owner")).post(f"{URL}api-keys/", {"name": "  "})
    assert response.status_code == 422
    assert not ApiKey.objects.for_organization(org).exists()


def test_another_sellers_members_and_keys_are_404() -> None:
    mine, theirs = make.seller(), make.seller()
    their_viewer = make.person(theirs, "viewer")
    key, _ = api_key_create(actor=make.TEST_ACTOR, organization=theirs, name="Theirs")
    client = signed_in(make.person(mine, "owner"))
    their_membership = membership(theirs, their_viewer).pk
    assert client.post(f"{URL}{their_membership}/role", {"role": "admin"}).status_code == 404
    assert client.post(f"{URL}{their_membership}/remove").status_code == 404
    assert client.post(f"{URL}api-keys/{key.pk}/revoke").status_code == 404
    assert membership(theirs, their_viewer).role == "viewer"
    key.refresh_from_db()
    assert key.revoked_at is None
