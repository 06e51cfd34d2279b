from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest
from input_files import FIXTURES, TODAY, Apply, rows

from data_contracts.enums import FileStatus
from pipelines.accounting import FileOutcome
from pipelines.inputs import InputKind, detect_input


def _lines(outcome: FileOutcome) -> dict[int, str]:
    return {q.line_number: q.rule for q in outcome.quarantine}


def _counts(outcome: FileOutcome) -> tuple[int, int, int, int]:
    return (
        outcome.rows_read,
        outcome.rows_loaded,
        outcome.duplicates_skipped,
        outcome.rows_quarantined,
    )


@pytest.mark.parametrize(
    ("name", "counts"),
    [
        ("cqc_directory_preamble.csv", (8, 4, 1, 3)),
        ("cqc_directory_cp1252.csv", (2, 2, 0, 0)),
        ("cqc_plain_directory.csv", (3, 3, 0, 0)),
        ("cqc_directory_missing_column.csv", (0, 0, 0, 0)),
        ("sub_icb_lookup.csv", (7, 4, 1, 2)),
        ("adoption_returns.csv", (9, 3, 1, 5)),
        ("costs.csv", (10, 5, 0, 5)),
        ("costs_missing_column.csv", (0, 0, 0, 0)),
    ],
)
def test_apply_input_accounts_for_every_row_of_each_fixture(apply: Apply, name: str, counts):
    # Given a fixture recognised by its header
    path = FIXTURES / name
    kind = detect_input(path)
    assert kind is not None

    # When it is applied
    outcome = apply(path, kind)

    # Then read = loaded + duplicates + quarantined, with the expected figures
    assert _counts(outcome) == counts
    assert outcome.balances
    assert outcome.export_id == name
    assert outcome.entity == kind.value


def test_cqc_directory_skips_preamble_and_quarantines_bad_rows_on_their_physical_line(
    apply: Apply, warehouse: duckdb.DuckDBPyConnection
):
    # Given a directory with four preamble lines, reordered and extra columns and bad rows
    path = FIXTURES / "cqc_directory_preamble.csv"

    # When it is applied
    outcome = apply(path, InputKind.CQC_DIRECTORY)

    # Then bad rows are set aside on their lines of the original file
    assert _lines(outcome) == {10: "cqc_id", 11: "integer", 13: "conflicting_duplicate"}
    assert "Care homes beds 'forty'" in outcome.quarantine[1].reason
    assert outcome.status == FileStatus.PARTIAL
    # and the good rows form the snapshot dated by the preamble
    assert rows(
        warehouse,
        "select location_id, is_dormant, is_care_home, care_home_beds, is_adult_social_care, "
        "onspd_ccg_code, snapshot_date, provider_name from reference.cqc_locations "
        "order by location_id",
    ) == [
        (
            "1-9000000003",
            False,
            False,
            None,
            True,
            "E38999002",
            date(2025, 12, 1),
            "Kestrel Home Support Services Limited",
        ),
        (
            "1-900000001",
            False,
            True,
            32,
            True,
            "E38999001",
            date(2025, 12, 1),
            "Heron & Finch Care (Northfield) Ltd",
        ),
        (
            "1-900000002",
            True,
            True,
            18,
            True,
            "E38999001",
            date(2025, 12, 1),
            "Heron & Finch Care (Northfield) Ltd",
        ),
        (
            "1-900000004",
            False,
            False,
            None,
            False,
            "E38999002",
            date(2025, 12, 1),
            "Southmere Health Partnership",
        ),
    ]


def test_cqc_directory_in_windows_1252_keeps_its_characters(
    apply: Apply, warehouse: duckdb.DuckDBPyConnection
):
    # Given a directory saved by a spreadsheet as Windows-1252 with CRLF line ends
    path = FIXTURES / "cqc_directory_cp1252.csv"

    # When it is applied
    outcome = apply(path, InputKind.CQC_DIRECTORY)

    # Then it loads with the encoding recorded and the characters intact
    assert outcome.encoding == "windows-1252"
    assert rows(
        warehouse,
        "select location_name, provider_name, snapshot_date from reference.cqc_locations "
        "order by location_id",
    ) == [
        ("St Mary\u2019s Caf\u00e9 House", "Ren\u00e9e\u2019s Care Ltd", date(2025, 11, 1)),
        ("Wren Lodge", "Ren\u00e9e\u2019s Care Ltd", date(2025, 11, 1)),
    ]


def test_missing_required_column_rejects_the_file_and_writes_nothing(
    apply: Apply, warehouse: duckdb.DuckDBPyConnection
):
    # Given a directory without its Dormant (Y/N) column
    path = FIXTURES / "cqc_directory_missing_column.csv"

    # When it is applied
    outcome = apply(path, InputKind.CQC_DIRECTORY)

    # Then the file is rejected with the column named, and nothing is loaded
    assert outcome.status == FileStatus.REJECTED
    assert outcome.rejected_reason is not None
    assert "'dormant (y/n)'" in outcome.rejected_reason
    assert "missing_column" in outcome.rejected_reason
    assert rows(warehouse, "select count(*) from reference.cqc_locations") == [(0,)]


def test_costs_file_without_frequency_is_rejected(apply: Apply):
    # Given a costs file lacking a required column
    path = FIXTURES / "costs_missing_column.csv"

    # When it is applied
    outcome = apply(path, InputKind.COSTS)

    # Then it is rejected naming the column
    assert outcome.rejected_reason is not None
    assert "'frequency'" in outcome.rejected_reason


def test_utf16_file_is_rejected_for_its_encoding(apply: Apply, tmp_path: Path):
    # Given a lookup saved as UTF-16
    path = tmp_path / "lookup.csv"
    path.write_bytes((FIXTURES / "sub_icb_lookup.csv").read_text().encode("utf-16"))

    # When it is applied
    outcome = apply(path, InputKind.SUB_ICB_LOOKUP)

    # Then it is rejected for its encoding, with the file named
    assert outcome.rejected_reason is not None
    assert "lookup.csv" in outcome.rejected_reason
    assert "UTF-16" in outcome.rejected_reason


def test_sub_icb_lookup_quarantines_a_dd_mm_yyyy_date_and_keeps_null_valid_from(
    apply: Apply, warehouse: duckdb.DuckDBPyConnection
):
    # Given a lookup with a 03/04/2025 date, bad codes, a null valid_from and a repeated row
    path = FIXTURES / "sub_icb_lookup.csv"

    # When it is applied
    outcome = apply(path, InputKind.SUB_ICB_LOOKUP)

    # Then the ambiguous date is never guessed and the bad codes are named
    assert _lines(outcome) == {6: "date_format", 7: "ons_code"}
    assert "'03/04/2025'" in outcome.quarantine[0].reason
    assert "icb_ods_code 'QZYY'" in outcome.quarantine[1].reason
    assert rows(
        warehouse,
        "select sub_icb_ons_code, icb_ods_code, valid_from from reference.sub_icb_lookup "
        "order by sub_icb_ons_code, valid_from nulls first",
    ) == [
        ("E38999001", "QZZ", date(2022, 7, 1)),
        ("E38999002", "QZZ", None),
        ("E38999004", "QZY", date(2022, 7, 1)),
        ("E38999004", "QZZ", date(2026, 4, 1)),
    ]


def test_sub_icb_lookup_delivered_again_is_all_duplicates(
    apply: Apply, warehouse: duckdb.DuckDBPyConnection
):
    # Given a lookup already loaded (including a row whose valid_from is null)
    path = FIXTURES / "sub_icb_lookup.csv"
    apply(path, InputKind.SUB_ICB_LOOKUP)

    # When the same rows arrive again in a later run
    outcome = apply(path, InputKind.SUB_ICB_LOOKUP, run_id="run-2")

    # Then every good row is a duplicate and the table is unchanged
    assert _counts(outcome) == (7, 0, 5, 2)
    assert rows(warehouse, "select count(*), max(run_id) from reference.sub_icb_lookup") == [
        (4, "run-1")
    ]


def test_adoption_returns_read_yes_no_and_quarantine_bad_rows(
    apply: Apply, warehouse: duckdb.DuckDBPyConnection
):
    # Given returns with a bad date, unknown enums, a missing answer and a conflicting repeat
    path = FIXTURES / "adoption_returns.csv"

    # When they are applied
    outcome = apply(path, InputKind.ADOPTION_RETURNS)

    # Then each bad row is set aside with its rule
    assert _lines(outcome) == {
        5: "date_format",
        6: "unknown_code",
        7: "unknown_code",
        8: "required",
        10: "conflicting_duplicate",
    }
    # and enumerations are matched trimmed and lower-cased
    assert rows(
        warehouse,
        "select location_id, pir_submission_date, pir_type, uses_dscr, dscr_status "
        "from reference.adoption_returns order by location_id",
    ) == [
        ("1-900000001", date(2024, 5, 2), "residential", True, "live"),
        ("1-900000002", date(2024, 6, 10), "residential", False, "not_started"),
        ("1-900000003", date(2024, 7, 1), "community", True, "live"),
    ]


def test_adoption_return_with_a_new_answer_in_a_later_file_replaces_the_stored_one(
    apply: Apply, warehouse: duckdb.DuckDBPyConnection, tmp_path: Path
):
    # Given returns already loaded
    apply(FIXTURES / "adoption_returns.csv", InputKind.ADOPTION_RETURNS)
    later = tmp_path / "adoption_returns_2025-07.csv"
    later.write_text(
        "Location ID,PIR submission date,PIR type,Use a Digital Social Care Record system?\n"
        "1-900000002,2024-06-10,Residential,Yes\n"
        "1-900000001,2024-05-02,Residential,Yes\n"
    )

    # When a later file answers differently for one (location, date)
    outcome = apply(later, InputKind.ADOPTION_RETURNS, run_id="run-2")

    # Then that answer replaces the stored one; the unchanged return is a duplicate... unless
    # its optional columns differ, as here (supplier and status are absent, so null)
    assert _counts(outcome) == (2, 2, 0, 0)
    assert [w.rule for w in outcome.warnings] == ["replaced_rows"]
    assert rows(
        warehouse,
        "select location_id, uses_dscr, dscr_status, run_id from reference.adoption_returns "
        "where location_id in ('1-900000001', '1-900000002') order by location_id",
    ) == [("1-900000001", True, None, "run-2"), ("1-900000002", True, None, "run-2")]


def test_costs_load_as_decimals_and_quarantine_rule_breaking_lines(
    apply: Apply, warehouse: duckdb.DuckDBPyConnection
):
    # Given a costs file with an unknown category, a negative cost, an end before its start,
    # too many decimal places, a dd/mm/yyyy date and an extra column
    path = FIXTURES / "costs.csv"

    # When it is applied
    outcome = apply(path, InputKind.COSTS)

    # Then each bad line is quarantined with its rule
    assert _lines(outcome) == {
        7: "unknown_code",
        8: "negative",
        9: "end_before_start",
        10: "decimal",
        11: "date_format",
    }
    assert [w.rule for w in outcome.warnings] == ["unknown_column"]
    assert outcome.provider_id == "1-800000001"
    # and money is stored as DECIMAL(18,4), never float
    assert rows(
        warehouse,
        "select category, unit_cost_gbp, quantity, replacement_years, annual_loss_rate, "
        "typeof(unit_cost_gbp) from reference.cost_lines where item = 'handsets'",
    ) == [
        (
            "hardware",
            Decimal("249.9900"),
            Decimal("12.0000"),
            Decimal("3.0000"),
            Decimal("0.0800"),
            "DECIMAL(18,4)",
        )
    ]
    assert rows(warehouse, "select category from reference.cost_lines where source_line = 3") == [
        ("software",)
    ]


def test_new_costs_file_replaces_the_providers_statement_and_an_identical_one_is_duplicate(
    apply: Apply, warehouse: duckdb.DuckDBPyConnection, tmp_path: Path
):
    # Given a provider's statement already loaded
    apply(FIXTURES / "costs.csv", InputKind.COSTS)

    # When the same statement arrives again, then a new shorter statement
    again = apply(FIXTURES / "costs.csv", InputKind.COSTS, run_id="run-2")
    newer = tmp_path / "costs_1-800000001.csv"
    newer.write_text(
        "provider_id,category,item,cost_type,unit_cost_gbp,quantity,frequency,start_date\n"
        "1-800000001,software,subscription,recurrent,5.25,30,monthly,2026-01-01\n"
    )
    replaced = apply(newer, InputKind.COSTS, run_id="run-3")

    # Then the repeat changes nothing and the new statement replaces every line
    assert _counts(again) == (10, 0, 5, 5)
    assert _counts(replaced) == (1, 1, 0, 0)
    assert rows(warehouse, "select item, unit_cost_gbp, run_id from reference.cost_lines") == [
        ("subscription", Decimal("5.2500"), "run-3")
    ]


def test_later_directory_is_a_new_snapshot_and_one_for_the_same_date_replaces_it(
    apply: Apply, warehouse: duckdb.DuckDBPyConnection
):
    # Given the December 2025 directory loaded
    apply(FIXTURES / "cqc_directory_preamble.csv", InputKind.CQC_DIRECTORY)

    # When two directories dated 1 November 2025 arrive, one after the other
    apply(FIXTURES / "cqc_directory_cp1252.csv", InputKind.CQC_DIRECTORY)
    reissued = apply(FIXTURES / "cqc_plain_directory.csv", InputKind.CQC_DIRECTORY)

    # Then the second November file replaces the first, December is kept, and the current
    # universe is the latest snapshot
    assert rows(
        warehouse,
        "select snapshot_date, count(*), min(source_file) from reference.cqc_locations "
        "group by all order by 1",
    ) == [
        (date(2025, 11, 1), 3, "cqc_plain_directory.csv"),
        (date(2025, 12, 1), 4, "cqc_directory_preamble.csv"),
    ]
    assert [w.rule for w in reissued.warnings] == ["plain_directory"]
    assert rows(
        warehouse, "select count(*), min(snapshot_date) from reference.cqc_locations_current"
    ) == [(4, date(2025, 12, 1))]


def test_directory_without_a_date_is_dated_by_the_run_and_warned_about(
    apply: Apply, warehouse: duckdb.DuckDBPyConnection, tmp_path: Path
):
    # Given a directory with no preamble and no date in its name
    text = (FIXTURES / "cqc_directory_preamble.csv").read_text().splitlines()[4:7]
    path = tmp_path / "directory.csv"
    path.write_text("\n".join(text) + "\n")

    # When it is applied
    outcome = apply(path, InputKind.CQC_DIRECTORY)

    # Then the run date is the snapshot date, and the warning says so
    assert [w.rule for w in outcome.warnings] == ["snapshot_date"]
    assert rows(warehouse, "select distinct snapshot_date from reference.cqc_locations") == [
        (TODAY,)
    ]


def test_plain_cqc_directory_maps_what_it_has_and_leaves_the_rest_null(
    apply: Apply, warehouse: duckdb.DuckDBPyConnection
):
    # Given CQC's plain directory CSV (four preamble lines, no beds, no CCG code)
    path = FIXTURES / "cqc_plain_directory.csv"

    # When it is applied
    apply(path, InputKind.CQC_DIRECTORY)

    # Then care homes come from the service types and the absent columns are null
    assert rows(
        warehouse,
        "select location_id, is_care_home, care_home_beds, onspd_ccg_code, "
        "is_adult_social_care, provider_id, snapshot_date "
        "from reference.cqc_locations order by location_id",
    ) == [
        ("1-900000001", True, None, None, None, "1-800000001", date(2025, 11, 1)),
        ("1-900000003", False, None, None, None, "1-800000002", date(2025, 11, 1)),
        ("1-900000005", True, None, None, None, "1-800000004", date(2025, 11, 1)),
    ]


def test_directory_whose_every_row_is_quarantined_leaves_the_stored_snapshot(
    apply: Apply, warehouse: duckdb.DuckDBPyConnection, tmp_path: Path
):
    # Given the December snapshot loaded
    apply(FIXTURES / "cqc_directory_preamble.csv", InputKind.CQC_DIRECTORY)
    lines = (FIXTURES / "cqc_directory_preamble.csv").read_text().splitlines()
    broken = tmp_path / "directory_2025-12-01.csv"
    broken.write_text("\n".join([*lines[:5], lines[9]]) + "\n")

    # When a file for the same date has only a bad row
    outcome = apply(broken, InputKind.CQC_DIRECTORY, run_id="run-2")

    # Then the row is quarantined and the stored snapshot survives
    assert _counts(outcome) == (1, 0, 0, 1)
    assert rows(warehouse, "select count(*) from reference.cqc_locations_current") == [(4,)]
