"""Signature schemes: generic (signed timestamp), WooCommerce and Shopify (base64 over the body)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from faktura.webhooks.errors import (
    HeaderMalformed,
    HeaderMissing,
    SignatureMismatch,
    TimestampTooNew,
    TimestampTooOld,
    WebhookRejected,
)
from faktura.webhooks.signatures import GENERIC, SCHEMES, SHOPIFY, WOOCOMMERCE, sign, sign_base64

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
BODY = b'{"event_id":"evt_42","type":"order.upserted","order":{"external_id":"10045"}}'
SECRET = "whsec_magazin_ro"


def generic_headers(body: bytes = BODY, secret: str = SECRET, at: datetime = NOW) -> dict[str, str]:
    return {"Faktura-Signature": sign(body, secret, at), "Faktura-Event-Id": "evt_42"}


def test_a_generic_delivery_signed_now_is_verified() -> None:
    verified = GENERIC.verify(generic_headers(), BODY, secrets=[SECRET], now=NOW)
    assert (verified.event_id, verified.timestamp) == ("evt_42", NOW)


def test_a_tampered_body_is_rejected() -> None:
    with pytest.raises(SignatureMismatch) as info:
        GENERIC.verify(generic_headers(), BODY.replace(b"10045", b"10046"), secrets=[SECRET], now=NOW)
    assert (info.value.http_status, info.value.field) == (401, "Faktura-Signature")


def test_a_wrong_secret_is_rejected() -> None:
    with pytest.raises(SignatureMismatch):
        GENERIC.verify(generic_headers(secret="whsec_other"), BODY, secrets=[SECRET], now=NOW)


def test_during_rotation_the_second_secret_is_accepted() -> None:
    headers = generic_headers(secret="whsec_new")
    assert GENERIC.verify(headers, BODY, secrets=[SECRET, "whsec_new"], now=NOW).event_id == "evt_42"


def test_more_than_two_secrets_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="one or two"):
        GENERIC.verify(generic_headers(), BODY, secrets=["a", "b", SECRET], now=NOW)


@pytest.mark.parametrize(
    ("offset", "error"),
    [
        pytest.param(timedelta(seconds=-301), TimestampTooOld, id="too-old"),
        pytest.param(timedelta(seconds=301), TimestampTooNew, id="too-new"),
    ],
)
def test_a_timestamp_outside_five_minutes_is_rejected(offset: timedelta, error: type[WebhookRejected]) -> None:
    with pytest.raises(error):
        GENERIC.verify(generic_headers(at=NOW + offset), BODY, secrets=[SECRET], now=NOW)


@pytest.mark.parametrize("seconds", [-300, 0, 300], ids=["oldest", "now", "newest"])
def test_a_timestamp_within_five_minutes_is_accepted(seconds: int) -> None:
    at = NOW + timedelta(seconds=seconds)
    assert GENERIC.verify(generic_headers(at=at), BODY, secrets=[SECRET], now=NOW).timestamp == at


@pytest.mark.parametrize("missing", ["Faktura-Signature", "Faktura-Event-Id"])
def test_a_missing_header_is_named(missing: str) -> None:
    headers = generic_headers()
    del headers[missing]
    with pytest.raises(HeaderMissing) as info:
        GENERIC.verify(headers, BODY, secrets=[SECRET], now=NOW)
    assert info.value.field == missing


def test_headers_are_matched_case_insensitively() -> None:
    headers = {name.upper(): value for name, value in generic_headers().items()}
    assert GENERIC.verify(headers, BODY, secrets=[SECRET], now=NOW).event_id == "evt_42"


def test_any_of_several_v1_entries_may_match() -> None:
    good = sign(BODY, SECRET, NOW)
    header = f"{good.split(',')[0]},v1={'0' * 64},v0=legacy,{good.split(',')[1]}"
    verified = GENERIC.verify({"Faktura-Signature": header, "Faktura-Event-Id": "e"}, BODY, secrets=[SECRET], now=NOW)
    assert verified.event_id == "e"


@pytest.mark.parametrize(
    "header",
    ["v1=" + "a" * 64, "t=1795428000", "t=abc,v1=" + "a" * 64, "t=1795428000,v1=xyz", "garbage"],
    ids=["no-t", "no-v1", "bad-t", "bad-v1", "garbage"],
)
def test_a_malformed_generic_header_is_a_400(header: str) -> None:
    with pytest.raises(HeaderMalformed) as info:
        GENERIC.verify({"Faktura-Signature": header, "Faktura-Event-Id": "e"}, BODY, secrets=[SECRET], now=NOW)
    assert info.value.http_status == 400


def test_a_woocommerce_delivery_is_verified_with_its_delivery_id_and_topic() -> None:
    headers = {
        "x-wc-webhook-signature": sign_base64(BODY, SECRET),
        "x-wc-webhook-delivery-id": "d41d8cd98f",
        "x-wc-webhook-topic": "order.updated",
    }
    verified = WOOCOMMERCE.verify(headers, BODY, secrets=[SECRET], now=NOW)
    assert (verified.event_id, verified.timestamp, verified.topic) == ("d41d8cd98f", None, "order.updated")


def shopify_headers(**extra: str) -> dict[str, str]:
    return {
        "X-Shopify-Hmac-Sha256": sign_base64(BODY, SECRET),
        "X-Shopify-Webhook-Id": "b54557e4-bdd9-4b37-8a5f-bf7d70bcd043",
        "X-Shopify-Topic": "orders/create",
        **extra,
    }


def test_shopify_triggered_at_within_tolerance_is_accepted_with_nanoseconds() -> None:
    verified = SHOPIFY.verify(
        shopify_headers(**{"X-Shopify-Triggered-At": "2026-11-23T09:58:00.123456789Z"}), BODY, secrets=[SECRET], now=NOW
    )
    assert verified.timestamp == datetime(2026, 11, 23, 9, 58, 0, 123456, tzinfo=UTC)


def test_shopify_triggered_at_outside_tolerance_is_rejected() -> None:
    with pytest.raises(TimestampTooOld):
        SHOPIFY.verify(
            shopify_headers(**{"X-Shopify-Triggered-At": "2026-11-23T09:50:00Z"}), BODY, secrets=[SECRET], now=NOW
        )


@pytest.mark.parametrize("scheme", [WOOCOMMERCE, SHOPIFY], ids=["woocommerce", "shopify"])
def test_a_base64_scheme_rejects_a_tampered_body_and_a_non_base64_header(scheme: object) -> None:
    headers = (
        shopify_headers()
        if scheme is SHOPIFY
        else {"X-WC-Webhook-Signature": sign_base64(BODY, SECRET), "X-WC-Webhook-Delivery-ID": "1"}
    )
    verify = SCHEMES["shopify" if scheme is SHOPIFY else "woocommerce"].verify
    with pytest.raises(SignatureMismatch):
        verify(headers, BODY + b"\n", secrets=[SECRET], now=NOW)
    bad = {
        name: ("not base64!" if "ig" in name.lower() or "hmac" in name.lower() else v) for name, v in headers.items()
    }
    with pytest.raises(HeaderMalformed):
        verify(bad, BODY, secrets=[SECRET], now=NOW)


@given(body=st.binary(max_size=2048), secret=st.text(min_size=1, max_size=64))
def test_signing_then_verifying_round_trips_for_any_body(body: bytes, secret: str) -> None:
    headers = {"Faktura-Signature": sign(body, secret, NOW), "Faktura-Event-Id": "e"}
    assert GENERIC.verify(headers, body, secrets=[secret], now=NOW).event_id == "e"
    shopify = {"X-Shopify-Hmac-Sha256": sign_base64(body, secret), "X-Shopify-Webhook-Id": "e"}
    assert SHOPIFY.verify(shopify, body, secrets=[secret], now=NOW).event_id == "e"


@given(body=st.binary(min_size=1, max_size=512), data=st.data())
def test_any_single_byte_change_is_rejected(body: bytes, data: st.DataObject) -> None:
    index = data.draw(st.integers(0, len(body) - 1))
    replacement = data.draw(st.integers(0, 255).filter(lambda b: b != body[index]))
    changed = body[:index] + bytes([replacement]) + body[index + 1 :]
    headers = {"Faktura-Signature": sign(body, SECRET, NOW), "Faktura-Event-Id": "e"}
    with pytest.raises(SignatureMismatch):
        GENERIC.verify(headers, changed, secrets=[SECRET], now=NOW)
    woo = {"X-WC-Webhook-Signature": sign_base64(body, SECRET), "X-WC-Webhook-Delivery-ID": "e"}
    with pytest.raises(SignatureMismatch):
        WOOCOMMERCE.verify(woo, changed, secrets=[SECRET], now=NOW)


@pytest.mark.parametrize("scheme", ["generic", "woocommerce", "shopify"])
def test_every_secret_is_compared_in_constant_time_even_after_a_match(
    scheme: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import hmac

    calls: list[tuple[bytes, bytes]] = []
    real = hmac.compare_digest

    def spy(a: bytes, b: bytes) -> bool:
        calls.append((a, b))
        return real(a, b)

    monkeypatch.setattr(hmac, "compare_digest", spy)
    headers = {
        "generic": generic_headers(),
        "woocommerce": {"X-WC-Webhook-Signature": sign_base64(BODY, SECRET), "X-WC-Webhook-Delivery-ID": "1"},
        "shopify": {"X-Shopify-Hmac-Sha256": sign_base64(BODY, SECRET), "X-Shopify-Webhook-Id": "1"},
    }[scheme]
    SCHEMES[scheme].verify(headers, BODY, secrets=[SECRET, "whsec_other"], now=NOW)
    assert len(calls) == 2  # the matching secret first, and still the second one
