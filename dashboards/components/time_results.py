"""The Time page's results: staff hours released per month, worked out now from the marts.

``marts.time_released_monthly`` is rebuilt only by the nightly load, so an assumption changed
on the page would not show until the next morning. The page therefore works the figures out
again from the measured rows (``marts.documentation_monthly``, ``marts.care_plan_reviews_monthly``)
and the provider's values in force now, with the same arithmetic the load uses
(:mod:`models.time_released`) and the same months (the first whole month after go-live on).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import polars as pl

from cost_model.assumptions import AssumptionBasis, AssumptionName, ResolvedAssumption
from models.time_released import (
    documentation_time_released,
    hourly_cost_gbp,
    task_time_released,
)

Resolved = Mapping[AssumptionName, ResolvedAssumption]
"""The value used for every assumption (entered, default or not entered)."""

_MONEY = pl.Decimal(18, 2)
RELEASED_SCHEMA: dict[str, Any] = {
    "location_id": pl.String,
    "month": pl.Date,
    "shift_basis": pl.String,
    "shifts": pl.Int64,
    "measured_minutes_per_shift": pl.Float64,
    "minutes_per_shift_p10": pl.Float64,
    "minutes_per_shift_p90": pl.Float64,
    "baseline_minutes_per_shift": pl.Decimal(18, 6),
    "baseline_basis": pl.String,
    "hours_released": _MONEY,
    "hours_released_low": _MONEY,
    "hours_released_high": _MONEY,
    "hourly_cost_gbp": pl.Decimal(18, 4),
    "value_gbp": _MONEY,
    "value_low_gbp": _MONEY,
    "value_high_gbp": _MONEY,
}
"""The care workers' documentation hours released, one row per location and month (shifts
and minutes per shift are care-worker shifts: completed visits in home care)."""

MANAGERIAL_SCHEMA: dict[str, Any] = {
    "month": pl.Date,
    "task": pl.String,
    "tasks": pl.Decimal(18, 2),
    "tasks_basis": pl.String,
    "minutes_before": pl.Decimal(18, 6),
    "minutes_after": pl.Decimal(18, 6),
    "hours_released": _MONEY,
    "hourly_cost_gbp": pl.Decimal(18, 4),
    "value_gbp": _MONEY,
}
"""The managers' hours released, one row per month and task."""


def baseline_name(shift_basis: str) -> AssumptionName:
    """The paper-era baseline of a shift basis: per visit in home care, per shift otherwise."""
    if shift_basis == "visits":
        return AssumptionName.BASELINE_DOCUMENTATION_MINUTES_PER_VISIT
    return AssumptionName.BASELINE_DOCUMENTATION_MINUTES_PER_SHIFT


def care_worker_cost(resolved: Resolved) -> Decimal:
    """A care worker's hour: pay plus on-costs, unrounded (both always have a default)."""
    return hourly_cost_gbp(
        hourly_pay_gbp=_value(resolved, AssumptionName.CARE_WORKER_HOURLY_PAY_GBP),
        on_cost_share=_value(resolved, AssumptionName.ON_COST_SHARE),
    )


def manager_cost(resolved: Resolved) -> Decimal:
    """A manager's hour: pay plus on-costs, unrounded."""
    return hourly_cost_gbp(
        hourly_pay_gbp=_value(resolved, AssumptionName.MANAGER_HOURLY_PAY_GBP),
        on_cost_share=_value(resolved, AssumptionName.ON_COST_SHARE),
    )


def _value(resolved: Resolved, name: AssumptionName) -> Decimal:
    value = resolved[name].value
    return value if value is not None else Decimal(0)


def _measured(value: object) -> Decimal | None:
    """A measured double as the shortest decimal that reads back as it (as the load does)."""
    return None if value is None else Decimal(repr(value))


def documentation_released(documentation: pl.DataFrame, *, resolved: Resolved) -> pl.DataFrame:
    """Return the documentation hours released per location and month since go-live.

    Args:
        documentation: Rows of ``queries.time_documentation`` (any locations).
        resolved: The provider's assumptions in force.

    Returns:
        :data:`RELEASED_SCHEMA`, months with ``after_go_live`` only; hours and money are null
        when no baseline is entered (``baseline_basis`` ``not_entered``). ``shifts`` and the
        minutes per shift are the care workers' (``care_shifts``,
        ``entry_minutes_per_care_shift`` and its spread), as in
        ``marts.time_released_monthly``.
    """
    cost = care_worker_cost(resolved)
    rows = []
    for row in documentation.filter(pl.col("after_go_live")).iter_rows(named=True):
        baseline = resolved[baseline_name(row["shift_basis"])]
        # care workers' time only, as the load counts it: care-worker shifts (completed
        # visits in home care) and the carers' notes' minutes
        minutes = row["care_entry_minutes"]
        released = documentation_time_released(
            baseline_minutes_per_shift=baseline.value,
            # whole seconds, exactly as the load reads them (core holds whole seconds)
            entry_minutes=None if minutes is None else Decimal(round(minutes * 60)) / 60,
            shifts=int(row["care_shifts"] or 0),
            minutes_per_shift_p10=_measured(row["care_minutes_per_shift_p10"]),
            minutes_per_shift_p90=_measured(row["care_minutes_per_shift_p90"]),
            hourly_cost=cost,
        )
        rows.append(
            {
                "location_id": row["location_id"],
                "month": row["month"],
                "shift_basis": row["shift_basis"],
                "shifts": row["care_shifts"],
                "measured_minutes_per_shift": row["entry_minutes_per_care_shift"],
                "minutes_per_shift_p10": row["care_minutes_per_shift_p10"],
                "minutes_per_shift_p90": row["care_minutes_per_shift_p90"],
                "baseline_minutes_per_shift": baseline.value,
                "baseline_basis": str(
                    AssumptionBasis.ENTERED
                    if baseline.basis is AssumptionBasis.ENTERED
                    else AssumptionBasis.NOT_ENTERED
                ),
                "hours_released": released.hours,
                "hours_released_low": released.hours_low,
                "hours_released_high": released.hours_high,
                "hourly_cost_gbp": cost.quantize(Decimal("0.0001")),
                "value_gbp": released.value_gbp,
                "value_low_gbp": released.value_low_gbp,
                "value_high_gbp": released.value_high_gbp,
            }
        )
    return pl.DataFrame(rows, schema=RELEASED_SCHEMA)


@dataclass(frozen=True, slots=True)
class ManagerialTask:
    """A managerial task whose time before and after the digital record the provider enters.

    Attributes:
        key: The task's name in the results table.
        label: How it is written for people.
        before: The minutes on paper.
        after: The minutes with the digital record.
        frequency: How many a month, when entered rather than measured.
    """

    key: str
    label: str
    before: AssumptionName
    after: AssumptionName
    frequency: AssumptionName | None


CARE_PLAN_REVIEWS = ManagerialTask(
    "care_plan_reviews",
    "Care-plan reviews",
    AssumptionName.CARE_PLAN_REVIEW_MINUTES_BEFORE,
    AssumptionName.CARE_PLAN_REVIEW_MINUTES_AFTER,
    None,
)
AUDITS = ManagerialTask(
    "audits",
    "Audits",
    AssumptionName.AUDIT_MINUTES_BEFORE,
    AssumptionName.AUDIT_MINUTES_AFTER,
    AssumptionName.AUDITS_PER_MONTH,
)
HANDOVERS = ManagerialTask(
    "handovers",
    "Handovers",
    AssumptionName.HANDOVER_MINUTES_BEFORE,
    AssumptionName.HANDOVER_MINUTES_AFTER,
    AssumptionName.HANDOVERS_PER_MONTH,
)
MANAGERIAL_TASKS = (CARE_PLAN_REVIEWS, AUDITS, HANDOVERS)


def managerial_released(
    reviews: pl.DataFrame, *, months: list[date], resolved: Resolved
) -> pl.DataFrame:
    """Return the managers' hours released per month, for each task with its times entered.

    Care-plan reviews count the reviews completed in the month (measured, at the locations
    of ``reviews``, after go-live); audits and handovers use the frequency entered, in each
    month of ``months`` (the months with documentation measured after go-live). A task
    without both times (or, for audits and handovers, a frequency) entered has no rows.

    Args:
        reviews: Rows of ``queries.time_reviews`` for the locations shown.
        months: The months to give audits and handovers.
        resolved: The provider's assumptions in force.

    Returns:
        :data:`MANAGERIAL_SCHEMA`, by month and task.
    """
    cost = manager_cost(resolved)
    completed = (
        reviews.filter(pl.col("after_go_live"))
        .group_by("month")
        .agg(pl.col("reviews_completed_in_month").sum())
        .sort("month")
    )
    rows: list[dict[str, object]] = []
    for task in MANAGERIAL_TASKS:
        before, after = resolved[task.before].value, resolved[task.after].value
        if task.frequency is None:
            counts = [
                (row["month"], Decimal(int(row["reviews_completed_in_month"] or 0)), "measured")
                for row in completed.iter_rows(named=True)
            ]
        else:
            frequency = resolved[task.frequency].value
            counts = (
                [] if frequency is None else [(month, frequency, "entered") for month in months]
            )
        for month, tasks, basis in counts:
            released = task_time_released(
                minutes_before=before, minutes_after=after, tasks=tasks, hourly_cost=cost
            )
            if released.hours is None:
                continue
            rows.append(
                {
                    "month": month,
                    "task": task.key,
                    "tasks": tasks,
                    "tasks_basis": basis,
                    "minutes_before": before,
                    "minutes_after": after,
                    "hours_released": released.hours,
                    "hourly_cost_gbp": cost.quantize(Decimal("0.0001")),
                    "value_gbp": released.value_gbp,
                }
            )
    frame = pl.DataFrame(rows, schema=MANAGERIAL_SCHEMA)
    return frame.sort("month", "task")
