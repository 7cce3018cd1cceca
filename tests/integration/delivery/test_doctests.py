"""The delivery modules' docstrings are their spec: run them (the default test paths hold only the core's)."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = ["labels", "links", "failures", "compose"]


@pytest.mark.parametrize("name", MODULES)
def test_the_docstring_examples_hold(name: str) -> None:
    module = importlib.import_module(f"faktura.apps.delivery.{name}")
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0
    assert result.failed == 0


def test_every_built_in_text_parses_with_the_field_macros() -> None:
    from faktura.apps.delivery.labels import ENGLISH, LANGUAGES, catalog
    from faktura.core.macros import parse_field

    for language in LANGUAGES:
        texts = catalog(language)
        for key in ENGLISH:
            if key.startswith(("subject.", "body.")):
                parse_field(f"email.{key.split('.')[0]}", texts[key])
        if language != "en":
            assert texts["link"] != ENGLISH["link"], language  # translated, not the English fallback
