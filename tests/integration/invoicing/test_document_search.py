"""The list's search: each field, word starts, any case and diacritics, every word; parts on PostgreSQL."""

from __future__ import annotations

import pytest
from django.db import connection

from faktura.apps.invoicing import document_search
from faktura.apps.invoicing.models import Document
from faktura.apps.invoicing.selectors import DocumentFilters, document_ids_matching, document_page
from tests import factories as make

pytestmark = pytest.mark.django_db
postgresql_only = pytest.mark.skipif("connection.vendor != 'postgresql'", reason="substring search is PostgreSQL's")


def stored(org, **fields: str) -> int:
    return Document.objects.create(
        organization=org, document_type="invoice", currency="RON", language="ro", **fields
    ).pk


def found(org, q: str) -> set[int]:
    return set(document_ids_matching(organization=org, filters=DocumentFilters(q=q)))


@pytest.fixture
def docs():
    org = make.seller()
    made = {
        "stefan": stored(
            org,
            number="FA2026000123",
            buyer_name="Ștefan Mureșan",
            buyer_email="stefan.muresan@posta.ro",
            order_number="#1001",
        ),
        "firma": stored(
            org, number="FA2025000007", buyer_name="Firma Árvíztűrő SRL", buyer_vat_id="RO18547290", order_number="W-77"
        ),
        "draft": stored(org, buyer_name="Zuzana Nováková", buyer_email="zuzana@example.sk"),
    }
    return org, made


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("FA2026", {"stefan"}),
        ("fa20", {"stefan", "firma"}),
        ("stefan", {"stefan"}),
        ("MURESAN", {"stefan"}),
        ("Ștefan", {"stefan"}),
        ("arvizturo", {"firma"}),
        ("novakova", {"draft"}),
        ("zuzana@example.sk", {"draft"}),
        ("zuzana@EXAMPLE", {"draft"}),
        ("example", {"draft"}),
        ("posta.ro", {"stefan"}),
        ("RO185", {"firma"}),
        ("#1001", {"stefan"}),
        ("#10", {"stefan"}),
        ("W-77", {"firma"}),
        ("fa stefan", {"stefan"}),
        ("firma stefan", set()),
        ("nobody", set()),
    ],
)
def test_search_finds_by_each_field_from_the_start_of_a_word(docs, q: str, expected: set[str]) -> None:
    org, made = docs
    assert found(org, q) == {made[name] for name in expected}


@postgresql_only
@pytest.mark.parametrize(
    ("q", "expected"),
    [("2026000", {"stefan"}), ("uresa", {"stefan"}), ("8547", {"firma"}), ("xample.s", {"draft"}), ("ak", {"draft"})],
)
def test_postgresql_also_finds_any_part_of_three_characters_or_more(docs, q: str, expected: set[str]) -> None:
    org, made = docs
    if len(q) < document_search.TRIGRAM_MIN:
        expected = set()  # shorter: word starts only ("ak" starts no word)
    assert found(org, q) == {made[name] for name in expected}


@pytest.mark.parametrize("q", ["%", "_", "%9%", '"', "AND", "NEAR(", "*", "a'b", "\\"])
def test_what_search_syntax_would_mean_is_just_text(docs, q: str) -> None:
    org, made = docs
    result = found(org, q)
    assert result in (set(), set(made.values()))  # punctuation alone narrows nothing; never an error
    if any(c.isalnum() for c in q):
        assert result == set()


def test_search_follows_a_changed_and_a_deleted_draft(docs) -> None:
    org, made = docs
    Document.objects.filter(pk=made["draft"]).update(buyer_name="Katarína Horváthová", buyer_email="")
    assert found(org, "katarina") == {made["draft"]}
    assert found(org, "zuzana") == set()
    Document.objects.filter(pk=made["draft"]).delete()
    assert found(org, "katarina") == set()


def test_search_is_the_sellers_own(docs) -> None:
    org, made = docs
    other = make.seller()
    theirs = stored(other, number="FA2026000999", buyer_name="Ștefan Mureșan")
    assert found(org, "stefan") == {made["stefan"]}
    assert found(other, "stefan") == {theirs}
    page = document_page(organization=other, filters=DocumentFilters(q="mureșan", sort="number"), cursor=None, limit=5)
    assert [document.pk for document in page.rows] == [theirs]


def test_the_search_index_is_in_place_after_every_migration() -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = %s", [document_search.TABLE])
            names = {row[0] for row in cursor.fetchall()}
            assert {f"{document_search.TABLE}_search_trgm", f"{document_search.TABLE}_search_fts"} <= names
        else:
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s", [document_search.TABLE]
            )
            names = {row[0] for row in cursor.fetchall()}
            assert set(document_search.sqlite_trigger_names()) <= names
