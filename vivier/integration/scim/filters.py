"""SCIM filters (RFC 7644 §3.4.2.2) parsed by scim2-models and turned into Django Q objects."""

import uuid
from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.utils.dateparse import parse_datetime
from scim2_models import InvalidFilterException, ScimFilter
from scim2_models.path.expressions import (
    AttrPath,
    Comparison,
    FilterNode,
    LogicalExpr,
    Not,
    Present,
    ValuePath,
)


@dataclass(frozen=True)
class Field:
    """Where a SCIM attribute lives in the database and what kind of value it holds."""

    lookup: str
    kind: str = "string"  # string, exact (case-exact string), boolean, datetime, int, uuid
    blank: bool = True  # whether the empty string means "absent" (for `pr`)


def _name(attr: AttrPath, prefix: str = "") -> str:
    parts = [attr.attr] + ([attr.sub_attr] if attr.sub_attr else [])
    name = ".".join(parts).lower()
    if attr.uri:
        name = f"{attr.uri.lower()}:{name}"
    return f"{prefix}.{name}" if prefix else name


def _field(fields: dict[str, Field], name: str) -> Field:
    field = fields.get(name)
    if field is None:
        raise InvalidFilterException(detail=f"Filtering on '{name}' is not supported.")
    return field


def _coerce(field: Field, op: str, value: Any) -> Any:
    if field.kind == "boolean":
        if not isinstance(value, bool) or op not in ("eq", "ne"):
            raise InvalidFilterException(detail="Boolean attributes compare with eq/ne true/false.")
        return value
    if field.kind == "datetime":
        parsed = parse_datetime(value) if isinstance(value, str) else None
        if parsed is None:
            raise InvalidFilterException(detail=f"'{value}' is not a date-time.")
        if op in ("co", "sw", "ew"):
            raise InvalidFilterException(detail=f"'{op}' does not apply to a date-time.")
        return parsed
    if not isinstance(value, str):
        raise InvalidFilterException(detail="This attribute compares with a string.")
    if field.kind in ("int", "uuid") and op not in ("eq", "ne"):
        raise InvalidFilterException(detail="Ids only compare with eq or ne.")
    return value


OPERATORS = {
    "eq": "iexact",
    "co": "icontains",
    "sw": "istartswith",
    "ew": "iendswith",
    "gt": "gt",
    "ge": "gte",
    "lt": "lt",
    "le": "lte",
}
EXACT_OPERATORS = OPERATORS | {
    "eq": "exact",
    "co": "contains",
    "sw": "startswith",
    "ew": "endswith",
}


def _id_value(kind: str, value: str) -> Any:
    """The database value of an id, or None when it cannot be one (it then matches nothing)."""
    try:
        return (
            int(value)
            if kind == "int" and len(value) < 19
            else uuid.UUID(value)
            if kind == "uuid"
            else None
        )
    except ValueError:
        return None


def _comparison(fields: dict[str, Field], node: Comparison, prefix: str) -> Q:
    field = _field(fields, _name(node.attr_path, prefix))
    op = str(node.op)
    value = _coerce(field, op, node.value)
    negate = op == "ne"
    op = "eq" if negate else op
    if field.kind in ("int", "uuid"):
        db_value = _id_value(field.kind, value)
        q = Q(**{field.lookup: db_value}) if db_value is not None else Q(pk__in=[])
    elif field.kind == "string":
        q = Q(**{f"{field.lookup}__{OPERATORS[op]}": value})
    else:
        q = Q(**{f"{field.lookup}__{EXACT_OPERATORS[op]}": value})
    return ~q if negate else q


def _present(fields: dict[str, Field], node: Present, prefix: str) -> Q:
    field = _field(fields, _name(node.attr_path, prefix))
    q = Q(**{f"{field.lookup}__isnull": False})
    if field.kind in ("string", "exact") and field.blank:
        q &= ~Q(**{field.lookup: ""})
    return q


def _to_q(fields: dict[str, Field], node: FilterNode, prefix: str = "") -> Q:
    if isinstance(node, LogicalExpr):
        terms = [_to_q(fields, term, prefix) for term in node.terms]
        result = terms[0]
        for term in terms[1:]:
            result = result & term if str(node.op) == "and" else result | term
        return result
    if isinstance(node, Not):
        return ~_to_q(fields, node.expr, prefix)
    if isinstance(node, Present):
        return _present(fields, node, prefix)
    if isinstance(node, Comparison):
        return _comparison(fields, node, prefix)
    if isinstance(node, ValuePath):
        # emails[type eq "work"] filters the values of `emails`: Vivier keeps one of each.
        inner_prefix = _name(node.attr_path, prefix)
        return _to_q(fields, node.val_filter, inner_prefix)
    raise InvalidFilterException(detail="Unsupported filter expression.")


def filter_to_q(expression: str, fields: dict[str, Field]) -> Q:
    """The Q object for a SCIM filter; raise InvalidFilterException when it is not valid."""
    if len(expression) > 2000:
        raise InvalidFilterException(detail="The filter is too long.")
    try:
        tree = ScimFilter(expression).ast
    except InvalidFilterException:
        raise
    except (ValueError, TypeError) as exc:
        raise InvalidFilterException(detail=str(exc)) from exc
    return _to_q(fields, tree)
