"""The sections of a measure page, built from frames: chart, estimate, heatmap, doses, incidents.

Pure layout: frames and plain values in, Dash components out; the page logic in
``measure_page`` reads the frames and decides which sections to show.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any
from urllib.parse import urlencode

import polars as pl
from dash import dcc, html

from dashboards import figures
from dashboards.components.spc_icons import assurance_icon, variation_icon
from dashboards.components.tables import Column, ColumnKind, aria, html_table
from dashboards.dates import LONDON
from dashboards.figures.heatmap import WEEKDAYS, heatmap_grid
from dashboards.figures.spc import LOWER_LIMIT_AT_ZERO
from dashboards.figures.theme import Figure
from dashboards.measures import MeasureSpec
from dashboards.queries import HARM_LEVELS, SUBTYPES, IncidentList
from models.spc import SpcSummary

GRAPH_CONFIG = {"displaylogo": False, "responsive": True}
HARM_LABELS = {
    "no_harm": "No harm",
    "low": "Low",
    "moderate": "Moderate",
    "severe": "Severe",
    "fatal": "Fatal",
}
SUBTYPE_LABELS = {
    "discontinued_given": "Discontinued medicine given",
    "deep_tissue_injury": "Deep tissue injury",
}
POINT_TYPE_LABELS = {
    "common_cause": "Common cause",
    "special_cause_improvement": "Special cause: improving",
    "special_cause_concern": "Special cause: concerning",
    "special_cause_neutral_high": "Special cause: higher",
    "special_cause_neutral_low": "Special cause: lower",
}
_ALL_SUBTYPES = sorted({subtype for subtypes in SUBTYPES.values() for subtype in subtypes})
ALL = "all"
"""The value of the "every period", "any harm", "every location" options."""


def subtype_label(subtype: str) -> str:
    """``category_2`` as ``Category 2``, ``wrong_dose`` as ``Wrong dose``."""
    return SUBTYPE_LABELS.get(subtype, subtype.replace("_", " ").capitalize())


def period_label(period: date, *, grain: str) -> str:
    """``Mar 2025`` for a month, ``w/c 24 Mar 2025`` (week commencing) for a week."""
    if grain == "week":
        return f"w/c {period.day} {period:%b %Y}"
    return f"{period:%b %Y}"


def number_text(value: float | None) -> str:
    """A rate to three significant figures (``5.76``, ``12.3``, ``0.45``); blank when null."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return ""
    if value == 0:
        return "0"
    decimals = max(0, 2 - math.floor(math.log10(abs(value))))
    text = f"{value:,.{decimals}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def share_text(part: int | None, *, whole: int | None) -> str:
    """``0.4%``: ``part`` of ``whole`` to one decimal place; ``–`` when ``whole`` is 0 or null."""
    if not whole or part is None:
        return "–"
    return f"{part / whole:.1%}"


def labelled(label: str, *, control: Any, control_id: str, hint: str | None = None) -> html.Div:
    """A form control with its visible label (and an optional hint) above it."""
    children: list[Any] = [html.Label(label, htmlFor=control_id, className="label")]
    if hint:
        children.append(html.P(hint, className="hint"))
    children.append(control)
    return html.Div(children, className="measure-control")


def download_buttons(*, csv_id: str, xlsx_id: str, what: str) -> html.Div:
    """Two buttons that download one table, as CSV and as XLSX."""
    return html.Div(
        [
            html.Button(f"Download {what} (CSV)", id=csv_id, className="button", type="button"),
            html.Button(f"Download {what} (XLSX)", id=xlsx_id, className="button", type="button"),
        ],
        className="measure-downloads",
    )


def chart_heading(spec: MeasureSpec, *, location_name: str, grain: str) -> html.H2:
    """``Falls per 1,000 occupied bed days at Alder House, by month``."""
    return html.H2(f"{spec.label} {spec.unit_label} at {location_name}, by {grain}")


def notice(text: str) -> html.Div:
    """A calm notice in place of a chart or table."""
    return html.Div(html.P(text), className="empty-state", role="status")


def icons(summary: SpcSummary, *, target: float | None, spec: MeasureSpec) -> html.Div:
    """The variation icon of the latest point and, with a target, the assurance icon."""
    target_part: Any = (
        assurance_icon(summary.assurance, show_label=True)
        if target is not None
        else html.P(
            [
                "No target is set. Owners and quality leads set targets on the ",
                html.A("Quality summary", href="/quality"),
                " page.",
            ],
            className="note",
        )
    )
    target_text = (
        [html.P(f"Target: {number_text(target)} {spec.unit_label}.", className="note")]
        if target is not None
        else []
    )
    return html.Div(
        [variation_icon(summary.variation, show_label=True), target_part, *target_text],
        className="measure-icons",
    )


def chart_figure(*, figure: Figure, text: str, graph_id: str) -> html.Figure:
    """The SPC chart with its text alternative as the caption."""
    return html.Figure(
        [
            html.Figcaption(text),
            dcc.Graph(id=graph_id, figure=figure, config=GRAPH_CONFIG),  # type: ignore[arg-type]
        ],
        className="chart",
    )


CHART_VALUE_COLUMNS = (
    Column("period_text", "Period"),
    Column("count", "Events", ColumnKind.COUNT),
    Column("exposure", "Exposure", ColumnKind.COUNT),
    Column("rate_text", "Rate"),
    Column("mean_text", "Mean"),
    Column("lpl_text", "Lower process limit"),
    Column("upl_text", "Upper process limit"),
    Column("point_text", "What the chart shows"),
)


def chart_values_table(values: pl.DataFrame, *, spec: MeasureSpec, grain: str) -> html.Details:
    """The chart's numbers as a table, folded away under a summary line.

    A lower process limit below zero is shown as 0, as the chart draws it (rates cannot be
    negative), and the caption says so; the download keeps the limits as computed.
    """
    floored = values.select((pl.col("lpl") < 0).any()).item() is True
    rows = values.with_columns(pl.col("lpl").clip(lower_bound=0.0)).iter_rows(named=True)
    shown = pl.DataFrame(
        [
            {
                "period_text": period_label(row["period"], grain=grain),
                "count": row["count"],
                "exposure": row["exposure"],
                **{
                    f"{name}_text": number_text(row[name])
                    for name in ("rate", "mean", "lpl", "upl")
                },
                "point_text": POINT_TYPE_LABELS.get(row["point_type"] or "", ""),
            }
            for row in rows
        ],
        schema={
            "period_text": pl.String,
            "count": pl.Int64,
            "exposure": pl.Int64,
            **{f"{name}_text": pl.String for name in ("rate", "mean", "lpl", "upl")},
            "point_text": pl.String,
        },
    )
    exposure = "Occupied bed days" if spec.needs_bed_days else "Scheduled doses"
    columns = tuple(
        Column(column.key, exposure, column.kind)
        if column.key == "exposure"
        else Column(column.key, spec.label, column.kind)
        if column.key == "count"
        else column
        for column in CHART_VALUE_COLUMNS
    )
    return html.Details(
        [
            html.Summary("The chart's values as a table"),
            html_table(
                shown,
                columns=columns,
                caption=f"{spec.label}, {spec.unit_label.removeprefix('per ')} and the rate "
                f"{spec.unit_label} per {grain}, with the process limits"
                + (f" ({LOWER_LIMIT_AT_ZERO})" if floored else ""),
            ),
        ],
        className="measure-details",
    )


def heatmap_section(frame: pl.DataFrame, *, noun: str, graph_id: str) -> list[Any]:
    """The heatmap with its text alternative, and the counts as a table folded away."""
    grid = heatmap_grid(frame)  # once: the figure and its text take it as it is
    falls = grid["falls"].to_list()  # Monday 00:00 first, by day then hour
    wide = pl.DataFrame(
        {
            "day": list(WEEKDAYS),
            **{f"h{hour:02d}": falls[hour::24] for hour in range(24)},
        }
    )
    columns = [Column("day", "Day")] + [
        Column(f"h{hour:02d}", f"{hour:02d}", ColumnKind.COUNT) for hour in range(24)
    ]
    return [
        html.Figure(
            [
                html.Figcaption(figures.describe_falls_heatmap(grid, noun=noun)),
                dcc.Graph(
                    id=graph_id,
                    figure=figures.falls_heatmap_figure(grid, noun=noun),
                    config=GRAPH_CONFIG,  # type: ignore[arg-type]
                ),
            ],
            className="chart",
        ),
        html.Details(
            [
                html.Summary("The counts as a table"),
                html_table(
                    wide,
                    columns=columns,
                    caption=f"{noun.capitalize()} by day of the week (rows) and hour of the "
                    "day in UK time (columns: 14 is 14:00 to 14:59)",
                ),
            ],
            className="measure-details",
        ),
    ]


DOSE_COLUMNS = (
    Column("period_text", "Period"),
    Column("scheduled_doses", "Scheduled doses", ColumnKind.COUNT),
    Column("missed_doses", "Missed", ColumnKind.COUNT),
    Column("missed_share", "Missed share"),
    Column("late_doses", "Late", ColumnKind.COUNT),
    Column("late_share", "Late share"),
    Column("medication_errors", "Medication errors", ColumnKind.COUNT),
    Column("rate_text", "Errors per 1,000 doses"),
)
DOSES_SHOWN = 12
"""Periods in the doses table on the page (newest first); the download has them all."""


def doses_section(frame: pl.DataFrame, *, grain: str, location_name: str) -> list[Any]:
    """Scheduled, missed and late doses and medication errors, newest period first."""
    if frame.is_empty():
        return [notice(f"No doses are recorded at {location_name} yet.")]
    rows = frame.sort("period", descending=True).head(DOSES_SHOWN).to_dicts()
    shown = pl.DataFrame(
        [
            {
                "period_text": period_label(row["period"], grain=grain),
                "scheduled_doses": row["scheduled_doses"],
                "missed_doses": row["missed_doses"],
                "missed_share": share_text(row["missed_doses"], whole=row["scheduled_doses"]),
                "late_doses": row["late_doses"],
                "late_share": share_text(row["late_doses"], whole=row["scheduled_doses"]),
                "medication_errors": row["medication_errors"],
                "rate_text": number_text(row["medication_errors_per_1000_doses"]),
            }
            for row in rows
        ]
    )
    periods = "months" if grain == "month" else "weeks"
    return [
        html_table(
            shown,
            columns=DOSE_COLUMNS,
            caption=f"Doses at {location_name}: the latest {len(rows)} {periods}, newest first",
        ),
        html.P(
            "A dose is missed when it was omitted or the medicine was not available; late when "
            "it was given more than 60 minutes after its scheduled time, or 30 minutes for "
            "time-critical medicines (the windows this installation's loads use by default).",
            className="note",
        ),
    ]


INCIDENTS_SHOWN = 50
"""Incidents listed on the page (newest first); the download has every one that matched.

Each row is seven Dash components built and serialised on every render: listing 100 cost a
Falls render about 45 ms."""


def incident_columns(*, with_subtype: bool) -> tuple[Column, ...]:
    """The incident list's columns (person-level: the provider's own person id)."""
    return (
        Column("occurred_at", "When (UK time)", ColumnKind.INSTANT),
        Column("location_name", "Location"),
        *((Column("subtype_text", "Subtype"),) if with_subtype else ()),
        Column("harm_text", "Harm"),
        Column("person_id", "Person"),
        Column("record_uid", "Incident record"),
    )


def incident_table(listed: IncidentList, *, caption: str, with_subtype: bool) -> html.Div:
    """The incidents as a captioned table."""
    shown = listed.rows.with_columns(
        pl.col("harm").replace_strict(HARM_LABELS, default="").alias("harm_text"),
        pl.col("subtype")
        .replace({subtype: subtype_label(subtype) for subtype in _ALL_SUBTYPES})
        .fill_null("")
        .alias("subtype_text"),
        pl.col("person_id").fill_null("Not in the provider's care"),
    )
    return html_table(shown, columns=incident_columns(with_subtype=with_subtype), caption=caption)


def incidents_download_frame(rows: pl.DataFrame) -> pl.DataFrame:
    """The incident rows as downloaded: UK wall-clock time beside the UTC instant."""
    return rows.select(
        "record_uid",
        pl.col("occurred_at")
        .dt.convert_time_zone(LONDON)
        .dt.replace_time_zone(None)
        .alias("occurred_uk_time"),
        "occurred_at",
        "location_id",
        "location_name",
        "incident_type",
        "subtype",
        "harm",
        "person_id",
    )


Choice = tuple[str, str]
"""An option of a select: its label and its value."""


def period_options(periods: Sequence[date], *, grain: str) -> list[Choice]:
    """The incident list's period choices: the whole period, then each period, newest first."""
    return [("The whole period", ALL)] + [
        (period_label(period, grain=grain), period.isoformat())
        for period in sorted(periods, reverse=True)
    ]


def location_options(locations: pl.DataFrame, *, with_all: bool) -> list[Choice]:
    """One option per location in scope, by name (and "All your locations" first if asked)."""
    options = [
        (row["location_name"] or row["location_id"], row["location_id"])
        for row in locations.iter_rows(named=True)
    ]
    return ([("All your locations", ALL)] if with_all else []) + options


def harm_options() -> list[Choice]:
    """Any harm, then each LFPSE harm level."""
    return [("Any harm", ALL)] + [(HARM_LABELS[level], level) for level in HARM_LEVELS]


def subtype_options(subtypes: Sequence[str]) -> list[Choice]:
    """Any subtype, then each of the measure's subtypes."""
    return [("Any subtype", ALL)] + [(subtype_label(subtype), subtype) for subtype in subtypes]


def select(options: Sequence[Choice], *, name: str, control_id: str, value: str) -> html.Select:
    """A native select (submitted with its form as ``name``), ``value`` chosen."""
    return html.Select(
        [html.Option(label, value=option, selected=option == value) for label, option in options],
        id=control_id,
        name=name,
        className="measure-select",
    )


def hidden(name: str, *, value: str) -> dcc.Input:
    """A hidden form field: carries what the page shows into the next request."""
    return dcc.Input(type="hidden", name=name, value=value)


def query_href(path: str, *, params: Mapping[str, str], anchor: str | None = None) -> str:
    """``/falls?location=…&grain=week#anchor``: a link to the page with these parameters."""
    query = urlencode(params)
    return f"{path}{'?' + query if query else ''}{'#' + anchor if anchor else ''}"


def choice_links(choices: Sequence[tuple[str, str, bool]], *, label: str) -> html.Nav:
    """A small set of links of which one is current (months or weeks; all falls or with harm).

    Args:
        choices: ``(text, href, is_current)`` per choice.
        label: What is being chosen, shown and used as the navigation's accessible name.
    """
    items = [
        html.Li(
            html.A(text, href=href, className="is-current", **aria(current="true"))
            if current
            else html.A(text, href=href)
        )
        for text, href, current in choices
    ]
    return html.Nav(
        [html.Span(label, className="label"), html.Ul(items, className="measure-choices")],
        className="measure-control",
        **aria(label=label),
    )
