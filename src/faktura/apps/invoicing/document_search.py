"""Full-text search over the document list: number, buyer name, e-mail, VAT id, order number.

What a seller types is split into words; a document matches when every word
matches, ignoring case and diacritics (``stefan`` finds ``Ștefan``):

* on both databases, a word matches the start of a word of those fields
  (``FA2026`` finds ``FA2026000123``; ``ion@example`` finds ``ion@example.ro``);
* on PostgreSQL a word of three or more characters also matches any part
  (``example.ro``, ``2026000``).

PostgreSQL: a stored generated column ``search_text`` holds the fields as one
lower-case, unaccented text (immutable function ``faktura_document_search``),
so the database keeps it in step and a filter on it costs a plain ``LIKE``,
not an ``unaccent`` call per row. A trigram GIN index over it answers
``LIKE '%word%'`` (words of 3+ characters), a full-text GIN index over
``to_tsvector('simple', search_text)`` answers word prefixes (shorter words).
The column is the database's, not the model's: Django never reads or writes it.

SQLite: an external-content FTS5 table ``invoicing_document_search`` (tokenizer
``unicode61 remove_diacritics 2``) kept in step by triggers on
``invoicing_document``. Beware, as with the immutability guards: a later
migration that rebuilds ``invoicing_document`` on SQLite (AddField, AlterField)
drops these triggers; it must ``install`` again as its last operation
(``test_document_search`` fails if a trigger goes missing).

Migrations call ``install`` with a frozen column list, so a later model change
never silently changes an old migration.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any, TypeVar

from django.db import connections
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.models import BooleanField, QuerySet
from django.db.models.expressions import RawSQL

_Found = TypeVar("_Found", bound=QuerySet[Any])

TABLE = "invoicing_document"
FTS_TABLE = "invoicing_document_search"
TRIGRAM_MIN = 3
COLUMNS = ("number", "buyer_name", "buyer_email", "buyer_vat_id", "order_number")  # searched today
_SQLITE_TRIGGERS = ("insert", "delete", "update")
_WORD = re.compile(r"[^\W_]+")  # what FTS5's unicode61 tokenizer keeps: letters and digits


def install(schema_editor: BaseDatabaseSchemaEditor, columns: Sequence[str]) -> None:
    vendor = schema_editor.connection.vendor
    statements = _postgresql(schema_editor, columns) if vendor == "postgresql" else _sqlite(columns)
    for statement in statements:
        schema_editor.execute(statement)


def uninstall(schema_editor: BaseDatabaseSchemaEditor, columns: Sequence[str]) -> None:
    if schema_editor.connection.vendor == "postgresql":
        for statement in (
            f"DROP INDEX IF EXISTS {TABLE}_search_trgm",
            f"DROP INDEX IF EXISTS {TABLE}_search_fts",
            f"ALTER TABLE {TABLE} DROP COLUMN IF EXISTS search_text",
            f"DROP FUNCTION IF EXISTS faktura_document_search({', '.join(['text'] * len(columns))})",
            "DROP FUNCTION IF EXISTS faktura_search_norm(text)",
        ):
            schema_editor.execute(statement)
        return
    for name in _SQLITE_TRIGGERS:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {FTS_TABLE}_{name}")
    schema_editor.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")


def sqlite_trigger_names() -> list[str]:
    return [f"{FTS_TABLE}_{name}" for name in _SQLITE_TRIGGERS]


def _postgresql(schema_editor: BaseDatabaseSchemaEditor, columns: Sequence[str]) -> list[str]:
    for extension in ("pg_trgm", "unaccent"):
        schema_editor.execute(f"CREATE EXTENSION IF NOT EXISTS {extension}")
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "SELECT e.extname, n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace"
            " WHERE e.extname IN ('pg_trgm', 'unaccent')"
        )
        schema = {name: schema_editor.quote_name(space) for name, space in cursor.fetchall()}
        cursor.execute("SELECT current_schema()")
        here = schema_editor.quote_name(cursor.fetchone()[0])
    unaccent = schema["unaccent"]
    arguments = ", ".join(f"${index}" for index in range(1, len(columns) + 1))
    # Schema-qualified throughout: an index expression must not depend on the search_path of whoever
    # rebuilds it (autovacuum, pg_restore). unaccent() is only STABLE (its dictionary could change);
    # pinning the dictionary makes it safe to call IMMUTABLE, the usual recipe.
    return [
        f"""CREATE OR REPLACE FUNCTION {here}.faktura_search_norm(text) RETURNS text
            LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
            AS $$ SELECT lower({unaccent}.unaccent('{unaccent}.unaccent'::regdictionary, $1)) $$""",
        f"""CREATE OR REPLACE FUNCTION {here}.faktura_document_search({", ".join(["text"] * len(columns))})
            RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE
            AS $$ SELECT {here}.faktura_search_norm(concat_ws(' ', {arguments})) $$""",
        f"ALTER TABLE {TABLE} ADD COLUMN IF NOT EXISTS search_text text"
        f" GENERATED ALWAYS AS ({here}.faktura_document_search({', '.join(columns)})) STORED",
        f"CREATE INDEX IF NOT EXISTS {TABLE}_search_trgm ON {TABLE}"
        f" USING gin (search_text {schema['pg_trgm']}.gin_trgm_ops)",
        f"CREATE INDEX IF NOT EXISTS {TABLE}_search_fts ON {TABLE}"
        f" USING gin (to_tsvector('simple'::regconfig, search_text))",
    ]


def _sqlite(columns: Sequence[str]) -> list[str]:
    names = ", ".join(columns)
    new = ", ".join(f"new.{column}" for column in columns)
    old = ", ".join(f"old.{column}" for column in columns)
    delete_old = f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, {names}) VALUES ('delete', old.id, {old});"
    insert_new = f"INSERT INTO {FTS_TABLE}(rowid, {names}) VALUES (new.id, {new});"
    return [
        f"""CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5({names}, content='{TABLE}',
            content_rowid='id', tokenize='unicode61 remove_diacritics 2')""",
        f"DROP TRIGGER IF EXISTS {FTS_TABLE}_insert",
        f"CREATE TRIGGER {FTS_TABLE}_insert AFTER INSERT ON {TABLE} BEGIN {insert_new} END",
        f"DROP TRIGGER IF EXISTS {FTS_TABLE}_delete",
        f"CREATE TRIGGER {FTS_TABLE}_delete AFTER DELETE ON {TABLE} BEGIN {delete_old} END",
        f"DROP TRIGGER IF EXISTS {FTS_TABLE}_update",
        f"CREATE TRIGGER {FTS_TABLE}_update AFTER UPDATE OF {names} ON {TABLE} BEGIN {delete_old} {insert_new} END",
        f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')",
    ]


_WORD_START = (
    f"to_tsvector('simple'::regconfig, {TABLE}.search_text)"
    " @@ to_tsquery('simple'::regconfig, quote_literal(faktura_search_norm(%s)) || ':*')"
)


def _sql(condition: str, parameter: str) -> RawSQL:
    return RawSQL(condition, [parameter], output_field=BooleanField())


def matching(found: _Found, q: str) -> _Found:
    """``found`` narrowed to the documents every word of ``q`` matches (see the module's docstring)."""
    words = [word for word in q.split() if _WORD.search(word)]
    if not words:
        return found
    if connections[found.db].vendor == "postgresql":
        for word in words:
            # Every word: a part of the text (trigram index). A short word, for which trigrams cannot
            # answer, must also start a word (full-text index); the LIKE, implied by it but far cheaper
            # than to_tsvector(), runs first, so walking an index in sort order stays cheap.
            like = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            found = found.filter(_sql(f"{TABLE}.search_text LIKE '%%' || faktura_search_norm(%s) || '%%'", like))
            if len(word) < TRIGRAM_MIN:
                found = found.filter(_sql(_WORD_START, word))
        return found
    phrases = " AND ".join('"' + " ".join(_WORD.findall(word)) + '"*' for word in words)
    return found.filter(
        RawSQL(
            f"{TABLE}.id IN (SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s)",
            [phrases],
            output_field=BooleanField(),
        )
    )
