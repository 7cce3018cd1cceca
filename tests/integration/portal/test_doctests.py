"""The portal modules' docstrings are their spec: run them (the default test paths hold only the core's)."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = ["identity", "tokens"]


@pytest.mark.parametrize("name", MODULES)
def test_the_docstring_examples_hold(name: str) -> None:
    module = importlib.import_module(f"faktura.apps.portal.{name}")
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0
    assert result.failed == 0
