"""INSERT and UPDATE without the ORM's per-call query compilation.

Issuing holds the numbering counter's row lock from the moment it takes a
number until it commits, so every statement in that window is on the hot
path of a busy series. Compiling an ORM query costs about a millisecond of
Python on a small machine; these writers build each statement's text once
per (model, columns, database vendor) and prepare the values with the model
fields' own ``get_db_prep_save``, so types (JSON, aware datetimes, decimals)
are stored exactly as the ORM would store them. No signals are sent — the
project uses none (STYLE.md habit 7).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Any, TypeVar

from django.db import connection, models

M = TypeVar("M", bound=models.Model)


def insert_returning_id(model: type[models.Model], values: Mapping[str, Any]) -> int:
    names = tuple(values)
    sql = _insert_sql(model, names, connection.vendor, 1)
    with connection.cursor() as cursor:
        cursor.execute(sql, _prepared(model, values))
        row = cursor.fetchone()
    assert row is not None
    return int(row[0])


def insert_many_returning_ids(model: type[models.Model], rows: Sequence[Mapping[str, Any]]) -> list[int]:
    """Insert rows that all name the same columns, in one statement; their ids in the order given."""
    if not rows:
        return []
    names = tuple(rows[0])
    sql = _insert_sql(model, names, connection.vendor, len(rows))
    params: list[Any] = []
    for row in rows:
        if tuple(row) != names:
            raise ValueError("every row must name the same columns in the same order")
        params += _prepared(model, row)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        # RETURNING lists the rows in VALUES order on both databases (bulk_create relies on it too).
        return [int(row[0]) for row in cursor.fetchall()]


def create(instance: M) -> M:
    """``instance.save()`` of a new row with one cached INSERT: defaults, ``auto_now`` and foreign keys
    are handled as ``save`` handles them; the instance gets its primary key."""
    return create_many([instance])[0]


def create_many(instances: Sequence[M]) -> list[M]:
    """``bulk_create`` of new rows of one model with one cached INSERT; each instance gets its primary key."""
    if not instances:
        return []
    model = type(instances[0])
    fields = _insert_fields(model)
    rows = []
    for instance in instances:
        if type(instance) is not model or instance.pk is not None:
            raise ValueError("create_many takes new rows of one model, without a primary key")
        instance._prepare_related_fields_for_save(operation_name="create")  # type: ignore[attr-defined]
        rows.append({field.name: field.pre_save(instance, True) for field in fields})
    for instance, pk in zip(instances, insert_many_returning_ids(model, rows), strict=True):
        instance.pk = pk
        instance._state.adding = False
        instance._state.db = connection.alias
    return list(instances)


def update_by_pk(model: type[models.Model], pk: int, values: Mapping[str, Any]) -> int:
    """Update one row by primary key; returns the number of rows changed (0 or 1)."""
    names = tuple(values)
    sql = _update_sql(model, names, connection.vendor)
    with connection.cursor() as cursor:
        cursor.execute(sql, [*_prepared(model, values), pk])
        return cursor.rowcount


def _field(model: type[models.Model], name: str) -> models.Field[Any, Any]:
    field = model._meta.get_field(name)
    if not isinstance(field, models.Field) or field.column is None:
        raise TypeError(f"{model.__name__}.{name} is not a column")
    return field


def _column(model: type[models.Model], name: str) -> str:
    column = _field(model, name).column
    assert column is not None
    return connection.ops.quote_name(column)


def _prepared(model: type[models.Model], values: Mapping[str, Any]) -> list[Any]:
    return [_field(model, name).get_db_prep_save(value, connection) for name, value in values.items()]


@lru_cache(maxsize=128)
def _insert_sql(model: type[models.Model], names: tuple[str, ...], vendor: str, rows: int) -> str:
    columns = ", ".join(_column(model, name) for name in names)
    placeholders = ", ".join([f"({', '.join(['%s'] * len(names))})"] * rows)
    table = connection.ops.quote_name(model._meta.db_table)
    return f"INSERT INTO {table} ({columns}) VALUES {placeholders} RETURNING {_pk(model)}"  # noqa: S608


@lru_cache(maxsize=64)
def _update_sql(model: type[models.Model], names: tuple[str, ...], vendor: str) -> str:
    assignments = ", ".join(f"{_column(model, name)} = %s" for name in names)
    table = connection.ops.quote_name(model._meta.db_table)
    return f"UPDATE {table} SET {assignments} WHERE {_pk(model)} = %s"  # noqa: S608


@lru_cache(maxsize=64)
def _insert_fields(model: type[models.Model]) -> tuple[models.Field[Any, Any], ...]:
    return tuple(field for field in model._meta.concrete_fields if not field.primary_key or field.has_default())


def _pk(model: type[models.Model]) -> str:
    assert model._meta.pk is not None
    return _column(model, model._meta.pk.name)
