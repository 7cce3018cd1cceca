"""The gettext catalogs: every language translates every label of the current English source."""

from __future__ import annotations

import pytest
from babel.messages.pofile import read_po

from faktura.pdf.labels import DOMAIN, ENGLISH, LANGUAGES, LOCALE_DIR

TRANSLATED = [lang for lang in LANGUAGES if lang != "en"]
# Labels that are the same word in a language (codes, units, "Bank"...).
SAME_AS_ENGLISH = {"iban", "bic", "bank", "unit_KGM", "unit_MTR", "unit_LTR", "unit_SET", "vat_rate", "tax_total",
                   "gross_amount"}  # fmt: skip


def messages(lang: str) -> dict[str, tuple[str, str, bool]]:
    with (LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po").open("rb") as handle:
        po = read_po(handle, locale=lang)
    return {m.context: (str(m.id), str(m.string), m.fuzzy) for m in po if m.context}


@pytest.mark.parametrize("lang", TRANSLATED)
def test_the_catalog_has_exactly_the_english_keys_with_the_current_english_text(lang: str) -> None:
    found = messages(lang)

    assert set(found) == set(ENGLISH)
    stale = [key for key, (english, _, _) in found.items() if english != ENGLISH[key]]
    assert stale == []


@pytest.mark.parametrize("lang", TRANSLATED)
def test_every_label_is_translated_and_none_is_fuzzy(lang: str) -> None:
    found = messages(lang)

    assert [key for key, (_, text, fuzzy) in found.items() if not text or fuzzy] == []
    untranslated = [k for k, (english, text, _) in found.items() if text == english and k not in SAME_AS_ENGLISH]
    assert untranslated == []


@pytest.mark.parametrize("lang", TRANSLATED)
def test_placeholders_survive_translation(lang: str) -> None:
    for key, (english, text, _) in messages(lang).items():
        for placeholder in ("{number}", "{date}", "{page}", "{pages}"):
            assert (placeholder in english) == (placeholder in text), (key, placeholder)
