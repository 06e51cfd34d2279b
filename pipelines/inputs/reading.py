"""Reading section 5 input files as text: CSV, XLSX or ODS, with preamble rows above the header.

The header is the first row, among the first ``SCAN_ROWS``, that holds every signature column
of a declared input (spec 5.1: columns are found by name, never by position). Rows above it are
the preamble: kept as text, since CQC writes its "data as at" date there. CSV records keep the
physical line of the original file (header line included in the count, as in
``pipelines.textfile``).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import fastexcel
import polars as pl

from data_contracts.inputs import InputFile, normalise_header
from pipelines.errors import FileRejectedError
from pipelines.textfile import LINE, MalformedRecord, decode_bytes, read_csv_text

SCAN_ROWS = 30
"""How many rows from the top are searched for the header row."""
CQC_SHEET = "HSCA_Active_Locations"
"""The sheet of CQC's care directory with filters; otherwise the first sheet is read."""
CSV_SUFFIXES = frozenset({".csv"})
SPREADSHEET_SUFFIXES = frozenset({".xlsx", ".xlsm", ".ods"})
_SNIFF_BYTES = 256 * 1024
_UNREADABLE = (OSError, ValueError, UnicodeError, csv.Error, fastexcel.FastExcelError)
_BOM_CODECS = (
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
    (b"\xef\xbb\xbf", "utf-8-sig"),
)


@dataclass(frozen=True, slots=True)
class InputTable:
    """An input file read as text below its header row."""

    spec: InputFile
    """The declaration whose signature the header row matched."""
    frame: pl.DataFrame
    """One String column per normalised header name, plus ``_line``."""
    columns: tuple[str, ...]
    records: int
    """Data records below the header (well-formed and malformed)."""
    header_line: int
    preamble: tuple[str, ...] = ()
    """Text of each non-empty row above the header, cells joined by spaces."""
    encoding: str | None = None
    malformed: tuple[MalformedRecord, ...] = field(default_factory=tuple)


def is_readable_suffix(path: Path) -> bool:
    """Whether the file's suffix is one an input can have (CSV, XLSX or ODS)."""
    return path.suffix.lower() in CSV_SUFFIXES | SPREADSHEET_SUFFIXES


def find_header(
    rows: Iterable[Sequence[str | None]], *, specs: Sequence[InputFile]
) -> tuple[InputFile, int] | None:
    """The first declaration whose signature a row holds, and that row's 0-based index."""
    for index, row in enumerate(rows):
        if index >= SCAN_ROWS:
            break
        names = {normalise_header(cell) for cell in row if cell}
        for spec in specs:
            if names.issuperset(spec.signature):
                return spec, index
    return None


def sniff_rows(path: Path) -> list[list[str | None]]:
    """The first rows of a CSV or spreadsheet, read leniently, for recognising its kind.

    Returns an empty list when the file cannot be read at all; never raises for bad content.
    """
    try:
        if path.suffix.lower() in SPREADSHEET_SUFFIXES:
            return _sheet_rows(path, limit=SCAN_ROWS)
        with path.open("rb") as handle:
            head = handle.read(_SNIFF_BYTES)
        text = _lenient_text(head)
        return [_split_line(line) for line in _physical_lines(text)[:SCAN_ROWS]]
    except _UNREADABLE:
        return []


def read_input_table(path: Path, *, specs: Sequence[InputFile]) -> InputTable:
    """Read ``path`` as text from the header row of the first matching declaration on.

    Raises:
        FileRejectedError: unreadable file, bad encoding, no header row among the first rows,
            duplicate column names, broken CSV quoting.
    """
    if path.suffix.lower() in SPREADSHEET_SUFFIXES:
        return _read_sheet(path, specs=specs)
    return _read_csv(path, specs=specs)


def _no_header(file_name: str, specs: Sequence[InputFile]) -> FileRejectedError:
    wanted = " or ".join(", ".join(repr(s) for s in spec.signature) for spec in specs)
    return FileRejectedError(
        file_name=file_name,
        rule="header",
        reason=f"no header row holding {wanted} in the first {SCAN_ROWS} rows",
    )


def _lenient_text(data: bytes) -> str:
    for bom, codec in _BOM_CODECS:
        if data.startswith(bom):
            return data[len(bom) :].decode(codec, errors="replace")
    return data.decode("utf-8", errors="replace")


def _physical_lines(text: str) -> list[str]:
    """Lines as the csv module counts them (LF, CRLF or CR), each with its line end."""
    return list(io.StringIO(text, newline=""))


def _split_line(line: str) -> list[str | None]:
    try:
        cells = next(csv.reader([line]), [])
    except csv.Error:
        cells = line.split(",")
    return [cell or None for cell in cells]


def _read_csv(path: Path, *, specs: Sequence[InputFile]) -> InputTable:
    file_name = path.name
    text, encoding = decode_bytes(path.read_bytes(), file_name=file_name)
    lines = _physical_lines(text)
    found = find_header((_split_line(line) for line in lines), specs=specs)
    if found is None:
        raise _no_header(file_name, specs)
    spec, index = found
    preamble = tuple(
        " ".join(c.strip() for c in cells if c and c.strip())
        for cells in (_split_line(line) for line in lines[:index])
        if any(c and c.strip() for c in cells)
    )
    body = "".join(lines[index:])
    try:
        table = read_csv_text(body.encode("utf-8"), file_name=file_name)
    except FileRejectedError as error:
        line = None if error.line is None else error.line + index
        raise FileRejectedError(
            file_name=file_name, rule=error.rule, reason=error.reason, line=line
        ) from None
    columns = _unique_headers(table.columns, file_name=file_name, line=index + 1)
    frame = table.frame.rename(dict(zip(table.columns, columns, strict=True))).with_columns(
        pl.col(LINE) + index
    )
    malformed = tuple(
        MalformedRecord(line=m.line + index, fields=m.fields, expected=m.expected)
        for m in table.malformed
    )
    return InputTable(
        spec=spec,
        frame=frame,
        columns=columns,
        records=table.records,
        header_line=index + 1,
        preamble=preamble,
        encoding=encoding,
        malformed=malformed,
    )


def _unique_headers(names: Iterable[str], *, file_name: str, line: int) -> tuple[str, ...]:
    columns = tuple(normalise_header(name) for name in names)
    if len(set(columns)) != len(columns):
        repeated = sorted({c for c in columns if columns.count(c) > 1})
        raise FileRejectedError(
            file_name=file_name,
            rule="header",
            reason=f"column {repeated[0]!r} appears twice in the header",
            line=line,
        )
    return columns


def _sheet_rows(path: Path, *, limit: int | None = None) -> list[list[str | None]]:
    reader = fastexcel.read_excel(path)
    sheet: str | int = CQC_SHEET if CQC_SHEET in reader.sheet_names else 0
    frame = reader.load_sheet(sheet, header_row=None, dtypes="string", n_rows=limit).to_polars()
    return [list(row) for row in frame.iter_rows()]


def _read_sheet(path: Path, *, specs: Sequence[InputFile]) -> InputTable:
    """Read the CQC sheet (or the first sheet) of an XLSX or ODS workbook as text.

    Rows are numbered from the first non-empty row of the sheet (calamine trims empty rows
    above the used range); in CQC's published workbooks that is row 1.
    """
    file_name = path.name
    try:
        rows = _sheet_rows(path)
    except _UNREADABLE as error:
        raise FileRejectedError(
            file_name=file_name, rule="spreadsheet", reason=f"unreadable workbook ({error})"
        ) from None
    found = find_header(rows, specs=specs)
    if found is None:
        raise _no_header(file_name, specs)
    spec, index = found
    header = [cell or f"_blank_{i}" for i, cell in enumerate(rows[index])]
    columns = _unique_headers(header, file_name=file_name, line=index + 1)
    body = [
        (number, row)
        for number, row in enumerate(rows[index + 1 :], start=index + 2)
        if any(cell is not None and cell.strip() for cell in row)
    ]
    frame = pl.DataFrame(
        {
            **{
                name: pl.Series(name, [row[i] for _, row in body], dtype=pl.String)
                for i, name in enumerate(columns)
            },
            LINE: pl.Series(LINE, [number for number, _ in body], dtype=pl.Int64),
        }
    )
    preamble = tuple(
        " ".join(c.strip() for c in row if c and c.strip())
        for row in rows[:index]
        if any(c and c.strip() for c in row)
    )
    return InputTable(
        spec=spec,
        frame=frame,
        columns=columns,
        records=len(body),
        header_line=index + 1,
        preamble=preamble,
        encoding=None,
    )
