"""The sections of the alerts page, built from frames: pure layout, frames in, components out.

Each chart sits in a figure whose caption is its text alternative, with its numbers as a
table folded away under it and two download buttons (CSV and XLSX) beneath.
"""

from __future__ import annotations

import math
from typing import Any

import polars as pl
from dash import dcc, html

from dashboards import figures
from dashboards.components.alerts_data import (
    ALL,
    PERIODS,
    RANKED,
    SPC_Y_TITLE,
    TOP_CATEGORIES,
    AlertsData,
    AlertsView,
    burden_totals,
    category_label,
    day_text,
    rankings,
    with_location_names,
)
from dashboards.components.measure_sections import (
    GRAPH_CONFIG,
    POINT_TYPE_LABELS,
    labelled,
    notice,
    select,
)
from dashboards.components.tables import Column, ColumnKind, aria, html_table
from dashboards.dates import format_instant
from dashboards.disclosure import SUPPRESSED
from dashboards.figures import alerts as alert_figures
from dashboards.figures.heatmap import WEEKDAYS, heatmap_grid

PAGE = "alerts"
PATH = "/alerts"
LOCATION = "alerts-location"
PERIOD = "alerts-period"
ALL_LOCATIONS = "All your locations"


def download_id(table: str, file_format: str) -> str:
    """``alerts-download-times-csv``: the button that downloads ``table`` as ``file_format``."""
    return f"{PAGE}-download-{table}-{file_format}"


def download_buttons(table: str, *, what: str) -> html.Div:
    """Two buttons that download one table, as CSV and as XLSX."""
    return html.Div(
        [
            html.Button(
                f"Download {what} ({file_format.upper()})",
                id=download_id(table, file_format),
                className="button",
                type="button",
            )
            for file_format in ("csv", "xlsx")
        ],
        className="measure-downloads",
    )


def minutes_text(minutes: float | None) -> str:
    """``42 min`` under two hours, ``5.3 hours`` under two days, ``3.1 days`` beyond; ``–``."""
    if minutes is None or not math.isfinite(minutes):
        return "–"
    if minutes < 120:
        return f"{minutes:.0f} min"
    if minutes < 48 * 60:
        return f"{minutes / 60:.1f} hours"
    return f"{minutes / 1440:.1f} days"


def share_text(part: int | float | None, whole: int | float | None) -> str:
    """``12.5%``: ``part`` of ``whole`` to one decimal place; ``–`` when ``whole`` is 0 or null."""
    if not whole or part is None:
        return "–"
    return f"{part / whole:.1%}"


def percent_text(share: float | None, *, places: int = 0) -> str:
    """A share (0 to 1) as a percentage: ``86%``; ``–`` when null."""
    if share is None or not math.isfinite(share):
        return "–"
    return f"{share:.{places}%}"


def controls(
    view: AlertsView, *, locations: pl.DataFrame | None, action: str = PATH
) -> html.Section:
    """The GET form choosing the location (not for ICB leads) and the period."""
    fields: list[Any] = []
    if locations is not None:
        options = [(ALL_LOCATIONS, ALL)] + [
            (row["location_name"] or row["location_id"], row["location_id"])
            for row in locations.iter_rows(named=True)
        ]
        fields.append(
            labelled(
                "Location",
                control=select(
                    options, name="location", control_id=LOCATION, value=view.data()["location"]
                ),
                control_id=LOCATION,
            )
        )
    fields.append(
        labelled(
            "Period",
            control=select(
                [(label, key) for key, (label, _days) in PERIODS.items()],
                name="period",
                control_id=PERIOD,
                value=view.period,
            ),
            control_id=PERIOD,
            hint="Ending on the latest day with an alert",
        )
    )
    return html.Section(
        html.Form(
            [*fields, html.Button("Show", type="submit", className="button")],
            action=action,
            method="GET",
            className="measure-picker",
        ),
        className="measure-controls",
        **aria(label="Choose the locations and period"),
    )


def _figure(figure: dict[str, Any], *, text: str) -> html.Figure:
    return html.Figure(
        [html.Figcaption(text), dcc.Graph(figure=figure, config=GRAPH_CONFIG)],  # type: ignore[arg-type]
        className="chart",
    )


def _details(summary: str, table: html.Div) -> html.Details:
    return html.Details([html.Summary(summary), table], className="measure-details")


def _section(heading: str, *children: Any, section_id: str) -> html.Section:
    return html.Section(
        [html.H2(heading), *children], className="page-section", id=f"{PAGE}-{section_id}"
    )


# --- Response times -----------------------------------------------------------------------

TIMES_COLUMNS = (
    Column("location_name", "Location"),
    Column("alerts_raised", "Alerts raised", ColumnKind.COUNT),
    Column("median_ack", "Median to acknowledge"),
    Column("p90_ack", "90th percentile to acknowledge"),
    Column("median_resolve", "Median to resolve"),
    Column("p90_resolve", "90th percentile to resolve"),
    Column("within_24h", "Resolved within 24 hours"),
    Column("open_alerts", "Open now", ColumnKind.COUNT),
    Column("open_over_24h", "Open over 24 hours", ColumnKind.COUNT),
)


def times_frame(summary: pl.DataFrame, *, locations: pl.DataFrame) -> pl.DataFrame:
    """The response-times rows with location names (``All locations`` for the total row)."""
    names = dict(zip(locations["location_id"], locations["location_name"], strict=True))
    shown = [
        "All locations shown" if location is None else names.get(location) or location
        for location in summary["location_id"]
    ]
    return summary.with_columns(pl.Series("location_name", shown, dtype=pl.String))


def times_section(data: AlertsData, *, locations: pl.DataFrame) -> html.Section:
    """Headline response times for the view, and the table per location."""
    view = data.view
    frame = times_frame(data.summary, locations=locations)
    # The total row is the last (the query orders it after the locations).
    last = frame.row(-1, named=True) if frame.height else None
    row = last if last is not None and last["location_id"] is None else None
    as_of = format_instant(data.bounds.data_as_of) if data.bounds.data_as_of else "the latest load"
    intro = html.P(
        f"Alerts raised at {view.location_name} from {view.period_text} (UK days). Open "
        f"alerts are counted whenever they were raised, as the latest export describes them "
        f"({as_of}): an alert is open for more than 24 hours when it was raised more than 24 "
        "hours before then.",
        className="note",
    )
    if row is None or (row["alerts_raised"] == 0 and row["open_alerts"] == 0):
        return _section(
            "Response times",
            intro,
            notice(f"No alerts were raised at {view.location_name} in this period."),
            section_id="times",
        )
    headline = html.Dl(
        [
            html.Div([html.Dt(term), html.Dd(value)])
            for term, value in (
                ("Alerts raised", f"{row['alerts_raised']:,}"),
                (
                    "Minutes to acknowledge",
                    f"median {minutes_text(row['median_minutes_to_acknowledge'])}, 90th "
                    f"percentile {minutes_text(row['p90_minutes_to_acknowledge'])}",
                ),
                (
                    "Minutes to resolve",
                    f"median {minutes_text(row['median_minutes_to_resolve'])}, 90th "
                    f"percentile {minutes_text(row['p90_minutes_to_resolve'])}",
                ),
                (
                    "Resolved within 24 hours",
                    share_text(row["resolved_within_24h"], row["alerts_raised"])
                    + f" ({row['resolved_within_24h']:,} of {row['alerts_raised']:,})",
                ),
                (
                    "Open for more than 24 hours",
                    f"{row['open_over_24h']:,} of {row['open_alerts']:,} open",
                ),
            )
        ],
        className="alerts-headline",
    )
    minutes = {
        shown: [minutes_text(value) for value in frame[column]]
        for shown, column in (
            ("median_ack", "median_minutes_to_acknowledge"),
            ("p90_ack", "p90_minutes_to_acknowledge"),
            ("median_resolve", "median_minutes_to_resolve"),
            ("p90_resolve", "p90_minutes_to_resolve"),
        )
    }
    within = [
        share_text(part, whole)
        for part, whole in zip(frame["resolved_within_24h"], frame["alerts_raised"], strict=True)
    ]
    shown = frame.with_columns(
        *(pl.Series(name, texts, dtype=pl.String) for name, texts in minutes.items()),
        pl.Series("within_24h", within, dtype=pl.String),
    )
    table = html_table(
        shown,
        columns=TIMES_COLUMNS,
        caption=f"Response times per location, alerts raised from {view.period_text}; open "
        "alerts as of the latest export",
    )
    return _section(
        "Response times",
        intro,
        headline,
        table,
        html.P(
            "Minutes run from when an alert was raised to when it was acknowledged or "
            "resolved; alerts not yet acknowledged or resolved are left out of those. Half of "
            "the alerts took no longer than the median, nine in ten no longer than the 90th "
            "percentile. The share resolved within 24 hours is of every alert raised.",
            className="note",
        ),
        download_buttons("times", what="response times"),
        section_id="times",
    )


# --- Volumes ------------------------------------------------------------------------------

VOLUME_COLUMNS = (
    Column("category_text", "Category"),
    Column("alerts_raised", "Alerts raised", ColumnKind.COUNT),
    Column("false_alarms", "False alarms", ColumnKind.COUNT),
    Column("duplicates", "Duplicates", ColumnKind.COUNT),
    Column("open_alerts", "Open", ColumnKind.COUNT),
    Column("share_text", "Raised, share"),
)
LOCATION_VOLUME_COLUMNS = (
    Column("location_name", "Location"),
    *VOLUME_COLUMNS[1:],
)


def _volume_table(daily: pl.DataFrame, *, by: str) -> pl.DataFrame:
    sums: dict[str, list[int]] = {}
    for key, *counts in zip(
        daily[by],
        daily["alerts_raised"],
        daily["false_alarms"],
        daily["duplicates"],
        daily["open_alerts"],
        strict=True,
    ):
        total = sums.setdefault(key, [0, 0, 0, 0])
        for index, count in enumerate(counts):
            total[index] += count
    keys = sorted(sums, key=lambda key: (-sums[key][0], key))
    raised = sum(counts[0] for counts in sums.values())
    totals = pl.DataFrame(
        {
            by: keys,
            **{
                column: [sums[key][index] for key in keys]
                for index, column in enumerate(
                    ("alerts_raised", "false_alarms", "duplicates", "open_alerts")
                )
            },
        },
        schema={
            by: pl.String,
            "alerts_raised": pl.Int64,
            "false_alarms": pl.Int64,
            "duplicates": pl.Int64,
            "open_alerts": pl.Int64,
        },
    )
    return totals.with_columns(
        share_text=(pl.col("alerts_raised") / max(raised, 1) * 100).round(1).cast(pl.String)
        + pl.lit("%")
    )


def volumes_section(data: AlertsData, *, locations: pl.DataFrame) -> html.Section:
    """Alerts by day (or week) and category as stacked bars, and by category and location."""
    view = data.view
    if data.daily.is_empty():
        return _section(
            "Alerts by category and day",
            notice(f"No alerts were raised at {view.location_name} from {view.period_text}."),
            section_id="volumes",
        )
    grain = alert_figures.volume_grain(view.day_from, view.day_to)
    series = alert_figures.volume_series(
        data.daily, grain=grain, label=category_label, top=TOP_CATEGORIES
    )
    categories = _volume_table(data.daily, by="category")
    categories = categories.with_columns(
        pl.Series(
            "category_text",
            [category_label(category) for category in categories["category"]],
            dtype=pl.String,
        )
    )
    by_location = with_location_names(
        _volume_table(data.daily, by="location_id"), locations=locations
    )
    return _section(
        "Alerts by category and day",
        _figure(
            alert_figures.volume_figure(series, grain=grain),
            text=alert_figures.describe_volumes(
                series, grain=grain, where=view.location_name, period_text=view.period_text
            ),
        ),
        _details(
            "Alerts by category as a table",
            html_table(
                categories,
                columns=VOLUME_COLUMNS,
                caption=f"Alerts by category, raised from {view.period_text}, most first",
            ),
        ),
        _details(
            "Alerts by location as a table",
            html_table(
                by_location,
                columns=LOCATION_VOLUME_COLUMNS,
                caption=f"Alerts by location, raised from {view.period_text}, most first",
            ),
        ),
        html.P(
            "The download has one row per day, location and category with alerts, with their "
            "outcomes so far.",
            className="note",
        ),
        download_buttons("volumes", what="alerts per day"),
        section_id="volumes",
    )


# --- SPC of the weekly false-alarm share ---------------------------------------------------

SPC_COLUMNS = (
    Column("week_text", "Week commencing"),
    Column("alerts_closed", "Alerts closed", ColumnKind.COUNT),
    Column("false_alarms", "False alarms", ColumnKind.COUNT),
    Column("percent_text", "False alarms, %"),
    Column("mean_text", "Mean"),
    Column("lpl_text", "Lower process limit"),
    Column("upl_text", "Upper process limit"),
    Column("point_text", "What the chart shows"),
)


SPC_WEEKS_SHOWN = 26
"""Weeks in the chart's table on the page (newest first); the download has every week.

Each week is eight table cells built and serialised on every render: all 104 weeks of the
demo cost about 150 ms."""


def _number(value: float | None) -> str:
    return "" if value is None or not math.isfinite(value) else f"{value:.1f}"


def spc_section(data: AlertsData) -> html.Section:
    """The Making Data Count chart of the weekly false-alarm share (a fall is an improvement)."""
    view = data.view
    heading = "False alarms week by week"
    if not data.weekly["false_alarm_percent"].is_not_null().any():
        return _section(
            heading,
            notice(f"No alert at {view.location_name} has been closed yet."),
            section_id="spc",
        )
    weeks = data.weekly["week"]
    figure = figures.spc_figure(
        data.spc,
        title=None,
        y_title=SPC_Y_TITLE,
        improvement="decrease",
        x=weeks,
        annotations=(),
        non_negative=True,
    )
    text = figures.describe_spc(
        data.spc, y_title=SPC_Y_TITLE, improvement="decrease", x=weeks, non_negative=True
    )
    rows = [
        {
            "week_text": f"w/c {day_text(week['week'])}",
            "alerts_closed": week["alerts_closed"],
            "false_alarms": week["false_alarms"],
            "percent_text": _number(week["false_alarm_percent"]),
            "mean_text": _number(point["mean"]),
            "lpl_text": _number(point["lpl"]),
            "upl_text": _number(point["upl"]),
            "point_text": POINT_TYPE_LABELS.get(point["point_type"] or "", ""),
        }
        for week, point in zip(
            data.weekly.tail(SPC_WEEKS_SHOWN).iter_rows(named=True),
            data.spc.tail(SPC_WEEKS_SHOWN).iter_rows(named=True),
            strict=True,
        )
    ][::-1]
    rebased = view.location_id is not None and data.spc["segment"].max() != 0
    return _section(
        heading,
        html.P(
            f"The share of closed alerts at {view.location_name} that were false alarms, each "
            "ISO week (Monday to Sunday, UK time) since the first alert, charted the NHS "
            "\u201cMaking Data Count\u201d way: a fall is an improvement. Every week is "
            "charted whatever the period chosen above; alerts still open are left out until "
            "they are closed, so the latest week can move at the next load."
            + (
                " Limits are worked out again from the week the location went live."
                if rebased
                else ""
            ),
            className="note",
        ),
        _figure(figure, text=text),
        _details(
            "The chart's values as a table",
            html_table(
                pl.DataFrame(
                    rows,
                    schema={
                        c.key: pl.String if c.kind is ColumnKind.TEXT else pl.Int64
                        for c in SPC_COLUMNS
                    },
                ),
                columns=SPC_COLUMNS,
                caption=f"Alerts closed, false alarms and their share: the latest {len(rows)} "
                "weeks, newest first, with the process limits (the download has every week)",
            ),
        ),
        download_buttons("spc", what="the chart's values"),
        section_id="spc",
    )


# --- Burden -------------------------------------------------------------------------------

BURDEN_COLUMNS = (
    Column("month_text", "Month"),
    Column("alerts_raised", "Alerts raised", ColumnKind.COUNT),
    Column("care_worker_shifts", "Care-worker shifts", ColumnKind.COUNT),
    Column("per_care_worker", "Alerts per care-worker shift"),
    Column("manager_shifts", "Manager shifts", ColumnKind.COUNT),
    Column("per_manager", "Alerts per manager shift"),
)


def burden_section(data: AlertsData) -> html.Section:
    """Alerts per care-worker shift and per manager shift by month."""
    view = data.view
    heading = "Alerts per shift"
    totals = burden_totals(data.burden)
    if totals.is_empty():
        return _section(
            heading,
            notice(f"No alerts or shifts are recorded at {view.location_name} in this period."),
            section_id="burden",
        )
    notes = [
        "Care workers are care workers, senior care workers and nurses; managers are managers "
        "and deputy managers. Months are calendar months (UK time) that overlap the period, "
        "so the first and last can be partly outside it."
    ]
    if (data.burden["shift_basis"] == "visit_days").any():
        notes.append(
            "Home care exports have no shifts: there a shift is a staff member's day with at "
            "least one completed visit."
        )
    if totals["manager_shifts"].sum() == 0:
        notes.append(
            "No shifts of managers or deputy managers are in the exports, so alerts per manager "
            "shift cannot be worked out."
        )
    shown = totals.with_columns(
        month_text=pl.col("month").dt.strftime("%b %Y"),
        per_care_worker=pl.col("alerts_per_care_worker_shift")
        .round(2)
        .cast(pl.String)
        .fill_null("–"),
        per_manager=pl.col("alerts_per_manager_shift").round(2).cast(pl.String).fill_null("–"),
    )
    return _section(
        heading,
        html.P(" ".join(notes), className="note"),
        _figure(
            alert_figures.burden_figure(totals),
            text=alert_figures.describe_burden(totals, where=view.location_name),
        ),
        _details(
            "Alerts per shift as a table",
            html_table(shown, columns=BURDEN_COLUMNS, caption="Alerts and shifts per month"),
        ),
        download_buttons("burden", what="alerts per shift"),
        section_id="burden",
    )


# --- Heatmap ------------------------------------------------------------------------------


def heatmap_wide(frame: pl.DataFrame) -> pl.DataFrame:
    """Alerts by day of the week (rows) and hour (columns ``h00`` to ``h23``)."""
    counts = heatmap_grid(frame.rename({"alerts": "falls"}))["falls"].to_list()  # a grid as is
    return pl.DataFrame(
        {"day": list(WEEKDAYS), **{f"h{hour:02d}": counts[hour::24] for hour in range(24)}}
    )


def heatmap_section(data: AlertsData) -> html.Section:
    """When alerts are raised: day of the week by hour of the day, UK time."""
    view = data.view
    heading = "When alerts are raised"
    if data.heatmap.is_empty():
        return _section(
            heading,
            notice(f"No alerts were raised at {view.location_name} in this period."),
            section_id="heatmap",
        )
    # Filled to every hour of the week once: the figure, its text and the table take the grid
    # as it is (heatmap_grid gives a grid back unchanged).
    grid = heatmap_grid(data.heatmap.rename({"alerts": "falls"})).rename({"falls": "alerts"})
    columns = [Column("day", "Day")] + [
        Column(f"h{hour:02d}", f"{hour:02d}", ColumnKind.COUNT) for hour in range(24)
    ]
    return _section(
        heading,
        html.P(f"Alerts raised from {view.period_text}.", className="note"),
        _figure(
            alert_figures.alerts_heatmap_figure(grid),
            text=alert_figures.describe_alerts_heatmap(grid, where=view.location_name),
        ),
        _details(
            "The counts as a table",
            html_table(
                heatmap_wide(grid),
                columns=columns,
                caption="Alerts by day of the week (rows) and hour of the day in UK time "
                "(columns: 14 is 14:00 to 14:59)",
            ),
        ),
        download_buttons("heatmap", what="these counts"),
        section_id="heatmap",
    )


# --- Rules worth re-tuning ----------------------------------------------------------------

RANK_COLUMNS = (
    Column("rank", "Rank", ColumnKind.COUNT),
    Column("name", "Category"),
    Column("false_alarms", "False alarms", ColumnKind.COUNT),
    Column("duplicates", "Duplicates", ColumnKind.COUNT),
    Column("alerts_closed", "Alerts closed", ColumnKind.COUNT),
    Column("share_text", "False alarms, share of closed"),
)


def _ranked(daily: pl.DataFrame, *, by: str, locations: pl.DataFrame) -> pl.DataFrame:
    """Categories (``by="category"``) or locations ranked by false alarms, as the page lists."""
    ranked = rankings(daily, by=by)
    if by == "location_id":
        names = dict(zip(locations["location_id"], locations["location_name"], strict=True))
        shown = [names.get(code) or code for code in ranked[by]]
    else:
        shown = [category_label(code) for code in ranked[by]]
    return ranked.select(
        pl.lit("category" if by == "category" else "location").alias("ranked_by"),
        pl.int_range(1, ranked.height + 1, dtype=pl.Int64).alias("rank"),
        pl.col(by).alias("code"),
        pl.Series("name", shown, dtype=pl.String),
        "alerts_raised",
        "alerts_closed",
        "false_alarms",
        "duplicates",
        "false_alarm_share",
    )


def ranked_frame(daily: pl.DataFrame, *, locations: pl.DataFrame) -> pl.DataFrame:
    """Categories, then locations, ranked by false alarms (``ranked_by`` says which)."""
    return pl.concat(
        [_ranked(daily, by=by, locations=locations) for by in ("category", "location_id")]
    )


def _with_share_text(ranked: pl.DataFrame) -> pl.DataFrame:
    texts = [
        share_text(false_alarms, closed)
        for false_alarms, closed in zip(
            ranked["false_alarms"], ranked["alerts_closed"], strict=True
        )
    ]
    return ranked.with_columns(pl.Series("share_text", texts, dtype=pl.String))


def retune_section(data: AlertsData, *, locations: pl.DataFrame) -> html.Section:
    """The noisiest categories and locations, ranked by false alarms: rules worth re-tuning."""
    view = data.view
    heading = "Rules worth re-tuning"
    if data.daily.is_empty():
        return _section(
            heading,
            notice(f"No alerts were raised at {view.location_name} in this period."),
            section_id="retune",
        )
    categories = _with_share_text(
        _ranked(data.daily, by="category", locations=locations).head(RANKED)
    )
    places = _with_share_text(
        _ranked(data.daily, by="location_id", locations=locations).head(RANKED)
    )
    labels = categories["name"].to_list()
    children: list[Any] = [
        html.P(
            "The alert categories and locations with the most alerts closed as false alarms "
            f"from {view.period_text}: the alert rules to look at first with your supplier "
            "(thresholds, timings, who they go to). Duplicates are shown beside them.",
            className="note",
        ),
        _figure(
            alert_figures.ranking_figure(categories, labels=labels),
            text=alert_figures.describe_ranking(categories, labels=labels, what="category"),
        ),
        html_table(
            categories,
            columns=RANK_COLUMNS,
            caption=f"Categories by false alarms, the top {min(RANKED, categories.height)}",
        ),
    ]
    if view.location_id is None and places.height > 1:
        children.append(
            html_table(
                places,
                columns=tuple(
                    Column("name", "Location") if c.key == "name" else c for c in RANK_COLUMNS
                ),
                caption="Locations by false alarms",
            )
        )
    children.append(download_buttons("retune", what="the rankings"))
    return _section(heading, *children, section_id="retune")


# --- Open alerts by triage score ----------------------------------------------------------

OPEN_COLUMNS = (
    Column("score_text", "Likelihood it needs action"),
    Column("raised_at", "Raised (UK time)", ColumnKind.INSTANT),
    Column("open_text", "Open for"),
    Column("location_name", "Location"),
    Column("category_text", "Category"),
    Column("severity", "Severity"),
    Column("reason", "Why"),
    Column("record_uid", "Alert record"),
)


def open_section(data: AlertsData) -> html.Section:
    """Open alerts, the likeliest to need action first, with the model's reason."""
    view = data.view
    heading = "Open alerts, likeliest to need action first"
    run = data.model_run
    listed = data.open_alerts
    intro = html.P(
        "Each open alert's score is the triage model's estimate of the chance that it needs "
        "action (it is not a false alarm or a duplicate), from alerts like it that staff "
        "closed before. The score orders the list; it does not dismiss anything: every alert "
        "still needs a person to look at it.",
        className="note",
    )
    if run is None or run["status"] != "trained":
        why = (
            "The triage model has not been trained yet."
            if run is None
            else f"The triage model was not trained at the latest load ({run['status_reason']})."
        )
        return _section(
            heading, intro, notice(f"{why} Open alerts are not scored."), section_id="open"
        )
    if listed.rows.is_empty():
        return _section(
            heading,
            intro,
            notice(f"No alert is open at {view.location_name} in the latest export."),
            section_id="open",
        )
    shown = listed.rows.with_columns(
        score_text=(pl.col("score") * 100).round(0).cast(pl.Int64).cast(pl.String) + pl.lit("%"),
        open_text=pl.Series(
            [
                None if hours is None else minutes_text(hours * 60)
                for hours in listed.rows["hours_open"]
            ],
            dtype=pl.String,
        ),
        category_text=pl.Series(
            [category_label(category) for category in listed.rows["category"]], dtype=pl.String
        ),
        severity=pl.col("severity").fill_null("").str.to_titlecase(),
    )
    shown_count = shown.height
    caption = f"Open alerts at {view.location_name}, highest score first" + (
        f": the first {shown_count} of {listed.matched:,}" if listed.matched > shown_count else ""
    )
    return _section(
        heading,
        intro,
        html_table(shown, columns=OPEN_COLUMNS, caption=caption),
        html.P(
            "Scored by the model trained at the latest load "
            f"({format_instant(run['trained_at'])}); the list is as the latest export left "
            "the alerts.",
            className="note",
        ),
        download_buttons("open", what="the open alerts"),
        section_id="open",
    )


# --- Model card ---------------------------------------------------------------------------


def model_sentences(run: dict[str, Any]) -> list[str]:
    """The latest training's test metrics in plain words, each against the base rate."""
    base = run["base_rate"]
    if run["status"] != "trained" or base is None:
        return [
            "The model was not trained at the latest load: "
            f"{run['status_reason'] or 'no reason recorded'}."
        ]
    test_from = day_text(run["test_start"].date()) if run["test_start"] else "the test weeks"
    test_to = day_text(run["window_end"].date()) if run["window_end"] else ""
    sentences = [
        f"Tested on the {run['test_rows']:,} resolved alerts raised from {test_from} to "
        f"{test_to}, after training on the {run['train_rows']:,} before them (every provider "
        f"of this installation): {percent_text(base)} of them needed action.",
    ]
    top = run["precision_top_decile"]
    if top is not None:
        sentences.append(
            f"Of the tenth it scored highest, {percent_text(top)} needed action: "
            f"{top / base:.2f} times the base rate."
        )
    false_base = 1 - base
    ap_false = run["average_precision_false_alarm"]
    if ap_false is not None and false_base > 0:
        sentences.append(
            f"For finding false alarms and duplicates ({percent_text(false_base)} of alerts), "
            f"its average precision was {ap_false:.2f} against {false_base:.2f} by chance: "
            f"{ap_false / false_base:.1f} times better."
        )
    auc = run["roc_auc"]
    if auc is not None:
        sentences.append(
            f"Given one alert that needed action and one that did not, it scores the one that "
            f"needed action higher {percent_text(auc)} of the time (50% is a coin toss)."
        )
    brier, brier_base = run["brier"], run["brier_base_rate"]
    if brier is not None and brier_base:
        sentences.append(
            f"Its probabilities have a Brier score of {brier:.3f} against {brier_base:.3f} for "
            f"giving every alert the base rate ({1 - brier / brier_base:.0%} lower is better); "
            f"on average they are within {run['expected_calibration_error'] * 100:.1f} "
            "percentage points of what happened."
        )
    if auc is not None and auc < 0.6:
        sentences.append(
            "On these data the model is little better than the base rate: treat the order of "
            "the open alerts as a weak hint."
        )
    return sentences


MODEL_COLUMNS = (
    Column("measure", "Measure"),
    Column("model", "Model"),
    Column("chance", "Base rate or chance"),
)


def model_metrics_frame(run: dict[str, Any]) -> pl.DataFrame:
    """The test-window metrics beside what the base rate (or chance) scores."""
    base = run["base_rate"]

    def fixed(value: float | None, places: int = 3) -> str:
        return "" if value is None else f"{value:.{places}f}"

    rows = [
        ("Share needing action (base rate)", "", fixed(base)),
        ("Average precision, needs action", fixed(run["average_precision"]), fixed(base)),
        (
            "Average precision, false alarm or duplicate",
            fixed(run["average_precision_false_alarm"]),
            fixed(None if base is None else 1 - base),
        ),
        ("ROC AUC", fixed(run["roc_auc"]), "0.500"),
        ("Brier score (lower is better)", fixed(run["brier"], 4), fixed(run["brier_base_rate"], 4)),
        ("Precision in the top tenth", fixed(run["precision_top_decile"]), fixed(base)),
        ("Expected calibration error", fixed(run["expected_calibration_error"], 4), ""),
    ]
    return pl.DataFrame(rows, schema=["measure", "model", "chance"], orient="row")


def model_section(run: dict[str, Any] | None) -> html.Section:
    """The latest model card: metrics in plain words, the table, and the full card folded."""
    heading = "How good the triage model is"
    if run is None:
        return _section(
            heading,
            notice(
                "The triage model has not been trained yet: the nightly load trains it once "
                "there are enough resolved alerts."
            ),
            section_id="model",
        )
    children: list[Any] = [html.P(sentence) for sentence in model_sentences(run)]
    if run["status"] == "trained":
        children.append(
            html_table(
                model_metrics_frame(run),
                columns=MODEL_COLUMNS,
                caption="The model's scores on the test weeks beside the base rate's",
            )
        )
    children += [
        html.Details(
            [
                html.Summary(f"The full model card (trained {format_instant(run['trained_at'])})"),
                dcc.Markdown(run["card_markdown"], className="alerts-model-card"),
            ],
            className="measure-details",
        ),
        download_buttons("model", what="the model's scores"),
    ]
    return _section(heading, *children, section_id="model")


# --- ICB ----------------------------------------------------------------------------------

ICB_COLUMNS = (
    Column("provider_id", "Provider"),
    Column("alerts_raised", "Alerts raised", ColumnKind.CONTROLLED_COUNT),
    Column("alerts_closed", "Alerts closed", ColumnKind.CONTROLLED_COUNT),
    Column("false_alarms", "False alarms", ColumnKind.CONTROLLED_COUNT),
    Column("share_text", "False alarms, share of closed"),
)


def icb_share_text(frame: pl.DataFrame) -> pl.Expr:
    """The controlled share as text: ``12.5%``, suppressed with its counts, ``–`` with none."""
    del frame
    return (
        pl.when(pl.col("false_alarms").is_null() | pl.col("alerts_closed").is_null())
        .then(pl.lit(SUPPRESSED))
        .when(pl.col("false_alarm_share").is_null())
        .then(pl.lit("–"))
        .otherwise((pl.col("false_alarm_share") * 100).round(1).cast(pl.String) + pl.lit("%"))
    )
