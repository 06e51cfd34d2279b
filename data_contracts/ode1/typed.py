"""Typing ODE-1 text cells: a typed column beside each text column (``<c>__raw`` keeps the text).

Parsing never guesses: text that does not follow the spec gives null, and the row rules
(``data_contracts.ode1.rules``) compare "text present" with "value parsed" to quarantine it.
"""

from __future__ import annotations

import polars as pl

from data_contracts.ode1 import cells
from data_contracts.ode1.entities import ColumnKind, Entity

RAW_SUFFIX = "__raw"
_K = ColumnKind
TYPES: dict[ColumnKind, pl.DataType] = {
    _K.INTEGER: pl.Int64(),
    _K.DATE: pl.Date(),
    _K.TIMESTAMP: pl.Datetime("us", "UTC"),
    _K.BOOLEAN: pl.Boolean(),
}
"""Polars type of each column kind once typed; every other kind stays text."""


def raw(name: str) -> str:
    """Name of the column that keeps the text of ``name`` as read."""
    return f"{name}{RAW_SUFFIX}"


def typed_expressions(entity: Entity) -> list[pl.Expr]:
    """Expressions adding the typed value of each declared column to a ``<c>__raw`` frame."""
    expressions: list[pl.Expr] = []
    for column in entity.columns:
        text = pl.col(raw(column.name))
        match column.kind:
            case _K.ENUM:
                expressions.append(cells.enum_value(text).alias(column.name))
            case _K.ICB_CODE:
                expressions.append(text.str.strip_chars().str.to_uppercase().alias(column.name))
            case _K.INTEGER:
                expressions.append(cells.integer_value(text).alias(column.name))
            case _K.DATE:
                expressions.append(cells.date_value(text).alias(column.name))
            case _K.BOOLEAN:
                expressions.append(cells.boolean_value(text).alias(column.name))
            case _K.TIMESTAMP:
                pass  # read in stages by typed_frame
            case _K.NHS_NUMBER:
                expressions.append(cells.nhs_number_digits(text).alias(column.name))
            case _K.DIGITS | _K.CQC_ID:
                expressions.append(text.str.strip_chars().alias(column.name))
            case _:
                expressions.append(text.alias(column.name))
    return expressions


def typed_frame(text: pl.DataFrame, entity: Entity) -> pl.DataFrame:
    """Rename the text columns to ``<c>__raw`` (adding absent optional ones) and type them."""
    renamed = text.rename({c.name: raw(c.name) for c in entity.columns if c.name in text.columns})
    missing = [
        pl.lit(None, dtype=pl.String).alias(raw(c.name))
        for c in entity.columns
        if c.name not in text.columns
    ]
    frame = _read_timestamps(renamed.with_columns(missing), entity)
    temporary = [c for c in frame.columns if cells.TEMPORARY_MARK in c]
    return frame.with_columns(typed_expressions(entity)).drop(temporary)


def _read_timestamps(frame: pl.DataFrame, entity: Entity) -> pl.DataFrame:
    """Add the typed timestamp columns.

    A fast exact parse reads every row; the full ISO 8601 reading runs only on the rows the
    fast parse could not read.
    """
    names = [c.name for c in entity.columns if c.kind is _K.TIMESTAMP]
    if not names:
        return frame
    fast = []
    for name in names:
        naive, instant = cells.timestamp_fast(pl.col(raw(name)))
        fast += [naive.alias(f"{name}__tmp_naive"), instant.alias(f"{name}__tmp_fixed")]
    frame = frame.with_columns(fast)
    missed = pl.any_horizontal(
        pl.col(raw(n)).is_not_null()
        & pl.col(f"{n}__tmp_naive").is_null()
        & pl.col(f"{n}__tmp_fixed").is_null()
        for n in names
    )
    slow = (
        frame.with_row_index("__tmp_row")
        .filter(missed)
        .select("__tmp_row", *(raw(n) for n in names))
    )
    if slow.height:
        for name in names:
            for stage in cells.timestamp_slow_stages(pl.col(raw(name)), prefix=f"{name}__tmp_s_"):
                slow = slow.with_columns(stage)
        slow = slow.select(
            "__tmp_row",
            *(pl.col(f"{n}__tmp_s_{part}") for n in names for part in ("naive", "fixed")),
        )
        frame = frame.with_row_index("__tmp_row").join(slow, on="__tmp_row", how="left")
        frame = frame.with_columns(
            pl.coalesce(f"{n}__tmp_{part}", f"{n}__tmp_s_{part}").alias(f"{n}__tmp_{part}")
            for n in names
            for part in ("naive", "fixed")
        )
    return frame.with_columns(
        expression
        for n in names
        for expression in cells.timestamp_final(
            naive=pl.col(f"{n}__tmp_naive"), fixed=pl.col(f"{n}__tmp_fixed"), name=n
        )
    )
