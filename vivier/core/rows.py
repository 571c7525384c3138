"""Model instances from rows of hand-written SQL, converted as the ORM converts them.

For the few hot statements written by hand (decision 27): building a query with the ORM costs
about a millisecond each time, a fixed column list costs nothing. `Columns` lists a model's
concrete fields under a table alias and turns a slice of a row back into an instance, with the
database's converters applied (SQLite's text datetimes, JSON, booleans), so that the instance
is the one the ORM would have built. `columns_of` keeps one per model, alias and database, so
that the column list and the converters are worked out once per process, not per statement.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache, cached_property
from typing import Any

from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Model


def id_list(ids: Sequence[int], connection: BaseDatabaseWrapper) -> tuple[str, list[str]]:
    """SQL to put after a column to keep the rows whose value is one of `ids`, and its parameter.

    A skill can have thousands of holders: the ids travel as one parameter, which costs a
    fraction of an IN list of thousands of placeholders to build and to parse. On PostgreSQL
    as text cast to an array (psycopg adapts a list of ints item by item: 2 ms for 3,000 ids,
    a string of them in a tenth of that); on SQLite as a JSON array.
    """
    if connection.vendor == "postgresql":
        return "= ANY(%s::bigint[])", [_id_param(ids, connection)]
    return "IN (SELECT value FROM json_each(%s))", [_id_param(ids, connection)]


def id_rows(
    ids: Sequence[int], connection: BaseDatabaseWrapper, alias: str
) -> tuple[str, list[str]]:
    """`ids` as a table `alias` of one column `id`, for a FROM clause, and its one parameter
    (as id_list's)."""
    if connection.vendor == "postgresql":
        return f"unnest(%s::bigint[]) AS {alias}(id)", [_id_param(ids, connection)]
    return f"(SELECT value AS id FROM json_each(%s)) AS {alias}", [_id_param(ids, connection)]


def id_value_rows(
    values: Mapping[int, float], connection: BaseDatabaseWrapper, alias: str
) -> tuple[str, list[str]]:
    """`values` as a table `alias` of columns `id` and `value`, for a FROM clause, and its
    parameters (as id_rows'; the floats written exactly, as repr() writes them)."""
    if connection.vendor == "postgresql":
        floats = "{" + ",".join(map(repr, map(float, values.values()))) + "}"
        return (
            f"unnest(%s::bigint[], %s::float8[]) AS {alias}(id, value)",
            [_id_param(list(values), connection), floats],
        )
    pairs = ",".join(f"[{int(pk)},{float(value)!r}]" for pk, value in values.items())
    return (
        f"(SELECT CAST(json_extract(value, '$[0]') AS INTEGER) AS id, "
        f"json_extract(value, '$[1]') AS value FROM json_each(%s)) AS {alias}",
        [f"[{pairs}]"],
    )


def _id_param(ids: Sequence[int], connection: BaseDatabaseWrapper) -> str:
    """`ids` as one parameter: a PostgreSQL array literal, or a JSON array for SQLite."""
    numbers = ",".join(map(str, map(int, ids)))
    return "{" + numbers + "}" if connection.vendor == "postgresql" else "[" + numbers + "]"


def text_list(values: Sequence[str], connection: BaseDatabaseWrapper) -> tuple[str, list[Any]]:
    """As id_list, for strings: SQL keeping the rows whose value is one of `values`, and its one
    parameter (the statement's text then does not depend on how many there are)."""
    if connection.vendor == "postgresql":
        return "= ANY(%s::text[])", [list(values)]
    return "IN (SELECT value FROM json_each(%s))", [json.dumps(list(values))]


@dataclass(frozen=True)
class Columns:
    """The concrete columns of `model` under the SQL alias `alias`, on database `using`: all of
    them, or only the fields `names` (the others are deferred in the instances, as with
    `QuerySet.only`)."""

    model: type[Model]
    alias: str
    using: str = "default"
    names: tuple[str, ...] = ()

    @cached_property
    def _fields(self) -> list[Any]:
        fields = list(self.model._meta.concrete_fields)
        if not self.names:
            return fields
        unknown = set(self.names) - {f.name for f in fields} - {f.attname for f in fields}
        if unknown:
            raise ValueError(f"{self.model.__name__} has no column {sorted(unknown)}")
        return [f for f in fields if f.name in self.names or f.attname in self.names]

    @cached_property
    def sql(self) -> str:
        """The select list: "alias"."column", … in field order."""
        return ", ".join(f'{self.alias}."{field.column}"' for field in self._fields)

    @cached_property
    def _converters(self) -> list[tuple[int, list[Any], Any]]:
        """(position, converters, expression) for the columns the database must convert."""
        connection = connections[self.using]
        found = []
        for position, field in enumerate(self._fields):
            expression = field.get_col(self.alias)
            converters = _converters(expression, connection)
            if converters:
                found.append((position, converters, expression))
        return found

    @cached_property
    def _attnames(self) -> list[str]:
        return [field.attname for field in self._fields]

    @cached_property
    def _pk_position(self) -> int:
        return self._fields.index(self.model._meta.pk)

    def __len__(self) -> int:
        return len(self._fields)

    def instance_or_none(self, values: Sequence[Any]) -> Model | None:
        """The instance for `values`, or None when its key is NULL (a LEFT JOIN found no row)."""
        return None if values[self._pk_position] is None else self.instance(values)

    def instance(self, values: Sequence[Any]) -> Model:
        """The instance for `values`, a row slice in the order of `sql`."""
        if self._converters:
            values = list(values)
            # Looked up only when needed: `connections` is a thread-local mapping, and most
            # columns on PostgreSQL need no converter.
            connection = connections[self.using]
            for position, converters, expression in self._converters:
                value = values[position]
                for converter in converters:
                    value = converter(value, expression, connection)
                values[position] = value
        return self.model.from_db(self.using, self._attnames, values)


@cache
def columns_of(
    model: type[Model], alias: str, using: str = "default", names: tuple[str, ...] = ()
) -> Columns:
    """The `Columns` of `model` under `alias` on `using` (only `names` if given), made once per
    process."""
    return Columns(model, alias, using, names)


@cache
def field_converter(model: type[Model], name: str, alias: str, using: str) -> Any:
    """A function turning the database's value of `model.name` into the ORM's (identity when
    the database needs no conversion, e.g. datetimes on PostgreSQL)."""
    connection = connections[using]
    expression = model._meta.get_field(name).get_col(alias)
    converters = _converters(expression, connection)

    def convert(value: Any) -> Any:
        for converter in converters:
            value = converter(value, expression, connection)
        return value

    return convert if converters else (lambda value: value)


def _converters(expression: Any, connection: BaseDatabaseWrapper) -> list[Any]:
    """The functions the ORM applies to a column's values, in its order (the compiler's)."""
    return connection.ops.get_db_converters(expression) + expression.get_db_converters(connection)
