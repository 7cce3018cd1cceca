"""Helpers for tests that run ``faktura`` commands, in-process and as real processes."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection, transaction
from django.utils import timezone

from faktura.apps.invoicing.models import (
    Document,
    DocumentAllowanceCharge,
    DocumentDeletion,
    DocumentLine,
    ProformaSettlement,
    VatBreakdown,
)
from faktura.apps.payments.models import Payment

FAKTURA = Path(sys.executable).with_name("faktura")


def database_url() -> str:
    """DATABASE_URL of the test database, for a ``faktura`` process started by a test."""
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{settings['NAME']}"
    user = quote(settings["USER"] or "", safe="")
    password = f":{quote(settings['PASSWORD'], safe='')}" if settings["PASSWORD"] else ""
    host = quote(settings["HOST"] or "", safe="")
    port = f":{settings['PORT']}" if settings["PORT"] else ""
    return f"postgres://{user}{password}@{host}{port}/{settings['NAME']}"


def faktura(*args: str, timeout: float = 180, **env: str) -> subprocess.CompletedProcess[str]:
    """Run the installed ``faktura`` console script against the test database."""
    return subprocess.run(
        [str(FAKTURA), *args],
        env={**os.environ, "DATABASE_URL": database_url(), **env},
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


@pytest.fixture
def release_issued_documents(transactional_db: None) -> Iterator[None]:
    """Remove issued documents the way the triggers allow, before the flush after the test.

    The flush would delete them without a tombstone, which the immutability
    triggers refuse (SQLite deletes row by row; PostgreSQL truncates, but the
    same cleanup works there too).
    """
    yield
    with transaction.atomic():
        for document in Document.objects.exclude(status="draft"):
            DocumentDeletion.objects.create(
                organization_id=document.organization_id,
                document_id=document.pk,
                document_type=document.document_type,
                number=document.number or "",
                snapshot={},
                deleted_by="test teardown",
                deleted_at=timezone.now(),
            )
        for model in (Payment, ProformaSettlement, DocumentLine, DocumentAllowanceCharge, VatBreakdown):
            model.objects.all().delete()
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {Document._meta.db_table}")
