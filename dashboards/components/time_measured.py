"""The Time page's measured figures at one location.

Documentation time, notes recorded within 15 minutes, offline recording, home-care visit
punctuality and care-plan reviews done on time.

Everything here comes from the records (``entry_seconds``, ``recorded_at``, visits and reviews),
never from an assumption, and says so with a *Measured* label.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import polars as pl
from dash import dcc, html

from dashboards.components.empty_state import empty_state
from dashboards.components.tables import Column, ColumnKind, html_table
from dashboards.components.time_parts import (
    DOCUMENTATION_CHART,
    REVIEWS_CHART,
    SHARES_CHART,
    VISITS_CHART,
    Basis,
    TimeTable,
    download_buttons,
    heading,
    number,
    share,
)
from dashboards.figures.theme import Figure
from dashboards.figures.time import (
    BandSeries,
    ShareSeries,
    band_figure,
    describe_band,
    describe_shares,
    month_text,
    shares_figure,
)

GRAPH_CONFIG = {"displaylogo": False, "responsive": True}


def unit_of(shift_basis: str) -> str:
    """``care-worker shift`` in care homes, ``visit`` in home care (completed visits).

    The page's documentation time and hours released count care workers' shifts only
    (``care_shifts``: managers' and other non-care staff's shifts left out).
    """
    return "visit" if shift_basis == "visits" else "care-worker shift"


def chart(*, figure: Figure, text: str, graph_id: str) -> html.Figure:
    """A chart with its text description as the caption (read by screen readers first)."""
    return html.Figure(
        [
            html.Figcaption(text, className="note"),
            dcc.Graph(id=graph_id, figure=figure, config=GRAPH_CONFIG),  # type: ignore[arg-type]
        ],
        className="chart",
    )


def documentation_series(rows: pl.DataFrame, *, unit: str) -> BandSeries:
    """Measured minutes per care-worker shift (or visit) by month, with the days' P10 to P90.

    The care workers' columns: ``entry_minutes_per_care_shift`` and its daily spread.
    """
    charted = rows.filter(pl.col("entry_minutes_per_care_shift").is_not_null()).sort("month")
    return BandSeries(
        months=charted["month"].to_list(),
        values=charted["entry_minutes_per_care_shift"].to_list(),
        low=charted["care_minutes_per_shift_p10"].to_list(),
        high=charted["care_minutes_per_shift_p90"].to_list(),
        name=f"Recording minutes per {unit}",
        band_name="Middle 80% of days (10th to 90th percentile)",
        hover_unit=f"min per {unit}",
    )


def documentation_section(
    rows: pl.DataFrame, *, location_name: str, go_live: date | None
) -> list[Any]:
    """Minutes per care-worker shift (per visit in home care) and the shares of notes.

    Args:
        rows: ``queries.time_documentation`` rows of one location.
        location_name: Its name, for headings.
        go_live: Its DSCR go-live date (marked on the charts), if any.
    """
    if rows.is_empty() or rows["entry_minutes_per_care_shift"].is_null().all():
        return [
            heading(2, f"Documentation time at {location_name}", basis=Basis.MEASURED),
            empty_state(
                f"{location_name} has no care notes with a recording time yet: the time is "
                "measured from the digital record, so there is none before go-live.",
                heading="Not measured yet",
            ),
        ]
    unit = unit_of(rows["shift_basis"][0])
    series = documentation_series(rows, unit=unit)
    months = rows.sort("month")["month"].to_list()
    ordered = rows.sort("month")
    shares = [
        ShareSeries(
            "Notes recorded within 15 minutes of the care",
            ordered["notes_recorded_within_15_minutes"].to_list(),
        ),
        ShareSeries("Notes recorded offline", ordered["offline_share"].to_list()),
    ]
    basis_note = (
        "Per completed visit: home care has no shifts, so the time is divided by the visits "
        "completed."
        if unit == "visit"
        else "Per care-worker shift: the recording time of the month's care notes by care "
        "workers, senior care workers and nurses (and notes naming nobody) over their shifts; "
        "managers' and other staff's shifts and notes are left out."
    )
    return [
        heading(2, f"Documentation time per {unit} at {location_name}", basis=Basis.MEASURED),
        html.P(
            [
                "Minutes care workers spent recording care, from the time the digital record "
                f"measures for each note (entry_seconds). {basis_note} The shaded band is the "
                "middle 80% of the month's days; the dotted line is go-live.",
            ],
            className="note",
        ),
        chart(
            figure=band_figure(
                series, y_title=f"Minutes per {unit}", go_live=go_live, reference=None
            ),
            text=describe_band(series, unit=f"minutes per {unit}"),
            graph_id=DOCUMENTATION_CHART,
        ),
        heading(3, "Notes recorded promptly, and offline", basis=Basis.MEASURED),
        chart(
            figure=shares_figure(months, shares, y_title="Share of notes", go_live=go_live),
            text=describe_shares(months, shares),
            graph_id=SHARES_CHART,
        ),
        _recent_table(ordered, unit=unit),
        download_buttons(TimeTable.DOCUMENTATION, what="the documentation figures"),
    ]


def _recent_table(ordered: pl.DataFrame, *, unit: str) -> html.Details:
    recent = ordered.tail(12).reverse()
    shown = recent.select(
        pl.col("month").map_elements(month_text, return_dtype=pl.String).alias("month_text"),
        pl.col("care_notes"),
        pl.col("care_shifts"),
        pl.col("entry_minutes_per_care_shift")
        .map_elements(lambda v: number(v), return_dtype=pl.String)
        .alias("minutes_text"),
        pl.col("notes_recorded_within_15_minutes")
        .map_elements(share, return_dtype=pl.String)
        .alias("within_text"),
        pl.col("offline_share").map_elements(share, return_dtype=pl.String).alias("offline_text"),
    )
    columns = (
        Column("month_text", "Month"),
        Column("care_notes", "Care notes", kind=ColumnKind.COUNT),
        Column("care_shifts", f"{unit.capitalize()}s", kind=ColumnKind.COUNT),
        Column("minutes_text", f"Minutes per {unit}"),
        Column("within_text", "Within 15 minutes"),
        Column("offline_text", "Offline"),
    )
    return html.Details(
        [
            html.Summary("The latest 12 months as a table"),
            html_table(
                shown, columns=columns, caption=f"Measured documentation time per {unit}, by month"
            ),
        ],
        className="measure-details",
    )


def visits_section(rows: pl.DataFrame, *, location_name: str, go_live: date | None) -> list[Any]:
    """Home-care visit punctuality and missed visits by month (home-care locations only)."""
    title = heading(2, f"Visits on time and missed at {location_name}", basis=Basis.MEASURED)
    if rows.is_empty():
        return [title, empty_state(f"{location_name} has no visits in its exports yet.")]
    ordered = rows.sort("month")
    months = ordered["month"].to_list()
    shares = [
        ShareSeries(
            "Completed visits checked in on time", ordered["visits_on_time_share"].to_list()
        ),
        ShareSeries("Visits missed", ordered["missed_share"].to_list()),
    ]
    latest = ordered.row(-1, named=True)
    summary = (
        f"In {month_text(latest['month'])}: {latest['visits_scheduled']:,} visits scheduled, "
        f"{latest['visits_completed']:,} completed, {latest['visits_missed']:,} missed and "
        f"{latest['visits_late']:,} checked in late"
        + (
            f" (median {number(latest['median_minutes_late'])} minutes late)."
            if latest["median_minutes_late"] is not None
            else "."
        )
    )
    return [
        title,
        html.P(
            "A completed visit is late when the care worker checked in more than 15 minutes "
            "after its scheduled start: a carelens default, not a national standard. Missed "
            "visits are counted over the visits due to happen (cancelled ones were not).",
            className="note",
        ),
        chart(
            figure=shares_figure(months, shares, y_title="Share of visits", go_live=go_live),
            text=f"{describe_shares(months, shares)} {summary}",
            graph_id=VISITS_CHART,
        ),
        download_buttons(TimeTable.VISITS, what="the visits figures"),
    ]


def reviews_section(rows: pl.DataFrame, *, location_name: str, go_live: date | None) -> list[Any]:
    """Care-plan reviews done on time, by month of their due date."""
    title = heading(2, f"Care-plan reviews done on time at {location_name}", basis=Basis.MEASURED)
    if rows.is_empty():
        return [title, empty_state(f"{location_name} has no care-plan reviews in its exports yet.")]
    ordered = rows.sort("month")
    months = ordered["month"].to_list()
    shares = [ShareSeries("Reviews done on time", ordered["on_time_share"].to_list())]
    latest = ordered.row(-1, named=True)
    summary = (
        f"Due in {month_text(latest['month'])}: {latest['reviews_due']:,} reviews, "
        f"{latest['reviews_on_time']:,} on time, {latest['reviews_late']:,} late, "
        f"{latest['reviews_outstanding']:,} not done yet."
    )
    return [
        title,
        html.P(
            "A review is on time when it was completed on or before its due day. A review due "
            "this month and not done yet counts as outstanding, so the latest month rises as "
            "reviews are done.",
            className="note",
        ),
        chart(
            figure=shares_figure(months, shares, y_title="Share of reviews", go_live=go_live),
            text=f"{describe_shares(months, shares)} {summary}",
            graph_id=REVIEWS_CHART,
        ),
        download_buttons(TimeTable.REVIEWS, what="the reviews figures"),
    ]
