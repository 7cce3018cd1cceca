"""Settings -> Layout and templates: save per channel and type, errors next to the field, the live preview (F5)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from faktura.apps.audit.selectors import events_for
from faktura.apps.layouts import selectors
from faktura.pdf.sample import sample_logo
from tests import factories as make

pytestmark = pytest.mark.django_db

PAGE = "/app/settings/layouts/"


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = str(tmp_path)
    return tmp_path


def signed_in(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def layout_form(**changes: Any) -> dict[str, Any]:
    form: dict[str, Any] = {
        "channel": "",
        "type": "",
        "accent_colour": "#0f766e",
        "font": "inter",
        "language": "",
        "footer": "Thank you!",
        "bank_account": "",
        "template_source": "",
        "tpl_title": "Invoice for order {order.number}",
        "tpl_due_date": "{document.issue_date+14}",
    }
    form.update(changes)
    return form


def test_the_page_shows_the_form_the_macros_and_where_the_preview_goes() -> None:
    org = make.seller()
    page = signed_in(make.person(org, "owner")).get(PAGE)
    assert page.status_code == 200
    text = page.content.decode()
    assert "{order.number}" in text
    assert "The buyer&#x27;s name" in text or "The buyer's name" in text
    assert 'data-insert-macro="{document.issue_date}"' in text
    assert 'id="preview"' in text
    assert "Exactly one of: {order.date}, {document.issue_date}, {document.supply_date}, {today}" in text


def test_a_layout_is_saved_for_a_channel_and_type_with_a_logo_and_audited() -> None:
    org = make.seller()
    channel = make.channel(org)
    client = signed_in(make.person(org, "admin"))
    logo = SimpleUploadedFile("logo.png", sample_logo(), content_type="image/png")
    response = client.post(
        PAGE, layout_form(channel=channel.pk, type="invoice", logo=logo, font="libertinus", bilingual="on")
    )
    assert response.status_code == 302, response.content.decode()
    assert response["Location"] == f"{PAGE}?channel={channel.pk}&type=invoice"
    (layout,) = selectors.layouts(organization=org)
    assert (layout.channel_id, layout.document_type) == (channel.pk, "invoice")
    assert (layout.accent_colour, layout.font, layout.bilingual, layout.footer) == (
        "#0f766e",
        "libertinus",
        True,
        "Thank you!",
    )
    assert layout.logo.name.startswith(f"logos/{org.pk}/")
    assert layout.templates == {"title": "Invoice for order {order.number}", "due_date": "{document.issue_date+14}"}
    assert events_for(organization=org).filter(action="layout.saved").count() == 1

    page = client.get(PAGE, {"channel": channel.pk, "type": "invoice"}).content.decode()
    assert 'value="#0f766e"' in page
    assert "These settings are saved for this choice." in page
    # The general layout is still unset: its page says what applies.
    assert "built-in look" in client.get(PAGE).content.decode()

    assert client.post(f"{PAGE}{layout.pk}/delete").status_code == 302
    assert not selectors.layouts(organization=org).exists()


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"tpl_title": "Invoice {order.numbr}"}, "tpl_title", "did you mean {order.number}"),
        ({"tpl_due_date": "{document.due_date}"}, "tpl_due_date", "cannot be used here"),
        ({"tpl_note": "Order {order.number"}, "tpl_note", "is not closed"),
        ({"accent_colour": "red"}, "accent_colour", ""),
        ({"font": "comic"}, "font", ""),
        ({"bank_account": "999999"}, "bank_account", ""),
        ({"template_source": "#let x = ("}, "template_source", ""),
    ],
)
def test_bad_input_is_refused_next_to_its_field(changes: dict[str, Any], field: str, words: str) -> None:
    org = make.seller()
    response = signed_in(make.person(org, "owner")).post(PAGE, layout_form(**changes))
    assert response.status_code == 422
    errors = response.context["form"].errors
    assert field in errors, errors
    assert words in " ".join(errors[field])
    assert not selectors.layouts(organization=org).exists()


def test_a_custom_template_file_is_checked_when_saved() -> None:
    org = make.seller()
    client = signed_in(make.person(org, "owner"))
    bad = SimpleUploadedFile("bad.typ", b'#import "nowhere.typ": *\n', content_type="text/plain")
    refused = client.post(PAGE, layout_form(template_file=bad))
    assert refused.status_code == 422
    assert "template_file" in refused.context["form"].errors
    good = SimpleUploadedFile(
        "mine.typ",
        b'#import "lib.typ": *\n#let d = json(bytes(sys.inputs.data))\n#render(d)\n',
        content_type="text/plain",
    )
    saved = client.post(PAGE, layout_form(template_file=good))
    assert saved.status_code == 302, saved.content.decode()
    assert "#render(d)" in selectors.layouts(organization=org).get().template_source


def test_the_preview_is_a_png_of_the_settings_as_typed_and_names_bad_fields() -> None:
    org = make.seller()
    client = signed_in(make.person(org, "owner"))
    first = client.post(f"{PAGE}preview", layout_form())
    assert first.status_code == 200
    text = first.content.decode()
    assert 'src="data:image/png;base64,' in text
    assert "Invoice for order 10025" in text
    other = client.post(f"{PAGE}preview", layout_form(accent_colour="#b91c1c")).content.decode()
    assert other.split("base64,")[1][:4000] != text.split("base64,")[1][:4000]
    refused = client.post(f"{PAGE}preview", layout_form(tpl_title="{order.numbr}")).content.decode()
    assert "did you mean {order.number}" in refused
    assert not selectors.layouts(organization=org).exists()
    pdf = client.post(f"{PAGE}preview.pdf", layout_form(type="proforma"))
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")


@pytest.mark.parametrize("role", ["viewer", "accountant"])
def test_viewers_and_accountants_look_but_cannot_save(role: str) -> None:
    org = make.seller()
    client = signed_in(make.person(org, role))
    page = client.get(PAGE)
    assert page.status_code == 200
    assert "Save layout" not in page.content.decode()
    assert client.post(PAGE, layout_form()).status_code == 403
    assert client.post(f"{PAGE}preview", layout_form()).status_code == 200
    owner = signed_in(make.person(org, "owner"))
    assert owner.post(PAGE, layout_form()).status_code == 302
    layout = selectors.layouts(organization=org).get()
    assert client.post(f"{PAGE}{layout.pk}/delete").status_code == 403
    assert selectors.layouts(organization=org).count() == 1


def test_another_seller_s_channel_layout_and_bank_account_are_not_found() -> None:
    org = make.seller()
    channel = make.channel(org)
    owner = signed_in(make.person(org, "owner"))
    assert owner.post(PAGE, layout_form(channel=channel.pk)).status_code == 302
    layout = selectors.layouts(organization=org).get()
    other = signed_in(make.person(make.seller(), "owner"))
    assert other.get(PAGE, {"channel": channel.pk}).status_code == 404
    assert other.get(PAGE, {"channel": "x"}).status_code == 404
    assert other.get(PAGE, {"type": "receipt"}).status_code == 404
    assert other.post(PAGE, layout_form(channel=channel.pk)).status_code == 404
    assert other.post(f"{PAGE}preview", layout_form(channel=channel.pk)).status_code == 404
    assert other.post(f"{PAGE}{layout.pk}/delete").status_code == 404
    assert selectors.layouts(organization=org).count() == 1
