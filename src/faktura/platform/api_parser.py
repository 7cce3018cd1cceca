"""The API's JSON parser: numbers with a fraction become ``Decimal``, never ``float``.

ninja's default parser calls ``json.loads``, so ``49.90`` in a request body
would reach a ``Decimal`` field through a binary float (``12345678.123456789``
comes out as ``12345678.12345679``). Parsing fractions as ``Decimal`` keeps
every amount exactly as the integrator wrote it.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any, cast

from django.http import HttpRequest
from ninja.parser import Parser


class DecimalJsonParser(Parser):
    def parse_body(self, request: HttpRequest) -> dict[str, Any]:
        return cast(dict[str, Any], json.loads(request.body, parse_float=Decimal))
