"""Row contracts of the ODE-1 entities: the pandera schemas that carry the row rules.

A file is read as text, ``typed_frame`` adds a typed column beside each text column
(``<column>__raw`` keeps the text as read), and ``row_contract`` is the pandera schema whose
checks encode every row-level rule of the spec. A row failing any check is quarantined with the
rule's code and message; nothing is guessed and nothing is dropped silently.
"""

from __future__ import annotations

from datetime import date

import pandera.polars as pa
import polars as pl
from pandera.api.polars.types import PolarsData
from pandera.config import ValidationDepth, config_context
from pandera.errors import SchemaErrors

from data_contracts.ode1.entities import Entity
from data_contracts.ode1.rules import Rule, row_rules
from data_contracts.ode1.typed import RAW_SUFFIX, TYPES, raw, typed_expressions, typed_frame

__all__ = [
    "INDEX",
    "RAW_SUFFIX",
    "SENSITIVE_COLUMNS",
    "Rule",
    "find_violations",
    "raw",
    "row_contract",
    "row_rules",
    "typed_expressions",
    "typed_frame",
]

INDEX = "_row"
"""Row position column used to join violations back to the frame."""
SENSITIVE_COLUMNS = frozenset({"description", "nhs_number"})
"""Columns whose values never appear in a quarantine reason."""


_ANY_RULE = "*"
"""Rule code of a combined check: the failing rows are then attributed rule by rule."""


def _check(rule: Rule) -> pa.Check:
    """A pandera check of one rule, reported as ``code|column|message``."""
    expression = rule.passes.alias("passes")

    def passes(data: PolarsData) -> pl.LazyFrame:
        return data.lazyframe.select(expression)

    return pa.Check(passes, name=rule.code, error=f"{rule.code}|{rule.column}|{rule.message}")


def _column_check(column: str, rules: list[Rule]) -> pa.Check:
    """One pandera check of every rule about ``column`` (one pass over the data, not one each).

    A row failing it is attributed to the rules it breaks by ``find_violations``, which reads
    them from the schema's metadata.
    """
    if len(rules) == 1:
        return _check(rules[0])
    expression = pl.all_horizontal(rule.passes for rule in rules).alias("passes")

    def passes(data: PolarsData) -> pl.LazyFrame:
        return data.lazyframe.select(expression)

    return pa.Check(passes, name=f"rules of {column}", error=f"{_ANY_RULE}|{column}|")


def row_contract(entity: Entity, *, today: date) -> pa.DataFrameSchema:
    """The pandera schema of a typed ``entity`` frame (see ``typed_frame``).

    The rules about a column are one check on that typed column (even when they read other
    columns), so a failure case carries that column's value rather than the whole row.
    """
    rules = row_rules(entity, today=today)
    by_column: dict[str, list[Rule]] = {}
    for rule in rules:
        by_column.setdefault(rule.column, []).append(rule)
    columns: dict[str, pa.Column] = {}
    for column in entity.columns:
        columns[raw(column.name)] = pa.Column(pl.String, nullable=True)
        column_rules = by_column.get(column.name, [])
        columns[column.name] = pa.Column(
            TYPES.get(column.kind, pl.String()),
            nullable=True,
            checks=[_column_check(column.name, column_rules)] if column_rules else [],
        )
    return pa.DataFrameSchema(
        columns=columns,
        name=f"{entity.name}_rows",
        strict=False,
        coerce=False,
        metadata={"rules": by_column},
    )


def _attribute(
    frame: pl.DataFrame, cases: pl.DataFrame, rules: dict[str, list[Rule]]
) -> pl.DataFrame:
    """Name the rules each row failing a combined check breaks (evaluated on those rows only)."""
    found = []
    for (column,), group in cases.group_by("column"):
        rows = group.get_column(INDEX).unique().sort()
        subset = frame[rows.to_list()].with_columns(rows.alias(INDEX))
        for rule in rules[str(column)]:
            failing = subset.filter(~rule.passes.fill_null(False)).select(INDEX)
            found.append(
                failing.with_columns(
                    pl.lit(rule.code).alias("rule"),
                    pl.lit(rule.column).alias("column"),
                    pl.lit(rule.message).alias("message"),
                )
            )
    return pl.concat(found) if found else cases.clear()


def find_violations(frame: pl.DataFrame, schema: pa.DataFrameSchema) -> pl.DataFrame:
    """Validate ``frame`` eagerly and return one row per (row, failed rule).

    Returns:
        Columns ``_row`` (position in ``frame``), ``rule``, ``column``, ``message``; empty when
        every row passes.

    Raises:
        pandera.errors.SchemaErrors: when the frame itself has the wrong shape (a bug, not bad
            data), since such failures cannot be pinned to a row.
    """
    empty = pl.DataFrame(
        schema={INDEX: pl.Int64, "rule": pl.String, "column": pl.String, "message": pl.String}
    )
    with config_context(validation_depth=ValidationDepth.SCHEMA_AND_DATA):
        try:
            schema.validate(frame, lazy=True)
        except SchemaErrors as errors:
            failure: SchemaErrors = errors
        else:
            return empty
    cases = failure.failure_cases
    row_cases = cases.filter(
        pl.col("index").is_not_null() & pl.col("check").str.count_matches(r"\|").eq(2)
    )
    if row_cases.height != cases.height:
        raise failure
    parts = pl.col("check").str.splitn("|", 3)
    found = row_cases.select(
        pl.col("index").cast(pl.Int64).alias(INDEX),
        parts.struct.field("field_0").alias("rule"),
        parts.struct.field("field_1").alias("column"),
        parts.struct.field("field_2").alias("message"),
    ).unique(maintain_order=True)
    combined = found.filter(pl.col("rule") == _ANY_RULE)
    if combined.is_empty():
        return found
    rules = (schema.metadata or {}).get("rules", {})
    attributed = _attribute(frame, combined, rules)
    return pl.concat([found.filter(pl.col("rule") != _ANY_RULE), attributed]).sort(
        INDEX, maintain_order=True
    )
