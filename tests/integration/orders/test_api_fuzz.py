"""schemathesis against the OpenAPI document: the order, rule and channel endpoints never answer 5xx (F12.1).

Generated requests (valid and not) go through the real WSGI application with
a seller's key; every answer must be below 500 — a bad input is a 4xx with
``{code, message, field}``, never a crash.
"""

from __future__ import annotations

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, settings

from faktura.apps.accounts.services import api_key_create
from tests import factories as make

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())

ORDERS_AND_RULES = r"^/api/v1/(orders|rules|channels(/\{channel_id\})?(/triggers|/rule-set)?$)"

pytestmark = pytest.mark.slow


@pytest.fixture
def token(db: None) -> str:
    org = make.seller()
    _, key = api_key_create(actor=make.TEST_ACTOR, organization=org, name="fuzz")
    channel = make.channel(org, "Shop")
    make.series(org, "FA{RRRR}{CCC}", "invoice", channel=channel)
    return key


@pytest.mark.django_db(transaction=True)
@schema.include(path_regex=ORDERS_AND_RULES).parametrize()
@settings(max_examples=30, suppress_health_check=list(HealthCheck), deadline=None)
def test_no_generated_request_gets_a_server_error(case: schemathesis.Case, token: str) -> None:
    case.headers = {**(case.headers or {}), "Authorization": f"Bearer {token}"}
    response = case.call()
    assert response.status_code < 500, (case.method, case.formatted_path, response.status_code, response.text[:500])
