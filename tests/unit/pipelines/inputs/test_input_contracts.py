from __future__ import annotations

from decimal import Decimal

import polars as pl
import pytest

from data_contracts.inputs import ADOPTION_RETURNS, COSTS, CQC_DIRECTORY, SUB_ICB_LOOKUP, InputFile
from data_contracts.inputs.contracts import find_violations, row_contract, typed_frame

COST_LINE = {
    "provider_id": "1-800000001",
    "category": "hardware",
    "item": "handsets",
    "cost_type": "upfront",
    "unit_cost_gbp": "249.99",
    "quantity": "12",
    "frequency": "one_off",
    "start_date": "2025-01-06",
    "end_date": None,
    "replacement_years": "3",
    "annual_loss_rate": "0.08",
}
LOOKUP_ROW = {
    "sub_icb_ons_code": "E38999001",
    "icb_ods_code": "QZZ",
    "icb_name": "Synthetic ICB",
    "valid_from": None,
}
RETURN_ROW = {
    "location_id": "1-900000001",
    "pir_submission_date": "2024-05-02",
    "pir_type": "Residential",
    "uses_dscr": "Yes",
    "dscr_status": "live",
}
DIRECTORY_ROW = {
    "location_id": "1-1938268568",
    "location_name": "Linnet House",
    "is_dormant": "N",
    "is_care_home": "Y",
    "care_home_beds": "30",
    "provider_id": "1-101641521",
}


def _rules(spec: InputFile, row: dict[str, str | None]) -> list[str]:
    text = pl.DataFrame([row], schema=dict.fromkeys(row, pl.String))
    violations = find_violations(typed_frame(text, spec), row_contract(spec))
    return violations.get_column("rule").to_list()


@pytest.mark.parametrize(
    ("spec", "row"),
    [(COSTS, COST_LINE), (SUB_ICB_LOOKUP, LOOKUP_ROW), (ADOPTION_RETURNS, RETURN_ROW),
     (CQC_DIRECTORY, DIRECTORY_ROW)],
)  # fmt: skip
def test_valid_row_passes_its_contract(spec: InputFile, row):
    # Given a valid row

    # When it is checked
    rules = _rules(spec, row)

    # Then nothing fails
    assert rules == []


@pytest.mark.parametrize(
    ("spec", "base", "change", "rule"),
    [
        (COSTS, COST_LINE, {"provider_id": "101641521"}, "cqc_id"),
        (COSTS, COST_LINE, {"category": "marketing"}, "unknown_code"),
        (COSTS, COST_LINE, {"cost_type": "sometimes"}, "unknown_code"),
        (COSTS, COST_LINE, {"frequency": "weekly"}, "unknown_code"),
        (COSTS, COST_LINE, {"item": "   "}, "required"),
        (COSTS, COST_LINE, {"unit_cost_gbp": "-0.01"}, "negative"),
        (COSTS, COST_LINE, {"quantity": "-1"}, "negative"),
        (COSTS, COST_LINE, {"unit_cost_gbp": "1e3"}, "decimal"),
        (COSTS, COST_LINE, {"unit_cost_gbp": "£12"}, "decimal"),
        (COSTS, COST_LINE, {"unit_cost_gbp": "1,200.00"}, "decimal"),
        (COSTS, COST_LINE, {"quantity": "0.00001"}, "decimal"),
        (COSTS, COST_LINE, {"start_date": "03/04/2025"}, "date_format"),
        (COSTS, COST_LINE, {"end_date": "2024-12-31"}, "end_before_start"),
        (COSTS, COST_LINE, {"annual_loss_rate": "1.5"}, "range"),
        (COSTS, COST_LINE, {"replacement_years": "-2"}, "negative"),
        (SUB_ICB_LOOKUP, LOOKUP_ROW, {"sub_icb_ons_code": "E3899900"}, "ons_code"),
        (SUB_ICB_LOOKUP, LOOKUP_ROW, {"icb_ods_code": "QZYY"}, "ods_code"),
        (SUB_ICB_LOOKUP, LOOKUP_ROW, {"icb_name": None}, "required"),
        (SUB_ICB_LOOKUP, LOOKUP_ROW, {"valid_from": "2026-4-1"}, "date_format"),
        (ADOPTION_RETURNS, RETURN_ROW, {"uses_dscr": "maybe"}, "boolean"),
        (ADOPTION_RETURNS, RETURN_ROW, {"uses_dscr": None}, "required"),
        (ADOPTION_RETURNS, RETURN_ROW, {"pir_type": "Hospital"}, "unknown_code"),
        (ADOPTION_RETURNS, RETURN_ROW, {"dscr_status": "abandoned-ish"}, "unknown_code"),
        (ADOPTION_RETURNS, RETURN_ROW, {"pir_submission_date": "2025-02-30"}, "date_format"),
        (CQC_DIRECTORY, DIRECTORY_ROW, {"care_home_beds": "-1"}, "negative"),
        (CQC_DIRECTORY, DIRECTORY_ROW, {"care_home_beds": "thirty"}, "integer"),
        (CQC_DIRECTORY, DIRECTORY_ROW, {"is_dormant": "Dormant"}, "boolean"),
        (CQC_DIRECTORY, DIRECTORY_ROW, {"location_name": None}, "required"),
    ],
)
def test_row_breaking_a_rule_fails_with_that_rule(spec: InputFile, base, change, rule: str):
    # Given a valid row with one cell broken
    row = {**base, **change}

    # When it is checked
    rules = _rules(spec, row)

    # Then exactly that rule fails
    assert rules == [rule]


def test_typed_costs_hold_decimals_not_floats():
    # Given a cost line as text
    text = pl.DataFrame([COST_LINE], schema=dict.fromkeys(COST_LINE, pl.String))

    # When it is typed
    typed = typed_frame(text, COSTS)

    # Then money and quantities are Decimal(18, 4)
    assert typed.schema["unit_cost_gbp"] == pl.Decimal(18, 4)
    assert typed.item(0, "unit_cost_gbp") == Decimal("249.9900")
