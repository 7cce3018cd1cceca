"""The email wears the seller's branding: the accent colour and the logo their PDF was made with."""

from __future__ import annotations

import pytest

from faktura.apps.layouts.services import LayoutSettings, layout_save
from faktura.pdf.sample import sample_logo
from tests import factories as make
from tests.integration.delivery import helpers
from tests.integration.delivery.mailserver import Mailbox

pytestmark = pytest.mark.django_db


def test_the_html_part_has_the_accent_colour_and_the_logo_inline(smtp: Mailbox) -> None:
    org = make.seller(email="shop@exemplu.ro")
    make.series(org)
    logo = sample_logo()
    layout_save(actor=make.TEST_ACTOR, organization=org, settings=LayoutSettings(accent_colour="#AA3311"), logo=logo)

    helpers.issued(org)
    helpers.run_sends()

    [mail] = smtp.received
    html = mail.body("html")
    assert "border-top:4px solid #aa3311" in html  # as the layout stores it
    assert 'src="cid:logo@faktura"' in html
    [image] = [part for part in mail.message.walk() if part["Content-ID"] == "<logo@faktura>"]
    assert image.get_content() == logo
    assert list(mail.attachments()) == ["FA2026001.pdf"]  # the logo is inline, not an attachment


def test_without_a_layout_the_email_names_the_seller_in_the_default_colour(smtp: Mailbox) -> None:
    helpers.issued()
    helpers.run_sends()
    html = smtp.received[0].body("html")
    assert "Exemplu Comerț SRL</strong>" in html
    assert "cid:" not in html


def test_a_buyer_name_with_markup_is_escaped_in_the_html_and_kept_in_the_text(smtp: Mailbox) -> None:
    from dataclasses import replace

    helpers.issued(buyer=replace(make.RO_BUYER, name="Ana <b>Popescu</b> & co"))
    helpers.run_sends()
    [mail] = smtp.received
    assert "Ana &lt;b&gt;Popescu&lt;/b&gt; &amp; co" in mail.body("html")
    assert "<b>Popescu</b>" not in mail.body("html")
    assert "Ana <b>Popescu</b> & co" in mail.body("plain")
