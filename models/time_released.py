"""Staff time released by the digital record, and its value: pure arithmetic over ``Decimal``.

Care workers: hours released in a month = (baseline − measured minutes per shift) × shifts / 60,
where the baseline is the paper-era minutes the provider entered and the measured minutes come
from the record (``entry_seconds``). The callers pass care workers' figures: care-worker shifts
(care homes; completed visits in home care) and the carers' notes' minutes, since the claim is
per care worker per shift. The range comes from the spread of the measured minutes
over the month's days: the high release uses the 10th percentile of a day's minutes per shift,
the low release the 90th. A negative figure is kept: it means more time spent recording than on
paper, and is reported so.

Managers: hours released = (minutes before − minutes after) × tasks / 60, with the number of
tasks measured (care-plan reviews completed) or entered (audits, handovers a month).

Value = hours × hourly pay × (1 + on-cost share). Hours are rounded to the hundredth and money
to the penny only at the end, each from unrounded figures.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

HOURS_PLACES = Decimal("0.01")
PENCE = Decimal("0.01")
_MINUTES_PER_HOUR = Decimal(60)


@dataclass(frozen=True, slots=True)
class TimeReleased:
    """Hours released in one month and their value (``None`` where it cannot be worked out).

    Attributes:
        hours: The central figure, to the hundredth of an hour; negative means more time than
            on paper.
        hours_low: The low end of the range (equal to ``hours`` when there is no spread).
        hours_high: The high end of the range.
        value_gbp: ``hours`` at the hourly cost, to the penny.
        value_low_gbp: ``hours_low`` at the hourly cost.
        value_high_gbp: ``hours_high`` at the hourly cost.
    """

    hours: Decimal | None
    hours_low: Decimal | None
    hours_high: Decimal | None
    value_gbp: Decimal | None
    value_low_gbp: Decimal | None
    value_high_gbp: Decimal | None


NOT_KNOWN = TimeReleased(None, None, None, None, None, None)
"""The answer when a figure the arithmetic needs is missing."""


def hourly_cost_gbp(*, hourly_pay_gbp: Decimal, on_cost_share: Decimal) -> Decimal:
    """Return the cost of one hour of staff time: pay plus on-costs, unrounded."""
    return hourly_pay_gbp * (1 + on_cost_share)


def documentation_time_released(
    *,
    baseline_minutes_per_shift: Decimal | None,
    entry_minutes: Decimal | None,
    shifts: int,
    minutes_per_shift_p10: Decimal | None,
    minutes_per_shift_p90: Decimal | None,
    hourly_cost: Decimal,
) -> TimeReleased:
    """Return the care workers' documentation hours released in one month.

    Args:
        baseline_minutes_per_shift: The paper-era minutes per shift (or per visit) the provider
            entered; ``None`` gives no figure.
        entry_minutes: The month's measured recording minutes of the care workers' notes (sum
            of ``entry_seconds / 60``).
        shifts: The month's care-worker shifts (care homes) or completed visits (home care);
            none gives no figure, since nothing was measured.
        minutes_per_shift_p10: 10th percentile over the month's days of a day's minutes per
            shift (the high release); ``None`` with ``p90`` gives no range.
        minutes_per_shift_p90: 90th percentile (the low release).
        hourly_cost: Pay plus on-costs of an hour (:func:`hourly_cost_gbp`).

    Returns:
        Hours and value, with a range that always contains the central figure.
    """
    if baseline_minutes_per_shift is None or entry_minutes is None or shifts <= 0:
        return NOT_KNOWN
    # (baseline − entry_minutes / shifts) × shifts / 60, without dividing by shifts
    central = (baseline_minutes_per_shift * shifts - entry_minutes) / _MINUTES_PER_HOUR
    if minutes_per_shift_p10 is None or minutes_per_shift_p90 is None:
        return _valued(central, None, None, hourly_cost=hourly_cost)
    low = (baseline_minutes_per_shift - minutes_per_shift_p90) * shifts / _MINUTES_PER_HOUR
    high = (baseline_minutes_per_shift - minutes_per_shift_p10) * shifts / _MINUTES_PER_HOUR
    return _valued(central, min(low, central), max(high, central), hourly_cost=hourly_cost)


def task_time_released(
    *,
    minutes_before: Decimal | None,
    minutes_after: Decimal | None,
    tasks: Decimal | None,
    hourly_cost: Decimal,
) -> TimeReleased:
    """Return the managers' hours released in one month on one kind of task.

    Args:
        minutes_before: Minutes one task took on paper (entered).
        minutes_after: Minutes it takes with the digital record (entered).
        tasks: How many were done in the month (measured, or entered as a frequency).
        hourly_cost: Pay plus on-costs of a manager's hour.

    Returns:
        Hours and value with no range (the range is the central figure); all ``None`` if any
        input is missing.
    """
    if minutes_before is None or minutes_after is None or tasks is None:
        return NOT_KNOWN
    central = (minutes_before - minutes_after) * tasks / _MINUTES_PER_HOUR
    return _valued(central, central, central, hourly_cost=hourly_cost)


def release_wording(hours: Decimal | None) -> str:
    """Say a month's release in words: released, more time than on paper, or not known."""
    if hours is None:
        return "not known: enter your paper-era time to see it"
    rounded = hours.quantize(HOURS_PLACES, rounding=ROUND_HALF_UP)
    if rounded < 0:
        return f"{-rounded:,} hours more than on paper"
    return f"{rounded:,} hours released"


def _valued(
    central: Decimal, low: Decimal | None, high: Decimal | None, *, hourly_cost: Decimal
) -> TimeReleased:
    return TimeReleased(
        hours=_round(central, HOURS_PLACES),
        hours_low=_round(low, HOURS_PLACES),
        hours_high=_round(high, HOURS_PLACES),
        value_gbp=_round(central * hourly_cost, PENCE),
        value_low_gbp=_round(None if low is None else low * hourly_cost, PENCE),
        value_high_gbp=_round(None if high is None else high * hourly_cost, PENCE),
    )


def _round(value: Decimal | None, places: Decimal) -> Decimal | None:
    return None if value is None else value.quantize(places, rounding=ROUND_HALF_UP)
