"""Time released: hand-worked hours and values for documentation and managerial tasks."""

from __future__ import annotations

from decimal import Decimal

import pytest

from models.time_released import (
    NOT_KNOWN,
    TimeReleased,
    documentation_time_released,
    hourly_cost_gbp,
    release_wording,
    task_time_released,
)

CARE_WORKER_COST = Decimal("15.33")
"""£12.00 × (1 + 0.2775) = £15.33 an hour."""
MANAGER_COST = Decimal("23.63375")
"""£18.50 × 1.2775 = £23.63375 an hour."""


def test_hourly_cost_is_pay_plus_on_costs() -> None:
    # When the default pay and on-costs are combined, Then they give the hand-worked costs
    assert (
        hourly_cost_gbp(hourly_pay_gbp=Decimal("12.00"), on_cost_share=Decimal("0.2775"))
        == CARE_WORKER_COST
    )
    assert (
        hourly_cost_gbp(hourly_pay_gbp=Decimal("18.50"), on_cost_share=Decimal("0.2775"))
        == MANAGER_COST
    )


@pytest.mark.parametrize(
    ("baseline", "entry_minutes", "shifts", "p10", "p90", "expected"),
    [
        # 30 on paper, 1,200 minutes over 100 shifts (12 a shift): (30 − 12) × 100 / 60 = 30 h,
        # × £15.33 = £459.90. Low with p90 20: 10 × 100 / 60 = 16.67 h, 1,000 / 60 × 15.33 =
        # £255.50. High with p10 8: 22 × 100 / 60 = 36.67 h, 2,200 / 60 × 15.33 = £562.10.
        (
            "30",
            "1200",
            100,
            "8",
            "20",
            ("30.00", "16.67", "36.67", "459.90", "255.50", "562.10"),
        ),
        # 10 on paper, 15 measured: (1,000 − 1,500) / 60 = −8.33 h (more time than on paper),
        # −500 / 60 × 15.33 = −£127.75; no spread known, so no range
        ("10", "1500", 100, None, None, ("-8.33", None, None, "-127.75", None, None)),
        # A skewed month: mean 12 but the days' p10/p90 are 14/16, so the high end (26.67 h)
        # would sit below the central 30 h: the range is widened to hold it (30 h, £459.90)
        (
            "30",
            "1200",
            100,
            "14",
            "16",
            ("30.00", "23.33", "30.00", "459.90", "357.70", "459.90"),
        ),
        # Home care, per visit: 4 minutes on paper, 620.5 minutes over 310 visits (2.0016...
        # a visit): (1,240 − 620.5) / 60 = 10.325 h → 10.33 (half up), × 15.33 = £158.28
        # (158.28225); p10 1.5 / p90 2.5: 7.75 h / 12.92 h (12.9166...), £118.81 / £198.01
        (
            "4",
            "620.5",
            310,
            "1.5",
            "2.5",
            ("10.33", "7.75", "12.92", "158.28", "118.81", "198.01"),
        ),
    ],
)
def test_documentation_hours_released(
    baseline: str,
    entry_minutes: str,
    shifts: int,
    p10: str | None,
    p90: str | None,
    expected: tuple[str | None, ...],
) -> None:
    # When a month's documentation time released is worked out
    released = documentation_time_released(
        baseline_minutes_per_shift=Decimal(baseline),
        entry_minutes=Decimal(entry_minutes),
        shifts=shifts,
        minutes_per_shift_p10=None if p10 is None else Decimal(p10),
        minutes_per_shift_p90=None if p90 is None else Decimal(p90),
        hourly_cost=CARE_WORKER_COST,
    )

    # Then hours and values are the hand-worked ones
    assert released == TimeReleased(*(None if v is None else Decimal(v) for v in expected))


@pytest.mark.parametrize(
    ("baseline", "entry_minutes", "shifts"),
    [(None, "100", 10), ("30", None, 10), ("30", "0", 0)],
)
def test_no_figure_without_a_baseline_a_measurement_or_shifts(
    baseline: str | None, entry_minutes: str | None, shifts: int
) -> None:
    # When the baseline, the measured minutes or the shifts are missing
    released = documentation_time_released(
        baseline_minutes_per_shift=None if baseline is None else Decimal(baseline),
        entry_minutes=None if entry_minutes is None else Decimal(entry_minutes),
        shifts=shifts,
        minutes_per_shift_p10=Decimal(1),
        minutes_per_shift_p90=Decimal(2),
        hourly_cost=CARE_WORKER_COST,
    )

    # Then nothing is claimed
    assert released == NOT_KNOWN


def test_care_plan_reviews_released_at_manager_cost() -> None:
    # Given 240 minutes on paper, 30 digitally and 7 reviews completed in the month
    # When the managers' time is worked out
    released = task_time_released(
        minutes_before=Decimal(240),
        minutes_after=Decimal(30),
        tasks=Decimal(7),
        hourly_cost=MANAGER_COST,
    )

    # Then 210 × 7 / 60 = 24.5 hours, × £23.63375 = £579.026875 → £579.03, with no range
    assert released == TimeReleased(
        *(Decimal(v) for v in ("24.50", "24.50", "24.50", "579.03", "579.03", "579.03"))
    )


def test_tasks_round_half_up_and_zero_tasks_release_nothing() -> None:
    # Given a task 0.3 minutes quicker done once, and a quicker task never done
    tiny = task_time_released(
        minutes_before=Decimal("1.3"),
        minutes_after=Decimal(1),
        tasks=Decimal(1),
        hourly_cost=Decimal(60),
    )
    none_done = task_time_released(
        minutes_before=Decimal(60),
        minutes_after=Decimal(0),
        tasks=Decimal(0),
        hourly_cost=Decimal(60),
    )

    # Then 0.3 / 60 = 0.005 h rounds up to 0.01 (£0.30), and no tasks is zero hours
    assert (tiny.hours, tiny.value_gbp) == (Decimal("0.01"), Decimal("0.30"))
    assert (none_done.hours, none_done.value_gbp) == (Decimal("0.00"), Decimal("0.00"))


def test_a_task_without_its_entries_gives_no_figure() -> None:
    # When the frequency is not entered, Then there is no figure
    released = task_time_released(
        minutes_before=Decimal(60), minutes_after=Decimal(20), tasks=None, hourly_cost=MANAGER_COST
    )
    assert released == NOT_KNOWN


@pytest.mark.parametrize(
    ("hours", "words"),
    [
        (Decimal("1234.5"), "1,234.50 hours released"),
        (Decimal("-8.333"), "8.33 hours more than on paper"),
        (Decimal(0), "0.00 hours released"),
        (None, "not known: enter your paper-era time to see it"),
    ],
)
def test_release_in_words(hours: Decimal | None, words: str) -> None:
    # When a month's release is put in words, Then a negative one is "more than on paper"
    assert release_wording(hours) == words
