"""schemathesis over every operation of ``/api/v1/openapi.json`` against a live HTTP server: 0 server errors.

The server is pytest-django's ``live_server`` (a real socket, a real WSGI
server thread); the seller has a real API key and one object of every kind,
whose ids fill the id parameters of the generated requests (so the handlers run,
not only the 404s; other sellers' ids are tests/integration/api/test_isolation_by_schema.py's).
Ten examples an operation keep it well under a minute.
"""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from django.test import Client
from hypothesis import HealthCheck, given, settings

from tests.integration.api.test_isolation_by_schema import theirs

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def seller_objects(client: Client, settings: Any, tmp_path: Any) -> tuple[str, dict[str, int]]:
    settings.MEDIA_ROOT = tmp_path
    ids, token = theirs(client, with_token=True)
    return token, ids


def test_no_generated_request_gets_a_server_error(live_server: Any, seller_objects: Any) -> None:
    token, ids = seller_objects
    schema = schemathesis.openapi.from_url(f"{live_server.url}/api/v1/openapi.json")
    failures: list[tuple[str, str, int, str]] = []
    operations, calls = 0, []
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1

        @given(case=operation.as_strategy())
        @settings(max_examples=10, suppress_health_check=list(HealthCheck), deadline=None, database=None)
        def run(case: schemathesis.Case) -> None:
            case.headers = {**(case.headers or {}), "Authorization": f"Bearer {token}"}
            if case.path_parameters:
                case.path_parameters = {name: ids.get(name, value) for name, value in case.path_parameters.items()}
            response = case.call()
            calls.append(response.status_code)
            if response.status_code >= 500:
                failures.append((case.method, case.formatted_path, response.status_code, response.text[:300]))

        run()
    assert operations >= 60
    assert len(calls) >= 3 * operations
    assert any(200 <= status < 300 for status in calls)
    assert failures == []
