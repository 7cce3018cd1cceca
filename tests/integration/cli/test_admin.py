"""The operators' admin on the demo data: everything visible, writes only through services."""

from __future__ import annotations

import pytest
from django.test import Client

from faktura.apps.accounts.management.demo_seller import DemoResult, demo_load
from faktura.apps.accounts.models import ApiKey, Organization, User
from faktura.apps.audit.models import AuditEvent
from faktura.apps.invoicing.models import Document
from faktura.apps.invoicing.services import BuyerDetails, document_create_draft
from faktura.core.actors import CLI
from tests.factories import line

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo() -> DemoResult:
    return demo_load(password="operator-pass")


@pytest.fixture
def operator(client: Client, demo: DemoResult) -> Client:
    client.force_login(User.objects.get(email="admin@faktura.local"))
    return client


def test_every_list_and_detail_page_opens(operator: Client, demo: DemoResult) -> None:
    seller = demo.organization
    document = Document.objects.filter(organization=seller).first()
    assert document is not None
    pages = [
        "/admin/",
        "/admin/accounts/organization/",
        f"/admin/accounts/organization/{seller.pk}/change/",
        "/admin/accounts/organization/add/",
        "/admin/accounts/user/",
        "/admin/accounts/user/add/",
        f"/admin/accounts/user/{User.objects.get(email='demo@faktura.local').pk}/change/",
        "/admin/accounts/apikey/",
        f"/admin/accounts/apikey/{ApiKey.objects.filter(organization=seller).first().pk}/change/",  # type: ignore[union-attr]
        "/admin/sales/saleschannel/",
        "/admin/sales/buyer/",
        "/admin/sales/order/",
        f"/admin/sales/order/{document.order_id}/change/",
        "/admin/invoicing/series/",
        "/admin/invoicing/seriescounter/",
        "/admin/invoicing/document/",
        f"/admin/invoicing/document/{document.pk}/change/",
        "/admin/invoicing/documentdeletion/",
        "/admin/payments/payment/",
    ]
    for page in pages:
        assert operator.get(page).status_code == 200, page


def test_an_issued_document_can_be_neither_changed_nor_deleted(operator: Client, demo: DemoResult) -> None:
    document = Document.objects.filter(organization=demo.organization, status="issued").first()
    assert document is not None

    page = operator.get(f"/admin/invoicing/document/{document.pk}/change/")
    assert b'name="_save"' not in page.content
    assert b"/delete/" not in page.content
    assert operator.post(f"/admin/invoicing/document/{document.pk}/delete/", {"post": "yes"}).status_code == 403
    assert Document.objects.filter(pk=document.pk).exists()


def test_a_draft_is_deleted_through_the_service_which_records_it(operator: Client, demo: DemoResult) -> None:
    draft = document_create_draft(
        actor=CLI,
        organization=demo.organization,
        document_type="invoice",
        currency="RON",
        buyer=BuyerDetails(name="Ana Popescu", country="RO"),
        lines=[line()],
        pricing="gross",
    )

    response = operator.post(f"/admin/invoicing/document/{draft.pk}/delete/", {"post": "yes"})

    assert response.status_code == 302
    assert not Document.objects.filter(pk=draft.pk).exists()
    assert AuditEvent.objects.filter(action="document.draft_deleted", object_id=str(draft.pk)).exists()


def change_form_data(operator: Client, url: str, **changes: str) -> dict[str, object]:
    """What the browser would post back from the change form, with ``changes`` applied."""
    context = operator.get(url).context
    form = context["adminform"].form
    data: dict[str, object] = {name: form.initial.get(name, "") for name in form.fields}
    for inline in context["inline_admin_formsets"]:
        management = inline.formset.management_form
        data.update({management.add_prefix(name): value for name, value in management.initial.items()})
    return {**data, **changes}


def test_editing_a_seller_checks_it_like_every_other_door_and_audits_it(operator: Client, demo: DemoResult) -> None:
    url = f"/admin/accounts/organization/{demo.organization.pk}/change/"

    refused = operator.post(url, change_form_data(operator, url, vat_id="RO18547291"))
    assert refused.status_code == 200
    assert b"is not a valid VAT id of Romania" in refused.content

    saved = operator.post(url, change_form_data(operator, url, city="Cluj-Napoca"))
    assert saved.status_code == 302, saved.content[:2000]
    assert Organization.objects.get(pk=demo.organization.pk).city == "Cluj-Napoca"
    assert AuditEvent.objects.filter(action="organization.updated", data__city="Cluj-Napoca").exists()


def test_api_keys_show_no_secret_and_are_revoked_through_the_service(operator: Client, demo: DemoResult) -> None:
    key = ApiKey.objects.get(organization=demo.organization, revoked_at__isnull=True)

    page = operator.get(f"/admin/accounts/apikey/{key.pk}/change/").content.decode()
    assert demo.api_key not in page
    operator.post("/admin/accounts/apikey/", {"action": "revoke", "_selected_action": [key.pk]})

    key.refresh_from_db()
    assert key.revoked_at is not None
    assert AuditEvent.objects.filter(action="api_key.revoked", object_id=str(key.pk)).exists()
