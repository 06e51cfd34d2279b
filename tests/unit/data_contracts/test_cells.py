"""How ODE-1 text cells are read (spec section 2): timestamps, dates, booleans, NHS numbers.

Cells are read through ``typed_frame`` on a small probe entity, so these tests hold whichever
internal route (fast exact parse or full ISO 8601 reading) a value takes.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import polars as pl
import pytest

from data_contracts.ode1 import Column, ColumnKind, Entity
from data_contracts.ode1.cells import is_valid_nhs_number
from data_contracts.ode1.contracts import typed_frame

PROBE = Entity(
    name="probe",
    versioned=False,
    key=("at",),
    columns=(
        Column("at", ColumnKind.TIMESTAMP),
        Column("on", ColumnKind.DATE),
        Column("flag", ColumnKind.BOOLEAN),
        Column("nhs_number", ColumnKind.NHS_NUMBER),
    ),
)


def _utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)  # type: ignore[misc]


def _read(column: str, values: list[str | None]) -> pl.DataFrame:
    """The typed frame of a probe file holding ``values`` in ``column`` (other columns empty)."""
    return typed_frame(pl.DataFrame({column: values}, schema={column: pl.String}), PROBE)


def _timestamp(text: str) -> tuple[datetime | None, bool, bool]:
    """(UTC instant, in the spring gap, in the autumn overlap) of one timestamp text."""
    row = _read("at", [text]).row(0, named=True)
    return row["at"], row["at__gap"], row["at__ambiguous"]


# Europe/London wall-clock time at the clock changes of 2025


@pytest.mark.parametrize(
    ("text", "instant"),
    [
        ("2025-03-30T00:59:00", _utc(2025, 3, 30, 0, 59)),  # GMT, just before the gap
        ("2025-03-30T02:00:00", _utc(2025, 3, 30, 1, 0)),  # BST, first moment after the gap
        ("2025-03-30T02:30", _utc(2025, 3, 30, 1, 30)),
    ],
)
def test_times_either_side_of_the_spring_gap_are_read(text: str, instant: datetime) -> None:
    assert _timestamp(text) == (instant, False, False)


@pytest.mark.parametrize(
    "text",
    ["2025-03-30T01:00:00", "2025-03-30T01:30", "2025-03-30 01:59:59", "2025-03-30T01:59:59.999"],
)
def test_wall_clock_time_inside_the_spring_gap_is_null_and_flagged(text: str) -> None:
    # Given a London wall-clock time between 01:00 and 02:00 on 30 March 2025 (does not exist)
    # When it is read
    instant, gap, ambiguous = _timestamp(text)

    # Then there is no value, and the gap flag says why
    assert instant is None
    assert gap is True
    assert ambiguous is False


@pytest.mark.parametrize(
    ("text", "instant"),
    [
        ("2025-10-26T01:00:00", _utc(2025, 10, 26, 0, 0)),
        ("2025-10-26T01:30", _utc(2025, 10, 26, 0, 30)),
        ("2025-10-26 01:59:59", _utc(2025, 10, 26, 0, 59, 59)),
    ],
)
def test_wall_clock_time_in_the_autumn_overlap_is_the_first_occurrence_and_flagged(
    text: str, instant: datetime
) -> None:
    # Given a London wall-clock time between 01:00 and 02:00 on 26 October 2025 (occurs twice)
    # When it is read
    value, gap, ambiguous = _timestamp(text)

    # Then it is the first occurrence (BST, so 00:xx UTC), flagged as ambiguous
    assert value == instant
    assert ambiguous is True
    assert gap is False


@pytest.mark.parametrize(
    ("text", "instant"),
    [
        ("2025-10-26T00:59:00", _utc(2025, 10, 25, 23, 59)),  # still BST, once only
        ("2025-10-26T02:00:00", _utc(2025, 10, 26, 2, 0)),  # GMT again, once only
    ],
)
def test_times_either_side_of_the_autumn_overlap_are_not_ambiguous(
    text: str, instant: datetime
) -> None:
    assert _timestamp(text) == (instant, False, False)


def test_times_in_the_clock_change_hours_with_an_offset_are_exact() -> None:
    # Given the gap and overlap hours written with explicit offsets
    # Then they are exact instants, neither in a gap nor ambiguous
    assert _timestamp("2025-03-30T01:30:00Z") == (_utc(2025, 3, 30, 1, 30), False, False)
    assert _timestamp("2025-10-26T01:30:00+00:00") == (_utc(2025, 10, 26, 1, 30), False, False)
    assert _timestamp("2025-10-26T01:30:00+01:00") == (_utc(2025, 10, 26, 0, 30), False, False)


def test_winter_and_summer_wall_clock_times_use_gmt_and_bst() -> None:
    assert _timestamp("2025-01-15T09:00:00")[0] == _utc(2025, 1, 15, 9, 0)
    assert _timestamp("2025-07-15T09:00:00")[0] == _utc(2025, 7, 15, 8, 0)


# Offsets, fractions and separators


@pytest.mark.parametrize(
    ("text", "instant"),
    [
        ("2025-06-01T10:00:00Z", _utc(2025, 6, 1, 10, 0)),
        ("2025-06-01T10:00:00z", _utc(2025, 6, 1, 10, 0)),
        ("2025-06-01T10:00:00+01:00", _utc(2025, 6, 1, 9, 0)),
        ("2025-06-01T10:00:00+0100", _utc(2025, 6, 1, 9, 0)),
        ("2025-06-01T10:00:00-05:00", _utc(2025, 6, 1, 15, 0)),
        ("2025-06-01T10:00:00+05:30", _utc(2025, 6, 1, 4, 30)),
        ("2025-01-15T10:00Z", _utc(2025, 1, 15, 10, 0)),
    ],
)
def test_offsets_give_the_exact_instant(text: str, instant: datetime) -> None:
    assert _timestamp(text) == (instant, False, False)


@pytest.mark.parametrize(
    ("text", "instant"),
    [
        ("2025-06-01T10:00:00.5Z", _utc(2025, 6, 1, 10, 0, 0, 500_000)),
        ("2025-06-01T10:00:00.123456Z", _utc(2025, 6, 1, 10, 0, 0, 123_456)),
        ("2025-06-01T10:00:00.123456789Z", _utc(2025, 6, 1, 10, 0, 0, 123_456)),
        ("2025-06-01T10:00:00,25", _utc(2025, 6, 1, 9, 0, 0, 250_000)),
        ("2025-01-15T10:00:00.001", _utc(2025, 1, 15, 10, 0, 0, 1_000)),
    ],
)
def test_fractional_seconds_are_kept_to_the_microsecond(text: str, instant: datetime) -> None:
    assert _timestamp(text)[0] == instant


@pytest.mark.parametrize(
    "text",
    [
        "2025-06-01T10:00:00",
        "2025-06-01T10:00",
        "2025-06-01T10:00:00Z",
        "2025-06-01T10:00:00+01:00",
        "2025-06-01T10:00:00.25-05:00",
        "2025-06-01T10:00:00+19:00",
    ],
)
def test_t_and_space_separators_read_the_same(text: str) -> None:
    # Given the same timestamp written with T and with a space between date and time
    # When both are read
    with_t, with_space = _read("at", [text, text.replace("T", " ")]).get_column("at").to_list()

    # Then they give the same value (or both none)
    assert with_t == with_space


def test_surrounding_spaces_are_ignored() -> None:
    assert _timestamp(" 2025-06-01T10:00:00Z ")[0] == _utc(2025, 6, 1, 10, 0)


@pytest.mark.parametrize(
    "text",
    [
        "03/04/2025 10:00",
        "2025-13-01T00:00",
        "2025-02-30T10:00",
        "2025-06-01T25:00",
        "2025-06-01T10:61",
        "2025-06-01",
        "2025-06-01T10",
        "2025-1-1T10:00:00",
        "+2025-06-01T10:00:00",
        "2025-06-01T10:00:00+99:00",
        "1 June 2025 10:00",
        "yesterday",
    ],
)
def test_invalid_timestamp_forms_are_null_and_not_a_gap(text: str) -> None:
    assert _timestamp(text) == (None, False, False)


def test_empty_timestamp_is_null_without_flags() -> None:
    assert _timestamp(None) == (None, False, False)  # type: ignore[arg-type]


# Dates


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("2025-06-01", date(2025, 6, 1)),
        ("2024-02-29", date(2024, 2, 29)),
        (" 2025-06-01 ", date(2025, 6, 1)),
        ("2025-02-30", None),
        ("2025-02-29", None),
        ("03/04/2025", None),
        ("2025/06/01", None),
        ("2025-6-1", None),
        ("20250601", None),
        ("2025-06-01T00:00", None),
        ("01-06-2025", None),
        (None, None),
    ],
)
def test_dates_are_read_only_from_yyyy_mm_dd(text: str | None, value: date | None) -> None:
    assert _read("on", [text]).get_column("on").to_list() == [value]


# Booleans


@pytest.mark.parametrize(
    ("text", "value"),
    [
        *[(word, True) for word in ("true", "TRUE", "True", "1", "y", "Y", "yes", "YES", " Yes ")],
        *[(word, False) for word in ("false", "FALSE", "False", "0", "n", "N", "no", "No", "no ")],
        *[(word, None) for word in ("t", "f", "2", "on", "off", "ja", "-1", "yes please")],
        (None, None),
    ],
)
def test_booleans_accept_every_spelling_in_any_case(text: str | None, value: bool | None) -> None:
    assert _read("flag", [text]).get_column("flag").to_list() == [value]


# NHS numbers (Modulus 11)

VALID_NHS_NUMBERS = [
    "9434765919",  # NHS Digital's published test number
    "943 476 5919",
    " 943 476 5919 ",
    "4010232137",
    "9434765080",  # weighted sum of 943476508 is a multiple of 11: check digit 11 counts as 0
]
INVALID_NHS_NUMBERS = [
    "9434765918",  # wrong check digit
    "9434765910",
    "1234567890",  # weighted sum of 123456789 is 210 = 1 (mod 11): check digit would be 10
    "1234567891",
    "0000000060",  # weighted sum 12 = 1 (mod 11): check digit 10, never valid
    "943476591",  # nine digits
    "94347659190",  # eleven digits
    "94347659AB",
    "943-476-5919",
    "",
]


@pytest.mark.parametrize("text", VALID_NHS_NUMBERS)
def test_valid_nhs_numbers_pass_modulus_11(text: str) -> None:
    # Given a number whose check digit is right
    # When it is read
    digits = _read("nhs_number", [text]).get_column("nhs_number").to_list()

    # Then the ten digits are kept, spaces removed
    assert digits == [text.replace(" ", "")]
    assert is_valid_nhs_number(text)


@pytest.mark.parametrize("text", INVALID_NHS_NUMBERS)
def test_invalid_nhs_numbers_are_null(text: str) -> None:
    assert _read("nhs_number", [text]).get_column("nhs_number").to_list() == [None]
    assert not is_valid_nhs_number(text)


def test_many_rows_are_read_independently() -> None:
    # Given several kinds of timestamp in one column (as in a real file)
    texts = [
        "2025-06-01T10:00:00Z",
        "2025-03-30T01:30",
        "2025-10-26T01:30",
        "03/04/2025 10:00",
        "2025-06-01 10:00:00.5",
        None,
    ]

    # When the column is read
    frame = _read("at", texts)

    # Then each row gets its own value and flags
    assert frame.get_column("at").to_list() == [
        _utc(2025, 6, 1, 10, 0),
        None,
        _utc(2025, 10, 26, 0, 30),
        None,
        _utc(2025, 6, 1, 9, 0, 0, 500_000),
        None,
    ]
    assert frame.get_column("at__gap").to_list() == [False, True, False, False, False, False]
    assert frame.get_column("at__ambiguous").to_list() == [
        False,
        False,
        True,
        False,
        False,
        False,
    ]
