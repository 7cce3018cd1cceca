"""Database triggers that keep issued documents immutable (F2.3).

The services already refuse to change an issued document; these triggers make
the database refuse too, so no code path, admin action or hand-written SQL can
alter what was sent to a buyer and a tax authority. A deletion of an issued
document (allowed only for the latest number of a series, F2.4) is announced by
first writing a ``DocumentDeletion`` tombstone in the same transaction; the
triggers let exactly those rows go.

Migrations call ``install`` with a frozen copy of the column list, so later
model changes never silently change an old migration.

Beware: on SQLite, a migration that alters a guarded table rebuilds it and
drops its triggers. Such a migration must ``uninstall`` first and ``install``
as its last operation (see invoicing 0004); ``test_document_guards`` fails
if a guard goes missing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.db.backends.base.schema import BaseDatabaseSchemaEditor

MESSAGE = "faktura: issued document is immutable"


@dataclass(frozen=True)
class GuardSpec:
    document_table: str
    tombstone_table: str
    immutable_columns: Sequence[str]
    write_once_columns: Sequence[str]
    children: Sequence[tuple[str, str]]  # (table, column referencing the document)


def install(schema_editor: BaseDatabaseSchemaEditor, spec: GuardSpec) -> None:
    statements = _postgresql(spec) if schema_editor.connection.vendor == "postgresql" else _sqlite(spec)
    for statement in statements:
        schema_editor.execute(statement)


def uninstall(schema_editor: BaseDatabaseSchemaEditor, spec: GuardSpec) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP TRIGGER IF EXISTS faktura_guard ON {spec.document_table}")
        for table, _ in spec.children:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS faktura_guard ON {table}")
        schema_editor.execute("DROP FUNCTION IF EXISTS faktura_document_guard()")
        for table, _ in spec.children:
            schema_editor.execute(f"DROP FUNCTION IF EXISTS faktura_{table}_guard()")
        return
    for name in _sqlite_trigger_names(spec):
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}")


def _postgresql(spec: GuardSpec) -> list[str]:
    old = ", ".join(f"OLD.{c}" for c in spec.immutable_columns)
    new = ", ".join(f"NEW.{c}" for c in spec.immutable_columns)
    write_once = " OR ".join(f"(OLD.{c} <> '' AND NEW.{c} IS DISTINCT FROM OLD.{c})" for c in spec.write_once_columns)
    raise_ = f"RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'check_violation'"
    statements = [
        f"""
        CREATE OR REPLACE FUNCTION faktura_document_guard() RETURNS trigger AS $$
        BEGIN
            IF TG_OP = 'DELETE' THEN
                IF OLD.status <> 'draft' AND NOT EXISTS (
                    SELECT 1 FROM {spec.tombstone_table} WHERE document_id = OLD.id
                ) THEN {raise_}; END IF;
                RETURN OLD;
            END IF;
            IF OLD.status <> 'draft' AND (
                ROW({old}) IS DISTINCT FROM ROW({new})
                OR NOT (NEW.status = OLD.status OR (OLD.status = 'issued' AND NEW.status = 'cancelled'))
                {"OR " + write_once if write_once else ""}
            ) THEN {raise_}; END IF;
            RETURN NEW;
        END $$ LANGUAGE plpgsql
        """,
        f"DROP TRIGGER IF EXISTS faktura_guard ON {spec.document_table}",
        f"""CREATE TRIGGER faktura_guard BEFORE UPDATE OR DELETE ON {spec.document_table}
            FOR EACH ROW EXECUTE FUNCTION faktura_document_guard()""",
    ]
    for table, column in spec.children:
        status = f"(SELECT status FROM {spec.document_table} WHERE id = %s)"
        statements += [
            f"""
            CREATE OR REPLACE FUNCTION faktura_{table}_guard() RETURNS trigger AS $$
            BEGIN
                IF TG_OP = 'DELETE' THEN
                    IF {status % f"OLD.{column}"} <> 'draft' AND NOT EXISTS (
                        SELECT 1 FROM {spec.tombstone_table} WHERE document_id = OLD.{column}
                    ) THEN {raise_}; END IF;
                    RETURN OLD;
                END IF;
                IF TG_OP = 'UPDATE' AND {status % f"OLD.{column}"} <> 'draft' THEN {raise_}; END IF;
                IF {status % f"NEW.{column}"} <> 'draft' THEN {raise_}; END IF;
                RETURN NEW;
            END $$ LANGUAGE plpgsql
            """,
            f"DROP TRIGGER IF EXISTS faktura_guard ON {table}",
            f"""CREATE TRIGGER faktura_guard BEFORE INSERT OR UPDATE OR DELETE ON {table}
                FOR EACH ROW EXECUTE FUNCTION faktura_{table}_guard()""",
        ]
    return statements


def _sqlite_trigger_names(spec: GuardSpec) -> list[str]:
    names = [f"faktura_guard_{spec.document_table}_update", f"faktura_guard_{spec.document_table}_delete"]
    for table, _ in spec.children:
        names += [f"faktura_guard_{table}_{op}" for op in ("insert", "update", "delete")]
    return names


def _sqlite(spec: GuardSpec) -> list[str]:
    raise_ = f"SELECT RAISE(ABORT, '{MESSAGE}');"
    changed = " OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in spec.immutable_columns)
    write_once = " OR ".join(f"(OLD.{c} <> '' AND NEW.{c} IS NOT OLD.{c})" for c in spec.write_once_columns)
    table = spec.document_table
    not_announced = f"NOT EXISTS (SELECT 1 FROM {spec.tombstone_table} WHERE document_id = OLD.id)"
    statements = [
        f"""CREATE TRIGGER faktura_guard_{table}_update BEFORE UPDATE ON {table}
            WHEN OLD.status <> 'draft' AND (
                {changed}
                OR NOT (NEW.status = OLD.status OR (OLD.status = 'issued' AND NEW.status = 'cancelled'))
                {"OR " + write_once if write_once else ""}
            )
            BEGIN {raise_} END""",
        f"""CREATE TRIGGER faktura_guard_{table}_delete BEFORE DELETE ON {table}
            WHEN OLD.status <> 'draft' AND {not_announced}
            BEGIN {raise_} END""",
    ]
    for child, column in spec.children:
        status = f"(SELECT status FROM {table} WHERE id = %s)"
        statements += [
            f"""CREATE TRIGGER faktura_guard_{child}_insert BEFORE INSERT ON {child}
                WHEN {status % f"NEW.{column}"} <> 'draft' BEGIN {raise_} END""",
            f"""CREATE TRIGGER faktura_guard_{child}_update BEFORE UPDATE ON {child}
                WHEN {status % f"OLD.{column}"} <> 'draft' OR {status % f"NEW.{column}"} <> 'draft'
                BEGIN {raise_} END""",
            f"""CREATE TRIGGER faktura_guard_{child}_delete BEFORE DELETE ON {child}
                WHEN {status % f"OLD.{column}"} <> 'draft' AND NOT EXISTS (
                    SELECT 1 FROM {spec.tombstone_table} WHERE document_id = OLD.{column})
                BEGIN {raise_} END""",
        ]
    return statements
