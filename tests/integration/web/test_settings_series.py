"""Settings -> Numbering series: create and change series, the live preview of the next number, the core's
refusals next to their fields, activation; by role and by seller."""

from __future__ import annotations

import pytest
from django.test import Client

from faktura.apps.accounts.models import Organization
from faktura.apps.audit.models import AuditEvent
from faktura.apps.invoicing.models import Series
from faktura.apps.invoicing.services import document_issue
from tests import factories as make

pytestmark = pytest.mark.django_db

URL = "/app/settings/series/"


def signed_in(org: Organization, role: str = "owner") -> Client:
    client = Client()
    client.force_login(make.person(org, role))
    return client


def new_series(**changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "channel": "",
        "document_type": "invoice",
        "name": "",
        "pattern": "FARRRRCCC",
        "prefix": "",
        "start_number": 1,
        "reset_policy": "yearly",
    }
    data.update(changes)
    return data


def year(org: Organization) -> int:
    from zoneinfo import ZoneInfo

    from django.utils import timezone

    return timezone.localdate(timezone=ZoneInfo(org.time_zone)).year


@pytest.mark.parametrize("role", ["owner", "admin", "accountant", "viewer"])
def test_everyone_sees_the_series_with_their_next_number(role: str) -> None:
    org = make.seller()
    series = make.series(org, "FA{RRRR}{CCC}")
    client = signed_in(org, role)
    page = client.get(URL).content.decode()
    assert f"FA{year(org)}001" in page
    assert ("Add series" in page) is (role in {"owner", "admin"})
    detail = client.get(f"{URL}{series.pk}/")
    assert detail.status_code == 200
    assert ("Save series" in detail.content.decode()) is (role in {"owner", "admin"})


@pytest.mark.parametrize("role", ["accountant", "viewer"])
def test_a_role_without_settings_change_cannot_add_change_preview_or_deactivate(role: str) -> None:
    org = make.seller()
    series = make.series(org)
    client = signed_in(org, role)
    assert client.get(f"{URL}new").status_code == 403
    assert client.post(f"{URL}new", new_series(pattern="ZZ{RRRR}{CCC}")).status_code == 403
    assert client.post(f"{URL}preview", new_series()).status_code == 403
    changed = {"name": "x", "pattern": "XX{RRRR}{CCC}", "start_number": 1, "reset_policy": "yearly"}
    assert client.post(f"{URL}{series.pk}/", changed).status_code == 403
    assert client.post(f"{URL}{series.pk}/active", {"is_active": "off"}).status_code == 403
    series.refresh_from_db()
    assert series.is_active
    assert series.pattern == "FA{RRRR}{CCC}"
    assert Series.objects.for_organization(org).count() == 1


def test_the_preview_shows_the_next_number_of_a_new_series_and_stores_nothing() -> None:
    org = make.seller()
    client = signed_in(org)
    response = client.post(f"{URL}preview", new_series(pattern="FARRRRCCC", start_number=42))
    assert response.status_code == 200
    assert f"FA{year(org)}042" in response.content.decode()
    prefix = client.post(f"{URL}preview", new_series(pattern="", prefix="OVO"))
    assert f"OVO{year(org)}0001" in prefix.content.decode()
    assert not Series.objects.for_organization(org).exists()
    assert not AuditEvent.objects.filter(organization=org, action="series.created").exists()


def test_an_ambiguous_pattern_is_refused_with_the_suggested_spelling_in_preview_and_form() -> None:
    org = make.seller()
    client = signed_in(org)
    preview = client.post(f"{URL}preview", new_series(pattern="FACRRRRCCC")).content.decode()
    assert "ambiguous" in preview
    assert "FAC{RRRR}{CCC}" in preview
    saved = client.post(f"{URL}new", new_series(pattern="FACRRRRCCC"))
    assert saved.status_code == 422
    html = saved.content.decode()
    assert "FAC{RRRR}{CCC}" in html
    assert "is-invalid" in html.split('id="id_pattern"')[0].rsplit("<input", 1)[1]
    assert not Series.objects.for_organization(org).exists()


def test_a_pattern_another_series_could_produce_is_a_collision() -> None:
    org = make.seller()
    make.series(org, "FA{RRRR}{CCC}")
    client = signed_in(org)
    channel = make.channel(org, "eBay")
    preview = client.post(f"{URL}preview", new_series(channel=channel.pk, pattern="FA{RRRR}{CCCC}"))
    assert "could produce the number" in preview.content.decode()
    saved = client.post(f"{URL}new", new_series(channel=channel.pk, pattern="FA{RRRR}{CCCC}"))
    assert saved.status_code == 422
    assert Series.objects.for_organization(org).count() == 1


def test_a_start_number_at_or_below_the_last_used_is_refused_above_it_accepted() -> None:
    org = make.seller()
    series = make.series(org, "FA{RRRR}{CCC}")
    for _ in range(3):
        document_issue(actor=make.TEST_ACTOR, organization=org, document_id=make.draft(org).pk)
    client = signed_in(org)
    settings = {"name": series.name, "pattern": series.pattern, "reset_policy": "yearly"}
    low = client.post(f"{URL}{series.pk}/preview", {**settings, "start_number": 3}).content.decode()
    assert "is the last number used" in low
    assert client.post(f"{URL}{series.pk}/", {**settings, "start_number": 2}).status_code == 422
    high = client.post(f"{URL}{series.pk}/preview", {**settings, "start_number": 100}).content.decode()
    assert f"FA{year(org)}100" in high
    assert client.post(f"{URL}{series.pk}/", {**settings, "start_number": 100}).status_code == 302
    series.refresh_from_db()
    assert series.start_number == 100
    issued = document_issue(actor=make.TEST_ACTOR, organization=org, document_id=make.draft(org).pk)
    assert issued.number == f"FA{year(org)}100"


def test_a_series_is_added_for_a_channel_and_audited() -> None:
    org = make.seller()
    channel = make.channel(org, "eBay")
    client = signed_in(org)
    response = client.post(
        f"{URL}new", new_series(channel=channel.pk, document_type="credit_note", pattern="", prefix="EBA", name="eBay")
    )
    assert response.status_code == 302
    series = Series.objects.for_organization(org).get()
    assert (series.channel_id, series.document_type, series.pattern) == (channel.pk, "credit_note", "EBA{RRRR}{CCCC}")
    assert AuditEvent.objects.filter(organization=org, action="series.created").count() == 1
    assert "EBA" in client.get(f"{URL}?channel={channel.pk}").content.decode()


def test_the_form_without_javascript_previews_with_a_button() -> None:
    org = make.seller()
    response = signed_in(org).post(f"{URL}new", new_series(preview="1"))
    assert response.status_code == 200
    assert f"FA{year(org)}001" in response.content.decode()
    assert not Series.objects.for_organization(org).exists()


def test_bad_input_is_a_form_error_never_a_500() -> None:
    org = make.seller()
    client = signed_in(org)
    for bad in (
        new_series(start_number="0"),
        new_series(start_number="abc"),
        new_series(reset_policy="weekly"),
        new_series(document_type="receipt"),
        new_series(pattern="", prefix=""),
        new_series(pattern="FA{RRRR}{CCC}", prefix="OVO"),
        new_series(pattern="FA{CCC}", reset_policy="yearly"),
        new_series(channel="999999"),
    ):
        assert client.post(f"{URL}new", bad).status_code == 422, bad
        assert client.post(f"{URL}preview", bad).status_code == 200, bad
    assert not Series.objects.for_organization(org).exists()


def test_deactivating_and_activating_a_series_refuses_a_second_active_one() -> None:
    org = make.seller()
    first = make.series(org, "FA{RRRR}{CCC}")
    client = signed_in(org)
    client.post(f"{URL}{first.pk}/active", {"is_active": "off"})
    first.refresh_from_db()
    assert not first.is_active
    client.post(f"{URL}new", new_series(pattern="FB{RRRR}{CCC}"))
    refused = client.post(f"{URL}{first.pk}/active", {"is_active": "on"}, follow=True)
    assert "deactivate it first" in refused.content.decode()
    first.refresh_from_db()
    assert not first.is_active


def test_another_sellers_series_is_a_404() -> None:
    mine, theirs = make.seller(), make.seller()
    series = make.series(theirs)
    client = signed_in(mine)
    settings = {"name": "x", "pattern": "XX{RRRR}{CCC}", "start_number": 1, "reset_policy": "yearly"}
    assert client.get(f"{URL}{series.pk}/").status_code == 404
    assert client.post(f"{URL}{series.pk}/", settings).status_code == 404
    assert client.post(f"{URL}{series.pk}/preview", settings).status_code == 404
    assert client.post(f"{URL}{series.pk}/active", {"is_active": "off"}).status_code == 404
    their_channel = make.channel(theirs, "Theirs")
    assert client.post(f"{URL}new", new_series(channel=their_channel.pk, pattern="ZZ{RRRR}{CCC}")).status_code == 422
    series.refresh_from_db()
    assert series.is_active
    assert series.pattern == "FA{RRRR}{CCC}"
