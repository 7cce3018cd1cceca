"""The web pages' gettext catalogs: every .mo is the compiled form of its .po, and nothing is left untranslated.

The .mo files are committed so that a checkout runs without gettext; this test
is what keeps them from drifting from the .po files translators edit
(``scripts/messages`` rewrites both).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

SOURCE = Path(__file__).resolve().parents[2] / "src" / "faktura"
CATALOGS = sorted(SOURCE.rglob("locale/*/LC_MESSAGES/django.po"))


def _hashable(value: object) -> object:
    """A plural message's id and strings come as lists from a .po, as tuples from a .mo."""
    return tuple(value) if isinstance(value, list | tuple) else value


def _text(context: object) -> object:
    """A message context comes as bytes from a .mo (Babel's reader), as text from a .po."""
    return context.decode() if isinstance(context, bytes) else context


def _entries(catalog: object) -> dict[object, object]:
    return {
        (_text(message.context), _hashable(message.id)): _hashable(message.string)
        for message in catalog  # type: ignore[attr-defined]
        if message.id and not message.fuzzy
    }


@pytest.mark.parametrize("po_path", CATALOGS, ids=lambda p: str(p.relative_to(SOURCE)))
def test_every_catalog_is_compiled_and_complete(po_path: Path) -> None:
    with po_path.open("rb") as handle:
        po = read_po(handle)
    mo_path = po_path.with_suffix(".mo")
    assert mo_path.exists(), f"{mo_path} is missing: run scripts/messages"
    with mo_path.open("rb") as handle:
        mo = read_mo(handle)
    untranslated = [message.id for message in po if message.id and (not message.string or message.fuzzy)]
    assert not untranslated, f"{po_path}: untranslated or fuzzy: {untranslated[:10]}"
    assert _entries(po) == _entries(mo), f"{mo_path} is older than its .po: run scripts/messages"


def test_one_english_text_has_one_wording_per_language_across_the_apps() -> None:
    """Django merges every app's catalog and the first app listed wins: two wordings would show at random places."""
    wordings: dict[tuple[str, object, object], dict[object, str]] = {}
    for po_path in CATALOGS:
        language = po_path.parts[-3]
        with po_path.open("rb") as handle:
            for message in read_po(handle):
                if message.id and not isinstance(message.id, list | tuple) and message.string:
                    key = (language, message.context, message.id)
                    wordings.setdefault(key, {})[message.string] = str(po_path.relative_to(SOURCE))
    clashes = {key: found for key, found in wordings.items() if len(found) > 1}
    assert not clashes, f"the same text translated differently: {list(clashes.items())[:5]}"
