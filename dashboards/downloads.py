"""CSV and XLSX downloads that are safe to open in spreadsheet software."""

from __future__ import annotations

import io
import math
import re
from collections.abc import Collection
from datetime import date, datetime
from zoneinfo import ZoneInfo

import polars as pl
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

from dashboards.disclosure import SUPPRESSED

# A cell starting with one of these can be run as a formula by spreadsheet software
# (ODE-1 spec, section 2), so it is prefixed with a single quote.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_TRIGGER_PATTERN = r"^[=+\-@\t\r]"
_UNSAFE_FILE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


def neutralise_cell(value: str) -> str:
    """Prefix ``value`` with a single quote if a spreadsheet could read it as a formula."""
    return f"'{value}" if value.startswith(FORMULA_TRIGGERS) else value


def to_safe_csv(frame: pl.DataFrame, *, suppressed: Collection[str] = ()) -> str:
    """Write ``frame`` as CSV text with every text cell neutralised against formula injection.

    Numbers and dates are written as they are: a spreadsheet reads them as values.

    Args:
        frame: The rows to write.
        suppressed: Disclosure-controlled columns; their nulls are written as ``[c]``
            (suppressed), not as empty cells that could be read as zero.
    """
    marked = frame.with_columns(
        pl.col(name).cast(pl.String).fill_null(SUPPRESSED) for name in suppressed
    )
    text_columns = [
        name
        for name, dtype in marked.schema.items()
        if dtype == pl.String and name not in suppressed
    ]
    safe = marked.with_columns(
        pl.when(pl.col(name).str.contains(_TRIGGER_PATTERN))
        .then(pl.lit("'") + pl.col(name))
        .otherwise(pl.col(name))
        .alias(name)
        for name in text_columns
    )
    return safe.write_csv()


XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_UK_TIME_ZONE = ZoneInfo("Europe/London")
_SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_MAX_SHEET_NAME = 31
_MAX_COLUMN_WIDTH = 60


def _xlsx_value(value: object) -> object:
    """A cell value openpyxl can write: numbers, booleans, dates as they are; text neutralised.

    Aware instants become UK wall-clock time (spreadsheets have no time zones); NaN and
    infinities are left empty; anything else (lists, structs) is written as its text.
    """
    if value is None or isinstance(value, bool | int | date):
        if isinstance(value, datetime) and value.tzinfo is not None:
            return value.astimezone(_UK_TIME_ZONE).replace(tzinfo=None)
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    return neutralise_cell(ILLEGAL_CHARACTERS_RE.sub("", str(value)))


def _sheet_title(sheet_name: str) -> str:
    title = _SHEET_NAME_FORBIDDEN.sub(" ", sheet_name).strip().strip("'")[:_MAX_SHEET_NAME]
    return title or "Sheet1"


def to_safe_xlsx(
    frame: pl.DataFrame, *, sheet_name: str, suppressed: Collection[str] = ()
) -> bytes:
    """Write ``frame`` as a one-sheet XLSX workbook that spreadsheet software cannot run.

    Every text cell is written as text (never a formula) and, like :func:`to_safe_csv`,
    prefixed with ``'`` when it begins with ``=``, ``+``, ``-``, ``@``, tab or carriage return,
    so that copying it elsewhere cannot run it either. Numbers, booleans and dates are written
    as values (instants in UK time); the header row is bold and frozen.

    Args:
        frame: The rows to write.
        sheet_name: The worksheet's name (characters Excel refuses are replaced; at most 31).
        suppressed: Disclosure-controlled columns; their nulls are written as ``[c]``.

    Returns:
        The workbook's bytes.
    """
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None  # a new workbook always has one sheet
    sheet.title = _sheet_title(sheet_name)
    sheet.append([neutralise_cell(str(name)) for name in frame.columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.data_type = "s"
    for row in frame.iter_rows():
        values = [
            SUPPRESSED if value is None and name in suppressed else _xlsx_value(value)
            for name, value in zip(frame.columns, row, strict=True)
        ]
        sheet.append(values)
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # never a formula, whatever it starts with
            elif isinstance(cell.value, datetime):
                cell.number_format = "yyyy-mm-dd hh:mm:ss"
            elif isinstance(cell.value, date):
                cell.number_format = "yyyy-mm-dd"
    sheet.freeze_panes = "A2"
    for index, name in enumerate(frame.columns, start=1):
        letter = sheet.cell(row=1, column=index).column_letter
        sheet.column_dimensions[letter].width = min(max(len(name), 10) + 2, _MAX_COLUMN_WIDTH)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def download_file_name(*parts: str, suffix: str = ".csv") -> str:
    """Join ``parts`` into a file name of letters, digits, dots, dashes and underscores only."""
    stem = "-".join(_UNSAFE_FILE_NAME.sub("_", part).strip("_") for part in parts if part)
    return f"{stem or 'download'}{suffix}"
