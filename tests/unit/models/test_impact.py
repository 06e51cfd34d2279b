"""Before/after go-live estimates (models.impact.estimate_impact) on constructed series."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import numpy as np
import polars as pl
import pytest
from polars.testing import assert_frame_equal

from models.impact import CountModel, ImpactStatus, estimate_impact, first_month_after

START = date(2023, 1, 1)


def months(count: int, *, start: date = START) -> list[date]:
    """``count`` consecutive first-of-month dates from ``start``."""
    first = start.year * 12 + start.month - 1
    return [date((first + i) // 12, (first + i) % 12 + 1, 1) for i in range(count)]


def series(events: Sequence[float] | np.ndarray, *, exposure: float = 1_000.0) -> pl.DataFrame:
    """A monthly series from January 2023 with the same exposure every month."""
    return pl.DataFrame(
        {
            "month": months(len(events)),
            "events": [float(e) for e in events],
            "exposure": [exposure] * len(events),
        }
    )


def poisson_series(
    *, seed: int, before: int, after: int, rate: float, ratio: float, exposure: float
) -> pl.DataFrame:
    """Seeded Poisson counts: ``rate`` per unit of exposure, times ``ratio`` after go-live."""
    rng = np.random.default_rng(seed)
    mean = np.array([rate * exposure] * before + [rate * exposure * ratio] * after)
    return series(rng.poisson(mean), exposure=exposure)


class TestNoiseFreeSeries:
    """50 events per 1,000 bed days for 12 months, then 40 for 12 months (go-live 1 Jan 2024)."""

    def test_recovers_the_level_change_exactly(self) -> None:
        # Given
        events = [50] * 12 + [40] * 12

        # When
        estimate = estimate_impact(series(events), go_live=date(2024, 1, 1))

        # Then: 40 / 50 = 0.8, and no change of trend
        assert estimate.status is ImpactStatus.ESTIMATED
        assert estimate.level_change is not None
        assert estimate.slope_change is not None
        assert estimate.level_change.estimate == pytest.approx(0.8, rel=1e-6)
        assert estimate.level_change.lower < 0.8 < estimate.level_change.upper
        assert estimate.slope_change.estimate == pytest.approx(1.0, rel=1e-6)
        assert estimate.months_before == 12
        assert estimate.months_after == 12

    def test_counts_the_events_avoided_against_the_counterfactual(self) -> None:
        # Given
        events = [50] * 12 + [40] * 12

        # When
        estimate = estimate_impact(series(events), go_live=date(2024, 1, 1))

        # Then: 12 months x 50 expected without go-live, 12 x 40 observed, 120 avoided
        assert estimate.observed_since_go_live == 480.0
        assert estimate.expected_since_go_live == pytest.approx(600.0, rel=1e-6)
        assert estimate.avoided is not None
        assert estimate.avoided.estimate == pytest.approx(120.0, rel=1e-6)
        assert estimate.avoided.lower < 120.0 < estimate.avoided.upper

    def test_gives_the_counterfactual_month_by_month(self) -> None:
        # Given
        events = [50] * 12 + [40] * 12

        # When
        estimate = estimate_impact(series(events), go_live=date(2024, 1, 1))

        # Then
        frame = estimate.counterfactual
        assert frame is not None
        assert frame["month"].to_list() == months(24)[12:]
        assert frame["observed"].to_list() == [40.0] * 12
        assert frame["expected"].to_numpy() == pytest.approx([50.0] * 12, rel=1e-6)
        assert (frame["expected_lower"] < frame["expected"]).all()
        assert (frame["expected"] < frame["expected_upper"]).all()

    def test_uses_poisson_when_the_counts_are_not_overdispersed(self) -> None:
        estimate = estimate_impact(series([50] * 12 + [40] * 12), go_live=date(2024, 1, 1))

        assert estimate.model is CountModel.POISSON

    def test_uses_the_exposure_as_an_offset(self) -> None:
        # Given twice the bed days after go-live and the same rate throughout
        frame = pl.DataFrame(
            {
                "month": months(24),
                "events": [50.0] * 12 + [100.0] * 12,
                "exposure": [1_000.0] * 12 + [2_000.0] * 12,
            }
        )

        # When
        estimate = estimate_impact(frame, go_live=date(2024, 1, 1))

        # Then: twice the events is no change in the rate
        assert estimate.level_change is not None
        assert estimate.level_change.estimate == pytest.approx(1.0, rel=1e-6)


class TestSeededPoissonSeries:
    def test_the_interval_covers_a_rate_ratio_of_0_8(self) -> None:
        # Given 36 months, go-live after 18, 8 falls per 1,000 bed days on 5,000 bed days
        frame = poisson_series(
            seed=11, before=18, after=18, rate=0.008, ratio=0.8, exposure=5_000.0
        )

        # When
        estimate = estimate_impact(frame, go_live=date(2024, 7, 1))

        # Then
        assert estimate.level_change is not None
        assert estimate.level_change.lower <= 0.8 <= estimate.level_change.upper
        assert estimate.level_change.upper < 1.0  # and the fall is detected

    def test_the_interval_covers_1_without_an_effect(self) -> None:
        # Given
        frame = poisson_series(seed=5, before=18, after=18, rate=0.008, ratio=1.0, exposure=5_000.0)

        # When
        estimate = estimate_impact(frame, go_live=date(2024, 7, 1))

        # Then
        assert estimate.level_change is not None
        assert estimate.slope_change is not None
        assert estimate.level_change.lower <= 1.0 <= estimate.level_change.upper
        assert estimate.slope_change.lower <= 1.0 <= estimate.slope_change.upper

    def test_intervals_cover_the_truth_in_about_95_percent_of_series(self) -> None:
        # Given 40 seeded series with a rate ratio of 0.8
        covered = 0
        for seed in range(40):
            frame = poisson_series(
                seed=seed, before=18, after=18, rate=0.008, ratio=0.8, exposure=800.0
            )

            # When
            level = estimate_impact(frame, go_live=date(2024, 7, 1), draws=10).level_change

            # Then
            assert level is not None
            covered += level.lower <= 0.8 <= level.upper
        assert covered >= 35  # 95% of 40 is 38; at 95% coverage, P(35 or more) = 0.986

    def test_overdispersed_counts_select_negative_binomial(self) -> None:
        # Given monthly rates varying ±50% (gamma, shape 4) around 30 events a month
        rng = np.random.default_rng(3)
        frame = series(rng.poisson(30 * rng.gamma(4.0, 0.25, 36)))

        # When
        estimate = estimate_impact(frame, go_live=date(2024, 7, 1))

        # Then
        assert estimate.model is CountModel.NEGATIVE_BINOMIAL
        assert estimate.level_change is not None
        assert estimate.level_change.lower <= 1.0 <= estimate.level_change.upper

    def test_negative_binomial_widens_the_interval(self) -> None:
        # Given the same overdispersed series, once with the switch and once forced to Poisson
        rng = np.random.default_rng(3)
        frame = series(rng.poisson(30 * rng.gamma(4.0, 0.25, 36)))

        # When
        chosen = estimate_impact(frame, go_live=date(2024, 7, 1)).level_change
        poisson = estimate_impact(
            frame, go_live=date(2024, 7, 1), overdispersion_threshold=1e9
        ).level_change

        # Then
        assert chosen is not None
        assert poisson is not None
        assert chosen.upper / chosen.lower > poisson.upper / poisson.lower


class TestSeasonalTerm:
    @pytest.mark.parametrize(("total", "seasonal"), [(23, False), (24, True), (36, True)])
    def test_is_fitted_only_from_24_months(self, total: int, seasonal: bool) -> None:
        # Given 12 months before go-live and the rest after
        rng = np.random.default_rng(1)
        frame = series(rng.poisson(20, total))

        # When
        estimate = estimate_impact(frame, go_live=date(2024, 1, 1))

        # Then
        assert estimate.has_seasonal_term is seasonal

    def test_separates_a_winter_peak_from_the_change(self) -> None:
        # Given 20 events a month times a winter peak (cos term, ±30%) and 0.8 after month 18
        peak = 1 + 0.3 * np.cos(2 * np.pi * np.array([m.month for m in months(36)]) / 12)
        events = np.round(20 * peak * np.r_[np.ones(18), np.full(18, 0.8)])

        # When
        estimate = estimate_impact(series(events), go_live=date(2024, 7, 1))

        # Then
        assert estimate.level_change is not None
        assert estimate.level_change.estimate == pytest.approx(0.8, abs=0.03)


class TestGoLiveMonth:
    def test_a_go_live_on_the_first_counts_its_month_as_after(self) -> None:
        assert first_month_after(date(2024, 3, 1)) == date(2024, 3, 1)

    def test_a_go_live_later_in_the_month_starts_after_with_the_next_month(self) -> None:
        assert first_month_after(date(2024, 3, 15)) == date(2024, 4, 1)
        assert first_month_after(date(2024, 12, 2)) == date(2025, 1, 1)

    def test_the_go_live_month_is_left_out_of_the_fit(self) -> None:
        # Given 24 months, go-live on 15 January 2024 and a wild count in that month
        events = [50] * 12 + [500] + [40] * 11

        # When
        estimate = estimate_impact(series(events), go_live=date(2024, 1, 15))

        # Then: 12 months before, 11 after; the transition month changes nothing
        assert estimate.months_before == 12
        assert estimate.months_after == 11
        assert estimate.level_change is not None
        assert estimate.level_change.estimate == pytest.approx(0.8, rel=1e-6)
        assert estimate.counterfactual is not None
        assert estimate.counterfactual["month"][0] == date(2024, 2, 1)


class TestDeterminism:
    def test_the_same_seed_gives_the_same_estimate(self) -> None:
        # Given
        frame = poisson_series(seed=2, before=12, after=12, rate=0.01, ratio=0.9, exposure=900.0)

        # When
        first = estimate_impact(frame, go_live=date(2024, 1, 1), seed=7)
        second = estimate_impact(frame, go_live=date(2024, 1, 1), seed=7)

        # Then
        assert first.avoided == second.avoided
        assert first.counterfactual is not None
        assert second.counterfactual is not None
        assert_frame_equal(first.counterfactual, second.counterfactual)

    def test_the_seed_moves_only_the_simulated_intervals(self) -> None:
        # Given
        frame = poisson_series(seed=2, before=12, after=12, rate=0.01, ratio=0.9, exposure=900.0)

        # When
        first = estimate_impact(frame, go_live=date(2024, 1, 1), seed=7)
        other = estimate_impact(frame, go_live=date(2024, 1, 1), seed=8)

        # Then
        assert first.level_change == other.level_change
        assert first.expected_since_go_live == other.expected_since_go_live
        assert first.avoided is not None
        assert other.avoided is not None
        assert first.avoided.lower != other.avoided.lower
