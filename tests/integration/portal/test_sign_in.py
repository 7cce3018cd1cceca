"""Magic-link sign-in: the same answer for every address, the email on a real SMTP server, one use, expiry, purpose."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from faktura.apps.portal import services, tokens
from faktura.apps.portal.models import BuyerAccount, SignInLink
from faktura.apps.portal.session import SESSION_KEY
from tests.integration.delivery.mailserver import Mailbox
from tests.integration.portal import helpers
from tests.integration.portal.helpers import ANA

pytestmark = pytest.mark.django_db


def without_csrf(page: bytes) -> bytes:
    return re.sub(rb'name="csrfmiddlewaretoken" value="[^"]+"', b"", page)


def ask(client: Client, email: str, **extra: str) -> Any:
    return client.post("/my/sign-in", {"email": email, **extra})


def test_the_answer_is_the_same_for_a_buyer_and_a_stranger_and_only_the_buyer_gets_an_email(smtp: Mailbox) -> None:
    org, channel = helpers.shop("Carpathia Ceramics SRL")
    helpers.order_for(org, channel, "1001")

    known, unknown = ask(Client(), ANA), ask(Client(), "stranger@example.test")

    assert known.status_code == unknown.status_code == 200
    assert without_csrf(known.content) == without_csrf(unknown.content)
    assert b"If we know this address" in known.content
    assert helpers.run_sends() == 2
    [mail] = smtp.received
    assert mail.recipients == [ANA]
    assert mail.header("Subject") == "Your sign-in link"
    assert mail.header("Auto-Submitted") == "auto-generated"
    path = helpers.link_in(mail.body("plain"))
    assert f'href="https://faktura.test{path}"' in mail.body("html")
    stranger = SignInLink.objects.get(email="stranger@example.test")
    assert stranger.sent_at is None
    assert "not sent" in stranger.send_error


def test_the_link_signs_in_once_rotates_the_session_and_keeps_only_a_hash(smtp: Mailbox) -> None:
    org, channel = helpers.shop("Carpathia Ceramics SRL")
    helpers.order_for(org, channel, "1001")
    client = Client()
    ask(client, ANA)
    helpers.run_sends()
    path = helpers.link_in(smtp.received[0].body("plain"))
    token = path.rsplit("/", 1)[1]
    link = SignInLink.objects.get()
    assert link.token_hash == tokens.token_hash(token)
    assert token not in (link.nonce, link.token_hash)

    confirm = client.get(path)  # a mail scanner following the link uses nothing up
    assert confirm.status_code == 200
    assert ANA.encode() in confirm.content
    assert confirm["Referrer-Policy"] == "no-referrer"
    before = client.session.session_key
    signed = client.post(path)
    assert signed.status_code == 302
    assert signed["Location"] == "/my/orders/"
    assert client.session.session_key != before
    assert client.session[SESSION_KEY]["id"] == BuyerAccount.objects.get(email=ANA).pk
    assert client.get("/my/orders/").status_code == 200

    again = Client().post(path)
    assert again.status_code == 410
    assert b"used already" in again.content
    assert Client().get(path).status_code == 410


def test_an_expired_link_is_a_410_page(settings: Any) -> None:
    link = services.sign_in_link_request(email=ANA, client_ip="10.0.0.1")
    SignInLink.objects.filter(pk=link.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    path = f"/my/sign-in/{helpers.token_of(link.pk)}"
    for answer in (Client().get(path), Client().post(path)):
        assert answer.status_code == 410
        assert b"expired" in answer.content
    assert not BuyerAccount.objects.exists()


def test_the_link_expires_after_the_configured_minutes(settings: Any) -> None:
    settings.FAKTURA_PORTAL_LINK_MINUTES = 15
    link = services.sign_in_link_request(email=ANA, client_ip="10.0.0.1")
    assert link.expires_at - link.created_at == dt.timedelta(minutes=15)


def test_a_tampered_truncated_or_made_up_link_is_a_404_page() -> None:
    link = services.sign_in_link_request(email=ANA, client_ip="10.0.0.1")
    token = helpers.token_of(link.pk)
    changed = token[:-1] + ("0" if token[-1] != "0" else "1")
    for bad in (changed, token[:-2], "0" * 64, "nonsense", token.upper()):
        for answer in (Client().get(f"/my/sign-in/{bad}"), Client().post(f"/my/sign-in/{bad}")):
            assert answer.status_code == 404, bad
            assert b"not valid" in answer.content
    assert SignInLink.objects.get().used_at is None


def test_a_link_made_for_another_purpose_does_not_sign_in() -> None:
    link = services.sign_in_link_request(email=ANA, client_ip="10.0.0.1")
    # The same row, had it been made for another purpose: its token is the HMAC under that purpose.
    SignInLink.objects.filter(pk=link.pk).update(purpose="email-change")
    other = tokens.token_for(purpose="email-change", nonce=link.nonce)
    SignInLink.objects.filter(pk=link.pk).update(token_hash=tokens.token_hash(other))
    assert Client().post(f"/my/sign-in/{other}").status_code == 404
    with pytest.raises(services.LinkUnknown):
        services.sign_in_link_use(token=other)
    # and a sign-in token presented for that purpose fails the same way
    sign_in = services.sign_in_link_request(email=ANA, client_ip="10.0.0.2")
    with pytest.raises(services.LinkUnknown):
        services.sign_in_link_use(token=helpers.token_of(sign_in.pk), purpose="email-change")


def test_a_document_link_from_an_email_is_not_a_sign_in_link() -> None:
    from faktura.apps.delivery.links import link_token

    token = link_token(organization_id=1, document_id=1, message_id=1)
    assert Client().get(f"/my/sign-in/{token}").status_code == 404


def test_sign_out_ends_the_buyer_session_only() -> None:
    client = helpers.signed_in(ANA)
    assert client.get("/my/orders/").status_code == 200
    out = client.post("/my/sign-out")
    assert out.status_code == 302
    assert client.get("/my/orders/").status_code == 302
    assert SESSION_KEY not in client.session


def test_the_link_leads_back_to_the_page_asked_for_but_never_off_the_portal() -> None:
    org, channel = helpers.shop("Carpathia Ceramics SRL")
    order, _ = helpers.order_for(org, channel, "1001")
    for asked, lands in (
        (f"/my/orders/{order.pk}/", f"/my/orders/{order.pk}/"),
        ("https://evil.example/my/", "/my/orders/"),
        ("//evil.example/my/", "/my/orders/"),
        ("/app/", "/my/orders/"),
        ("/my/\\\\evil.example", "/my/orders/"),
    ):
        client = Client()
        ask(client, ANA, next=asked)
        link = SignInLink.objects.order_by("-pk").first()
        assert link is not None
        answer = client.post(f"/my/sign-in/{helpers.token_of(link.pk)}")
        assert answer["Location"] == lands, asked


def test_the_forms_need_the_csrf_token() -> None:
    client = Client(enforce_csrf_checks=True)
    assert client.post("/my/sign-in", {"email": ANA}).status_code == 403
    link = services.sign_in_link_request(email=ANA, client_ip="10.0.0.1")
    assert client.post(f"/my/sign-in/{helpers.token_of(link.pk)}").status_code == 403
    assert SignInLink.objects.get(pk=link.pk).used_at is None


def test_a_bad_address_is_a_form_error_not_a_request() -> None:
    answer = ask(Client(), "not an address")
    assert answer.status_code == 200
    assert b"is-invalid" in answer.content
    assert not SignInLink.objects.exists()


def test_a_mail_server_that_is_down_is_tried_again(settings: Any) -> None:
    org, channel = helpers.shop("Carpathia Ceramics SRL")
    helpers.order_for(org, channel, "1001")
    link = services.sign_in_link_request(email=ANA, client_ip="10.0.0.1")
    assert services.sign_in_link_deliver(link_id=link.pk, attempt=1).state == "retry"
    from tests.integration.delivery.mailserver import mail_server

    with mail_server(settings.EMAIL_PORT) as mailbox:
        assert services.sign_in_link_deliver(link_id=link.pk, attempt=2).state == "sent"
        assert services.sign_in_link_deliver(link_id=link.pk, attempt=2).state == "skipped"
    assert len(mailbox.received) == 1


def test_the_admin_lists_links_without_their_secrets(admin_client: Any) -> None:
    link = services.sign_in_link_request(email=ANA, client_ip="10.0.0.1")
    listing = admin_client.get("/admin/portal/signinlink/")
    assert listing.status_code == 200
    assert ANA in listing.content.decode()
    detail = admin_client.get(f"/admin/portal/signinlink/{link.pk}/change/").content.decode()
    assert link.nonce not in detail
    assert link.token_hash not in detail
    assert admin_client.get("/admin/portal/buyeraccount/").status_code == 200
