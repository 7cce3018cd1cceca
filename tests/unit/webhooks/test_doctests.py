"""The modules' docstrings are the spec: run them (testpaths does not reach src/faktura/webhooks)."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "faktura.webhooks.errors",
    "faktura.webhooks.signatures",
    "faktura.webhooks.payloads._read",
    "faktura.webhooks.payloads.generic",
    "faktura.webhooks.payloads.woocommerce",
    "faktura.webhooks.payloads.shopify",
    "faktura.webhooks.retries",
    "faktura.webhooks.destinations",
    "faktura.webhooks.outbound",
]


@pytest.mark.parametrize("name", MODULES)
def test_the_docstring_examples_hold(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name))
    assert result.attempted > 0
    assert result.failed == 0
