"""Reading CSV bytes the ODE-1 way: encodings, RFC 4180, header matching and line numbers.

Every cell comes back as text (or null when empty); typing is the contracts' job. Each record
keeps the physical line it started on (header = line 1) so that every quarantined row and every
rejection can name its line.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

import polars as pl

from pipelines.errors import FileRejectedError

LINE = "_line"
"""Column holding the physical line number (header = 1) of each record."""

_UTF8_BOM = b"\xef\xbb\xbf"
_OTHER_BOMS = {
    b"\xff\xfe\x00\x00": "UTF-32",
    b"\x00\x00\xfe\xff": "UTF-32",
    b"\xff\xfe": "UTF-16",
    b"\xfe\xff": "UTF-16",
}


@dataclass(frozen=True, slots=True)
class MalformedRecord:
    """A record whose field count differs from the header's."""

    line: int
    fields: int
    expected: int


@dataclass(frozen=True, slots=True)
class TextTable:
    """A CSV file read as text: one Utf8 column per header name plus ``_line``."""

    frame: pl.DataFrame
    encoding: str
    columns: tuple[str, ...]
    records: int
    """Data records in the file (well-formed and malformed), excluding the header."""
    malformed: tuple[MalformedRecord, ...] = field(default_factory=tuple)


def decode_bytes(data: bytes, *, file_name: str) -> tuple[str, str]:
    """Decode UTF-8 (with or without BOM) or Windows-1252; reject anything else.

    Returns:
        The text and the name of the encoding it was read with.

    Raises:
        FileRejectedError: naming the file and the first bad byte offset.
    """
    for bom, name in _OTHER_BOMS.items():
        if data.startswith(bom):
            raise FileRejectedError(
                file_name=file_name,
                rule="encoding",
                reason=f"{name} byte order mark at byte offset 0; only UTF-8 and Windows-1252 "
                "are accepted",
            )
    if data.startswith(_UTF8_BOM):
        try:
            text, encoding = data[3:].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError as error:
            raise FileRejectedError(
                file_name=file_name,
                rule="encoding",
                reason=f"UTF-8 byte order mark but invalid UTF-8 at byte offset {error.start + 3}",
            ) from None
    else:
        try:
            text, encoding = data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError as utf8_error:
            try:
                text, encoding = data.decode("cp1252"), "windows-1252"
            except UnicodeDecodeError as cp_error:
                raise FileRejectedError(
                    file_name=file_name,
                    rule="encoding",
                    reason=(
                        f"neither UTF-8 nor Windows-1252: first bad byte at offset "
                        f"{min(utf8_error.start, cp_error.start)} "
                        f"(0x{data[cp_error.start]:02X} is undefined in Windows-1252)"
                    ),
                ) from None
    nul = text.find("\x00")
    if nul >= 0:
        offset = len(text[:nul].encode("utf-8" if encoding != "windows-1252" else "cp1252"))
        offset += 3 if encoding == "utf-8-sig" else 0
        raise FileRejectedError(
            file_name=file_name,
            rule="encoding",
            reason=f"NUL byte at byte offset {offset}: not a text file in UTF-8 or Windows-1252 "
            "(UTF-16 without a byte order mark?)",
        )
    return text, encoding


def _normalise_header(names: list[str], *, file_name: str) -> tuple[str, ...]:
    columns = tuple(name.strip().lower() for name in names)
    if not columns or columns == ("",):
        raise FileRejectedError(file_name=file_name, rule="header", reason="no header row", line=1)
    seen: set[str] = set()
    for name in columns:
        if name in seen:
            raise FileRejectedError(
                file_name=file_name,
                rule="header",
                reason=f"column {name!r} appears twice in the header",
                line=1,
            )
        seen.add(name)
    return columns


def read_csv_text(data: bytes, *, file_name: str) -> TextTable:
    """Read CSV bytes into an all-text frame with physical line numbers.

    Raises:
        FileRejectedError: bad encoding, no header, duplicate columns, broken quoting.
    """
    text, encoding = decode_bytes(data, file_name=file_name)
    if '"' not in text and _UNIT_SEPARATOR not in text:
        utf8 = data if encoding == "utf-8" else text.encode("utf-8")
        table = _read_plain(utf8, encoding=encoding, file_name=file_name)
        if table is not None:
            return table
    return _read_quoted(text, encoding=encoding, file_name=file_name)


_UNIT_SEPARATOR = "\x1f"


def _read_plain(data: bytes, *, encoding: str, file_name: str) -> TextTable | None:
    """Fast path for files without quote characters, where a record is a physical line.

    Returns None when some record has the wrong number of fields, so the caller takes the
    record-by-record path that reports each one.
    """
    lines = pl.read_csv(
        data,
        has_header=False,
        separator=_UNIT_SEPARATOR,
        quote_char=None,
        new_columns=["raw"],
        infer_schema=False,
    ).get_column("raw")
    if lines.is_empty() or lines[0] is None:
        raise FileRejectedError(file_name=file_name, rule="header", reason="no header row", line=1)
    columns = _normalise_header(lines[0].split(","), file_name=file_name)
    body = lines.slice(1)
    present = body.is_not_null() & (body != "")
    fields = body.str.count_matches(",", literal=True) + 1
    if not (fields.filter(present) == len(columns)).all():
        return None
    frame = pl.read_csv(
        data,
        has_header=True,
        new_columns=list(columns),
        quote_char=None,
        infer_schema=False,
    )
    frame = frame.with_columns(pl.int_range(2, pl.len() + 2, dtype=pl.Int64).alias(LINE)).filter(
        present.head(frame.height)
    )
    return TextTable(frame=frame, encoding=encoding, columns=columns, records=frame.height)


def _read_quoted(text: str, *, encoding: str, file_name: str) -> TextTable:
    """RFC 4180 path (quoted fields may hold commas, quotes and line breaks)."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader, None)
        if header is None:
            raise FileRejectedError(
                file_name=file_name, rule="header", reason="no header row", line=1
            )
        columns = _normalise_header(header, file_name=file_name)
        width = len(columns)
        cells: list[list[str | None]] = [[] for _ in columns]
        lines: list[int] = []
        malformed: list[MalformedRecord] = []
        records = 0
        previous_end = reader.line_num
        for row in reader:
            start, previous_end = previous_end + 1, reader.line_num
            if not row or row == [""]:
                continue
            records += 1
            if len(row) != width:
                malformed.append(MalformedRecord(line=start, fields=len(row), expected=width))
                continue
            lines.append(start)
            for index, value in enumerate(row):
                cells[index].append(value if value != "" else None)
    except csv.Error as error:
        raise FileRejectedError(
            file_name=file_name,
            rule="csv_syntax",
            reason=f"malformed CSV ({error}); quoting cannot be resynchronised",
            line=reader.line_num,
        ) from None
    frame = pl.DataFrame(
        {
            **{name: pl.Series(name, cells[i], dtype=pl.String) for i, name in enumerate(columns)},
            LINE: pl.Series(LINE, lines, dtype=pl.Int64),
        }
    )
    return TextTable(
        frame=frame,
        encoding=encoding,
        columns=columns,
        records=records,
        malformed=tuple(malformed),
    )
