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


def _check(rule: Rule) -> pa.Check:
    expression = rule.passes.alias("passes")

    def passes(data: PolarsData) -> pl.LazyFrame:
        return data.lazyframe.select(expression)

    return pa.Check(passes, name=rule.code, error=f"{rule.code}|{rule.column}|{rule.message}")


def row_contract(entity: Entity, *, today: date) -> pa.DataFrameSchema:
    """The pandera schema of a typed ``entity`` frame (see ``typed_frame``).

    Each rule is a check on the typed column it is about (even when it reads other columns),
    so a failure case carries that column's value rather than the whole row.
    """
    rules = row_rules(entity, today=today)
    columns: dict[str, pa.Column] = {}
    for column in entity.columns:
        columns[raw(column.name)] = pa.Column(pl.String, nullable=True)
        columns[column.name] = pa.Column(
            TYPES.get(column.kind, pl.String()),
            nullable=True,
            checks=[_check(rule) for rule in rules if rule.column == column.name],
        )
    return pa.DataFrameSchema(
        columns=columns, name=f"{entity.name}_rows", strict=False, coerce=False
    )


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
    return row_cases.select(
        pl.col("index").cast(pl.Int64).alias(INDEX),
        parts.struct.field("field_0").alias("rule"),
        parts.struct.field("field_1").alias("column"),
        parts.struct.field("field_2").alias("message"),
    ).unique(maintain_order=True)
