from __future__ import annotations

import zipfile
from datetime import date
from pathlib import Path
from xml.sax.saxutils import escape

import duckdb
import openpyxl
from input_files import Apply, rows

from pipelines.inputs import InputKind, detect_input

HEADER = [
    "Location ID",
    "Location Name",
    "Care home?",
    "Dormant (Y/N)",
    "Care homes beds",
    "Location Inspection Directorate",
    "Location Primary Inspection Category",
    "Location Local Authority",
    "Location ONSPD CCG Code",
    "Provider ID",
    "Provider Name",
]
GOOD = [
    "1-900000021", "Linnet House", "Y", "N", 30, "Adult social care",
    "Residential social care", "Northfield", "E38999001", "1-800000021", "Linnet Care Ltd",
]  # fmt: skip
HOME_CARE = [
    "1-900000022", "Linnet at Home", "N", "N", None, "Adult social care",
    "Community based adult social services", "Northfield", "E38999001", "1-800000021",
    "Linnet Care Ltd",
]  # fmt: skip
BAD_ID = ["1-22", "Bad Id Home", "Y", "N", 5, "Adult social care", None, None, None,
          "1-800000021", None]  # fmt: skip


def _write_xlsx(path: Path) -> None:
    book = openpyxl.Workbook()
    notes = book.active
    assert notes is not None
    notes.title = "Notes"
    notes.append(["This workbook lists active locations"])
    sheet = book.create_sheet("HSCA_Active_Locations")
    sheet.append(["Care directory with filters (synthetic test data for carelens)"])
    sheet.append(["Data as at 02 February 2026"])
    sheet.append([])
    sheet.append(HEADER)
    sheet.append(GOOD)
    sheet.append([])
    sheet.append(HOME_CARE)
    sheet.append(BAD_ID)
    book.save(path)


def _cell(value: object) -> str:
    if value is None:
        return "<table:table-cell/>"
    if isinstance(value, int):
        return (
            f'<table:table-cell office:value-type="float" office:value="{value}">'
            f"<text:p>{value}</text:p></table:table-cell>"
        )
    return (
        f'<table:table-cell office:value-type="string"><text:p>{escape(str(value))}</text:p>'
        "</table:table-cell>"
    )


def _write_ods(path: Path, table: list[list[object]]) -> None:
    """A minimal OpenDocument spreadsheet, written by hand (no office suite needed)."""
    body = "".join(
        f"<table:table-row>{''.join(_cell(v) for v in row)}</table:table-row>" for row in table
    )
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
        ' xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"'
        ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        "<office:body><office:spreadsheet>"
        f'<table:table table:name="HSCA_Active_Locations">{body}</table:table>'
        "</office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"'
        ' manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/"'
        ' manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(
            zipfile.ZipInfo("mimetype"),
            "application/vnd.oasis.opendocument.spreadsheet",
            compress_type=zipfile.ZIP_STORED,
        )
        archive.writestr("META-INF/manifest.xml", manifest)
        archive.writestr("content.xml", content)


def test_xlsx_directory_is_read_from_its_named_sheet_below_the_preamble(
    apply: Apply, warehouse: duckdb.DuckDBPyConnection, tmp_path: Path
):
    # Given an XLSX whose first sheet is notes and whose HSCA_Active_Locations sheet has a
    # preamble, a blank row between records, a numeric beds cell and a bad location ID
    path = tmp_path / "HSCA_Active_Locations.xlsx"
    _write_xlsx(path)

    # When it is detected and applied
    kind = detect_input(path)
    outcome = apply(path, InputKind.CQC_DIRECTORY)

    # Then it loads as a CQC directory dated by its preamble, the bad row named by sheet row
    assert kind == InputKind.CQC_DIRECTORY
    assert (outcome.rows_read, outcome.rows_loaded, outcome.rows_quarantined) == (3, 2, 1)
    assert outcome.balances
    assert [(q.line_number, q.rule) for q in outcome.quarantine] == [(8, "cqc_id")]
    assert rows(
        warehouse,
        "select location_id, care_home_beds, is_care_home, snapshot_date "
        "from reference.cqc_locations order by location_id",
    ) == [
        ("1-900000021", 30, True, date(2026, 2, 2)),
        ("1-900000022", None, False, date(2026, 2, 2)),
    ]


def test_ods_directory_is_read_too(
    apply: Apply, warehouse: duckdb.DuckDBPyConnection, tmp_path: Path
):
    # Given the directory as an OpenDocument spreadsheet, dated in its file name
    path = tmp_path / "01_March_2026_HSCA_Active_Locations.ods"
    _write_ods(path, [["Care directory with filters"], HEADER, GOOD, HOME_CARE])

    # When it is detected and applied
    kind = detect_input(path)
    outcome = apply(path, InputKind.CQC_DIRECTORY)

    # Then it loads like the CSV and XLSX forms
    assert kind == InputKind.CQC_DIRECTORY
    assert (outcome.rows_read, outcome.rows_loaded, outcome.rows_quarantined) == (2, 2, 0)
    assert rows(
        warehouse,
        "select location_id, care_home_beds, snapshot_date from reference.cqc_locations "
        "order by location_id",
    ) == [("1-900000021", 30, date(2026, 3, 1)), ("1-900000022", None, date(2026, 3, 1))]


def test_workbook_holding_another_input_is_not_recognised(tmp_path: Path):
    # Given a workbook holding a sub-ICB lookup (lookups are CSV only, spec 5.2)
    path = tmp_path / "lookup.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["sub_icb_ons_code", "icb_ods_code", "icb_name"])
    sheet.append(["E38999001", "QZZ", "Synthetic ICB"])
    book.save(path)

    # When it is detected
    kind = detect_input(path)

    # Then it is not taken for an input
    assert kind is None


def test_corrupt_workbook_passed_to_apply_is_rejected_not_raised(apply: Apply, tmp_path: Path):
    # Given a file named like a workbook that is not one
    path = tmp_path / "directory.xlsx"
    path.write_bytes(b"PK\x03\x04 not really")

    # When it is applied
    outcome = apply(path, InputKind.CQC_DIRECTORY)

    # Then it is rejected with a reason and nothing counted
    assert outcome.rejected_reason is not None
    assert "unreadable workbook" in outcome.rejected_reason
    assert outcome.balances
