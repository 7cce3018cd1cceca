"""A channel's inbound webhook over the API: create with the secret shown once, rotate, retire, disable, tenants."""

from __future__ import annotations

import pytest

from faktura.apps.audit.selectors import events_for
from faktura.apps.integrations.models import InboundWebhook
from tests import factories as make
from tests.integration.webhooks import helpers

pytestmark = pytest.mark.django_db


@pytest.fixture
def seller() -> helpers.Caller:
    return helpers.Caller()


def path(channel_id: int) -> str:
    return f"/channels/{channel_id}/inbound-webhook"


def test_a_channel_gets_an_unguessable_address_and_a_secret_shown_once(seller: helpers.Caller) -> None:
    channel = make.channel(seller.org)

    created = seller.post(path(channel.pk), {"scheme": "generic"})

    assert created.status_code == 201
    body = created.json()
    assert body["secret"].startswith("whsec_")
    token = body["url"].rsplit("/", 1)[1]
    assert body["url"].endswith(f"/webhooks/in/{token}")
    assert len(token) >= 32
    assert (body["scheme"], body["is_active"], body["has_previous_secret"]) == ("generic", True, False)
    read = seller.get(path(channel.pk))
    assert read.status_code == 200
    assert "secret" not in read.json()
    assert read.json()["url"] == body["url"]
    assert body["secret"] not in read.content.decode()
    other = seller.post(path(make.channel(seller.org).pk), {"scheme": "generic"}).json()
    assert other["url"] != body["url"]
    assert other["secret"] != body["secret"]


def test_a_shop_secret_can_be_given_and_a_second_webhook_for_the_channel_is_a_conflict(seller: helpers.Caller) -> None:
    channel = make.channel(seller.org)
    created = seller.post(path(channel.pk), {"scheme": "shopify", "secret": "shpss_0123456789abcdef0123"})
    assert created.json()["secret"] == "shpss_0123456789abcdef0123"
    again = seller.post(path(channel.pk), {"scheme": "generic"})
    assert (again.status_code, again.json()["field"]) == (409, "channel_id")
    assert seller.post(path(make.channel(seller.org).pk), {"scheme": "generic", "secret": "kurz"}).status_code == 422
    assert seller.post(path(make.channel(seller.org).pk), {"scheme": "magento"}).status_code == 422


def test_rotation_keeps_two_secrets_until_the_old_one_is_retired(seller: helpers.Caller) -> None:
    channel = make.channel(seller.org)
    first = seller.post(path(channel.pk), {"scheme": "woocommerce"}).json()["secret"]

    rotated = seller.post(f"{path(channel.pk)}/rotate-secret")
    assert rotated.status_code == 200
    second = rotated.json()["secret"]
    assert rotated.json()["has_previous_secret"] is True
    assert InboundWebhook.objects.get(channel=channel).secrets == [second, first]
    assert seller.post(f"{path(channel.pk)}/rotate-secret").status_code == 409

    retired = seller.post(f"{path(channel.pk)}/retire-previous-secret")
    assert retired.json()["has_previous_secret"] is False
    assert InboundWebhook.objects.get(channel=channel).secrets == [second]
    assert seller.post(f"{path(channel.pk)}/retire-previous-secret").status_code == 422
    assert [e.action for e in events_for(organization=seller.org, object_type="inbound_webhook")] == [
        "inbound_webhook.secret_retired",
        "inbound_webhook.secret_rotated",
        "inbound_webhook.created",
    ]  # newest first


def test_disable_enable_and_change_the_scheme(seller: helpers.Caller) -> None:
    channel = make.channel(seller.org)
    seller.post(path(channel.pk), {"scheme": "generic"})

    assert seller.delete(path(channel.pk)).json()["is_active"] is False
    changed = seller.patch(path(channel.pk), {"is_active": True, "scheme": "shopify"})
    assert (changed.json()["is_active"], changed.json()["scheme"]) == (True, "shopify")


def test_a_channel_without_a_webhook_or_of_another_seller_answers_404(seller: helpers.Caller) -> None:
    other = helpers.Caller()
    theirs = make.channel(other.org)
    other.post(path(theirs.pk), {"scheme": "generic"})
    bare = make.channel(seller.org)

    for response in (
        seller.get(path(bare.pk)),
        seller.post(f"{path(bare.pk)}/rotate-secret"),
        seller.post(path(theirs.pk), {"scheme": "generic"}),
        seller.get(path(theirs.pk)),
        seller.patch(path(theirs.pk), {"is_active": False}),
        seller.delete(path(theirs.pk)),
        seller.post(f"{path(theirs.pk)}/rotate-secret"),
        seller.post(f"{path(theirs.pk)}/retire-previous-secret"),
        seller.get(f"{path(theirs.pk)}/deliveries"),
    ):
        assert response.status_code == 404, response.content
        assert response.json()["code"] == "not_found"
    assert InboundWebhook.objects.get(channel=theirs).is_active


def test_the_create_post_honours_the_idempotency_key(seller: helpers.Caller) -> None:
    channel = make.channel(seller.org)
    first = seller.post(path(channel.pk), {"scheme": "generic"}, **{"Idempotency-Key": "inbound-1"})
    again = seller.post(path(channel.pk), {"scheme": "generic"}, **{"Idempotency-Key": "inbound-1"})
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json()["secret"] == first.json()["secret"]
    assert again["Idempotent-Replayed"] == "true"
