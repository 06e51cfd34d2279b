from __future__ import annotations

from pathlib import Path

import pytest
from input_files import FIXTURES, REAL

from pipelines.inputs import InputKind, detect_input


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("cqc_directory_preamble.csv", InputKind.CQC_DIRECTORY),
        ("cqc_directory_cp1252.csv", InputKind.CQC_DIRECTORY),
        ("cqc_directory_missing_column.csv", InputKind.CQC_DIRECTORY),
        ("cqc_plain_directory.csv", InputKind.CQC_DIRECTORY),
        ("sub_icb_lookup.csv", InputKind.SUB_ICB_LOOKUP),
        ("adoption_returns.csv", InputKind.ADOPTION_RETURNS),
        ("costs.csv", InputKind.COSTS),
        ("costs_missing_column.csv", InputKind.COSTS),
        ("not_an_input.csv", None),
    ],
)
def test_detect_input_recognises_each_fixture_by_its_header(name: str, kind: InputKind | None):
    # Given a fixture file
    path = FIXTURES / name

    # When it is detected
    detected = detect_input(path)

    # Then its kind is the one its header declares
    assert detected == kind


@pytest.mark.parametrize("name", ["trafford_care_homes_2026-02.csv", "gm_care_homes_2019.csv"])
def test_detect_input_returns_none_for_real_trafford_data_lab_extracts(name: str):
    # Given a real CQC-derived extract that is not in the CQC directory shape
    path = REAL / name

    # When it is detected
    detected = detect_input(path)

    # Then it is not taken for a section 5 input
    assert detected is None


def test_detect_input_returns_none_for_unreadable_or_foreign_files(tmp_path: Path):
    # Given files that cannot be section 5 inputs
    garbage = tmp_path / "directory.xlsx"
    garbage.write_bytes(b"\x00\x01 not a workbook")
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    text = tmp_path / "sub_icb_lookup.txt"
    text.write_text((FIXTURES / "sub_icb_lookup.csv").read_text())
    truncated = tmp_path / "broken.ods"
    truncated.write_bytes(b"PK\x03\x04 a zip cut short")

    # When each is detected
    missing = tmp_path / "missing.csv"
    detected = [detect_input(p) for p in (garbage, empty, text, truncated, missing)]

    # Then none is recognised and nothing raises
    assert detected == [None, None, None, None, None]


def test_detect_input_reads_a_utf16_header_so_the_load_can_reject_its_encoding(tmp_path: Path):
    # Given a lookup saved as UTF-16 by a spreadsheet
    path = tmp_path / "lookup.csv"
    path.write_bytes((FIXTURES / "sub_icb_lookup.csv").read_text().encode("utf-16"))

    # When it is detected
    detected = detect_input(path)

    # Then it is recognised (the load, not detection, reports the encoding)
    assert detected == InputKind.SUB_ICB_LOOKUP


def test_detect_input_finds_a_header_below_thirty_preamble_lines_only_within_the_scan(
    tmp_path: Path,
):
    # Given the same lookup under 29 and under 30 preamble lines
    body = (FIXTURES / "sub_icb_lookup.csv").read_text()
    near, far = tmp_path / "near.csv", tmp_path / "far.csv"
    near.write_text("note\n" * 29 + body)
    far.write_text("note\n" * 30 + body)

    # When each is detected
    found = (detect_input(near), detect_input(far))

    # Then the header on row 30 is found and the one on row 31 is not
    assert found == (InputKind.SUB_ICB_LOOKUP, None)
