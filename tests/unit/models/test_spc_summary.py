"""Variation and assurance icons for the latest point (models.spc.summarise)."""

from __future__ import annotations

import pytest

from models.spc import SpcInputError, SpcSummary, summarise, xmr

# Mean 133, mean MR 50: limits exactly 0 and 266 (worked in test_spc_rules.py).
STABLE = [0, 116, 154, 116, 154, 116, 154, 116, 154, 116, 154, 246]
# Limits -12.85 and 40.35; the last point, 60, is beyond the upper limit.
HIGH_JUMP = [5, 15, 5, 15, 5, 15, 5, 15, 5, 15, 5, 60]
# Limits -20.35 and 32.85; the last point, -40, is beyond the lower limit.
LOW_JUMP = [15, 5, 15, 5, 15, 5, 15, 5, 15, 5, 15, -40]


class TestVariation:
    @pytest.mark.parametrize(
        ("values", "improvement", "variation"),
        [
            (STABLE, "increase", "common_cause"),
            (HIGH_JUMP, "increase", "special_cause_improvement_high"),
            (HIGH_JUMP, "decrease", "special_cause_concern_high"),
            (LOW_JUMP, "increase", "special_cause_concern_low"),
            (LOW_JUMP, "decrease", "special_cause_improvement_low"),
            (HIGH_JUMP, "neutral", "special_cause_neutral_high"),
            (LOW_JUMP, "neutral", "special_cause_neutral_low"),
        ],
    )
    def test_names_the_latest_points_variation(
        self, values: list[float], improvement: str, variation: str
    ) -> None:
        frame = xmr(values, improvement=improvement)  # type: ignore[arg-type]

        summary = summarise(frame, improvement=improvement)  # type: ignore[arg-type]

        assert summary.variation == variation

    def test_the_latest_point_is_the_last_one_with_a_value(self) -> None:
        # Given a gap after the jump to 60
        frame = xmr([*HIGH_JUMP, None], improvement="increase")

        summary = summarise(frame, improvement="increase")

        assert summary.variation == "special_cause_improvement_high"
        assert summary.value == 60.0

    def test_carries_the_latest_limits(self) -> None:
        summary = summarise(xmr(STABLE, improvement="increase"), improvement="increase")

        assert summary == SpcSummary(
            variation="common_cause",
            assurance=None,
            value=246.0,
            mean=133.0,
            lpl=0.0,
            upl=266.0,
            is_trial_limits=False,
        )

    def test_an_empty_series_has_no_icons(self) -> None:
        summary = summarise(xmr([], improvement="decrease"), improvement="decrease", target=2.0)

        assert (summary.variation, summary.assurance, summary.value) == (None, None, None)

    def test_refuses_a_direction_the_frame_was_not_computed_with(self) -> None:
        frame = xmr(HIGH_JUMP, improvement="increase")

        with pytest.raises(SpcInputError, match="does not fit"):
            summarise(frame, improvement="neutral")

    def test_refuses_a_frame_without_the_xmr_columns(self) -> None:
        frame = xmr(STABLE, improvement="increase").drop("upl")

        with pytest.raises(SpcInputError, match="upl"):
            summarise(frame, improvement="increase")


class TestAssurance:
    @pytest.mark.parametrize(
        ("improvement", "target", "assurance"),
        [
            # Lower is better: passing when even the upper limit meets the target
            ("decrease", 300.0, "consistently_passing"),
            ("decrease", 266.0, "consistently_passing"),  # on the limit: met at the limit
            ("decrease", 265.9, "hit_and_miss"),
            ("decrease", 133.0, "hit_and_miss"),
            ("decrease", 0.0, "hit_and_miss"),  # the lower limit itself meets the target
            ("decrease", -0.1, "consistently_failing"),
            # Higher is better: the mirror image
            ("increase", -5.0, "consistently_passing"),
            ("increase", 0.0, "consistently_passing"),
            ("increase", 0.1, "hit_and_miss"),
            ("increase", 266.0, "hit_and_miss"),
            ("increase", 266.1, "consistently_failing"),
        ],
    )
    def test_judges_the_target_against_the_limits(
        self, improvement: str, target: float, assurance: str
    ) -> None:
        # Given limits exactly 0 and 266
        frame = xmr(STABLE, improvement=improvement)  # type: ignore[arg-type]

        summary = summarise(frame, improvement=improvement, target=target)  # type: ignore[arg-type]

        assert summary.assurance == assurance

    def test_no_target_no_assurance(self) -> None:
        frame = xmr(STABLE, improvement="decrease")

        assert summarise(frame, improvement="decrease").assurance is None

    def test_a_neutral_measure_has_no_assurance(self) -> None:
        frame = xmr(STABLE, improvement="neutral")

        assert summarise(frame, improvement="neutral", target=300.0).assurance is None

    def test_a_single_point_has_no_limits_to_judge_against(self) -> None:
        frame = xmr([5.0], improvement="decrease")

        summary = summarise(frame, improvement="decrease", target=10.0)

        assert (summary.variation, summary.assurance) == ("common_cause", None)

    def test_uses_the_latest_segments_limits(self) -> None:
        # Given 9/11 then 4/6 rebased at 12: the latest limits are -0.32 and 10.32
        frame = xmr([9, 11] * 6 + [4, 6] * 6, improvement="decrease", rebase_at=[12])

        summary = summarise(frame, improvement="decrease", target=12.0)

        # Then a target of 12 is above the latest upper limit (it was inside the first)
        assert summary.assurance == "consistently_passing"
        assert summary.upl == pytest.approx(10.32)
