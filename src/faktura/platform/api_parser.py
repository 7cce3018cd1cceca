"""The API's JSON parser: numbers with a fraction become ``Decimal``, never ``float``; NUL is refused.

ninja's default parser calls ``json.loads``, so ``49.90`` in a request body
would reach a ``Decimal`` field through a binary float (``12345678.123456789``
comes out as ``12345678.12345679``). Parsing fractions as ``Decimal`` keeps
every amount exactly as the integrator wrote it.

A NUL character (``\\u0000``) in any string of the body or the query is a 422
naming the field: PostgreSQL cannot store it in a text column, and no name,
number or note needs it.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any, cast

from django.http import HttpRequest
from django.utils.datastructures import MultiValueDict
from ninja.parser import Parser

from faktura.core.errors import InvalidValue

_NUL = "\x00"


class DecimalJsonParser(Parser):
    def parse_body(self, request: HttpRequest) -> dict[str, Any]:
        body = cast(dict[str, Any], json.loads(request.body, parse_float=Decimal))
        refuse_nul(body, "")
        return body

    def parse_querydict(self, data: MultiValueDict, list_fields: list[str], request: HttpRequest) -> dict[str, Any]:
        for key, values in data.lists():
            refuse_nul(key, "")
            for value in values:
                refuse_nul(value, key)
        return super().parse_querydict(data, list_fields, request)


def refuse_nul(value: object, path: str) -> None:
    """Raise ``InvalidValue`` at the first string (key or value) holding a NUL character."""
    if isinstance(value, str):
        if _NUL in value:
            raise InvalidValue("must not contain NUL characters", field=path or None)
    elif isinstance(value, dict):
        for key, item in value.items():
            where = f"{path}.{key}" if path else str(key)
            refuse_nul(key, where)
            refuse_nul(item, where)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            refuse_nul(item, f"{path}.{index}" if path else str(index))
