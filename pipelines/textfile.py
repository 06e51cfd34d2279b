"""Reading CSV bytes the ODE-1 way: encodings, RFC 4180, header matching and line numbers.

Every cell comes back as text (or null when empty); typing is the contracts' job. Each record
keeps the physical line it started on (header = line 1) so that every quarantined row and every
rejection can name its line.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

import numpy as np
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
                        f"{cp_error.start} (0x{data[cp_error.start]:02X} is undefined in "
                        f"Windows-1252; not UTF-8 from offset {utf8_error.start})"
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


_UNIT_SEPARATOR = "\x1f"


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


@dataclass(frozen=True, slots=True)
class PreparedFile:
    """A decoded CSV file split into header and body, counted but not yet parsed.

    Many small files of one entity are parsed together (``parse_many``): a nightly inbox of an
    ICB holds thousands of files of a few hundred rows, and parsing each alone costs more in
    fixed overhead than in reading.
    """

    key: int
    file_name: str
    encoding: str
    columns: tuple[str, ...]
    text: str
    body_start: int
    """Offset in ``text`` where the first record starts."""
    records: int
    plain: bool
    """No quotes, no blank lines, no stray carriage returns: one record per physical line."""
    parsed: TextTable | None = None
    """The record-by-record parse of a file that is not plain (done once, to count records)."""


def prepare(data: bytes, *, file_name: str, key: int = 0) -> PreparedFile:
    """Decode, read the header and count the records of a CSV file.

    Raises:
        FileRejectedError: bad encoding, no header, duplicate columns, broken quoting.
    """
    text, encoding = decode_bytes(data, file_name=file_name)
    newline = text.find("\n")
    header_end = len(text) if newline < 0 else newline
    header = text[:header_end].removesuffix("\r")
    body_start = len(text) if newline < 0 else newline + 1
    body = text[body_start:]
    plain = (
        '"' not in text
        and _UNIT_SEPARATOR not in text
        and "\n\n" not in body
        and "\n\r\n" not in body
        and not body.startswith(("\n", "\r\n"))
        and body.count("\r") == body.count("\r\n")
    )
    table = None
    if plain:
        columns = _normalise_header(header.split(","), file_name=file_name)
        records = body.count("\n") + (1 if body and not body.endswith("\n") else 0)
    else:
        table = _read_quoted(text, encoding=encoding, file_name=file_name)
        columns, records = table.columns, table.records
    return PreparedFile(
        key=key,
        file_name=file_name,
        encoding=encoding,
        columns=columns,
        text=text,
        body_start=body_start,
        records=records,
        plain=plain,
        parsed=table,
    )


FILE_KEY = "_file"
"""Column holding the caller's key of the file each record came from."""


def _with_file_key(frame: pl.DataFrame, key: int) -> pl.DataFrame:
    return frame.with_columns(pl.lit(key, dtype=pl.Int64).alias(FILE_KEY))


def _read_plain_group(
    group: list[PreparedFile], columns: tuple[str, ...]
) -> tuple[pl.DataFrame | None, list[PreparedFile]]:
    """Parse plain files sharing one header in a single polars read.

    Returns:
        The frame (``_file`` and ``_line`` added) of the well-formed files, and the files
        holding a record with the wrong number of fields (to be read one by one).
    """
    bodies = [f.text[f.body_start :] for f in group]
    bodies = [b if not b or b.endswith("\n") else b + "\n" for b in bodies]
    counts = [f.records for f in group]
    data = (",".join(columns) + "\n" + "".join(bodies)).encode("utf-8")
    lines = pl.read_csv(
        data,
        has_header=True,
        separator=_UNIT_SEPARATOR,
        quote_char=None,
        new_columns=["raw"],
        infer_schema=False,
    ).get_column("raw")
    owner = pl.Series(np.repeat(np.arange(len(group), dtype=np.int64), counts))
    fields = lines.fill_null("").str.count_matches(",", literal=True) + 1
    bad_positions = set(owner.filter(fields != len(columns)).unique().to_list())
    if bad_positions:
        good = [f for i, f in enumerate(group) if i not in bad_positions]
        bad = [f for i, f in enumerate(group) if i in bad_positions]
        frame, _ = _read_plain_group(good, columns) if good else (None, [])
        return frame, bad
    frame = pl.read_csv(
        data, has_header=True, new_columns=list(columns), quote_char=None, infer_schema=False
    )
    keys = pl.Series([f.key for f in group], dtype=pl.Int64).gather(owner)
    starts = pl.Series(np.cumsum([0, *counts[:-1]]), dtype=pl.Int64).gather(owner)
    frame = frame.with_columns(
        (pl.int_range(pl.len(), dtype=pl.Int64) - starts + 2).alias(LINE),
        keys.alias(FILE_KEY),
    )
    return frame, []


def parse_many(
    files: list[PreparedFile],
) -> tuple[pl.DataFrame, dict[int, tuple[MalformedRecord, ...]]]:
    """Parse prepared files into one all-text frame with ``_file`` (the key) and ``_line``.

    Returns:
        The frame (columns: the union of the files' columns, then ``_line`` and ``_file``;
        absent columns are null) and the malformed records of each file, by key.
    """
    frames: list[pl.DataFrame] = []
    malformed: dict[int, tuple[MalformedRecord, ...]] = {}
    singles = [f for f in files if not f.plain]
    groups: dict[tuple[str, ...], list[PreparedFile]] = {}
    for prepared in files:
        if prepared.plain:
            groups.setdefault(prepared.columns, []).append(prepared)
    for columns, group in groups.items():
        frame, bad = _read_plain_group(group, columns)
        if frame is not None:
            frames.append(frame)
        singles.extend(bad)
    for prepared in singles:  # not plain (parsed once already) or with a malformed record
        table = prepared.parsed or _read_quoted(
            prepared.text, encoding=prepared.encoding, file_name=prepared.file_name
        )
        frames.append(_with_file_key(table.frame, prepared.key))
        if table.malformed:
            malformed[prepared.key] = table.malformed
    if not frames:
        return pl.DataFrame(schema={LINE: pl.Int64, FILE_KEY: pl.Int64}), malformed
    return pl.concat(frames, how="diagonal_relaxed", rechunk=True), malformed


def read_csv_text(data: bytes, *, file_name: str) -> TextTable:
    """Read one CSV file into an all-text frame with physical line numbers (``_line``).

    The single-file form of ``prepare`` and ``parse_many``, for inputs read one at a time.

    Raises:
        FileRejectedError: bad encoding, no header, duplicate columns, broken quoting.
    """
    prepared = prepare(data, file_name=file_name)
    frame, malformed = parse_many([prepared])
    return TextTable(
        frame=frame.drop(FILE_KEY).select(*prepared.columns, LINE)
        if frame.height
        else pl.DataFrame(schema={**dict.fromkeys(prepared.columns, pl.String), LINE: pl.Int64}),
        encoding=prepared.encoding,
        columns=prepared.columns,
        records=prepared.records,
        malformed=malformed.get(prepared.key, ()),
    )
