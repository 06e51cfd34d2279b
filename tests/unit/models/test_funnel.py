"""Funnel plots: exact Poisson limits worked out by hand, positions, pooling and suppression."""

from __future__ import annotations

import math

import pytest

from models.funnel import (
    CURVE_POINTS,
    FunnelInputError,
    FunnelPosition,
    FunnelUnit,
    funnel,
    poisson_limits,
)

PROBABILITIES = (0.001, 0.025, 0.975, 0.999)


def _cdf(count: int, mean: float) -> float:
    """P(Y <= count) for Y ~ Poisson(mean), summed term by term (independent of the model)."""
    return math.fsum(
        math.exp(k * math.log(mean) - mean - math.lgamma(k + 1)) for k in range(count + 1)
    )


class TestPoissonLimits:
    def test_mean_50_matches_the_cumulative_table_by_hand(self) -> None:
        # Given a mean of 50 (10,000 bed days at 5 falls per 1,000): the Poisson table gives
        # P(Y <= 36) = 0.02376 < 0.025 <= P(Y <= 37) = 0.03395 and P(Y = 37) = 0.010196,
        # P(Y <= 63) = 0.96816 < 0.975 <= P(Y <= 64) = 0.97640 and P(Y = 64) = 0.008240
        assert (round(_cdf(36, 50), 5), round(_cdf(37, 50), 5)) == (0.02376, 0.03395)
        assert (round(_cdf(63, 50), 5), round(_cdf(64, 50), 5)) == (0.96816, 0.97640)

        # When the limits are computed
        lower_99_8, lower_95, upper_95, upper_99_8 = poisson_limits(50, probabilities=PROBABILITIES)

        # Then 95%: 37 - (0.033955 - 0.025) / 0.010196 = 36.122 and
        # 64 - (0.976397 - 0.975) / 0.008240 = 63.830; 99.8%: quantiles 30 and 73 give
        # 30 - (0.0015940 - 0.001) / 0.0006772 = 29.123 and
        # 73 - (0.9991136 - 0.999) / 0.0004568 = 72.751
        assert lower_95 == pytest.approx(36.122, abs=5e-4)
        assert upper_95 == pytest.approx(63.830, abs=5e-4)
        assert lower_99_8 == pytest.approx(29.123, abs=5e-4)
        assert upper_99_8 == pytest.approx(72.751, abs=5e-4)

    def test_a_small_mean_has_lower_limits_of_zero(self) -> None:
        # Given a mean of 0.5: P(Y = 0) = e^-0.5 = 0.60653 is above 0.025 already, and
        # P(Y <= 2) = 0.60653 x (1 + 0.5 + 0.125) = 0.98561 >= 0.975 > P(Y <= 1) = 0.90980
        lower_99_8, lower_95, upper_95, _ = poisson_limits(0.5, probabilities=PROBABILITIES)

        # Then the lower limits would be below zero and are zero; the upper 95% limit is
        # 2 - (0.98561 - 0.975) / (0.60653 x 0.125) = 2 - 0.01061 / 0.075816 = 1.8600
        assert (lower_99_8, lower_95) == (0.0, 0.0)
        assert upper_95 == pytest.approx(1.8600, abs=5e-4)

    def test_a_mean_of_zero_has_every_limit_at_zero(self) -> None:
        assert poisson_limits(0.0, probabilities=PROBABILITIES) == (0.0, 0.0, 0.0, 0.0)

    def test_a_large_mean_is_close_to_the_normal_approximation(self) -> None:
        # Given a mean of one million: 1,000,000 +/- 1.95996 x 1,000 for 95%
        _, lower_95, upper_95, _ = poisson_limits(1_000_000, probabilities=PROBABILITIES)

        # Then within a count of the normal limits (the Poisson skew is tiny here)
        assert lower_95 == pytest.approx(998_040, abs=1.5)
        assert upper_95 == pytest.approx(1_001_960, abs=1.5)

    @pytest.mark.parametrize("mean", [-1.0, math.inf, math.nan])
    def test_an_impossible_mean_is_refused(self, mean: float) -> None:
        with pytest.raises(FunnelInputError, match="Poisson mean"):
            poisson_limits(mean, probabilities=PROBABILITIES)

    def test_a_probability_of_one_is_refused(self) -> None:
        with pytest.raises(FunnelInputError, match="probabilities"):
            poisson_limits(5.0, probabilities=(1.0,))


POOLED_EVENTS = 100
POOLED_EXPOSURE = 20_000.0
"""Pooled totals giving 5 events per 1,000: at 10,000 exposure the expected count is 50."""


class TestPositions:
    @pytest.mark.parametrize(
        ("events", "position"),
        [
            (50, FunnelPosition.WITHIN),
            (37, FunnelPosition.WITHIN),  # above the lower 95% limit, 36.122
            (36, FunnelPosition.BELOW_95),
            (29, FunnelPosition.BELOW_99_8),  # below 29.123
            (30, FunnelPosition.BELOW_95),
            (63, FunnelPosition.WITHIN),  # below the upper 95% limit, 63.830
            (64, FunnelPosition.ABOVE_95),
            (72, FunnelPosition.ABOVE_95),  # below the upper 99.8% limit, 72.751
            (73, FunnelPosition.ABOVE_99_8),
        ],
    )
    def test_a_unit_at_10000_is_placed_against_the_limits_for_50(
        self, events: int, position: FunnelPosition
    ) -> None:
        # Given a unit with 10,000 bed days against an average of 5 per 1,000
        result = funnel(
            [FunnelUnit("Unit", events, 10_000.0)],
            pooled_events=POOLED_EVENTS,
            pooled_exposure=POOLED_EXPOSURE,
        )

        # Then its rate is events / 10 per 1,000 and its position follows the hand limits
        assert result.average == pytest.approx(5.0)
        (point,) = result.points
        assert point.rate == pytest.approx(events / 10)
        assert point.position == position

    def test_the_same_rate_is_within_for_a_small_unit_and_beyond_for_a_large_one(self) -> None:
        # Given two units at 7.5 per 1,000 against 5 per 1,000: 15 in 2,000 (expected 10,
        # upper 95% limit 16.16) and 150 in 20,000 (expected 100, upper 99.8% limit 131.8)
        result = funnel(
            [FunnelUnit("Small", 15, 2_000.0), FunnelUnit("Large", 150, 20_000.0)],
            pooled_events=POOLED_EVENTS,
            pooled_exposure=POOLED_EXPOSURE,
        )

        # Then only the large one is flagged
        assert [(point.label, point.position) for point in result.points] == [
            ("Small", "within"),
            ("Large", "above_99_8"),
        ]


class TestPoolingAndSuppression:
    def test_the_average_pools_the_plotted_units(self) -> None:
        # Given 30 falls in 4,000 bed days and 20 in 6,000: 50 in 10,000
        result = funnel([FunnelUnit("A", 30, 4_000.0), FunnelUnit("B", 20, 6_000.0)])

        # Then the average is 5 per 1,000 (not the mean of 7.5 and 3.33)
        assert result.average == pytest.approx(5.0)
        assert [point.rate for point in result.points] == pytest.approx([7.5, 20 / 6])

    def test_suppressed_units_are_listed_not_plotted_and_zero_exposure_is_left_out(
        self,
    ) -> None:
        # Given a suppressed count, a suppressed exposure, a unit with no bed days (home
        # care) and one plotted unit
        result = funnel(
            [
                FunnelUnit("Hidden falls", None, 3_000.0),
                FunnelUnit("Plotted", 40, 5_000.0),
                FunnelUnit("Hidden days", 10, None),
                FunnelUnit("Home care", 0, 0.0),
            ]
        )

        # Then only the plotted unit is a point, the average is its own 8 per 1,000, and both
        # suppressed units are named in the order given
        assert [point.label for point in result.points] == ["Plotted"]
        assert result.average == pytest.approx(8.0)
        assert result.suppressed == ("Hidden falls", "Hidden days")

    def test_pooled_totals_given_by_the_caller_set_the_average(self) -> None:
        # Given one plotted unit at 8 per 1,000 and pooled totals of 60 in 12,000
        result = funnel(
            [FunnelUnit("Plotted", 40, 5_000.0)], pooled_events=60, pooled_exposure=12_000.0
        )

        # Then the average is 5 per 1,000
        assert result.average == pytest.approx(5.0)

    def test_the_unrounded_rate_places_a_rounded_count(self) -> None:
        # Given 8 medication errors in 1,000 doses, published as 10 (rounded to 5) with the
        # rate from the unrounded counts, 0.008 per dose
        result = funnel(
            [FunnelUnit("Rounded", 10, 1_000.0, unrounded_rate=0.008)],
            pooled_events=5,
            pooled_exposure=1_000.0,
        )

        # Then the point is at 8 per 1,000, not 10, and still reports the published 10
        (point,) = result.points
        assert (point.rate, point.events) == (pytest.approx(8.0), 10)

    def test_rates_per_100(self) -> None:
        result = funnel([FunnelUnit("A", 3, 60.0)], per=100.0)

        assert result.average == pytest.approx(5.0)

    def test_no_units_give_no_average_and_no_curves(self) -> None:
        result = funnel([FunnelUnit("Hidden", None, None)])

        assert (result.average, result.points, result.suppressed) == (None, (), ("Hidden",))
        assert result.limits.exposure == ()


class TestCurves:
    def test_the_curves_span_the_units_and_narrow_around_the_average(self) -> None:
        # Given units from 2,000 to 20,000 bed days at an average of 5 per 1,000
        result = funnel(
            [FunnelUnit("Small", 10, 2_000.0), FunnelUnit("Large", 100, 20_000.0)],
        )
        limits = result.limits

        # Then the curves run from 1,000 (half the smallest) to 22,000 (1.1 x the largest)
        assert len(limits.exposure) == CURVE_POINTS
        assert (limits.exposure[0], limits.exposure[-1]) == (
            pytest.approx(1_000.0),
            pytest.approx(22_000.0),
        )
        assert list(limits.exposure) == sorted(limits.exposure)
        # and the limits nest around the average everywhere
        for low_998, low_95, high_95, high_998 in zip(
            limits.lower_99_8, limits.lower_95, limits.upper_95, limits.upper_99_8, strict=True
        ):
            assert low_998 <= low_95 <= 5.0 <= high_95 <= high_998
        # and narrow: the 95% band at 22,000 is less than a third as wide as at 1,000
        first = limits.upper_95[0] - limits.lower_95[0]
        last = limits.upper_95[-1] - limits.lower_95[-1]
        assert last < first / 3


class TestRefusals:
    def test_only_one_pooled_total_is_refused(self) -> None:
        with pytest.raises(FunnelInputError, match="both"):
            funnel([FunnelUnit("A", 3, 60.0)], pooled_events=3)

    def test_a_negative_count_is_refused(self) -> None:
        with pytest.raises(FunnelInputError, match="negative"):
            funnel([FunnelUnit("A", -1, 60.0)])

    def test_per_must_be_positive(self) -> None:
        with pytest.raises(FunnelInputError, match="per"):
            funnel([FunnelUnit("A", 1, 60.0)], per=0)

    def test_a_pooled_exposure_of_zero_is_refused(self) -> None:
        with pytest.raises(FunnelInputError, match="pooled"):
            funnel([FunnelUnit("A", 1, 60.0)], pooled_events=0, pooled_exposure=0.0)
