"""XmR limits and the four special-cause rules on hand-worked series (models.spc.xmr).

Every expected number below was worked by hand from the definitions in docs/spc.md:
mean, moving ranges (MR), mean MR (after screening MRs >= 3.267 x mean MR), limits
mean +/- 2.66 x mean MR and the close-to-limit band from mean +/- (2 x 2.66 / 3) x mean MR.
"""

from __future__ import annotations

import math

import polars as pl
import pytest

from models.spc import SCHEMA, SpcInputError, xmr

C = "common_cause"
IMPROVEMENT = "special_cause_improvement"
CONCERN = "special_cause_concern"

# Alternating 5/15 then a jump to 60. Sum 165 over 12 points: mean 13.75. MRs: ten of 10 and
# |60 - 5| = 55, mean 155/11 = 14.0909; 55 >= 3.267 x 14.0909 = 46.03 so it is screened and
# the mean MR is 10: limits 13.75 -/+ 26.6 = -12.85 and 40.35. Sides alternate (15 > 13.75),
# the band starts at 13.75 + 17.7333 = 31.48 and only 60 passes it (beyond, so not "close").
HIGH_JUMP = [5, 15, 5, 15, 5, 15, 5, 15, 5, 15, 5, 60]
# The mirror image (20 - x): mean 6.25, limits -20.35 and 32.85; -40 is beyond the lower.
LOW_JUMP = [15, 5, 15, 5, 15, 5, 15, 5, 15, 5, 15, -40]

# Sum 1596 over 12 points: mean 133. MRs 116, nine of 38 and 92: sum 550, mean 50 (none
# screened: the largest, 116, is below 163.35). Limits 133 -/+ 133: exactly 0 and 266.
ON_LOWER_LIMIT = [0, 116, 154, 116, 154, 116, 154, 116, 154, 116, 154, 246]
ON_UPPER_LIMIT = [266, 150, 112, 150, 112, 150, 112, 150, 112, 150, 112, 20]


def _rules(frame: pl.DataFrame) -> list[str | None]:
    return frame["rule"].to_list()


def _types(frame: pl.DataFrame) -> list[str | None]:
    return frame["point_type"].to_list()


class TestLimits:
    def test_limits_are_the_mean_plus_and_minus_2_66_mean_moving_ranges(self) -> None:
        # Given 5, 15, 5, 15, 5: mean 45 / 5 = 9, four moving ranges of 10
        values = [5, 15, 5, 15, 5]

        # When
        frame = xmr(values, improvement="increase")

        # Then 9 -/+ 26.6, the same on every row
        assert frame["mean"].to_list() == pytest.approx([9.0] * 5)
        assert frame["lpl"].to_list() == pytest.approx([-17.6] * 5)
        assert frame["upl"].to_list() == pytest.approx([35.6] * 5)
        assert _types(frame) == [C] * 5

    def test_screening_leaves_out_large_moving_ranges(self) -> None:
        frame = xmr(HIGH_JUMP, improvement="increase")

        assert frame.row(0, named=True)["lpl"] == pytest.approx(-12.85)
        assert frame.row(0, named=True)["upl"] == pytest.approx(40.35)

    def test_without_screening_every_moving_range_counts(self) -> None:
        # Given the same series; the mean MR is now 155 / 11 = 14.090909
        frame = xmr(HIGH_JUMP, improvement="increase", screen_outliers=False)

        # Then 13.75 -/+ 2.66 x 14.090909 = 37.481818
        assert frame.row(0, named=True)["lpl"] == pytest.approx(-23.731818, abs=1e-6)
        assert frame.row(0, named=True)["upl"] == pytest.approx(51.231818, abs=1e-6)
        assert _rules(frame) == [None] * 11 + ["beyond_limit"]

    def test_close_to_limit_band_starts_two_thirds_of_the_way_to_the_limit(self) -> None:
        # Given mean 6 and mean MR 2 (22 / 11): band edges 6 -/+ 3.546667, limits 0.68, 11.32
        values = [5, 3, 5, 5, 10, 8, 10, 7, 7, 4, 5, 3]

        frame = xmr(values, improvement="increase")

        # Then only the two 10s (> 9.546667) are close to the upper limit; 3 > 2.453333
        assert frame["near_upper"].to_list() == [False] * 4 + [True, False, True] + [False] * 5
        assert frame["near_lower"].to_list() == [False] * 12

    def test_all_equal_values_put_both_limits_on_the_mean(self) -> None:
        # Given every moving range 0: nothing to screen, mean MR 0
        frame = xmr([3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3], improvement="decrease")

        # Then limits on the mean; no point is beyond them, on either side of or along a run
        assert frame["lpl"].to_list() == [3.0] * 12
        assert frame["upl"].to_list() == [3.0] * 12
        assert _types(frame) == [C] * 12
        assert frame["near_lower"].to_list() == [False] * 12
        assert frame["near_upper"].to_list() == [False] * 12


class TestBeyondLimit:
    def test_a_point_above_the_upper_limit_improves_when_increase_is_better(self) -> None:
        frame = xmr(HIGH_JUMP, improvement="increase")

        assert _rules(frame) == [None] * 11 + ["beyond_limit"]
        assert _types(frame) == [C] * 11 + [IMPROVEMENT]

    def test_a_point_above_the_upper_limit_concerns_when_decrease_is_better(self) -> None:
        frame = xmr(HIGH_JUMP, improvement="decrease")

        assert _types(frame) == [C] * 11 + [CONCERN]

    def test_a_point_below_the_lower_limit(self) -> None:
        # Given limits -20.35 and 32.85 (mean 6.25, mean MR 10)
        frame = xmr(LOW_JUMP, improvement="increase")

        assert frame.row(0, named=True)["lpl"] == pytest.approx(-20.35)
        assert _rules(frame) == [None] * 11 + ["beyond_limit"]
        assert _types(frame) == [C] * 11 + [CONCERN]
        assert _types(xmr(LOW_JUMP, improvement="decrease"))[-1] == IMPROVEMENT

    def test_a_point_exactly_on_the_lower_limit_is_within_it(self) -> None:
        # Given limits exactly 0 and 266 and a first value of 0
        frame = xmr(ON_LOWER_LIMIT, improvement="increase")

        # Then 0 is common cause, though in the close-to-limit band (0 <= 0 < 44.333)
        assert frame.row(0, named=True)["lpl"] == 0.0
        assert frame.row(0, named=True)["point_type"] == C
        assert frame.row(0, named=True)["near_lower"] is True
        assert _rules(frame) == [None] * 12

    def test_a_point_exactly_on_the_upper_limit_is_within_it(self) -> None:
        frame = xmr(ON_UPPER_LIMIT, improvement="increase")

        assert frame.row(0, named=True)["upl"] == 266.0
        assert frame.row(0, named=True)["point_type"] == C
        assert frame.row(0, named=True)["near_upper"] is True

    def test_a_point_just_past_the_lower_limit_is_beyond_it(self) -> None:
        # Given -1 instead of 0: mean 1595 / 12 = 132.916667, mean MR 551 / 11 = 50.090909,
        # lower limit 132.916667 - 133.241818 = -0.325152
        values = [-1, *ON_LOWER_LIMIT[1:]]

        frame = xmr(values, improvement="increase")

        assert frame.row(0, named=True)["lpl"] == pytest.approx(-0.325152, abs=1e-6)
        assert frame.row(0, named=True)["rule"] == "beyond_limit"
        assert frame.row(0, named=True)["point_type"] == CONCERN


class TestTrend:
    # Mean 47 / 12 = 3.916667, MRs 3,1,1,0,1,1,1,1,3,2,4 (mean 18 / 11), limits -0.436 and
    # 8.269. From index 1 the values rise 1, 2, 3, 3, 4, 5, 6, 7: six strict rises with one
    # equal pair, which neither breaks nor counts, so seven counted points: a trend.
    RISING_WITH_A_TIE = [4, 1, 2, 3, 3, 4, 5, 6, 7, 4, 2, 6]
    # The same shape one rise shorter: 1, 2, 3, 3, 4, 5, 6 is five rises, six counted points.
    # Mean 3.5, mean MR 17 / 11, limits -0.611 and 7.611; no point is close to a limit.
    SIX_RISING_WITH_A_TIE = [4, 1, 2, 3, 3, 4, 5, 6, 3, 4, 2, 5]

    def test_equal_neighbours_neither_break_nor_extend_a_trend(self) -> None:
        frame = xmr(self.RISING_WITH_A_TIE, improvement="increase")

        assert _rules(frame) == [None] + ["trend"] * 8 + [None] * 3

    def test_a_rising_trend_is_typed_by_its_direction_not_its_side(self) -> None:
        # Given the trend starts at 1, below the mean (and close to the lower limit)
        frame = xmr(self.RISING_WITH_A_TIE, improvement="increase")

        # Then every point of the rise is an improvement, the low first one included
        assert _types(frame)[1:9] == [IMPROVEMENT] * 8
        assert _types(xmr(self.RISING_WITH_A_TIE, improvement="decrease"))[1:9] == [CONCERN] * 8

    def test_six_counted_points_are_no_trend_with_run_length_7(self) -> None:
        frame = xmr(self.SIX_RISING_WITH_A_TIE, improvement="increase")

        assert _rules(frame) == [None] * 12

    def test_six_counted_points_are_a_trend_with_run_length_6(self) -> None:
        frame = xmr(self.SIX_RISING_WITH_A_TIE, improvement="increase", run_length=6)

        assert _rules(frame) == [None] + ["trend"] * 7 + [None] * 4

    def test_a_falling_trend(self) -> None:
        # Given the rising series mirrored (8 - x): the same limits mirrored, a fall
        values = [8 - value for value in self.RISING_WITH_A_TIE]

        frame = xmr(values, improvement="increase")

        assert _rules(frame) == [None] + ["trend"] * 8 + [None] * 3
        assert _types(frame)[1:9] == [CONCERN] * 8


class TestTwoOfThree:
    def test_two_close_points_of_three_on_one_side_flag_the_close_ones(self) -> None:
        # Given 10, 8, 10 at indices 4-6: all above the mean 6, the 10s close (> 9.546667)
        values = [5, 3, 5, 5, 10, 8, 10, 7, 7, 4, 5, 3]

        frame = xmr(values, improvement="increase")

        # Then the two 10s, not the 8 between them
        assert _rules(frame) == [None] * 4 + ["two_of_three", None, "two_of_three"] + [None] * 5
        assert _types(frame)[4:7] == [IMPROVEMENT, C, IMPROVEMENT]

    def test_close_points_on_opposite_sides_are_common_cause(self) -> None:
        """NHSRplotthedots' own case (test-ptd_spc_standard.R, commit 8aac3239e90c)."""
        # Given 1, -1 alternating (mean 0) and then 5.5 and -5.5, each close to a limit
        values = [1.0, -1.0] * 8
        values[14], values[15] = 5.5, -5.5

        frame = xmr(values, improvement="increase")

        assert _types(frame)[-2:] == [C, C]


class TestShift:
    # Mean 70 / 14 = 5, MRs 4, six of 2, 4, five of 2 (mean 30 / 13), limits -1.138 and
    # 11.138, band from 9.092 and 0.908 (no point in it). Indices 1-7 are above the mean,
    # 8-13 below.
    SEVEN_ABOVE_SIX_BELOW = [3, 7, 9, 7, 9, 7, 9, 7, 3, 1, 3, 1, 3, 1]

    def test_seven_points_on_one_side_are_a_shift(self) -> None:
        frame = xmr(self.SEVEN_ABOVE_SIX_BELOW, improvement="increase")

        assert _rules(frame) == [None] + ["shift"] * 7 + [None] * 6
        assert _types(frame)[1:8] == [IMPROVEMENT] * 7

    def test_six_points_on_one_side_are_a_shift_with_run_length_6(self) -> None:
        frame = xmr(self.SEVEN_ABOVE_SIX_BELOW, improvement="increase", run_length=6)

        assert _rules(frame) == [None] + ["shift"] * 13
        assert _types(frame)[8:] == [CONCERN] * 6

    def test_a_point_exactly_on_the_mean_breaks_a_shift(self) -> None:
        # Given index 4 is 5, the mean (sum still 70: two 1s became 3s), so above the mean
        # there are runs of 3 and 3. MRs sum 22: mean MR 22 / 13, limits 0.498 and 9.502;
        # the 9s and the last 1 are close to a limit but never two in three on one side.
        values = [3, 7, 9, 7, 5, 7, 9, 7, 3, 3, 3, 3, 3, 1]

        frame = xmr(values, improvement="increase")

        assert frame.row(4, named=True)["mean"] == 5.0
        assert _types(frame) == [C] * 14


class TestPrecedence:
    def test_beyond_limit_then_trend_then_two_of_three_then_shift(self) -> None:
        # Given mean 50 / 12 = 4.166667, mean MR 1: limits 1.506667 and 6.826667, band edges
        # 2.393333 and 5.94. Indices 0-6 are below the mean (a shift), 3-11 rise (a trend),
        # the 1s and 7, 8, 9 are beyond the limits, the 2s at 0, 2 and 4 are close.
        values = [2, 1, 2, 1, 2, 3, 4, 5, 6, 7, 8, 9]

        frame = xmr(values, improvement="increase")

        # Then beyond wins over the trend (3), the trend over two-in-three and shift (4-6),
        # two-in-three over the shift (0, 2)
        assert _rules(frame) == [
            "two_of_three",
            "beyond_limit",
            "two_of_three",
            "beyond_limit",
            *["trend"] * 5,
            *["beyond_limit"] * 3,
        ]
        assert _types(frame) == [CONCERN] * 4 + [IMPROVEMENT] * 8


class TestNeutral:
    def test_a_neutral_measure_has_high_and_low_special_causes(self) -> None:
        high = xmr(HIGH_JUMP, improvement="neutral")
        low = xmr(LOW_JUMP, improvement="neutral")

        assert _types(high)[-1] == "special_cause_neutral_high"
        assert _types(low)[-1] == "special_cause_neutral_low"
        assert _types(high)[:-1] == [C] * 11


class TestRebase:
    # Twelve points alternating 9/11, then twelve alternating 4/6
    BEFORE_AND_AFTER = [9, 11] * 6 + [4, 6] * 6

    def test_without_a_rebase_the_change_is_one_long_shift(self) -> None:
        # Given one segment: mean 7.5, MRs twenty-two of 2 and |4 - 11| = 7, mean 51 / 23
        frame = xmr(self.BEFORE_AND_AFTER, improvement="increase")

        assert frame.row(0, named=True)["upl"] == pytest.approx(7.5 + 2.66 * 51 / 23)
        assert _types(frame) == [IMPROVEMENT] * 12 + [CONCERN] * 12

    def test_each_segment_has_its_own_mean_and_limits(self) -> None:
        # Given a rebase at go-live, index 12: means 10 and 5, both mean MRs 2 (the MR of 7
        # across go-live belongs to neither)
        frame = xmr(self.BEFORE_AND_AFTER, improvement="increase", rebase_at=[12])

        assert frame["segment"].to_list() == [0] * 12 + [1] * 12
        assert frame["mean"].to_list() == [10.0] * 12 + [5.0] * 12
        assert frame["lpl"].to_list() == pytest.approx([4.68] * 12 + [-0.32] * 12)
        assert frame["upl"].to_list() == pytest.approx([15.32] * 12 + [10.32] * 12)
        assert _types(frame) == [C] * 24
        assert frame["is_trial_limits"].to_list() == [False] * 24

    def test_a_short_segment_after_go_live_has_trial_limits(self) -> None:
        frame = xmr(self.BEFORE_AND_AFTER, improvement="increase", rebase_at=[18])

        assert frame["is_trial_limits"].to_list() == [False] * 18 + [True] * 6

    def test_a_rebase_at_the_first_index_changes_nothing(self) -> None:
        frame = xmr(self.BEFORE_AND_AFTER, improvement="increase", rebase_at=[0])

        assert frame.equals(xmr(self.BEFORE_AND_AFTER, improvement="increase"))


class TestShortAndEmptySeries:
    def test_fewer_than_12_points_have_trial_limits(self) -> None:
        eleven = xmr([5, 15] * 5 + [5], improvement="increase")
        twelve = xmr([5, 15] * 6, improvement="increase")

        assert eleven["is_trial_limits"].to_list() == [True] * 11
        assert twelve["is_trial_limits"].to_list() == [False] * 12

    def test_a_single_point_has_a_mean_but_no_limits(self) -> None:
        frame = xmr([4.5], improvement="increase")

        assert frame.row(0, named=True) == {
            "index": 0,
            "value": 4.5,
            "mean": 4.5,
            "lpl": None,
            "upl": None,
            "near_lower": False,
            "near_upper": False,
            "point_type": C,
            "rule": None,
            "segment": 0,
            "is_trial_limits": True,
        }

    def test_an_empty_series_gives_an_empty_frame_with_the_schema(self) -> None:
        frame = xmr([], improvement="increase")

        assert frame.is_empty()
        assert frame.schema == pl.Schema(SCHEMA)

    def test_a_polars_series_with_nulls_is_accepted(self) -> None:
        series = pl.Series("falls_per_1000_bed_days", [5, None, 15], dtype=pl.Int64)

        frame = xmr(series, improvement="decrease")

        assert frame["value"].to_list() == [5.0, None, 15.0]
        assert frame["mean"].to_list() == [10.0, 10.0, 10.0]


class TestGaps:
    def test_a_gap_has_a_row_but_no_point_and_no_moving_range_across_it(self) -> None:
        # Given 1, 3, gap, 9, 11: MRs 2 and 2 only (not |9 - 3|), mean 24 / 4 = 6
        frame = xmr([1, 3, None, 9, 11], improvement="increase")

        assert frame["lpl"].to_list() == pytest.approx([0.68] * 5)
        gap = frame.row(2, named=True)
        assert (gap["index"], gap["value"], gap["point_type"], gap["rule"]) == (2, None, None, None)
        assert (gap["near_lower"], gap["near_upper"], gap["mean"]) == (None, None, 6.0)

    def test_nan_is_a_gap_too(self) -> None:
        frame = xmr([1, 3, math.nan, 9, 11], improvement="increase")

        assert frame["value"].to_list() == [1.0, 3.0, None, 9.0, 11.0]

    def test_runs_continue_across_a_gap(self) -> None:
        # Given seven present points above the mean around a gap: 7, 10, 7, 10, _, 7, 10, 7
        # (mean 73 / 13 = 5.615, mean MR 36 / 11, limits -3.09 and 14.32)
        values = [7, 10, 7, 10, None, 7, 10, 7, 1, 4, 1, 4, 1, 4]

        frame = xmr(values, improvement="increase")

        assert _rules(frame) == ["shift"] * 4 + [None] + ["shift"] * 3 + [None] * 6


class TestInputs:
    @pytest.mark.parametrize(
        ("values", "options"),
        [
            ([1, 2], {"improvement": "up"}),
            ([1, 2], {"improvement": "increase", "run_length": 5}),
            ([1, 2], {"improvement": "increase", "rebase_at": [2]}),
            ([1, 2], {"improvement": "increase", "rebase_at": [-1]}),
            ([1, 2], {"improvement": "increase", "target": math.nan}),
            ([1, math.inf], {"improvement": "increase"}),
            ([1, "2"], {"improvement": "increase"}),
            ([1, True], {"improvement": "increase"}),
            (pl.Series(["1", "2"]), {"improvement": "increase"}),
        ],
    )
    def test_refuses_what_no_chart_can_be_drawn_from(
        self, values: list[object], options: dict[str, object]
    ) -> None:
        with pytest.raises(SpcInputError):
            xmr(values, **options)  # type: ignore[arg-type]

    def test_a_target_changes_no_point(self) -> None:
        with_target = xmr(HIGH_JUMP, improvement="increase", target=100.0)

        assert with_target.equals(xmr(HIGH_JUMP, improvement="increase"))
