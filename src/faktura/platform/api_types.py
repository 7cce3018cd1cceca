"""Field types shared by the API schemas."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

DatabaseId = Annotated[
    int,
    Field(ge=1, le=2**63 - 1, description="A row id: a positive 64-bit integer."),
]
"""An id the database can hold. A larger one is refused as a 422 on the field, before any query runs.

A filter whose query is evaluated while the response is built would otherwise meet
SQLite's ``OverflowError`` inside ninja's serialization, out of reach of the error handlers.
"""
