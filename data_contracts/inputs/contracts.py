"""Row contracts of the section 5 inputs: typing of text cells and the pandera schemas.

Built the way the ODE-1 contracts are (``data_contracts.ode1.contracts``): ``typed_frame`` keeps
each text cell as ``<column>__raw`` and adds its typed value, and ``row_contract`` is a pandera
schema whose checks each carry ``"rule|column|message"``, so ``find_violations`` gives one row
per (row, failed rule). Nothing is guessed: a cell that does not follow its rule quarantines
the row.
"""

from __future__ import annotations

import pandera.polars as pa
import polars as pl
from pandera.api.polars.types import PolarsData

from data_contracts.inputs.declarations import (
    DECIMAL_PRECISION,
    DECIMAL_SCALE,
    CellKind,
    InputColumn,
    InputFile,
)
from data_contracts.ode1 import cells
from data_contracts.ode1.contracts import INDEX, Rule, find_violations, raw

__all__ = ["INDEX", "DECIMAL", "Rule", "find_violations", "raw", "row_contract", "typed_frame"]

DECIMAL = pl.Decimal(DECIMAL_PRECISION, DECIMAL_SCALE)
"""Money and quantities: never float."""
DECIMAL_PATTERN = (
    rf"^[+-]?\d{{1,{DECIMAL_PRECISION - DECIMAL_SCALE}}}(?:\.\d{{1,{DECIMAL_SCALE}}})?$"
)
ONS_CODE_PATTERN = r"^[A-Z]\d{8}$"

_K = CellKind
_TYPES: dict[CellKind, pl.DataType] = {
    _K.INTEGER: pl.Int64(),
    _K.DECIMAL: DECIMAL,
    _K.DATE: pl.Date(),
    _K.BOOLEAN: pl.Boolean(),
}


def _trimmed(text: pl.Expr) -> pl.Expr:
    """Trimmed text, null when nothing is left."""
    stripped = text.str.strip_chars()
    return pl.when(stripped != "").then(stripped)


def decimal_value(raw_text: pl.Expr) -> pl.Expr:
    """A plain decimal (no exponent, separators or symbols, at most 4 places); null otherwise."""
    text = raw_text.str.strip_chars()
    return pl.when(text.str.contains(DECIMAL_PATTERN)).then(text.cast(DECIMAL, strict=False))


def _typed(column: InputColumn) -> pl.Expr:
    text = pl.col(raw(column.name))
    match column.kind:
        case _K.ENUM:
            value = cells.enum_value(text)
        case _K.ONS_CODE | _K.ODS_CODE:
            value = _trimmed(text).str.to_uppercase()
        case _K.INTEGER:
            value = cells.integer_value(text)
        case _K.DECIMAL:
            value = decimal_value(text)
        case _K.DATE:
            value = cells.date_value(text)
        case _K.BOOLEAN:
            value = cells.boolean_value(text)
        case _:
            value = _trimmed(text)
    return value.alias(column.name)


def typed_frame(text: pl.DataFrame, spec: InputFile) -> pl.DataFrame:
    """Rename the text columns to ``<c>__raw`` (adding absent optional ones) and type them.

    Args:
        text: one String column per declared column name present in the file, plus any others
            (``_line``), which are kept unchanged.
        spec: the input's declaration.
    """
    renamed = text.rename({c.name: raw(c.name) for c in spec.columns if c.name in text.columns})
    missing = [
        pl.lit(None, dtype=pl.String).alias(raw(c.name))
        for c in spec.columns
        if c.name not in text.columns
    ]
    return renamed.with_columns(missing).with_columns([_typed(c) for c in spec.columns])


_PATTERNS: dict[CellKind, tuple[str, str, str]] = {
    _K.CQC_ID: ("cqc_id", cells.CQC_ID_PATTERN, "not a CQC ID (1- followed by 9 to 11 digits)"),
    _K.ONS_CODE: ("ons_code", ONS_CODE_PATTERN, "not an ONS code (a letter and eight digits)"),
    _K.ODS_CODE: ("ods_code", cells.ICB_CODE_PATTERN, "not a three-character ODS code"),
}
_PARSED: dict[CellKind, tuple[str, str]] = {
    _K.INTEGER: ("integer", "not a whole number"),
    _K.DECIMAL: (
        "decimal",
        f"not a plain decimal number (digits, optional point, at most {DECIMAL_SCALE} places)",
    ),
    _K.DATE: ("date_format", "not a date in YYYY-MM-DD form (other forms are never guessed)"),
    _K.BOOLEAN: ("boolean", "not a boolean (true/false, 1/0, y/n, yes/no)"),
}


def _column_rules(column: InputColumn) -> list[Rule]:
    text, value = pl.col(raw(column.name)), pl.col(column.name)
    absent = text.is_null() | (text.str.strip_chars() == "")
    rules: list[Rule] = []
    if not column.is_nullable:
        rules.append(Rule("required", column.name, "required value is missing", ~absent))
    if column.kind in _PATTERNS:
        code, pattern, message = _PATTERNS[column.kind]
        rules.append(Rule(code, column.name, message, absent | value.str.contains(pattern)))
    elif column.kind in _PARSED:
        code, message = _PARSED[column.kind]
        rules.append(Rule(code, column.name, message, absent | value.is_not_null()))
    elif column.kind == _K.ENUM:
        rules.append(
            Rule(
                "unknown_code",
                column.name,
                f"not one of {', '.join(column.values)}",
                absent | value.is_in(column.values),
            )
        )
    return rules + _range_rules(column)


def _range_rules(column: InputColumn) -> list[Rule]:
    low, high = column.minimum, column.maximum
    if low is None and high is None:
        return []
    value = pl.col(column.name)
    ok = pl.lit(True)
    if low is not None:
        ok = ok & (value >= low)
    if high is not None:
        ok = ok & (value <= high)
    if low is not None and high is not None:
        code, message = "range", f"must be between {low} and {high}"
    elif low == 0:
        code, message = "negative", "must not be negative"
    elif low is not None:
        code, message = "range", f"must be at least {low}"
    else:
        code, message = "range", f"must be at most {high}"
    return [Rule(code, column.name, message, value.is_null() | ok)]


def _file_rules(spec: InputFile) -> list[Rule]:
    """Rules across columns of one input (spec section 5.4: a cost line ends after it starts)."""
    if "start_date" in spec.column_names and "end_date" in spec.column_names:
        start, end = pl.col("start_date"), pl.col("end_date")
        return [
            Rule(
                "end_before_start",
                "end_date",
                "before start_date",
                start.is_null() | end.is_null() | (end >= start),
            )
        ]
    return []


def row_rules(spec: InputFile) -> list[Rule]:
    """Every row-level rule of ``spec``: per column, then across columns."""
    return [rule for column in spec.columns for rule in _column_rules(column)] + _file_rules(spec)


def _check(rule: Rule) -> pa.Check:
    expression = rule.passes.alias("passes")

    def passes(data: PolarsData) -> pl.LazyFrame:
        return data.lazyframe.select(expression)

    return pa.Check(passes, name=rule.code, error=f"{rule.code}|{rule.column}|{rule.message}")


def row_contract(spec: InputFile) -> pa.DataFrameSchema:
    """The pandera schema of a typed ``spec`` frame (see ``typed_frame``).

    Each rule is a check on the typed column it is about, so a failure case carries that
    column's value rather than the whole row.
    """
    rules = row_rules(spec)
    columns: dict[str, pa.Column] = {}
    for column in spec.columns:
        columns[raw(column.name)] = pa.Column(pl.String, nullable=True)
        columns[column.name] = pa.Column(
            _TYPES.get(column.kind, pl.String()),
            nullable=True,
            checks=[_check(rule) for rule in rules if rule.column == column.name],
            description=column.description or None,
        )
    return pa.DataFrameSchema(columns=columns, name=f"{spec.name}_rows", strict=False, coerce=False)
