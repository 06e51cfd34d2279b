"""Dates shown in London time, and CSV downloads safe for spreadsheets."""

from __future__ import annotations

from datetime import UTC, datetime

import polars as pl
import pytest

from dashboards.dates import format_instant, london_time
from dashboards.downloads import neutralise_cell, to_safe_csv


class TestFormatInstant:
    @pytest.mark.parametrize(
        ("instant", "expected"),
        [
            (datetime(2026, 11, 22, 2, 0, tzinfo=UTC), "22 Nov 2026 02:00"),
            (datetime(2026, 7, 1, 1, 30, tzinfo=UTC), "1 Jul 2026 02:30"),  # BST
            (datetime(2026, 3, 29, 0, 59, tzinfo=UTC), "29 Mar 2026 00:59"),  # before the change
            (datetime(2026, 3, 29, 1, 0, tzinfo=UTC), "29 Mar 2026 02:00"),  # after it
        ],
    )
    def test_shows_london_wall_clock_time(self, instant: datetime, expected: str) -> None:
        assert format_instant(instant) == expected

    def test_missing_is_blank(self) -> None:
        assert format_instant(None) == ""

    def test_refuses_a_naive_datetime(self) -> None:
        with pytest.raises(ValueError, match="naive"):
            format_instant(datetime(2026, 11, 22, 2, 0))


def test_london_time_expression_matches_format_instant() -> None:
    instants = [datetime(2026, 7, 1, 1, 30, tzinfo=UTC), None]
    frame = pl.DataFrame({"at": instants}, schema={"at": pl.Datetime("us", "UTC")})

    shown = frame.select(london_time("at")).to_series().to_list()

    assert shown == ["1 Jul 2026 02:30", ""]


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("=SUM(A1:A2)", "'=SUM(A1:A2)"),
        ("+44 20", "'+44 20"),
        ("-1+1", "'-1+1"),
        ("@cmd", "'@cmd"),
        ("\tTAB", "'\tTAB"),
        ("\rCR", "'\rCR"),
        ("date_format", "date_format"),
        ("a=b", "a=b"),
        ("", ""),
    ],
)
def test_neutralise_cell(cell: str, expected: str) -> None:
    assert neutralise_cell(cell) == expected


def test_safe_csv_neutralises_text_but_not_numbers() -> None:
    # Given a quarantine row whose reason could run as a formula
    frame = pl.DataFrame(
        {"file_name": ["care_notes.csv"], "line_number": [-3], "reason": ["=HYPERLINK(x)"]}
    )

    # When
    text = to_safe_csv(frame)

    # Then
    assert text.splitlines() == ["file_name,line_number,reason", "care_notes.csv,-3,'=HYPERLINK(x)"]
    assert [neutralise_cell(value) for value in ("=a", "b")] == ["'=a", "b"]
