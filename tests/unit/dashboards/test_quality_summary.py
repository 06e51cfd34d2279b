"""The Quality summary's rows, worked by hand: latest rate, icons, rebasing and ordering."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import polars as pl

from dashboards.components.quality_summary import (
    CONCERN,
    FAILING,
    NO_DATA,
    OTHER,
    go_live_index,
    summary_download,
    summary_rows,
)
from dashboards.measures import MEASURES, QualityMeasure

NOV, DEC, JAN, FEB = date(2025, 11, 1), date(2025, 12, 1), date(2026, 1, 1), date(2026, 2, 1)
RATE_COLUMNS = [spec.rate_column for spec in MEASURES.values()]


def _locations(*rows: tuple[str, str, str, date | None]) -> pl.DataFrame:
    return pl.DataFrame(
        rows,
        schema={
            "location_id": pl.String,
            "location_name": pl.String,
            "service_type": pl.String,
            "dscr_go_live_date": pl.Date,
        },
        orient="row",
    )


def _monthly(location_id: str, months: list[date], **rates: Sequence[float | None]) -> pl.DataFrame:
    """Monthly rows of one location; rate columns not given are null."""
    return pl.DataFrame(
        {
            "location_id": [location_id] * len(months),
            "month": months,
            **{
                column: pl.Series(list(rates.get(column, [None] * len(months))), dtype=pl.Float64)
                for column in RATE_COLUMNS
            },
        }
    )


def _months(count: int) -> list[date]:
    return [date(2025 + (month // 12), month % 12 + 1, 1) for month in range(count)]


def test_go_live_month_starts_a_new_segment() -> None:
    months = [NOV, DEC, JAN, FEB]
    # Then a go-live on 10 January rebases at January (index 2); none before, at the first
    # month or after the series rebases nothing
    assert go_live_index(months, date(2026, 1, 10)) == 2
    assert go_live_index(months, date(2025, 11, 20)) is None
    assert go_live_index(months, date(2024, 5, 1)) is None
    assert go_live_index(months, date(2026, 3, 1)) is None
    assert go_live_index(months, None) is None
    assert go_live_index([], date(2026, 1, 1)) is None


def test_latest_rate_and_assurance_against_limits_rebased_at_go_live() -> None:
    # Given falls per 1,000 bed days 5, 4 | 6, 2.5 with go-live in January: the last segment
    # has mean 4.25, moving range 3.5, limits 4.25 -/+ 2.66 x 3.5 = -5.06 and 13.56
    locations = _locations(("L1", "Alder House", "care_home", date(2026, 1, 10)))
    monthly = _monthly("L1", [NOV, DEC, JAN, FEB], falls_per_1000_bed_days=[5.0, 4.0, 6.0, 2.5])

    # When the summary is worked out with a falls target of 3, and of 20
    within = summary_rows(
        locations=locations, monthly=monthly, targets={("L1", QualityMeasure.FALLS): 3.0}
    )
    above = summary_rows(
        locations=locations, monthly=monthly, targets={("L1", QualityMeasure.FALLS): 20.0}
    )

    # Then the latest rate is February's 2.5, common cause; 3 is within the limits (hit and
    # miss) and 20 is above the upper limit (consistently passing, for a measure that falls)
    falls = within.row(0, named=True)
    assert (falls["measure"], falls["latest_month"], falls["latest_rate"]) == ("falls", FEB, 2.5)
    assert (falls["variation"], falls["assurance"], falls["priority"]) == (
        "common_cause",
        "hit_and_miss",
        OTHER,
    )
    assert falls["months_with_rate"] == 4
    assert falls["href"] == "/falls?location=L1&measure=falls"
    assert above.row(0, named=True)["assurance"] == "consistently_passing"


def test_without_rebasing_the_same_series_shares_one_set_of_limits() -> None:
    # Given the same rates with no go-live: mean 4.375, moving ranges 1, 2, 3.5 (mean 13/6),
    # upper limit 4.375 + 2.66 x 13/6 = 10.14
    locations = _locations(("L1", "Alder House", "care_home", None))
    monthly = _monthly("L1", [NOV, DEC, JAN, FEB], falls_per_1000_bed_days=[5.0, 4.0, 6.0, 2.5])

    # When the target is 10 (below that upper limit) or 10.2 (above it)
    rows = [
        summary_rows(
            locations=locations, monthly=monthly, targets={("L1", QualityMeasure.FALLS): target}
        ).row(0, named=True)["assurance"]
        for target in (10.0, 10.2)
    ]

    # Then only 10.2 is consistently met (with rebasing, 10 and 10.2 would both hit and miss)
    assert rows == ["hit_and_miss", "consistently_passing"]


def test_a_gap_at_the_end_leaves_the_last_month_with_a_rate() -> None:
    # Given medication errors per 1,000 doses 1.0, 0.5, then a month with no doses (no rate)
    locations = _locations(("L1", "Alder House", "care_home", None))
    monthly = _monthly("L1", [NOV, DEC, JAN], medication_errors_per_1000_doses=[1.0, 0.5, None])

    # When the summary is worked out
    rows = summary_rows(locations=locations, monthly=monthly, targets={})
    errors = rows.filter(measure="medication_errors").row(0, named=True)

    # Then the latest rate is December's 0.5
    assert (errors["latest_month"], errors["latest_rate"], errors["months_with_rate"]) == (
        DEC,
        0.5,
        2,
    )


def test_concerns_come_first_then_failing_then_the_rest_then_no_data() -> None:
    # Given Zeta with falls 2.0 for seven months then 20.0 (beyond the upper limit: a
    # concern), Alpha alternating 10 and 11 (limits 7.84 to 13.16) with a target of 5 (below
    # the lower limit: consistently failing), Middle with no special cause, and Home (home care)
    locations = _locations(
        ("L-M", "Middle", "care_home", None),
        ("L-A", "Alpha", "care_home", None),
        ("L-Z", "Zeta", "care_home", None),
        ("L-H", "Home", "home_care", None),
    )
    monthly = pl.concat(
        [
            _monthly("L-Z", _months(8), falls_per_1000_bed_days=[2.0] * 7 + [20.0]),
            _monthly("L-A", _months(6), falls_per_1000_bed_days=[10.0, 11.0] * 3),
            _monthly("L-M", _months(3), falls_per_1000_bed_days=[3.0, 4.0, 3.5]),
            _monthly("L-H", _months(2), medication_errors_per_1000_doses=[1.0, 2.0]),
        ]
    )

    # When the summary is worked out
    rows = summary_rows(
        locations=locations, monthly=monthly, targets={("L-A", QualityMeasure.FALLS): 5.0}
    )

    # Then Zeta's falls lead, then Alpha's, then Home's medication errors and Middle's falls
    # (by name), then every measure with no rate, by location and measure; home care has
    # medication errors only
    assert rows.select("location_name", "measure", "priority").rows() == [
        ("Zeta", "falls", CONCERN),
        ("Alpha", "falls", FAILING),
        ("Home", "medication_errors", OTHER),
        ("Middle", "falls", OTHER),
        ("Alpha", "falls_with_harm", NO_DATA),
        ("Alpha", "medication_errors", NO_DATA),
        ("Alpha", "pressure_ulcers", NO_DATA),
        ("Middle", "falls_with_harm", NO_DATA),
        ("Middle", "medication_errors", NO_DATA),
        ("Middle", "pressure_ulcers", NO_DATA),
        ("Zeta", "falls_with_harm", NO_DATA),
        ("Zeta", "medication_errors", NO_DATA),
        ("Zeta", "pressure_ulcers", NO_DATA),
    ]
    assert rows.row(0, named=True)["variation"] == "special_cause_concern_high"
    assert rows.row(1, named=True)["assurance"] == "consistently_failing"


def test_download_columns_name_the_icons_in_words() -> None:
    # Given one location's falls with a target of 20
    locations = _locations(("L1", "Alder House", "care_home", date(2026, 1, 10)))
    monthly = _monthly("L1", [NOV, DEC, JAN, FEB], falls_per_1000_bed_days=[5.0, 4.0, 6.0, 2.5])
    rows = summary_rows(
        locations=locations, monthly=monthly, targets={("L1", QualityMeasure.FALLS): 20.0}
    )

    # When the download frame is made
    download = summary_download(rows)

    # Then the icons are their meanings and no layout columns remain
    assert download.columns == [
        "location_id",
        "location_name",
        "measure",
        "unit",
        "latest_month",
        "latest_rate",
        "target_rate",
        "variation",
        "assurance",
    ]
    assert download.row(0) == (
        "L1",
        "Alder House",
        "Falls",
        "per 1,000 occupied bed days",
        FEB,
        2.5,
        20.0,
        "Common cause variation: no significant change",
        "The process will consistently meet the target",
    )
    assert download.filter(measure="Falls with harm")["variation"].to_list() == [None]
