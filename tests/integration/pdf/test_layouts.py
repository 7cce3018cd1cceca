"""Layout settings per seller, channel and document type: checks on save, precedence, previews."""

from __future__ import annotations

import io
from pathlib import Path

import pypdf
import pytest
from django.core.files.storage import default_storage

from faktura.apps.accounts.services import bank_account_add
from faktura.apps.audit.models import AuditEvent
from faktura.apps.layouts.selectors import language_default, layout_for
from faktura.apps.layouts.services import LayoutSettings, layout_preview, layout_save
from faktura.core.errors import InvalidValue, NotFound
from faktura.pdf.sample import sample_logo
from tests import factories as make

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings: pytest.FixtureRequest, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = str(tmp_path)  # type: ignore[attr-defined]
    return tmp_path


def save(org, **options):  # type: ignore[no-untyped-def]
    settings = LayoutSettings(**{k: options.pop(k) for k in list(options) if k in LayoutSettings.__dataclass_fields__})
    return layout_save(actor=make.TEST_ACTOR, organization=org, settings=settings, **options)


def test_the_most_specific_layout_wins() -> None:
    org = make.seller()
    shop, market = make.channel(org), make.channel(org)
    seller_wide = save(org, footer="all")
    invoices = save(org, footer="invoices", document_type="invoice")
    shop_all = save(org, footer="shop", channel_id=shop.pk)
    shop_invoices = save(org, footer="shop invoices", channel_id=shop.pk, document_type="invoice")

    assert layout_for(organization=org, channel_id=shop.pk, document_type="invoice") == shop_invoices
    assert layout_for(organization=org, channel_id=shop.pk, document_type="proforma") == shop_all
    assert layout_for(organization=org, channel_id=market.pk, document_type="invoice") == invoices
    assert layout_for(organization=org, channel_id=None, document_type="estimate") == seller_wide
    assert layout_for(organization=make.seller(), channel_id=None, document_type="invoice") is None


def test_saving_again_replaces_the_layout_and_writes_an_audit_row() -> None:
    org = make.seller()
    first = save(org, footer="one")
    second = save(org, footer="two", accent_colour="#0F766E")

    assert second.pk == first.pk
    second.refresh_from_db()
    assert (second.footer, second.accent_colour) == ("two", "#0f766e")
    assert AuditEvent.objects.filter(organization=org, action="layout.saved").count() == 2


@pytest.mark.parametrize(
    ("options", "field"),
    [
        ({"accent_colour": "blue"}, "accent_colour"),
        ({"font": "comic-sans"}, "font"),
        ({"language": "fr"}, "language"),
        ({"footer": "x" * 501}, "footer"),
        ({"document_type": "receipt"}, "document_type"),
    ],
    ids=["colour", "font", "language", "footer", "document-type"],
)
def test_bad_settings_are_refused_with_the_field_to_blame(options: dict[str, object], field: str) -> None:
    with pytest.raises(InvalidValue) as refused:
        save(make.seller(), **options)

    assert refused.value.field == field


def test_another_sellers_channel_or_bank_account_is_not_found() -> None:
    org, other = make.seller(), make.seller()
    account = bank_account_add(
        actor=make.TEST_ACTOR, organization=other, iban="RO49AAAA1B31007593840000", currency="RON"
    )

    with pytest.raises(NotFound):
        save(org, channel_id=make.channel(other).pk)
    with pytest.raises(NotFound):
        save(org, bank_account_id=account.pk)


def test_a_logo_is_checked_and_stored_under_its_hash(media: Path) -> None:
    org = make.seller()
    logo = sample_logo()

    layout = save(org, logo=logo)
    again = save(org, logo=logo)

    assert layout.logo.name.startswith(f"logos/{org.pk}/")
    assert layout.logo.name.endswith(".png")
    assert again.logo.name == layout.logo.name
    assert default_storage.open(layout.logo.name, "rb").read() == logo
    assert len(list((media / "logos").rglob("*"))) == 2  # the seller's folder and one file


@pytest.mark.parametrize(
    "content", [b"GIF89a\x01\x00", b"\x89PNG\r\n\x1a\nnot really", b"<svg/>"], ids=["gif", "broken", "svg"]
)
def test_an_image_that_is_not_a_readable_png_or_jpeg_is_refused(content: bytes) -> None:
    with pytest.raises(InvalidValue) as refused:
        save(make.seller(), logo=content)

    assert refused.value.field == "logo"


def test_the_preview_renders_a_sample_with_the_unsaved_settings() -> None:
    org = make.seller()

    pdf = layout_preview(organization=org, settings=LayoutSettings(footer="Preview footer", language="de"))

    text = pypdf.PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert "Preview footer" in text
    assert "Rechnung" in text


CUSTOM = """#import "lib.typ": *
#let d = json(bytes(sys.inputs.data))
#render(d)
#text(size: 14pt)[Our own template: #d.number]
"""


def test_a_custom_template_is_compiled_in_the_sandbox_when_saved_and_used_for_the_preview() -> None:
    org = make.seller()

    save(org, template_source=CUSTOM)
    pdf = layout_preview(organization=org, settings=LayoutSettings(template_source=CUSTOM))

    text = " ".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)
    assert "Our own template: FA2026-00042" in text


def test_a_custom_template_that_reads_a_file_is_refused_when_saved() -> None:
    with pytest.raises(InvalidValue) as refused:
        save(make.seller(), template_source='#read("/etc/passwd")')

    assert refused.value.field == "template"


def test_the_default_language_of_new_documents_comes_from_the_layout_else_the_seller() -> None:
    org = make.seller()
    shop = make.channel(org)
    save(org, language="en", channel_id=shop.pk)

    assert language_default(organization=org, channel_id=shop.pk, document_type="invoice") == "en"
    assert language_default(organization=org, channel_id=None, document_type="invoice") == "ro"
