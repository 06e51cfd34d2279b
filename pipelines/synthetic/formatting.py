"""Typed entity rows to the text a supplier writes: its timestamp and boolean styles."""

from __future__ import annotations

from datetime import datetime

import polars as pl

from data_contracts.ode1.entities import ColumnKind, Entity
from pipelines.synthetic.clock import last_sunday

_NAIVE = "%Y-%m-%dT%H:%M:%S"
_BOOLEANS = {
    "true_false": ("true", "false"),
    "one_zero": ("1", "0"),
    "yes_no": ("yes", "no"),
}
_YEARS = range(1990, 2101)
# British Summer Time in wall-clock terms: from 02:00 on the last Sunday of March to 01:00 on
# the last Sunday of October (ordinary events never fall in 01:00-02:00 on those days).
_BST_START = {
    y: datetime.combine(last_sunday(y, 3), datetime.min.time()).replace(hour=2) for y in _YEARS
}
_BST_END = {
    y: datetime.combine(last_sunday(y, 10), datetime.min.time()).replace(hour=1) for y in _YEARS
}


def is_summer_time(column: str) -> pl.Expr:
    """Whether a naive Europe/London wall-clock datetime falls in British Summer Time."""
    value = pl.col(column)
    year = value.dt.year()
    start = year.replace_strict(_BST_START, default=None, return_dtype=pl.Datetime("us"))
    end = year.replace_strict(_BST_END, default=None, return_dtype=pl.Datetime("us"))
    return (value >= start) & (value < end)


def format_timestamp(column: str, *, style: pl.Expr) -> pl.Expr:
    """A naive Europe/London datetime column written in the supplier's style.

    ``naive`` keeps the wall clock without offset, ``utc`` converts to UTC with ``Z`` and
    ``offset`` keeps the wall clock with its offset (``+01:00`` in summer).
    """
    value = pl.col(column)
    summer = is_summer_time(column)
    naive = value.dt.strftime(_NAIVE)
    utc = (value - pl.duration(hours=summer.cast(pl.Int64))).dt.strftime(f"{_NAIVE}Z")
    offset = pl.concat_str(
        [naive, pl.when(summer).then(pl.lit("+01:00")).otherwise(pl.lit("+00:00"))]
    )
    return pl.when(style == "utc").then(utc).when(style == "offset").then(offset).otherwise(naive)


def format_boolean(column: str, *, style: pl.Expr) -> pl.Expr:
    """A boolean column written as true/false, 1/0 or yes/no."""
    value = pl.col(column)
    expr = pl.lit(None, dtype=pl.String)
    for name, (yes, no) in _BOOLEANS.items():
        expr = (
            pl.when(style == name)
            .then(pl.when(value).then(pl.lit(yes)).otherwise(pl.lit(no)))
            .otherwise(expr)
        )
    return pl.when(value.is_null()).then(None).otherwise(expr)


def format_entity(frame: pl.DataFrame, *, entity: Entity) -> pl.DataFrame:
    """Every entity column as text; bookkeeping columns (``_…``) are kept as they are.

    ``frame`` must carry ``_ts_style`` and ``_bool_style``. Rows keep their order.
    """
    expressions = []
    for column in entity.columns:
        if column.kind == ColumnKind.TIMESTAMP:
            expr = format_timestamp(column.name, style=pl.col("_ts_style"))
        elif column.kind == ColumnKind.BOOLEAN:
            expr = format_boolean(column.name, style=pl.col("_bool_style"))
        elif column.kind == ColumnKind.DATE:
            expr = pl.col(column.name).dt.strftime("%Y-%m-%d")
        else:
            expr = pl.col(column.name).cast(pl.String)
        expressions.append(expr.alias(column.name))
    internal = [c for c in frame.columns if c.startswith("_")]
    return frame.select(*expressions, *internal)
