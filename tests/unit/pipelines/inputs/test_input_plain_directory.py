"""CQC's plain "CQC directory" CSV: four preamble lines, and the real extracts in its shape.

The fixture ``cqc_plain_directory.csv`` (test_input_apply.py) has three preamble lines and a
blank one. Here the preamble is four non-empty lines padded with commas, as a CSV saved from a
spreadsheet is, one of them quoted round a comma; and the 56 real Trafford care homes
(tests/fixtures/real, OGL v3.0) are laid out in the plain directory's columns, so the reader
meets real CQC IDs, service types and provider names. The provider ID column is not in the
extract and is filled with one placeholder ID; no figure is attached to any real home.
"""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import duckdb
from input_files import REAL, Apply, rows

from pipelines.inputs import InputKind, detect_input

_HEADER = (
    "Name,Also known as,Address,Postcode,Phone number,Service's website (if available),"
    "Service types,Date of latest check,Specialisms/services,Provider name,Local authority,"
    "Region,Location URL,CQC Location ID (for office use only),CQC Provider ID (for office use "
    "only)"
)
_PADDING = "," * 14
_PREAMBLE = (
    f"CQC directory{_PADDING}",
    f"Data as at 01 March 2026{_PADDING}",
    f'"Locations registered with CQC, England"{_PADDING}',
    f"Contains public sector information licensed under the Open Government Licence v3.0{_PADDING}",
)
_PLACEHOLDER_PROVIDER = "1-000000000"


def _plain_directory(path: Path, records: list[list[str]]) -> Path:
    lines = [*_PREAMBLE, _HEADER]
    with path.open("w", encoding="utf-8", newline="") as handle:
        handle.write("\n".join(lines) + "\n")
        csv.writer(handle, lineterminator="\n").writerows(records)
    return path


def _trafford_records() -> list[list[str]]:
    with (REAL / "trafford_care_homes_2026-02.csv").open(encoding="utf-8", newline="") as handle:
        return [
            [
                home["name"],
                "",
                home["address"],
                home["postcode"],
                home["telephone"],
                home["website"],
                home["type"],
                home["inspection_date"],
                "",
                home["provider"],
                home["area_name"],
                "North West",
                home["cqc_webpage"],
                home["cqc_id"],
                _PLACEHOLDER_PROVIDER,
            ]
            for home in csv.DictReader(handle)
        ]


def test_four_padded_preamble_lines_are_skipped_and_date_the_snapshot(
    apply: Apply, warehouse: duckdb.DuckDBPyConnection, tmp_path: Path
):
    # Given a plain directory under four comma-padded preamble lines, with one good record
    # (line 6) and one whose location ID lacks its '1-' (line 7)
    path = _plain_directory(
        tmp_path / "CQC_directory.csv",
        [
            ["Heron House", "", "1 Heron Road", "QZ1 1AA", "", "", "Residential homes", "", "",
             "Heron Care Ltd", "Northfield", "North West", "", "1-900000001", "1-800000001"],
            ["Plover Court", "", "3 Plover Lane", "QZ3 3CC", "", "", "Homecare agencies", "",
             "", "Plover Care Ltd", "Eastbrook", "North West", "", "900000005", "1-800000004"],
        ],
    )  # fmt: skip

    # When it is detected and applied
    kind = detect_input(path)
    outcome = apply(path, InputKind.CQC_DIRECTORY)

    # Then it is a CQC directory dated by its second preamble line; the bad record is
    # quarantined on its physical line 7 and the good one loaded
    assert kind is InputKind.CQC_DIRECTORY
    assert (outcome.rows_read, outcome.rows_loaded, outcome.rows_quarantined) == (2, 1, 1)
    assert [(q.line_number, q.rule) for q in outcome.quarantine] == [(7, "cqc_id")]
    assert rows(
        warehouse,
        "select snapshot_date, location_id, is_care_home, is_adult_social_care "
        "from reference.cqc_locations",
    ) == [(date(2026, 3, 1), "1-900000001", True, None)]


def test_the_real_trafford_homes_in_the_plain_shape_all_load_as_care_homes(
    apply: Apply, warehouse: duckdb.DuckDBPyConnection, tmp_path: Path
):
    # Given the 56 real Trafford homes laid out as a plain CQC directory
    path = _plain_directory(tmp_path / "CQC_directory.csv", _trafford_records())

    # When it is applied
    outcome = apply(path, InputKind.CQC_DIRECTORY)

    # Then every home loads, each a care home by its service types ('Nursing homes',
    # 'Residential homes' or both, pipe-separated), and punctuated provider names survive
    assert (outcome.rows_read, outcome.rows_loaded, outcome.rows_quarantined) == (56, 56, 0)
    assert rows(
        warehouse,
        "select count(*), count(distinct location_id), bool_and(is_care_home) "
        "from reference.cqc_locations",
    ) == [(56, 56, True)]
    assert rows(
        warehouse,
        "select provider_name, local_authority from reference.cqc_locations "
        "where location_id in ('1-113737519', '1-127443456') order by location_id",
    ) == [
        ("Stockdales Of Sale, Altrincham & District Ltd", "Trafford"),
        ("J.E.M. Care Limited", "Trafford"),
    ]
