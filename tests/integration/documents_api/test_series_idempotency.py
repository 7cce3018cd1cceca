"""POST /series honours Idempotency-Key like every other POST."""

from __future__ import annotations

import pytest
from django.test import Client

from faktura.apps.invoicing.models import Series
from tests.integration.documents_api.conftest import Caller

pytestmark = pytest.mark.django_db


def test_a_series_posted_twice_with_one_key_is_created_once(client: Client) -> None:
    seller = Caller(client, series=False)
    body = {"document_type": "invoice", "pattern": "FA{RRRR}{CCC}"}
    first = seller.post("/series", body, key="series-1")
    second = seller.post("/series", body, key="series-1")
    assert first.status_code == second.status_code == 201
    assert second["Idempotent-Replayed"] == "true"
    assert second.content == first.content
    assert Series.objects.filter(organization=seller.org).count() == 1
    reused = seller.post("/series", {**body, "pattern": "FB{RRRR}{CCC}"}, key="series-1")
    assert (reused.status_code, reused.json()["code"]) == (409, "idempotency_key_reused")
