"""The row-level rules of ODE-1 (spec sections 2 and 4), as polars expressions.

Each rule is true where a typed row (see ``data_contracts.ode1.typed``) passes. Per-column
rules come from the declarations; cross-column rules are written per entity.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import polars as pl

from data_contracts import enums
from data_contracts.ode1 import cells
from data_contracts.ode1.entities import Column, ColumnKind, Entity
from data_contracts.ode1.typed import raw

_K = ColumnKind


@dataclass(frozen=True, slots=True)
class Rule:
    """One row-level rule: a polars expression that is true where the row passes."""

    code: str
    column: str
    message: str
    passes: pl.Expr


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
