"""Row contracts of the ODE-1 entities: typing of text cells and the pandera schemas.

A file is read as text, ``typed_frame`` adds a typed column beside each text column
(``<column>__raw`` keeps the text as read), and ``row_contract`` is the pandera schema whose
checks encode every row-level rule of the spec. A row failing any check is quarantined with the
rule's code and message; nothing is guessed and nothing is dropped silently.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandera.polars as pa
import polars as pl
from pandera.api.polars.types import PolarsData
from pandera.config import ValidationDepth, config_context
from pandera.errors import SchemaErrors

from data_contracts import enums
from data_contracts.ode1 import cells
from data_contracts.ode1.entities import Column, ColumnKind, Entity

RAW_SUFFIX = "__raw"
INDEX = "_row"
"""Row position column used to join violations back to the frame."""
SENSITIVE_COLUMNS = frozenset({"description", "nhs_number"})
"""Columns whose values never appear in a quarantine reason."""

_K = ColumnKind
_TYPES: dict[ColumnKind, pl.DataType] = {
    _K.INTEGER: pl.Int64(),
    _K.DATE: pl.Date(),
    _K.TIMESTAMP: pl.Datetime("us", "UTC"),
    _K.BOOLEAN: pl.Boolean(),
}


@dataclass(frozen=True, slots=True)
class Rule:
    """One row-level rule: a polars expression that is true where the row passes."""

    code: str
    column: str
    message: str
    passes: pl.Expr


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


def _column_rules(column: Column) -> list[Rule]:  # noqa: C901 - one branch per spec kind
    text = pl.col(raw(column.name))
    value = pl.col(column.name)
    absent = text.is_null()
    rules: list[Rule] = []
    if column.required:
        rules.append(Rule("required", column.name, "required value is missing", ~absent))
    match column.kind:
        case _K.IDENTIFIER:
            ok = (
                (text.str.strip_chars() != "")
                & (text.str.len_chars() <= cells.IDENTIFIER_MAX_LENGTH)
                & ~text.str.contains(cells.CONTROL_CHARACTERS)
            )
            rules.append(
                Rule(
                    "identifier",
                    column.name,
                    "identifier must be non-empty, at most 64 characters, no control characters",
                    absent | ok,
                )
            )
        case _K.CQC_ID:
            rules.append(
                Rule(
                    "cqc_id",
                    column.name,
                    "not a CQC ID (1- followed by 9 to 11 digits)",
                    absent | value.str.contains(cells.CQC_ID_PATTERN),
                )
            )
        case _K.ICB_CODE:
            rules.append(
                Rule(
                    "icb_code",
                    column.name,
                    "not a three-character ODS code",
                    absent | value.str.contains(cells.ICB_CODE_PATTERN),
                )
            )
        case _K.ENUM:
            rules.append(
                Rule(
                    "unknown_code",
                    column.name,
                    f"not one of {', '.join(column.values)}",
                    absent | value.is_in(column.values),
                )
            )
        case _K.INTEGER:
            rules.append(
                Rule("integer", column.name, "not a whole number", absent | value.is_not_null())
            )
        case _K.DATE:
            rules.append(
                Rule(
                    "date_format",
                    column.name,
                    "not a date in YYYY-MM-DD form (other forms are never guessed)",
                    absent | value.is_not_null(),
                )
            )
        case _K.TIMESTAMP:
            gap = pl.col(f"{column.name}__gap")
            rules.append(
                Rule(
                    "timestamp_format",
                    column.name,
                    "not an ISO 8601 timestamp",
                    absent | value.is_not_null() | gap,
                )
            )
            rules.append(
                Rule(
                    "nonexistent_local_time",
                    column.name,
                    "wall-clock time does not exist in Europe/London (clocks go forward)",
                    ~gap,
                )
            )
        case _K.BOOLEAN:
            rules.append(
                Rule(
                    "boolean",
                    column.name,
                    "not a boolean (true/false, 1/0, y/n, yes/no)",
                    absent | value.is_not_null(),
                )
            )
        case _K.DIGITS:
            rules.append(
                Rule(
                    "digits",
                    column.name,
                    "not a string of digits",
                    absent | value.str.contains(r"^\d+$"),
                )
            )
        case _:
            pass
    rules.extend(_range_rules(column))
    return rules


def _range_rules(column: Column) -> list[Rule]:
    if column.minimum is None and column.maximum is None:
        return []
    value = pl.col(column.name)
    low, high = column.minimum, column.maximum
    ok = pl.lit(True)
    if low is not None:
        ok = ok & (value >= low)
    if high is not None:
        ok = ok & (value <= high)
    if low is not None and high is not None:
        message = f"must be between {low} and {high}"
    elif low is not None:
        message = f"must be at least {low}"
    else:
        message = f"must be at most {high}"
    return [Rule("range", column.name, message, value.is_null() | ok)]


def _after(later: str, earlier: str, *, strictly: bool = True) -> pl.Expr:
    a, b = pl.col(later), pl.col(earlier)
    return a.is_null() | b.is_null() | ((a > b) if strictly else (a >= b))


def _entity_rules(entity: Entity, *, today: date) -> list[Rule]:
    """Cross-column rules of each entity (spec section 4)."""
    match entity.name:
        case "locations":
            care_home = pl.col("service_type").is_in(
                [enums.ServiceType.CARE_HOME, enums.ServiceType.CARE_HOME_NURSING]
            )
            beds = pl.col("registered_beds")
            return [
                Rule(
                    "beds_required",
                    "registered_beds",
                    "required for care homes",
                    ~care_home | beds.is_not_null() | pl.col(raw("registered_beds")).is_not_null(),
                ),
                Rule(
                    "beds_not_applicable",
                    "registered_beds",
                    "must be empty for home care",
                    (pl.col("service_type") != enums.ServiceType.HOME_CARE)
                    | pl.col(raw("registered_beds")).is_null(),
                ),
            ]
        case "people":
            return [
                Rule(
                    "range",
                    "birth_year",
                    f"must be between 1900 and {today.year}",
                    pl.col("birth_year").is_null() | (pl.col("birth_year") <= today.year),
                ),
                Rule(
                    "end_before_start",
                    "end_date",
                    "before start_date",
                    _after("end_date", "start_date", strictly=False),
                ),
            ]
        case "shifts":
            return [
                Rule(
                    "end_before_start", "end_at", "not after start_at", _after("end_at", "start_at")
                ),
                Rule(
                    "shift_too_long",
                    "end_at",
                    "more than 16 hours after start_at",
                    _after("end_at", "start_at").not_()
                    | (pl.col("end_at") - pl.col("start_at") <= pl.duration(hours=16))
                    | pl.col("end_at").is_null()
                    | pl.col("start_at").is_null(),
                ),
            ]
        case "care_notes":
            recorded, care = pl.col("recorded_at"), pl.col("care_at")
            return [
                Rule(
                    "recorded_before_care",
                    "recorded_at",
                    "more than 5 minutes before care_at",
                    recorded.is_null()
                    | care.is_null()
                    | (recorded >= care - pl.duration(minutes=5)),
                )
            ]
        case "incidents":
            subtype, kind = pl.col("subtype"), pl.col("incident_type")
            medication = [v.value for v in enums.MedicationErrorSubtype]
            ulcer = [v.value for v in enums.PressureUlcerSubtype]
            return [
                Rule(
                    "in_future",
                    "occurred_at",
                    "after the export was generated",
                    _after("generated_at", "occurred_at", strictly=False),
                ),
                Rule(
                    "reported_before_occurred",
                    "reported_at",
                    "before occurred_at",
                    _after("reported_at", "occurred_at", strictly=False),
                ),
                Rule(
                    "subtype_mismatch",
                    "subtype",
                    "subtype does not belong to the incident type",
                    subtype.is_null()
                    | ~subtype.is_in(medication + ulcer)
                    | ((kind == enums.IncidentType.MEDICATION_ERROR) & subtype.is_in(medication))
                    | ((kind == enums.IncidentType.PRESSURE_ULCER) & subtype.is_in(ulcer)),
                ),
            ]
        case "medication_administrations":
            return [
                Rule(
                    "scheduled_required",
                    "scheduled_at",
                    "required unless the dose is PRN (is_prn true)",
                    pl.col(raw("scheduled_at")).is_not_null() | pl.col("is_prn").fill_null(False),
                )
            ]
        case "alerts":
            return [
                Rule(
                    "before_raised",
                    "acknowledged_at",
                    "before raised_at",
                    _after("acknowledged_at", "raised_at", strictly=False),
                ),
                Rule(
                    "before_raised",
                    "resolved_at",
                    "before raised_at",
                    _after("resolved_at", "raised_at", strictly=False),
                ),
            ]
        case "visits":
            return [
                Rule(
                    "end_before_start",
                    "scheduled_end",
                    "not after scheduled_start",
                    _after("scheduled_end", "scheduled_start"),
                ),
                Rule(
                    "end_before_start",
                    "check_out_at",
                    "not after check_in_at",
                    _after("check_out_at", "check_in_at"),
                ),
            ]
        case _:
            return []


def row_rules(entity: Entity, *, today: date) -> list[Rule]:
    """Every row-level rule of ``entity``: per column, then across columns."""
    rules = [rule for column in entity.columns for rule in _column_rules(column)]
    return rules + _entity_rules(entity, today=today)


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
            _TYPES.get(column.kind, pl.String()),
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
