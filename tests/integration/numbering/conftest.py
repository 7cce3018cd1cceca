"""Fixtures of the numbering tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.db import connection

from faktura.apps.invoicing.models import (
    Document,
    DocumentAllowanceCharge,
    DocumentDeletion,
    DocumentLine,
    ProformaSettlement,
    VatBreakdown,
)


@pytest.fixture(autouse=True)
def _announce_issued_documents_before_the_flush(request: pytest.FixtureRequest) -> Iterator[None]:
    """Let a transactional test's flush delete the documents it issued.

    After a ``transaction=True`` test pytest-django empties every table. On
    PostgreSQL that is a TRUNCATE, which fires no row trigger; on SQLite it is
    a DELETE per table, in no fixed order, and the immutability trigger refuses
    to delete an issued document that no tombstone announces. So announce them
    all, as ``document_delete`` would, and delete them while the tombstones exist.
    """
    marker = request.node.get_closest_marker("django_db")
    if marker is None or not marker.kwargs.get("transaction"):
        yield
        return
    request.getfixturevalue("transactional_db")  # set up before us, so torn down after us
    yield
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {DocumentDeletion._meta.db_table} "
            "(organization_id, document_id, document_type, series_id, number, snapshot, reason, deleted_by, "
            "deleted_at) "
            "SELECT organization_id, id, document_type, series_id, COALESCE(number, ''), '{}', '', 'test', "
            f"CURRENT_TIMESTAMP FROM {Document._meta.db_table} d WHERE status <> 'draft' AND NOT EXISTS "
            f"(SELECT 1 FROM {DocumentDeletion._meta.db_table} t WHERE t.document_id = d.id)"
        )
        for model in (DocumentLine, DocumentAllowanceCharge, VatBreakdown, ProformaSettlement, Document):
            cursor.execute(f"DELETE FROM {model._meta.db_table}")
