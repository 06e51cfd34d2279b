"""Every ODE-1 row rule: one passing row and one failing row, through the real pandera schema."""

from __future__ import annotations

from datetime import UTC, date, datetime

import polars as pl
import pytest

from data_contracts.ode1 import ENTITIES, ENTITY_ORDER, ColumnKind, Entity
from data_contracts.ode1.contracts import find_violations, row_contract, row_rules, typed_frame

TODAY = date(2026, 11, 22)
GENERATED_AT = datetime(2025, 7, 1, 2, 0, tzinfo=UTC)

VALID: dict[str, dict[str, str | None]] = {
    "locations": {
        "location_id": "1-100000001",
        "location_name": "Willow Court",
        "service_type": "care_home",
        "registered_beds": "30",
        "local_authority": "Nowhere",
        "icb_code": "QZZ",
        "dscr_supplier": "CareBridge",
        "dscr_go_live_date": "2025-01-01",
    },
    "people": {
        "person_id": "P1",
        "location_id": "1-100000001",
        "nhs_number": "943 476 5919",
        "birth_year": "1935",
        "sex": "female",
        "start_date": "2024-01-01",
        "end_date": "2025-01-01",
        "end_reason": "discharged",
    },
    "occupancy": {"location_id": "1-100000001", "date": "2025-01-01", "occupied_beds": "27"},
    "staff": {
        "staff_id": "S1",
        "location_id": "1-100000001",
        "role": "care_worker",
        "employment": "employed",
        "start_date": "2023-01-01",
        "end_date": None,
    },
    "shifts": {
        "record_uid": "SH1",
        "version": "1",
        "status": "final",
        "staff_id": "S1",
        "location_id": "1-100000001",
        "start_at": "2025-06-01T08:00:00",
        "end_at": "2025-06-01T20:00:00",
    },
    "care_notes": {
        "record_uid": "N1",
        "version": "1",
        "status": "final",
        "person_id": "P1",
        "staff_id": "S1",
        "location_id": "1-100000001",
        "category": "hydration",
        "care_at": "2025-06-01T10:00:00",
        "recorded_at": "2025-06-01T10:03:00",
        "entry_seconds": "40",
        "entry_method": "icon",
        "recorded_offline": "no",
    },
    "incidents": {
        "record_uid": "I1",
        "version": "1",
        "status": "final",
        "location_id": "1-100000001",
        "person_id": "P1",
        "occurred_at": "2025-06-01T10:00:00Z",
        "reported_at": "2025-06-01T11:30:00+01:00",
        "incident_type": "medication_error",
        "subtype": "omission",
        "harm": "low",
        "witnessed": "Y",
        "description": "Dose missed at lunch",
    },
    "medication_administrations": {
        "record_uid": "M1",
        "version": "1",
        "status": "final",
        "person_id": "P1",
        "location_id": "1-100000001",
        "staff_id": "S1",
        "medicine": "Paracetamol 500mg tablets",
        "dmd_code": "322236009",
        "scheduled_at": "2025-06-01T08:00:00",
        "recorded_at": "2025-06-01T08:10:00",
        "outcome": "given",
        "is_prn": "false",
        "is_time_critical": "0",
    },
    "alerts": {
        "record_uid": "A1",
        "version": "1",
        "status": "final",
        "location_id": "1-100000001",
        "person_id": "P1",
        "staff_id": "S1",
        "category": "low_fluid_intake",
        "severity": "medium",
        "raised_at": "2025-06-01T12:00:00",
        "acknowledged_at": "2025-06-01T12:05:00",
        "resolved_at": "2025-06-01T13:00:00",
        "outcome": "actioned",
    },
    "visits": {
        "record_uid": "V1",
        "version": "1",
        "status": "final",
        "person_id": "P1",
        "staff_id": "S1",
        "location_id": "1-100000001",
        "scheduled_start": "2025-06-01T08:00:00",
        "scheduled_end": "2025-06-01T08:30:00",
        "check_in_at": "2025-06-01T08:02:00",
        "check_out_at": "2025-06-01T08:31:00",
        "check_method": "app",
        "visit_status": "completed",
    },
    "care_plan_reviews": {
        "record_uid": "R1",
        "version": "1",
        "status": "final",
        "person_id": "P1",
        "location_id": "1-100000001",
        "due_date": "2025-06-30",
        "completed_at": "2025-06-28T15:00:00",
    },
}

_BAD_BY_KIND: dict[ColumnKind, tuple[str, str]] = {
    ColumnKind.IDENTIFIER: ("tab\there", "identifier"),
    ColumnKind.CQC_ID: ("1-12345", "cqc_id"),
    ColumnKind.ICB_CODE: ("QOPX", "icb_code"),
    ColumnKind.ENUM: ("bogus", "unknown_code"),
    ColumnKind.INTEGER: ("1.5", "integer"),
    ColumnKind.DATE: ("03/04/2025", "date_format"),
    ColumnKind.TIMESTAMP: ("1 June 2025 10:00", "timestamp_format"),
    ColumnKind.BOOLEAN: ("maybe", "boolean"),
    ColumnKind.DIGITS: ("12a4", "digits"),
}

# (entity, overrides, expected rule, column): the cross-column and range rules.
_SPECIAL: list[tuple[str, dict[str, str | None], str, str]] = [
    ("locations", {"registered_beds": None}, "beds_required", "registered_beds"),
    ("locations", {"service_type": "home_care"}, "beds_not_applicable", "registered_beds"),
    ("people", {"birth_year": "2027"}, "range", "birth_year"),
    ("people", {"end_date": "2023-12-31"}, "end_before_start", "end_date"),
    ("shifts", {"end_at": "2025-06-01T07:00:00"}, "end_before_start", "end_at"),
    ("shifts", {"end_at": "2025-06-02T00:00:01"}, "shift_too_long", "end_at"),
    ("care_notes", {"recorded_at": "2025-06-01T09:54:59"}, "recorded_before_care", "recorded_at"),
    ("incidents", {"occurred_at": "2025-07-02T00:00:00Z"}, "in_future", "occurred_at"),
    (
        "incidents",
        {"reported_at": "2025-06-01T09:59:00Z"},
        "reported_before_occurred",
        "reported_at",
    ),
    ("incidents", {"incident_type": "fall"}, "subtype_mismatch", "subtype"),
    ("medication_administrations", {"scheduled_at": None}, "scheduled_required", "scheduled_at"),
    ("alerts", {"acknowledged_at": "2025-06-01T11:59:00"}, "before_raised", "acknowledged_at"),
    ("alerts", {"resolved_at": "2025-06-01T11:00:00"}, "before_raised", "resolved_at"),
    ("visits", {"scheduled_end": "2025-06-01T08:00:00"}, "end_before_start", "scheduled_end"),
    ("visits", {"check_out_at": "2025-06-01T08:01:00"}, "end_before_start", "check_out_at"),
]


def _frame(entity: Entity, row: dict[str, str | None]) -> pl.DataFrame:
    text = pl.DataFrame([row], schema=dict.fromkeys(row, pl.String))
    return typed_frame(text, entity).with_columns(
        pl.lit(GENERATED_AT).dt.cast_time_unit("us").alias("generated_at")
    )


def _violations(entity_name: str, overrides: dict[str, str | None]) -> set[tuple[str, str]]:
    entity = ENTITIES[entity_name]
    found = find_violations(
        _frame(entity, {**VALID[entity_name], **overrides}), row_contract(entity, today=TODAY)
    )
    return set(found.select("rule", "column").iter_rows())


def _column_cases() -> list[tuple[str, dict[str, str | None], str, str]]:
    cases = []
    for entity in ENTITY_ORDER:
        for column in entity.columns:
            if column.required:
                cases.append((entity.name, {column.name: None}, "required", column.name))
            if column.kind in _BAD_BY_KIND:
                bad, rule = _BAD_BY_KIND[column.kind]
                cases.append((entity.name, {column.name: bad}, rule, column.name))
            if column.kind is ColumnKind.TIMESTAMP:
                gap = "2025-03-30T01:15:00"  # inside the spring-forward gap
                cases.append(
                    (entity.name, {column.name: gap}, "nonexistent_local_time", column.name)
                )
            if column.minimum is not None:
                low = str(column.minimum - 1)
                cases.append((entity.name, {column.name: low}, "range", column.name))
            if column.maximum is not None:
                high = str(column.maximum + 1)
                cases.append((entity.name, {column.name: high}, "range", column.name))
    return cases


CASES = _column_cases() + _SPECIAL


@pytest.mark.parametrize("entity_name", list(VALID))
def test_valid_row_passes_every_rule(entity_name: str) -> None:
    # Given a row that follows the spec
    # When it is validated
    found = _violations(entity_name, {})

    # Then nothing is reported
    assert found == set()


@pytest.mark.parametrize(
    ("entity_name", "overrides", "rule", "column"),
    CASES,
    ids=[f"{e}-{c}-{r}" for e, _, r, c in CASES],
)
def test_broken_row_is_rejected_by_its_rule(
    entity_name: str, overrides: dict[str, str | None], rule: str, column: str
) -> None:
    # Given a valid row with one value broken
    # When it is validated
    found = _violations(entity_name, overrides)

    # Then exactly that rule reports it
    assert (rule, column) in found


def test_every_declared_rule_has_a_failing_case() -> None:
    # Given every rule the contracts declare
    declared = {
        (entity.name, rule.code, rule.column)
        for entity in ENTITY_ORDER
        for rule in row_rules(entity, today=TODAY)
    }

    # When compared with the failing cases above
    covered = {(e, r, c) for e, _, r, c in CASES}

    # Then none is untested
    assert declared - covered == set()


def test_prn_dose_may_have_no_scheduled_time() -> None:
    found = _violations("medication_administrations", {"scheduled_at": None, "is_prn": "Yes"})

    assert found == set()


def test_enum_values_match_after_trimming_and_lower_casing() -> None:
    found = _violations("incidents", {"incident_type": "  Medication_Error ", "harm": "LOW"})

    assert found == set()


def test_bad_value_is_rejected_from_an_eager_frame_whatever_the_global_depth(monkeypatch) -> None:
    # Given pandera's global depth set to schema-only (the LazyFrame default)
    monkeypatch.setenv("PANDERA_VALIDATION_DEPTH", "SCHEMA_ONLY")

    # When a row with a bad value is validated
    found = _violations("people", {"start_date": "2025-13-01"})

    # Then the value is still checked
    assert ("date_format", "start_date") in found
