"""Reader and contract helpers against real public CQC-derived extracts (OGL v3.0).

The extracts (tests/fixtures/real/README.md) are Trafford Data Lab derivatives, not the CQC
directory shape, so they are read here through test-only declarations of their own columns.
"""

from __future__ import annotations

import pytest
from input_files import REAL, Apply

from data_contracts.inputs import CellKind, InputColumn, InputFile
from pipelines.inputs import InputKind
from pipelines.inputs.reading import read_input_table
from pipelines.inputs.validation import validate_rows

TRAFFORD = InputFile(
    name="trafford_care_homes",
    table="test.trafford",
    grain="One row per care home.",
    signature=("name", "cqc_id"),
    key=("location_id",),
    columns=(
        InputColumn("location_id", "cqc_id", CellKind.CQC_ID, required=True),
        InputColumn("location_name", "name", CellKind.TEXT, required=True),
        InputColumn("provider_name", "provider", CellKind.TEXT),
        InputColumn("website", "website", CellKind.TEXT),
        InputColumn("inspection_date", "inspection_date", CellKind.DATE),
    ),
)
GREATER_MANCHESTER = InputFile(
    name="gm_care_homes",
    table="test.gm",
    grain="One row per care home.",
    signature=("name", "area_code"),
    columns=(
        InputColumn("location_name", "name", CellKind.TEXT, required=True),
        InputColumn("area_code", "area_code", CellKind.ONS_CODE),
    ),
)


def test_real_cqc_ids_pass_and_na_dates_are_quarantined_never_guessed():
    # Given the real Trafford extract: real CQC IDs, NA for missing values, punctuation
    table = read_input_table(REAL / "trafford_care_homes_2026-02.csv", specs=[TRAFFORD])

    # When its rows are validated
    validated = validate_rows(table=table, export_id="trafford_care_homes_2026-02.csv")

    # Then every real CQC ID passes; the 7 'NA' inspection dates are set aside by rule
    assert table.records == 56
    assert {q.rule for q in validated.quarantine} == {"date_format"}
    assert len(validated.quarantine) == 7
    assert validated.rows.height + validated.duplicates + len(validated.quarantine) == 56
    assert "1-1938268568" in validated.rows.get_column("location_id").to_list()


def test_real_na_text_is_kept_as_text_and_punctuation_survives():
    # Given the real Trafford extract
    table = read_input_table(REAL / "trafford_care_homes_2026-02.csv", specs=[TRAFFORD])

    # When its rows are validated
    good = validate_rows(table=table, export_id="trafford.csv").rows

    # Then 'NA' is a value, not a null (only an empty field is null), and quoted provider
    # names with commas, ampersands and brackets come through whole
    websites = good.get_column("website")
    assert websites.null_count() == 0
    assert (websites == "NA").sum() > 0
    providers = set(good.get_column("provider_name").to_list())
    assert "Stockdales Of Sale, Altrincham & District Ltd" in providers
    assert "J.E.M. Care Limited" in providers


def test_real_malformed_area_codes_are_caught_by_the_ons_code_rule():
    # Given the real Greater Manchester 2019 extract, whose area codes lost a digit
    table = read_input_table(REAL / "gm_care_homes_2019.csv", specs=[GREATER_MANCHESTER])

    # When its rows are validated
    validated = validate_rows(table=table, export_id="gm_care_homes_2019.csv")

    # Then every E0800000n code is quarantined and only the well-formed E08000010 passes
    assert table.records == 559
    assert validated.rows.get_column("area_code").unique().to_list() == ["E08000010"]
    assert len(validated.quarantine) == 559 - validated.rows.height
    assert validated.quarantine[0].reason.startswith("area_code 'E080000")


@pytest.mark.parametrize("name", ["trafford_care_homes_2026-02.csv", "gm_care_homes_2019.csv"])
@pytest.mark.parametrize("kind", list(InputKind))
def test_applying_a_real_extract_as_any_input_rejects_it_cleanly(
    apply: Apply, name: str, kind: InputKind
):
    # Given a real extract forced through as a section 5 input

    # When it is applied
    outcome = apply(REAL / name, kind)

    # Then it is rejected (no header row of that input), not crashed on
    assert outcome.rejected_reason is not None
    assert "no header row" in outcome.rejected_reason
    assert outcome.balances
