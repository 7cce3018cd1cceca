"""Fixtures shared by every test; the database is whatever DATABASE_URL names."""

from __future__ import annotations

import os
import socket
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
from faktura.apps.payments.models import Payment


@pytest.fixture(autouse=True)
def _block_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests talk to servers on loopback (or a Unix socket) only."""
    real_connect = socket.socket.connect

    def guarded_connect(self: socket.socket, address: object) -> None:
        if self.family in (socket.AF_INET, socket.AF_INET6):
            host = address[0] if isinstance(address, tuple) else address
            if host not in ("127.0.0.1", "::1", "localhost"):
                raise RuntimeError(f"network access to {host!r} is blocked in tests")
        return real_connect(self, address)  # type: ignore[arg-type]

    monkeypatch.setattr(socket.socket, "connect", guarded_connect)


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
        for model in (Payment, DocumentLine, DocumentAllowanceCharge, VatBreakdown, ProformaSettlement, Document):
            cursor.execute(f"DELETE FROM {model._meta.db_table}")


def _fresh_connections_in_a_forked_child() -> None:
    """A forked child must never use the socket of a connection it inherited from its parent.

    Tests fork issuing processes after ``connections.close_all()``; should the
    parent still hold a connection (one left inside a transaction by an earlier
    test of the same worker process), the child would talk over the parent's
    socket in the middle of its transaction. Forget every inherited connection
    in the child, without closing it (closing would end the parent's session too),
    so the child opens its own on first use.
    """
    from django.db import connections

    for alias in connections:
        inherited = connections[alias]
        if inherited.connection is not None or inherited.in_atomic_block:
            inherited.__init__(inherited.settings_dict, alias)  # type: ignore[misc]


os.register_at_fork(after_in_child=_fresh_connections_in_a_forked_child)
