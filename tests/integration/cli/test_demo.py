"""``faktura demo``: one demo seller however often it runs, with working credentials."""

from __future__ import annotations

import json
from io import StringIO
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client

from faktura.apps.accounts.models import Organization, User
from faktura.apps.accounts.selectors import api_key_authenticate, role_of
from faktura.apps.invoicing.models import Document
from faktura.demo import data
from tests.integration.cli.conftest import faktura


def demo_json() -> dict[str, Any]:
    out = StringIO()
    call_command("demo", "--json", stdout=out)
    return json.loads(out.getvalue())


@pytest.mark.django_db(transaction=True)
def test_demo_twice_in_process_then_as_a_process_leaves_one_seller_with_fresh_credentials() -> None:
    first = demo_json()
    second = demo_json()
    run = faktura("demo", "--json")
    assert run.returncode == 0, run.stderr
    third = json.loads(run.stdout)

    sellers = Organization.objects.filter(legal_name=data.SELLER["legal_name"], vat_id=data.SELLER["vat_id"])
    assert [s.pk for s in sellers] == [first["seller_id"]] == [second["seller_id"]] == [third["seller_id"]]
    key = api_key_authenticate(plaintext=third["api_key"])
    assert key is not None
    assert key.organization_id == third["seller_id"]
    assert api_key_authenticate(plaintext=first["api_key"]) is None  # rotated away
    assert api_key_authenticate(plaintext=second["api_key"]) is None
    user = User.objects.get(email=third["user"]["email"])
    assert user.check_password(third["user"]["password"])
    assert role_of(user=user, organization=sellers[0]) == "owner"
    assert User.objects.get(email=third["admin"]["email"]).is_superuser
    assert [c["code"] for c in third["channels"]] == ["magazin", "ovoko"]
    me = Client().get("/api/v1/me", headers={"Authorization": f"Bearer {third['api_key']}"})
    assert me.status_code == 200
    assert me.json()["legal_name"] == data.SELLER["legal_name"]
    assert third["url"].startswith("http://")
    assert third["url"].endswith("/")


@pytest.mark.django_db(transaction=True)
def test_the_demo_issues_numbered_documents_and_keeps_the_audit_trail_whole() -> None:
    seller_id = demo_json()["seller_id"]
    demo_json()

    documents = Document.objects.filter(organization_id=seller_id).exclude(status="draft")
    numbers = sorted(d.number or "" for d in documents)
    year = documents[0].issue_date.year  # type: ignore[union-attr]
    assert numbers == sorted(
        [f"FA{year}001", f"FA{year}002", f"FS{year}001", f"PF{year}001", f"OVO{year}0001", f"OVO{year}0002"]
    )
    assert documents.get(number=f"FA{year}002").status == "cancelled"
    assert documents.get(number=f"FS{year}001").corrected_document.number == f"FA{year}001"  # type: ignore[union-attr]
    intra_eu = documents.get(number=f"OVO{year}0002")
    assert intra_eu.buyer_vat_id == "HU12892312"
    assert intra_eu.tax_total == 0
    assert not Document.objects.filter(organization_id=seller_id, status="draft").exists()
    out = StringIO()
    call_command("audit_verify", stdout=out)
    assert out.getvalue().startswith("OK:")


@pytest.mark.django_db(transaction=True)
def test_the_text_output_tells_where_to_go_and_how_to_sign_in() -> None:
    out = StringIO()
    call_command("demo", "--password", "demo-pass-1", stdout=out)
    text = out.getvalue()
    assert f"{settings.FAKTURA_BASE_URL.rstrip('/')}/admin/" in text
    assert f"{data.USER_EMAIL} / demo-pass-1" in text
    assert "API key    fk_" in text
    assert "invoice FA" in text
    assert User.objects.get(email=data.USER_EMAIL).check_password("demo-pass-1")
