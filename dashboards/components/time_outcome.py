"""The Time page's result: staff hours released per month and their value, or why there are none.

Each figure is labelled: shifts and minutes per shift are *measured*, the paper-era baseline and
pay are *assumed*, hours and money are the *result* of the two. Without a baseline the page says
so and how to enter one; it never shows a zero that nobody measured.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import polars as pl
from dash import html

from cost_model.assumptions import ASSUMPTIONS, AssumptionBasis, AssumptionName
from dashboards.components.empty_state import empty_state
from dashboards.components.tables import Column, ColumnKind, html_table
from dashboards.components.time_assumptions import LABELS, edit_href, value_text
from dashboards.components.time_measured import chart, unit_of
from dashboards.components.time_parts import (
    RELEASED_CHART,
    Basis,
    TimeTable,
    badge,
    download_buttons,
    heading,
    money,
    number,
    plain,
)
from dashboards.components.time_results import (
    MANAGERIAL_TASKS,
    Resolved,
    baseline_name,
    care_worker_cost,
    manager_cost,
)
from dashboards.figures.time import BandSeries, band_figure, describe_band, month_text
from models.time_released import release_wording

NEXT_LOAD_NOTE = (
    "These hours are worked out now, from the measured figures of the last nightly load and "
    "the assumptions in force, so a change to an assumption shows here at once. The benefit "
    "stream the return-on-investment model reads (marts.benefit_streams) is rebuilt by the "
    "nightly load, so it takes the change at the next load."
)
RECENT_MONTHS = 12


def _float(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def released_series(released: pl.DataFrame) -> BandSeries:
    """Hours released per month with the range from the days' spread of measured minutes."""
    ordered = released.sort("month")
    return BandSeries(
        months=ordered["month"].to_list(),
        values=[_float(v) for v in ordered["hours_released"].to_list()],
        low=[_float(v) for v in ordered["hours_released_low"].to_list()],
        high=[_float(v) for v in ordered["hours_released_high"].to_list()],
        name="Care workers' hours released",
        band_name="Range from the spread of measured minutes",
        hover_unit="hours",
    )


def pay_text(resolved: Resolved, *, manager: bool = False) -> str:
    """``£12.00 an hour (default) plus on-costs of 27.75% (default) = £15.33 an hour``."""
    pay_name = (
        AssumptionName.MANAGER_HOURLY_PAY_GBP
        if manager
        else AssumptionName.CARE_WORKER_HOURLY_PAY_GBP
    )
    pay, on_cost = resolved[pay_name], resolved[AssumptionName.ON_COST_SHARE]
    cost = manager_cost(resolved) if manager else care_worker_cost(resolved)
    return (
        f"{value_text(pay.value, ASSUMPTIONS[pay_name].unit)} ({_basis(pay.basis)}) plus "
        "on-costs of "
        f"{plain((on_cost.value or Decimal(0)) * 100)}% ({_basis(on_cost.basis)}) = "
        f"{money(cost)} an hour"
    )


def _basis(basis: AssumptionBasis) -> str:
    return "entered by you" if basis is AssumptionBasis.ENTERED else "carelens default"


def _no_baseline(
    name: AssumptionName, *, location_name: str, editable: bool, location_id: str
) -> list[Any]:
    entry = ASSUMPTIONS[name]
    how: list[Any] = (
        [
            "To see the hours released, ",
            html.A(
                f"enter your {LABELS[name].lower()}", href=edit_href(name, location_id=location_id)
            ),
            " under Assumptions below: the minutes a care worker spent writing up care on "
            "paper, as you measured them before go-live.",
        ]
        if editable
        else [
            "Your organisation's owner enters it on this page: the minutes a care worker spent "
            "writing up care on paper, as measured before go-live."
        ]
    )
    reference = (
        [
            html.P(
                f"For reference only: {entry.reference.note} ({entry.reference.source})",
                className="note",
            )
        ]
        if entry.reference
        else []
    )
    return [
        html.Div(
            [
                html.H3("No paper-era baseline entered", className="empty-state-heading"),
                html.P(
                    f"Hours released at {location_name} compare the measured recording time with "
                    "the time it took on paper, and nobody has entered that yet, so there is no "
                    "figure (not zero)."
                ),
                html.P(how),
            ],
            className="empty-state",
            role="status",
        ),
        *reference,
    ]


def released_section(
    released: pl.DataFrame,
    *,
    location_name: str,
    shift_basis: str | None,
    resolved: Resolved,
    editable: bool,
    location_id: str,
) -> list[Any]:
    """The care workers' hours released at one location: chart with band, table, downloads."""
    title = heading(2, f"Care workers' hours released at {location_name}", basis=Basis.RESULT)
    if released.is_empty() or shift_basis is None:
        return [
            title,
            empty_state(
                f"{location_name} has no whole month on its digital care records yet: hours "
                "released are counted from the first whole month after go-live.",
                heading="Not live for a whole month yet",
            ),
        ]
    unit = unit_of(shift_basis)
    name = baseline_name(shift_basis)
    if resolved[name].value is None:
        return [
            title,
            *_no_baseline(
                name, location_name=location_name, editable=editable, location_id=location_id
            ),
        ]
    baseline = resolved[name].value
    series = released_series(released)
    latest = released.sort("month").row(-1, named=True)
    recent = released.sort("month").tail(RECENT_MONTHS)
    total = sum((v for v in recent["hours_released"].to_list() if v is not None), Decimal(0))
    total_value = sum((v for v in recent["value_gbp"].to_list() if v is not None), Decimal(0))
    summary = [
        html.P(
            [
                badge(Basis.RESULT),
                f"In {month_text(latest['month'])}: {release_wording(latest['hours_released'])} "
                f"(range {number(latest['hours_released_low'], places=2)} to "
                f"{number(latest['hours_released_high'], places=2)} hours), worth "
                f"{money(latest['value_gbp'])} (range {money(latest['value_low_gbp'])} to "
                f"{money(latest['value_high_gbp'])}). Over the latest {recent.height} months: "
                f"{release_wording(total)}, worth {money(total_value)}.",
            ]
        ),
        html.P(
            [
                "Hours released = (paper-era minutes per ",
                unit,
                " − measured minutes per ",
                unit,
                ") × ",
                unit,
                "s ÷ 60. ",
                badge(Basis.ASSUMED),
                f"Paper-era time: {plain(baseline)} minutes per {unit}. ",
                badge(Basis.MEASURED),
                f"{unit.capitalize()}s and minutes per {unit} from the records. ",
                badge(Basis.ASSUMED),
                f"Valued at {pay_text(resolved)}.",
            ],
            className="note",
        ),
    ]
    return [
        title,
        *summary,
        chart(
            figure=band_figure(
                series, y_title="Hours released", reference=(0.0, "0: the same time as on paper")
            ),
            text=describe_band(series, unit="hours", decimals=2)
            + " Above zero, less time than on paper; below, more.",
            graph_id=RELEASED_CHART,
        ),
        _released_table(recent, unit=unit),
        download_buttons(TimeTable.RELEASED, what="the hours released"),
        html.P(NEXT_LOAD_NOTE, className="note"),
    ]


def _released_table(recent: pl.DataFrame, *, unit: str) -> html.Details:
    rows = [
        {
            "month": month_text(row["month"]),
            "shifts": row["shifts"],
            "measured": number(row["measured_minutes_per_shift"]),
            "baseline": plain(row["baseline_minutes_per_shift"]),
            "hours": number(row["hours_released"], places=2),
            "range": f"{number(row['hours_released_low'], places=2)} to "
            f"{number(row['hours_released_high'], places=2)}",
            "value": money(row["value_gbp"]),
        }
        for row in recent.reverse().iter_rows(named=True)
    ]
    columns = (
        Column("month", "Month"),
        Column("shifts", f"{unit.capitalize()}s (measured)", ColumnKind.COUNT),
        Column("measured", f"Minutes per {unit} (measured)"),
        Column("baseline", f"Paper-era minutes per {unit} (assumed)"),
        Column("hours", "Hours released (result)"),
        Column("range", "Range of hours (result)"),
        Column("value", "Value at pay plus on-costs (result)"),
    )
    frame = pl.DataFrame(
        rows,
        schema={
            "month": pl.String,
            "shifts": pl.Int64,
            "measured": pl.String,
            "baseline": pl.String,
            "hours": pl.String,
            "range": pl.String,
            "value": pl.String,
        },
    )
    return html.Details(
        [
            html.Summary(f"The latest {len(rows)} months as a table"),
            html_table(frame, columns=columns, caption="Care workers' hours released, by month"),
        ],
        className="measure-details",
    )


def managerial_section(
    managerial: pl.DataFrame, *, resolved: Resolved, editable: bool, location_id: str
) -> list[Any]:
    """The managers' hours released on care-plan reviews, audits and handovers (all locations)."""
    title = heading(3, "Managers' hours released, all your locations", basis=Basis.RESULT)
    if managerial.is_empty():
        first = MANAGERIAL_TASKS[0].before
        how: list[Any] = (
            [
                "Enter the minutes a care-plan review, an audit or a handover took on paper and "
                "takes now (and, for audits and handovers, how many a month) to see them: ",
                html.A(
                    "start with care-plan reviews", href=edit_href(first, location_id=location_id)
                ),
                ".",
            ]
            if editable
            else [
                "Your organisation's owner enters the minutes each task took on paper and "
                "takes now."
            ]
        )
        return [title, html.Div(html.P(how), className="empty-state", role="status")]
    recent_months = sorted(set(managerial["month"].to_list()))[-RECENT_MONTHS:]
    recent = managerial.filter(pl.col("month").is_in(recent_months))
    labels = {task.key: task.label for task in MANAGERIAL_TASKS}
    rows = [
        {
            "month": month_text(row["month"]),
            "task": labels[row["task"]],
            "tasks": f"{plain(row['tasks'])} ({row['tasks_basis']})",
            "minutes": f"{plain(row['minutes_before'])} → {plain(row['minutes_after'])}",
            "hours": release_wording(row["hours_released"]),
            "value": money(row["value_gbp"]),
        }
        for row in recent.sort("month", "task", descending=[True, False]).iter_rows(named=True)
    ]
    frame = pl.DataFrame(
        rows,
        schema=dict.fromkeys(("month", "task", "tasks", "minutes", "hours", "value"), pl.String),
    )
    columns = (
        Column("month", "Month"),
        Column("task", "Task"),
        Column("tasks", "How many (measured reviews; entered audits and handovers)"),
        Column("minutes", "Minutes each, paper → digital (assumed)"),
        Column("hours", "Hours (result)"),
        Column("value", "Value (result)"),
    )
    return [
        title,
        html.P(
            [
                "Hours = (minutes before − minutes after) × how many ÷ 60. Care-plan reviews "
                "count the reviews completed each month (measured); audits and handovers the "
                "number a month you entered. ",
                badge(Basis.ASSUMED),
                f"Valued at {pay_text(resolved, manager=True)}.",
            ],
            className="note",
        ),
        html_table(frame, columns=columns, caption="Managers' hours released, latest months"),
        download_buttons(TimeTable.MANAGERIAL, what="the managers' hours"),
    ]
