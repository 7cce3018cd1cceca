"""Hot reads built once with the ORM and run again without compiling them (companion of ``fastsql``).

Compiling a queryset (``as_sql``, ``add_q``) costs most of what an ORM read
costs on a small machine, and a request on the order path makes a dozen. A
``PreparedRead`` takes a function that builds the queryset from named values;
the first call per database vendor builds it with stand-in values, compiles it
and remembers the SQL, where each value goes among its parameters, and what
Django needs to turn rows into model instances (converters, ``select_related``
populators). Later calls only execute that SQL with the real values and build
the same instances the queryset would have built.

Values must be ``int`` or ``str`` used by exact lookups (``pk=``, ``code=``,
``organization_id=``…), whose database form is the value itself, or a ``str``
compared with ``__iexact`` (declared ``IEXACT``: the value is prepared as
Django prepares it on each database); anything else the ORM would transform
(``contains``, dates, model instances) is refused when the read is prepared,
never silently sent wrong. A read gives model instances, or tuples for a
``values_list()``. No ``prefetch_related``: run a second prepared read and
attach the rows.

>>> channel_by_code = PreparedRead(
...     lambda organization_id, code: SalesChannel.objects.filter(organization_id=organization_id, code=code)[:1],
...     organization_id=int, code=str,
... )  # doctest: +SKIP
>>> channel_by_code.first(organization_id=1, code="eshop")  # doctest: +SKIP
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.db import connection, models
from django.db.models.query import ModelIterable, QuerySet, ValuesListIterable, get_related_populators

M = TypeVar("M")

IEXACT: Any = type("IEXACT", (), {"__repr__": lambda self: "IEXACT", "__name__": "IEXACT"})()
"""The kind of a ``str`` value compared with ``__iexact``."""

_SENTINEL_INT = 7_777_000_000_000_000_000
_INT_MIN, _INT_MAX = -(2**63), 2**63 - 1
_counter = itertools.count(1)


@dataclass(frozen=True)
class _Plan:
    sql: str
    params: tuple[tuple[bool, Any], ...]
    """For each parameter: (True, value name) or (False, the constant to send)."""
    model: type[models.Model] | None
    """None for a ``values_list()`` read: rows are returned as tuples."""
    init_list: tuple[str, ...]
    model_slice: slice
    populators: tuple[Any, ...]
    converters: tuple[tuple[int, tuple[Callable[..., Any], ...], Any], ...]


class PreparedRead(Generic[M]):
    """A read compiled once per database vendor; see the module docstring."""

    def __init__(self, build: Callable[..., QuerySet[Any, M]], **kinds: Any) -> None:
        for name, kind in kinds.items():
            if kind not in (int, str, IEXACT):
                raise TypeError(f"value {name!r} must be int, str or IEXACT, not {kind!r}")
        self._build = build
        self._kinds = kinds
        self._plans: dict[str, _Plan] = {}
        self._lock = threading.Lock()

    def all(self, **values: int | str) -> list[M]:
        plan = self._plan()
        for name, value in values.items():
            kind = self._kinds[name]
            if not isinstance(value, str if kind is IEXACT else kind):
                raise TypeError(f"{name} must be {kind!r}, got {value!r}")
            if kind is int:
                values[name] = value = int(value)  # a bool or an IntEnum as the plain int the ORM sends
                if not _INT_MIN <= value <= _INT_MAX:
                    return []  # no column holds it: the ORM answers EmptyResultSet, SQLite would raise
            else:
                values[name] = str.__str__(value)  # a StrEnum as its value
                if kind is IEXACT:
                    values[name] = connection.ops.prep_for_iexact_query(values[name])
        params = [values[item] if named else item for named, item in plan.params]
        with connection.cursor() as cursor:
            cursor.execute(plan.sql, params)
            rows = cursor.fetchall()
        found: list[M] = []
        for row in rows:
            if plan.converters:
                row = list(row)
                for position, converters, expression in plan.converters:
                    value = row[position]
                    for convert in converters:
                        value = convert(value, expression, connection)
                    row[position] = value
            if plan.model is None:
                found.append(tuple(row))  # type: ignore[arg-type]
                continue
            instance = plan.model.from_db(connection.alias, plan.init_list, row[plan.model_slice])
            for populator in plan.populators:
                populator.populate(row, instance)
            found.append(instance)  # type: ignore[arg-type]
        return found

    def first(self, **values: int | str) -> M | None:
        found = self.all(**values)
        return found[0] if found else None

    def _plan(self) -> _Plan:
        vendor = connection.vendor
        plan = self._plans.get(vendor)
        if plan is None:
            with self._lock:
                plan = self._plans.get(vendor) or self._compile()
                self._plans[vendor] = plan
        return plan

    def _compile(self) -> _Plan:
        stand_ins: dict[Any, str] = {}
        arguments: dict[str, Any] = {}
        for name, kind in self._kinds.items():
            number = next(_counter)
            value = _SENTINEL_INT + number if kind is int else f"\x1fstand-in {number}\x1f"
            stand_ins[value] = name
            arguments[name] = value
        queryset = self._build(**arguments)
        rows = queryset._iterable_class is ValuesListIterable
        if getattr(queryset, "_prefetch_related_lookups", ()) or not (
            rows or queryset._iterable_class is ModelIterable
        ):
            raise TypeError("a prepared read gives model instances or values_list() tuples, without prefetch_related")
        compiler = queryset.query.get_compiler(using=queryset.db)
        sql, raw_params = compiler.as_sql()
        params = tuple((True, stand_ins[p]) if _hashable(p) and p in stand_ins else (False, p) for p in raw_params)
        used = {item for named, item in params if named}
        if used != set(self._kinds) or any(not named and _looks_like_stand_in(p) for named, p in params):
            raise TypeError("a value of this read is transformed by its lookup; use exact lookups on int or str")
        select, klass_info = compiler.select, compiler.klass_info
        converters = compiler.get_converters([column[0] for column in select[0 : compiler.col_count]])
        converted = tuple((at, tuple(convs), expression) for at, (convs, expression) in converters.items())
        if rows:
            return _Plan(sql, params, None, (), slice(None), (), converted)
        if klass_info is None or compiler.annotation_col_map:
            raise TypeError("a prepared read selects model columns only, without annotations")
        fields = klass_info["select_fields"]
        model_slice = slice(fields[0], fields[-1] + 1)
        return _Plan(
            sql=sql,
            params=params,
            model=klass_info["model"],
            init_list=tuple(column[0].target.attname for column in select[model_slice]),
            model_slice=model_slice,
            populators=tuple(get_related_populators(klass_info, select, connection.alias)),  # type: ignore[call-arg]
            converters=tuple(
                (position, tuple(convs), expression) for position, (convs, expression) in converters.items()
            ),
        )


def attach_prefetched(instance: models.Model, name: str, rows: list[Any]) -> None:
    """Hand ``rows`` to ``instance.<name>.all()`` as ``prefetch_related`` would: no query when it is read.

    ``name`` is a reverse foreign key (``order.lines``); each row gets ``instance``
    as its side of the relation, as ``prefetch_related`` sets it.
    """
    relation = getattr(type(instance), name)
    for row in rows:
        row._state.fields_cache[relation.field.name] = instance
    cache: dict[str, QuerySet[Any]] = instance.__dict__.setdefault("_prefetched_objects_cache", {})
    cache.pop(name, None)
    # The relation's own queryset (filtered on the instance), so that .filter() or .get() on it stays within it.
    found: QuerySet[Any] = getattr(instance, name).all()
    found._result_cache = rows
    found._prefetch_done = True  # type: ignore[attr-defined]
    cache[name] = found


def _hashable(value: object) -> bool:
    return isinstance(value, int | str)


def _looks_like_stand_in(value: object) -> bool:
    return (isinstance(value, int) and value > _SENTINEL_INT) or (isinstance(value, str) and "\x1fstand-in" in value)
