"""Reading CSV bytes the ODE-1 way (spec section 2): encodings, RFC 4180, headers, line numbers."""

from __future__ import annotations

import re

import pytest

from pipelines.errors import FileRejectedError
from pipelines.textfile import LINE, MalformedRecord, decode_bytes, read_csv_text

NAME = "care_notes.csv"


def _rows(data: bytes) -> list[dict[str, object]]:
    return read_csv_text(data, file_name=NAME).frame.to_dicts()


def _rejection(data: bytes) -> FileRejectedError:
    with pytest.raises(FileRejectedError) as caught:
        read_csv_text(data, file_name=NAME)
    return caught.value


def _offset(error: FileRejectedError) -> int:
    found = re.search(r"offset (\d+)", error.reason)
    assert found, error.reason
    return int(found.group(1))


# Encodings


def test_utf8_is_read_as_utf8() -> None:
    # Given UTF-8 text with non-ASCII characters
    data = "person,note\nP1,Café £5 – ok\n".encode()

    # When it is read
    table = read_csv_text(data, file_name=NAME)

    # Then the text comes back exactly, and the encoding is named
    assert table.encoding == "utf-8"
    assert table.frame.get_column("note").to_list() == ["Café £5 – ok"]


def test_utf8_with_byte_order_mark_drops_the_mark_from_the_first_column_name() -> None:
    data = b"\xef\xbb\xbfperson,note\nP1,Caf\xc3\xa9\n"

    table = read_csv_text(data, file_name=NAME)

    assert table.encoding == "utf-8-sig"
    assert table.columns == ("person", "note")
    assert table.frame.to_dicts() == [{"person": "P1", "note": "Café", LINE: 2}]


def test_windows_1252_is_accepted_when_the_bytes_are_not_utf8() -> None:
    # Given what a spreadsheet writes in Windows-1252: £ is 0xA3, é is 0xE9
    data = b"person,note\nP1,\xa35 for the caf\xe9\n"

    # When it is read
    table = read_csv_text(data, file_name=NAME)

    # Then it decodes as Windows-1252
    assert table.encoding == "windows-1252"
    assert table.frame.get_column("note").to_list() == ["£5 for the café"]


@pytest.mark.parametrize(
    "bom",
    [b"\xff\xfe", b"\xfe\xff", b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff"],
    ids=["utf16-le", "utf16-be", "utf32-le", "utf32-be"],
)
def test_utf16_and_utf32_with_byte_order_mark_are_rejected_at_offset_zero(bom: bytes) -> None:
    # Given a file that starts with a UTF-16 or UTF-32 byte order mark
    data = bom + "person\nP1\n".encode("utf-16-le")

    # When it is read
    error = _rejection(data)

    # Then it is rejected as an encoding problem at byte 0, naming the file
    assert error.rule == "encoding"
    assert _offset(error) == 0
    assert NAME in str(error)


def test_byte_undefined_in_utf8_and_windows_1252_is_rejected_with_its_offset() -> None:
    # Given 0x81, which is neither valid UTF-8 here nor defined in Windows-1252, at offset 8
    data = b"person\nP\x81\n"
    assert data.index(b"\x81") == 8

    # When it is read
    error = _rejection(data)

    # Then the rejection names the file and the offset of the bad byte
    assert error.rule == "encoding"
    assert _offset(error) == 8
    assert NAME in str(error)


def test_reported_offset_is_that_of_the_byte_windows_1252_cannot_read() -> None:
    # Given a Windows-1252 file (é = 0xE9 at offset 3, fine in Windows-1252) that also holds
    # 0x81 at offset 7, which no accepted encoding can read
    data = b"caf\xe9,x\n\x81\n"

    # When it is read
    error = _rejection(data)

    # Then the offset given is that of the byte named as undefined, not of the é
    assert "0x81" in error.reason
    assert _offset(error) == data.index(b"\x81")


def test_invalid_utf8_after_a_utf8_byte_order_mark_is_rejected_with_the_file_offset() -> None:
    data = b"\xef\xbb\xbfperson\nP\x81\n"

    error = _rejection(data)

    assert error.rule == "encoding"
    assert _offset(error) == data.index(b"\x81")


@pytest.mark.parametrize(
    ("data", "offset"),
    [
        (b"person,note\nP1,a\x00b\n", 16),
        (b"note\ncaf\xe9\x00\n", 9),
        ("person\n".encode("utf-16-le"), 1),
        (b"\xef\xbb\xbfperson\nP\x00\n", 11),
    ],
    ids=["nul-in-a-cell", "nul-in-windows-1252", "utf16-without-bom", "nul-after-bom"],
)
def test_nul_bytes_are_rejected_with_their_offset(data: bytes, offset: int) -> None:
    # Given a file holding a NUL byte
    assert data.index(b"\x00") == offset

    # When it is read
    error = _rejection(data)

    # Then it is rejected at that byte
    assert error.rule == "encoding"
    assert _offset(error) == offset


def test_decode_bytes_returns_text_and_encoding_name() -> None:
    assert decode_bytes(b"abc", file_name=NAME) == ("abc", "utf-8")
    assert decode_bytes(b"\xef\xbb\xbfabc", file_name=NAME) == ("abc", "utf-8-sig")
    assert decode_bytes(b"\xa3", file_name=NAME) == ("£", "windows-1252")


# Line ends, quoting and line numbers


@pytest.mark.parametrize("end", ["\n", "\r\n"], ids=["lf", "crlf"])
def test_lf_and_crlf_give_the_same_records(end: str) -> None:
    # Given the same file with LF or CRLF line ends, including an empty last field
    data = end.join(["person,note", "P1,hello", "P2,", ""]).encode()

    # When it is read
    rows = _rows(data)

    # Then no carriage return is left in any value
    assert rows == [
        {"person": "P1", "note": "hello", LINE: 2},
        {"person": "P2", "note": None, LINE: 3},
    ]


def test_last_record_without_a_line_end_is_read() -> None:
    assert _rows(b"person,note\r\nP1,a\r\nP2,b") == [
        {"person": "P1", "note": "a", LINE: 2},
        {"person": "P2", "note": "b", LINE: 3},
    ]


@pytest.mark.parametrize("end", ["\n", "\r\n"], ids=["lf", "crlf"])
def test_rfc4180_quoting_and_physical_line_of_each_record(end: str) -> None:
    # Given quoted fields holding a comma, doubled quotes and line breaks
    lines = [
        "person,note",  # line 1
        '"P1","tea, two sugars"',  # line 2
        'P2,"said ""no thanks"""',  # line 3
        'P3,"first line',  # line 4 (record continues)
        "second line",  # line 5
        'third line"',  # line 6
        "P4,plain",  # line 7
        "",
    ]
    data = end.join(lines).encode()

    # When it is read
    table = read_csv_text(data, file_name=NAME)

    # Then each value is unquoted and each record keeps the line it started on
    assert table.frame.to_dicts() == [
        {"person": "P1", "note": "tea, two sugars", LINE: 2},
        {"person": "P2", "note": 'said "no thanks"', LINE: 3},
        {"person": "P3", "note": end.join(["first line", "second line", "third line"]), LINE: 4},
        {"person": "P4", "note": "plain", LINE: 7},
    ]
    assert table.records == 4


def test_quoted_empty_field_is_null() -> None:
    assert _rows(b'person,note\nP1,""\n') == [{"person": "P1", "note": None, LINE: 2}]


def test_unterminated_quote_rejects_the_file_with_its_line() -> None:
    # Given a quote that is never closed, opened on line 3
    data = b'person,note\nP1,ok\nP2,"never closed\nP3,x\n'

    # When it is read
    error = _rejection(data)

    # Then the file is rejected as broken CSV
    assert error.rule == "csv_syntax"
    assert error.line is not None
    assert error.line >= 3


# Header


def test_header_names_are_trimmed_and_lower_cased() -> None:
    table = read_csv_text(b" Person_ID ,NOTE\t\nP1,x\n", file_name=NAME)

    assert table.columns == ("person_id", "note")
    assert table.frame.columns == ["person_id", "note", LINE]


def test_column_order_is_not_significant() -> None:
    # Given the same record with its columns in two orders
    first = _rows(b"person,note\nP1,x\n")
    second = _rows(b"note,person\nx,P1\n")

    # Then each value lands in its named column
    assert first == second == [{"person": "P1", "note": "x", LINE: 2}]


@pytest.mark.parametrize(
    "header",
    [b"person,person", b"person, PERSON ", b'"person","Person"'],
    ids=["same", "after-trimming-and-case", "quoted"],
)
def test_duplicate_header_name_is_rejected(header: bytes) -> None:
    error = _rejection(header + b"\nP1,P2\n")

    assert error.rule == "header"
    assert error.line == 1
    assert "person" in error.reason


@pytest.mark.parametrize("data", [b"", b"\n", b"  \n"], ids=["empty", "newline", "spaces"])
def test_file_without_a_header_is_rejected(data: bytes) -> None:
    # Given a file with no header row at all
    # When it is read
    error = _rejection(data)

    # Then it is rejected (not a crash) as having no header
    assert error.rule == "header"
    assert error.line == 1


def test_header_only_file_has_no_records() -> None:
    table = read_csv_text(b"person,note\n", file_name=NAME)

    assert table.records == 0
    assert table.frame.is_empty()
    assert table.columns == ("person", "note")


# Cells, blank lines and malformed records


def test_empty_field_is_null_and_spaces_are_kept() -> None:
    assert _rows(b"a,b,c\n,x, \n") == [{"a": None, "b": "x", "c": " ", LINE: 2}]


@pytest.mark.parametrize("quoted", [False, True], ids=["plain", "quoted"])
def test_blank_lines_are_skipped_but_still_counted_in_line_numbers(quoted: bool) -> None:
    # Given blank lines between and after records (with and without quoting in the file)
    first = '"P1"' if quoted else "P1"
    data = f"person,note\n{first},a\n\n\nP2,b\n\n".encode()

    # When it is read
    table = read_csv_text(data, file_name=NAME)

    # Then blank lines are not records, and later records keep their physical line
    assert table.records == 2
    assert table.frame.get_column(LINE).to_list() == [2, 5]
    assert table.malformed == ()


@pytest.mark.parametrize("quoted", [False, True], ids=["plain", "quoted"])
def test_records_with_too_few_or_too_many_fields_are_reported_with_their_line(
    quoted: bool,
) -> None:
    # Given a file with one short and one long record among good ones
    first = '"P1"' if quoted else "P1"
    data = f"person,note\n{first},a\nP2\nP3,b,extra\n\nP4,c\n".encode()

    # When it is read
    table = read_csv_text(data, file_name=NAME)

    # Then the good records load, the bad ones are reported with line and field counts
    assert table.frame.to_dicts() == [
        {"person": "P1", "note": "a", LINE: 2},
        {"person": "P4", "note": "c", LINE: 6},
    ]
    assert table.malformed == (
        MalformedRecord(line=3, fields=1, expected=2),
        MalformedRecord(line=4, fields=3, expected=2),
    )
    assert table.records == 4


def test_records_count_includes_malformed_and_excludes_header_and_blank_lines() -> None:
    table = read_csv_text(b"a,b\n1,2\n\n3\n4,5\n", file_name=NAME)

    assert table.records == 3
    assert table.frame.height + len(table.malformed) == table.records


def test_every_value_is_text() -> None:
    table = read_csv_text(b"n,d,b\n0042,2025-01-01,true\n", file_name=NAME)

    assert table.frame.row(0) == ("0042", "2025-01-01", "true", 2)
    assert all(dtype == "String" for dtype in map(str, table.frame.dtypes[:3]))
