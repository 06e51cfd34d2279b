"""Why a series gets no before/after estimate (models.impact statuses and input errors)."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from models.impact import ImpactEstimate, ImpactInputError, ImpactStatus, estimate_impact


def series(events: list[int], *, exposure: list[float | None] | None = None) -> pl.DataFrame:
    """Monthly counts from January 2023 on 1,000 bed days a month unless ``exposure`` is given."""
    count = len(events)
    return pl.DataFrame(
        {
            "month": [date(2023 + i // 12, i % 12 + 1, 1) for i in range(count)],
            "events": events,
            "exposure": exposure if exposure is not None else [1_000.0] * count,
        },
        schema={"month": pl.Date, "events": pl.Int64, "exposure": pl.Float64},
    )


STEADY = [5, 7, 6, 4, 6, 5, 8, 5, 6, 7, 4, 6, 5, 3, 4, 5, 4, 6, 3, 4, 5, 4, 3, 5]
"""24 months of counts with events on both sides of any go-live."""


@pytest.mark.parametrize(
    ("go_live", "status", "before", "after"),
    [
        (None, ImpactStatus.NO_GO_LIVE, 0, 0),
        (date(2023, 6, 1), ImpactStatus.TOO_FEW_MONTHS_BEFORE, 5, 19),
        (date(2023, 6, 10), ImpactStatus.TOO_FEW_MONTHS_BEFORE, 5, 18),  # June is transition
        (date(2023, 7, 1), ImpactStatus.ESTIMATED, 6, 18),
        (date(2024, 7, 1), ImpactStatus.ESTIMATED, 18, 6),
        (date(2024, 7, 2), ImpactStatus.TOO_FEW_MONTHS_AFTER, 18, 5),
        (date(2022, 3, 4), ImpactStatus.TOO_FEW_MONTHS_BEFORE, 0, 24),
        (date(2025, 3, 4), ImpactStatus.TOO_FEW_MONTHS_AFTER, 24, 0),
    ],
)
def test_needs_six_months_either_side_of_go_live(
    go_live: date | None, status: ImpactStatus, before: int, after: int
) -> None:
    # Given 24 months from January 2023

    # When
    estimate = estimate_impact(series(STEADY), go_live=go_live)

    # Then
    assert estimate.status is status
    assert (estimate.months_before, estimate.months_after) == (before, after)


def test_a_status_row_carries_no_estimate() -> None:
    estimate = estimate_impact(series(STEADY), go_live=date(2023, 6, 1))

    assert estimate == ImpactEstimate(
        status=ImpactStatus.TOO_FEW_MONTHS_BEFORE, months_before=5, months_after=19
    )


def test_months_without_exposure_are_not_counted() -> None:
    # Given 12 months before go-live of which 7 have no bed days (null or 0)
    exposure: list[float | None] = [None, 0.0, None, 0.0, None, 0.0, None] + [1_000.0] * 17

    # When
    estimate = estimate_impact(series(STEADY, exposure=exposure), go_live=date(2024, 1, 1))

    # Then
    assert estimate.status is ImpactStatus.TOO_FEW_MONTHS_BEFORE
    assert estimate.months_before == 5


def test_no_exposure_at_all_is_no_exposure() -> None:
    # Given a home-care location: no bed days in any month
    estimate = estimate_impact(series(STEADY, exposure=[None] * 24), go_live=date(2024, 1, 1))

    assert estimate.status is ImpactStatus.NO_EXPOSURE


@pytest.mark.parametrize(
    "events",
    [[0] * 24, [0] * 12 + [3] * 12, [3] * 12 + [0] * 12],
    ids=["none", "none_before", "none_after"],
)
def test_no_events_on_one_side_is_no_events(events: list[int]) -> None:
    # Given a rate ratio of 0 or infinity, which no model can put an interval on

    # When
    estimate = estimate_impact(series(events), go_live=date(2024, 1, 1))

    # Then
    assert estimate.status is ImpactStatus.NO_EVENTS
    assert estimate.level_change is None


def test_a_fit_without_finite_intervals_did_not_converge() -> None:
    # Given one event, in the last month before go-live: the trend before it is unbounded
    events = [0] * 11 + [1] + [0] * 11 + [1]

    # When
    estimate = estimate_impact(series(events), go_live=date(2024, 1, 1))

    # Then
    assert estimate.status is ImpactStatus.DID_NOT_CONVERGE
    assert estimate.level_change is None


def test_null_counts_are_zero() -> None:
    # Given a month with a null count
    frame = series(STEADY).with_columns(
        events=pl.when(pl.int_range(pl.len()) == 3).then(None).otherwise(pl.col("events"))
    )

    # When
    estimate = estimate_impact(frame, go_live=date(2024, 1, 1))

    # Then
    assert estimate.status is ImpactStatus.ESTIMATED


def test_a_missing_column_is_refused() -> None:
    with pytest.raises(ImpactInputError, match="exposure"):
        estimate_impact(series(STEADY).drop("exposure"), go_live=date(2024, 1, 1))


def test_a_month_twice_is_refused() -> None:
    frame = pl.concat([series(STEADY), series(STEADY).head(1)])

    with pytest.raises(ImpactInputError, match="more than one row"):
        estimate_impact(frame, go_live=date(2024, 1, 1))
