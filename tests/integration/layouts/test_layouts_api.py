"""The layouts API: list, save with field templates, logo, preview, the list of macros; one seller at a time."""

from __future__ import annotations

import io
from pathlib import Path

import pypdf
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from faktura.apps.accounts.services import api_key_create
from faktura.core.macros import MACROS, TEMPLATE_FIELDS
from faktura.pdf.sample import sample_logo
from tests import factories as make

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings: pytest.FixtureRequest, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = str(tmp_path)  # type: ignore[attr-defined]
    return tmp_path


class Caller:
    def __init__(self, client: Client) -> None:
        self.org = make.seller()
        _, key = api_key_create(actor=make.TEST_ACTOR, organization=self.org, name="shop")
        self.client = client
        self.headers = {"Authorization": f"Bearer {key}"}

    def get(self, path: str, **params: str | int):
        return self.client.get(f"/api/v1{path}", params, headers=self.headers)

    def put(self, path: str, body: object, key: str = ""):
        extra = {"Idempotency-Key": key} if key else {}
        return self.client.put(
            f"/api/v1{path}", body, content_type="application/json", headers={**self.headers, **extra}
        )

    def post(self, path: str, body: object, key: str = ""):
        extra = {"Idempotency-Key": key} if key else {}
        return self.client.post(
            f"/api/v1{path}", body, content_type="application/json", headers={**self.headers, **extra}
        )

    def upload(self, path: str, content: bytes, key: str = ""):
        extra = {"Idempotency-Key": key} if key else {}
        file = SimpleUploadedFile("logo.png", content, content_type="image/png")
        return self.client.post(f"/api/v1{path}", {"file": file}, headers={**self.headers, **extra})

    def delete(self, path: str):
        return self.client.delete(f"/api/v1{path}", headers=self.headers)


@pytest.fixture
def seller(client: Client) -> Caller:
    return Caller(client)


@pytest.fixture
def other(client: Client) -> Caller:
    return Caller(client)


TEMPLATES = {"title": "Factura comenzii {order.number}", "due_date": "{document.issue_date+14}"}


def test_a_layout_is_saved_with_templates_listed_and_replaced(seller: Caller) -> None:
    channel = make.channel(seller.org)
    saved = seller.put(
        "/layouts",
        {"channel_id": channel.pk, "document_type": "invoice", "accent_colour": "#AA0000", "templates": TEMPLATES},
    )
    assert saved.status_code == 200, saved.content
    body = saved.json()
    assert (body["channel_id"], body["document_type"], body["accent_colour"]) == (channel.pk, "invoice", "#aa0000")
    assert body["templates"] == TEMPLATES

    again = seller.put("/layouts", {"channel_id": channel.pk, "document_type": "invoice", "footer": "Mulțumim"})
    assert again.json()["id"] == body["id"]
    assert (again.json()["footer"], again.json()["templates"]) == ("Mulțumim", {})

    updated = seller.put(f"/layouts/{body['id']}", {"templates": {"note": "Comanda {order.number}"}})
    assert updated.status_code == 200
    assert (updated.json()["channel_id"], updated.json()["templates"]) == (
        channel.pk,
        {"note": "Comanda {order.number}"},
    )

    listed = seller.get("/layouts").json()
    assert [layout["id"] for layout in listed] == [body["id"]]
    assert seller.get(f"/layouts/{body['id']}").json()["templates"] == {"note": "Comanda {order.number}"}
    assert seller.delete(f"/layouts/{body['id']}").status_code == 204
    assert seller.get("/layouts").json() == []


@pytest.mark.parametrize(
    ("templates", "field", "words"),
    [
        ({"title": "Invoice {order.numbr}"}, "templates.title", "did you mean {order.number}"),
        ({"due_date": "{order.date} + 14"}, "templates.due_date", "exactly one date macro"),
        ({"note": "{order.__class__}"}, "templates.note", "not a macro name"),
        ({"colour": "{order.number}"}, "templates.colour", "no field"),
    ],
)
def test_a_bad_template_is_a_422_naming_the_field(seller: Caller, templates: dict, field: str, words: str) -> None:
    refused = seller.put("/layouts", {"templates": templates})
    assert refused.status_code == 422
    body = refused.json()
    assert (body["code"], body["field"]) == ("invalid", field)
    assert words in body["message"]
    assert seller.get("/layouts").json() == []


def test_a_put_replays_under_one_idempotency_key(seller: Caller) -> None:
    first = seller.put("/layouts", {"templates": TEMPLATES}, key="k-1")
    second = seller.put("/layouts", {"templates": TEMPLATES}, key="k-1")
    assert second.content == first.content
    assert second.headers.get("Idempotent-Replayed") == "true"
    assert seller.put("/layouts", {"footer": "x"}, key="k-1").status_code == 409


def test_a_logo_is_uploaded_and_a_bad_image_refused(seller: Caller) -> None:
    layout = seller.put("/layouts", {}).json()
    done = seller.upload(f"/layouts/{layout['id']}/logo", sample_logo(), key="logo-1")
    assert done.status_code == 200, done.content
    assert done.json()["logo"].startswith(f"logos/{seller.org.pk}/")
    assert done.json()["logo"].endswith(".png")
    bad = seller.upload(f"/layouts/{layout['id']}/logo", b"not an image")
    assert bad.status_code == 422
    assert bad.json()["field"] == "logo"


def test_a_preview_is_a_pdf_of_sample_data_with_the_settings(seller: Caller) -> None:
    response = seller.post("/layouts/preview", {"footer": "Footer of the preview", "language": "de"}, key="p-1")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(response.content)).pages)
    assert "Footer of the preview" in text
    assert "Rechnung" in text
    refused = seller.post("/layouts/preview", {"templates": {"title": "{order.numbr}"}})
    assert (refused.status_code, refused.json()["field"]) == (422, "templates.title")


def test_another_sellers_layout_channel_and_ids_are_404(seller: Caller, other: Caller) -> None:
    mine = seller.put("/layouts", {"templates": TEMPLATES}).json()
    assert other.get(f"/layouts/{mine['id']}").status_code == 404
    assert other.put(f"/layouts/{mine['id']}", {"footer": "x"}).status_code == 404
    assert other.upload(f"/layouts/{mine['id']}/logo", sample_logo()).status_code == 404
    assert other.delete(f"/layouts/{mine['id']}").status_code == 404
    assert other.get("/layouts").json() == []
    channel = make.channel(seller.org)
    foreign = other.put("/layouts", {"channel_id": channel.pk})
    assert (foreign.status_code, foreign.json()["field"]) == (404, "channel_id")
    assert seller.get(f"/layouts/{mine['id']}").json()["footer"] == ""


def test_the_macros_are_listed_per_field_with_examples_in_the_language(seller: Caller) -> None:
    body = seller.get("/macros", language="sk").json()
    assert body["language"] == "sk"
    assert [m["name"] for m in body["macros"]] == [m.name for m in MACROS]
    order_date = next(m for m in body["macros"] if m["name"] == "order.date")
    assert order_date == {
        "name": "order.date",
        "macro": "{order.date}",
        "type": "date",
        "description": "The day the order was placed",
        "example": "23. 11. 2026",
    }
    fields = {f["name"]: f for f in body["fields"]}
    assert set(fields) == set(TEMPLATE_FIELDS)
    assert fields["due_date"]["type"] == "date"
    assert fields["due_date"]["macros"] == ["order.date", "document.issue_date", "document.supply_date", "today"]
    assert fields["title"]["applied"]
    assert not fields["email.subject"]["applied"]
    assert seller.get("/macros", language="xx").status_code == 422


@pytest.mark.parametrize("layout_id", ["99999999999999999999", "9223372036854775808"])
def test_an_id_beyond_the_database_is_a_404_or_422_never_a_500(seller: Caller, layout_id: str) -> None:
    assert seller.get(f"/layouts/{layout_id}").status_code in (404, 422)
    assert seller.put(f"/layouts/{layout_id}", {}).status_code in (404, 422)
    assert seller.upload(f"/layouts/{layout_id}/logo", sample_logo()).status_code in (404, 422)
