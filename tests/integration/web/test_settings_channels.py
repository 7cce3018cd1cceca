"""Settings -> Sales channels: mode, automatic issuing, connector and the webhook address, by role and by seller."""

from __future__ import annotations

import pytest
from django.test import Client

from faktura.apps.accounts.models import Organization
from faktura.apps.audit.models import AuditEvent
from faktura.apps.integrations.models import InboundWebhook
from faktura.apps.sales.models import SalesChannel
from tests import factories as make

pytestmark = pytest.mark.django_db

URL = "/app/settings/channels/"


def signed_in(org: Organization, role: str = "owner") -> Client:
    client = Client()
    client.force_login(make.person(org, role))
    return client


def actions(org: Organization) -> list[str]:
    return list(AuditEvent.objects.filter(organization=org).order_by("seq").values_list("action", flat=True))


def settings_of(channel: SalesChannel, **changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "name": channel.name,
        "kind": channel.kind,
        "invoicing_mode": channel.invoicing_mode,
        "connector": channel.connector,
    }
    if channel.auto_issue:
        data["auto_issue"] = "on"
    if channel.is_active:
        data["is_active"] = "on"
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


@pytest.mark.parametrize("role", ["owner", "admin", "accountant", "viewer"])
def test_everyone_sees_the_channels_only_settings_changers_get_the_forms(role: str) -> None:
    org = make.seller()
    channel = make.channel(org, "Own e-shop")
    client = signed_in(org, role)
    listing = client.get(URL)
    assert listing.status_code == 200
    assert "Own e-shop" in listing.content.decode()
    page = client.get(f"{URL}{channel.pk}/").content.decode()
    may_change = role in {"owner", "admin"}
    assert ("Save channel" in page) is may_change
    assert ("Add a channel" in listing.content.decode()) is may_change


def test_an_owner_adds_a_channel_with_its_mode_and_automatic_issuing_off() -> None:
    org = make.seller()
    response = signed_in(org).post(
        URL, {"name": "eBay", "kind": "ebay", "invoicing_mode": "manual_upload", "connector": ""}
    )
    channel = SalesChannel.objects.for_organization(org).get()
    assert response.status_code == 302
    assert response["Location"] == f"{URL}{channel.pk}/"
    assert (channel.code, channel.kind, channel.invoicing_mode, channel.auto_issue) == (
        "ebay",
        "ebay",
        "manual_upload",
        False,
    )
    assert actions(org)[-1] == "channel.created"


def test_a_channel_without_a_name_a_taken_code_or_an_unknown_mode_is_a_form_error() -> None:
    org = make.seller()
    make.channel(org, "Shop")
    client = signed_in(org)
    assert client.post(URL, {"name": "", "kind": "own_shop", "invoicing_mode": "built_in"}).status_code == 422
    taken = client.post(URL, {"name": "Shop", "kind": "own_shop", "invoicing_mode": "built_in"})
    assert taken.status_code == 422
    assert "exists already" in taken.content.decode()
    assert client.post(URL, {"name": "X", "kind": "own_shop", "invoicing_mode": "psychic"}).status_code == 422
    assert client.post(URL, {"name": "X", "kind": "spaceship", "invoicing_mode": "built_in"}).status_code == 422
    assert SalesChannel.objects.for_organization(org).count() == 1


def test_changing_the_mode_automatic_issuing_and_kind_is_saved_and_audited() -> None:
    org = make.seller()
    channel = make.channel(org, "Shop")
    client = signed_in(org)
    response = client.post(
        f"{URL}{channel.pk}/",
        settings_of(channel, invoicing_mode="external", auto_issue=None, kind="marketplace", name="Shop RO"),
    )
    assert response.status_code == 302
    channel.refresh_from_db()
    assert (channel.name, channel.kind, channel.invoicing_mode, channel.auto_issue) == (
        "Shop RO",
        "marketplace",
        "external",
        False,
    )
    event = AuditEvent.objects.filter(organization=org, action="channel.updated").get()
    assert event.data["changes"]["auto_issue"] == {"from": True, "to": False}


def test_a_connector_is_offered_from_the_registry_and_an_unknown_one_refused() -> None:
    org = make.seller()
    channel = make.channel(org, "Shop")
    client = signed_in(org)
    assert 'value="sku-or-barcode"' in client.get(f"{URL}{channel.pk}/").content.decode()
    assert client.post(f"{URL}{channel.pk}/", settings_of(channel, connector="sku-or-barcode")).status_code == 302
    channel.refresh_from_db()
    assert channel.connector == "sku-or-barcode"
    bad = client.post(f"{URL}{channel.pk}/", settings_of(channel, connector="smartbill-imaginary"))
    assert bad.status_code == 422
    channel.refresh_from_db()
    assert channel.connector == "sku-or-barcode"


@pytest.mark.parametrize("role", ["accountant", "viewer"])
def test_a_role_without_settings_change_cannot_change_channels(role: str) -> None:
    org = make.seller()
    channel = make.channel(org, "Shop")
    client = signed_in(org, role)
    assert client.post(URL, {"name": "X", "kind": "own_shop", "invoicing_mode": "built_in"}).status_code == 403
    assert client.post(f"{URL}{channel.pk}/", settings_of(channel, auto_issue=None)).status_code == 403
    assert client.post(f"{URL}{channel.pk}/webhook", {"scheme": "generic"}).status_code == 403
    channel.refresh_from_db()
    assert channel.auto_issue
    assert SalesChannel.objects.for_organization(org).count() == 1


def test_another_sellers_channel_is_a_404_for_every_page_and_action() -> None:
    mine, theirs = make.seller(), make.seller()
    channel = make.channel(theirs, "Theirs")
    client = signed_in(mine)
    assert client.get(f"{URL}{channel.pk}/").status_code == 404
    assert client.post(f"{URL}{channel.pk}/", settings_of(channel, name="Mine now")).status_code == 404
    for action in ("webhook", "webhook/change", "webhook/rotate", "webhook/retire"):
        assert client.post(f"{URL}{channel.pk}/{action}", {"scheme": "generic"}).status_code == 404, action
    channel.refresh_from_db()
    assert channel.name == "Theirs"
    assert not InboundWebhook.objects.filter(channel=channel).exists()


def test_a_webhook_address_gets_a_secret_shown_once_then_rotated_and_retired() -> None:
    org = make.seller()
    channel = make.channel(org, "Shop")
    client = signed_in(org)
    made = client.post(f"{URL}{channel.pk}/webhook", {"scheme": "woocommerce"})
    assert made.status_code == 200
    assert made["Cache-Control"] == "no-store"
    secret = made.content.decode().split("data-secret>", 1)[1].split("<", 1)[0]
    webhook = InboundWebhook.objects.for_organization(org).get(channel=channel)
    assert webhook.secret == secret
    assert webhook.scheme == "woocommerce"
    page = client.get(f"{URL}{channel.pk}/").content.decode()
    assert f"/webhooks/in/{webhook.token}" in page
    assert secret not in page

    rotated = client.post(f"{URL}{channel.pk}/webhook/rotate")
    new_secret = rotated.content.decode().split("data-secret>", 1)[1].split("<", 1)[0]
    webhook.refresh_from_db()
    assert webhook.secret == new_secret
    assert webhook.previous_secret == secret
    again = client.post(f"{URL}{channel.pk}/webhook/rotate", follow=True)
    assert "retire the previous secret" in again.content.decode()
    client.post(f"{URL}{channel.pk}/webhook/retire")
    client.post(f"{URL}{channel.pk}/webhook/change", {"is_active": "off"})
    webhook.refresh_from_db()
    assert webhook.previous_secret == ""
    assert not webhook.is_active
    assert actions(org)[-4:] == [
        "inbound_webhook.created",
        "inbound_webhook.secret_rotated",
        "inbound_webhook.secret_retired",
        "inbound_webhook.updated",
    ]


def test_viewers_never_see_the_webhook_address() -> None:
    from faktura.apps.integrations.services import inbound_webhook_create

    org = make.seller()
    channel = make.channel(org, "Shop")
    webhook, _ = inbound_webhook_create(
        actor=make.TEST_ACTOR, organization=org, channel_id=channel.pk, scheme="generic"
    )
    page = signed_in(org, "viewer").get(f"{URL}{channel.pk}/").content.decode()
    assert webhook.token not in page
