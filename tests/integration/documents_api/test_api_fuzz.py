"""schemathesis against the OpenAPI document: the documents and series endpoints never answer 5xx.

Generated requests (valid and not, JSON and multipart) go through the real
WSGI application with a seller's key that has series for every type, an
order, an issued invoice and a proforma; every answer must be below 500.
"""

from __future__ import annotations

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, settings

from faktura.apps.accounts.services import api_key_create
from faktura.apps.invoicing.services import document_issue
from tests import factories as make

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())

DOCUMENTS_AND_SERIES = r"^/api/v1/(documents|series)"

pytestmark = pytest.mark.slow


@pytest.fixture
def token(db: None, settings_media: None) -> str:
    org = make.seller()
    _, key = api_key_create(actor=make.TEST_ACTOR, organization=org, name="fuzz")
    for document_type, prefix in (("invoice", "FA"), ("proforma", "PF"), ("credit_note", "CN"), ("estimate", "OF")):
        make.series(org, f"{prefix}{{RRRR}}{{CCC}}", document_type)
    for document_type in ("invoice", "proforma", "invoice"):
        draft = make.draft(org, document_type=document_type)
        document_issue(actor=make.TEST_ACTOR, organization=org, document_id=draft.pk)
    return key


@pytest.fixture
def settings_media(settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path


@pytest.mark.django_db(transaction=True)
@schema.include(path_regex=DOCUMENTS_AND_SERIES).parametrize()
@settings(max_examples=40, suppress_health_check=list(HealthCheck), deadline=None)
def test_no_generated_request_gets_a_server_error(case: schemathesis.Case, token: str) -> None:
    case.headers = {**(case.headers or {}), "Authorization": f"Bearer {token}"}
    response = case.call()
    assert response.status_code < 500, (case.method, case.formatted_path, response.status_code, response.text[:500])
