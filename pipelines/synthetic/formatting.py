"""Typed entity rows to the text a supplier writes: its timestamp and boolean styles."""

from __future__ import annotations

import polars as pl

from data_contracts.ode1.entities import ColumnKind, Entity

_NAIVE = "%Y-%m-%dT%H:%M:%S"
_BOOLEANS = {
    "true_false": ("true", "false"),
    "one_zero": ("1", "0"),
    "yes_no": ("yes", "no"),
}


def format_timestamp(column: str, *, style: pl.Expr) -> pl.Expr:
    """A naive Europe/London datetime column written in the supplier's style.

    ``naive`` keeps the wall clock without offset, ``utc`` converts to UTC with ``Z`` and
    ``offset`` keeps the wall clock with its offset (``+01:00`` in summer).
    """
    value = pl.col(column)
    local = value.dt.replace_time_zone("Europe/London", ambiguous="earliest", non_existent="null")
    return (
        pl.when(style == "utc")
        .then(local.dt.convert_time_zone("UTC").dt.strftime(f"{_NAIVE}Z"))
        .when(style == "offset")
        .then(local.dt.strftime(f"{_NAIVE}%:z"))
        .otherwise(value.dt.strftime(_NAIVE))
    )


def format_boolean(column: str, *, style: pl.Expr) -> pl.Expr:
    """A boolean column written as true/false, 1/0 or yes/no."""
    expr = pl.lit(None, dtype=pl.String)
    for name, (yes, no) in _BOOLEANS.items():
        expr = (
            pl.when(style == name)
            .then(pl.when(pl.col(column)).then(pl.lit(yes)).otherwise(pl.lit(no)))
            .otherwise(expr)
        )
    return pl.when(pl.col(column).is_null()).then(None).otherwise(expr)


def format_entity(frame: pl.DataFrame, *, entity: Entity) -> pl.DataFrame:
    """Every entity column as text; bookkeeping columns (``_…``) are kept as they are.

    ``frame`` must carry ``_ts_style`` and ``_bool_style``.
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
