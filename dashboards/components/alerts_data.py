"""What the alerts page shows, worked out from its query string and the scoped queries.

The page's view lives in its address: ``?location=<id>|all`` and ``?period=4w|13w|52w|all``.
Whatever arrives is checked against the caller's locations before a query runs (a location
that is not theirs shows all of theirs), and every query filters by the caller's scope again.
Periods are whole Europe/London days ending on the last day with an alert in the caller's
scope, so a page of an export a week old still shows its latest weeks.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import polars as pl

from dashboards import queries
from dashboards.components.measure_chart import rebase_index
from dashboards.queries import alerts as alert_queries
from dashboards.queries.alerts import AlertBounds
from dashboards.queries.reader import WarehouseReader
from dashboards.roles import Identity
from models.spc import xmr

ALL = "all"
"""The value of "All your locations" and of "The whole period"."""
PERIODS: dict[str, tuple[str, int | None]] = {
    "4w": ("The last 4 weeks", 28),
    "13w": ("The last 13 weeks", 91),
    "52w": ("The last 52 weeks", 364),
    ALL: ("The whole period", None),
}
"""Period choices: the label and the number of days ending on the latest day (None: all)."""
DEFAULT_PERIOD = "13w"
TABLES = ("times", "volumes", "spc", "burden", "heatmap", "retune", "open", "model", "providers")
"""The tables the page offers for download (``providers`` is the ICB lead's only one)."""
FORMATS = ("csv", "xlsx")
TOP_CATEGORIES = 6
"""Categories the volume chart shows on their own; the rest are stacked as "Other"."""
RANKED = 10
"""Categories and locations listed as rules worth re-tuning."""
SPC_Y_TITLE = "False alarms, % of closed alerts"

CATEGORY_LABELS = {
    "visit_not_signed_out": "Visit not signed out",
    "care_plan_review_due": "Care plan review due",
}


def category_label(category: str | None) -> str:
    """``missed_care_task`` as ``Missed care task``."""
    if not category:
        return ""
    return CATEGORY_LABELS.get(category, category.replace("_", " ").capitalize())


@dataclass(frozen=True, slots=True)
class AlertsView:
    """A checked view of the page: which locations and which days.

    Attributes:
        location_id: One location of the caller's, or ``None`` for all of them.
        location_name: Its name, or "all your locations".
        period: A key of :data:`PERIODS`.
        day_from: First Europe/London day of the period.
        day_to: Last day of the period (included).
    """

    location_id: str | None
    location_name: str
    period: str
    day_from: date
    day_to: date

    def data(self) -> dict[str, str]:
        """The view as the page's query parameters (and the download request carries it)."""
        return {"location": self.location_id or ALL, "period": self.period}

    @property
    def period_text(self) -> str:
        """``3 Aug 2026 to 31 Oct 2026``."""
        return f"{day_text(self.day_from)} to {day_text(self.day_to)}"


def day_text(day: date) -> str:
    """``3 Aug 2026``."""
    return f"{day.day} {day:%b %Y}"


def period_bounds(bounds: AlertBounds, *, period: str) -> tuple[date, date] | None:
    """The first and last day of ``period`` ending on the bounds' last day (``None``: no alerts)."""
    if bounds.first_day is None or bounds.last_day is None:
        return None
    days = PERIODS[period][1]
    start = bounds.first_day if days is None else bounds.last_day - timedelta(days=days - 1)
    return max(start, bounds.first_day), bounds.last_day


def parse_view(data: object, *, locations: pl.DataFrame, bounds: AlertBounds) -> AlertsView | None:
    """Check a view asked for (query string or download request) against the caller's scope.

    Args:
        data: ``{"location": ..., "period": ...}`` from the browser (anything).
        locations: The caller's locations (``quality_locations``).
        bounds: The span of the caller's alerts.

    Returns:
        The view, with an unknown period as the default and a location that is not the
        caller's as all of them; ``None`` when there are no alerts to show.
    """
    asked = data if isinstance(data, dict) else {}
    period = asked.get("period")
    period = period if isinstance(period, str) and period in PERIODS else DEFAULT_PERIOD
    span = period_bounds(bounds, period=period)
    if span is None:
        return None
    location = asked.get("location")
    names = dict(zip(locations["location_id"], locations["location_name"], strict=True))
    if isinstance(location, str) and location in names:
        return AlertsView(location, names[location] or location, period, *span)
    return AlertsView(None, "all your locations", period, *span)


def icb_view(data: object, *, bounds: AlertBounds) -> AlertsView | None:
    """The ICB lead's view: a period only (``None`` when no provider of the ICB has alerts)."""
    asked = data if isinstance(data, dict) else {}
    period = asked.get("period")
    period = period if isinstance(period, str) and period in PERIODS else DEFAULT_PERIOD
    span = period_bounds(bounds, period=period)
    if span is None:
        return None
    return AlertsView(None, "the providers of your ICB", period, *span)


def spc_frame(weekly: pl.DataFrame, *, go_live: date | None) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The weekly false-alarm share as a percentage and its XmR chart (improvement: decrease).

    Limits are recalculated from the week of go-live when one location is charted and it
    went live after its first week.

    Returns:
        The weeks (with ``false_alarm_percent``) and the :func:`models.spc.xmr` frame.
    """
    series = weekly.with_columns(false_alarm_percent=pl.col("false_alarm_share") * 100)
    rebase = rebase_index(series["week"].to_list(), go_live=go_live, grain="week")
    chart = xmr(
        series["false_alarm_percent"],
        improvement="decrease",
        rebase_at=() if rebase is None else (rebase,),
    )
    return series, chart


def spc_values(series: pl.DataFrame, chart: pl.DataFrame) -> pl.DataFrame:
    """One row per week: the counts, the share in per cent, the mean, limits and point type."""
    return pl.concat(
        [
            series.select(
                "week", "alerts_raised", "alerts_closed", "false_alarms", "false_alarm_percent"
            ),
            chart.select("mean", "lpl", "upl", "point_type", "rule"),
        ],
        how="horizontal",
    )


def rankings(daily: pl.DataFrame, *, by: str) -> pl.DataFrame:
    """Categories or locations ranked by false alarms in the period (rules worth re-tuning).

    Summed in Python: a few hundred to a few thousand rows into a handful, cheaper than a
    Polars group-by and sort on frames this small.

    Args:
        daily: ``alerts_daily_volumes`` rows.
        by: ``"category"`` or ``"location_id"``.

    Returns:
        ``by``, ``alerts_raised``, ``alerts_closed`` (outcome known), ``false_alarms``,
        ``duplicates`` and ``false_alarm_share`` (of closed; null when none), most false
        alarms first, then the higher share, then by name.
    """
    sums: dict[str, list[int]] = {}
    for key, raised, still_open, false_alarms, duplicates in zip(
        daily[by],
        daily["alerts_raised"],
        daily["open_alerts"],
        daily["false_alarms"],
        daily["duplicates"],
        strict=True,
    ):
        total = sums.setdefault(key, [0, 0, 0, 0])
        total[0] += raised
        total[1] += raised - still_open
        total[2] += false_alarms
        total[3] += duplicates

    def share(key: str) -> float | None:
        closed = sums[key][1]
        return sums[key][2] / closed if closed else None

    def order(key: str) -> tuple[int, bool, float, str]:
        rate = share(key)
        return (-sums[key][2], rate is None, -(rate or 0.0), key)

    keys = sorted(sums, key=order)
    return pl.DataFrame(
        {
            by: keys,
            "alerts_raised": [sums[key][0] for key in keys],
            "alerts_closed": [sums[key][1] for key in keys],
            "false_alarms": [sums[key][2] for key in keys],
            "duplicates": [sums[key][3] for key in keys],
            "false_alarm_share": [share(key) for key in keys],
        },
        schema={
            by: pl.String,
            "alerts_raised": pl.Int64,
            "alerts_closed": pl.Int64,
            "false_alarms": pl.Int64,
            "duplicates": pl.Int64,
            "false_alarm_share": pl.Float64,
        },
    )


def burden_totals(burden: pl.DataFrame) -> pl.DataFrame:
    """Alerts per manager and per care-worker shift per month, over the locations given.

    Shares over several locations are the month's alerts over its shifts (not a mean of the
    locations' rates); null when there were no such shifts. Summed in Python (a row per
    month and location).
    """
    sums: dict[date, list[Any]] = {}
    for month, basis, raised, managers, care_workers in zip(
        burden["month"],
        burden["shift_basis"],
        burden["alerts_raised"],
        burden["manager_shifts"],
        burden["care_worker_shifts"],
        strict=True,
    ):
        total = sums.setdefault(month, [0, 0, 0, set()])
        total[0] += raised
        total[1] += managers
        total[2] += care_workers
        total[3].add(basis)
    months = sorted(sums)

    def per(month: date, index: int) -> float | None:
        shifts = sums[month][index]
        return sums[month][0] / shifts if shifts else None

    return pl.DataFrame(
        {
            "month": months,
            "alerts_raised": [sums[month][0] for month in months],
            "manager_shifts": [sums[month][1] for month in months],
            "care_worker_shifts": [sums[month][2] for month in months],
            "shift_basis": [" and ".join(sorted(sums[month][3])) for month in months],
            "alerts_per_manager_shift": [per(month, 1) for month in months],
            "alerts_per_care_worker_shift": [per(month, 2) for month in months],
        },
        schema={
            "month": pl.Date,
            "alerts_raised": pl.Int64,
            "manager_shifts": pl.Int64,
            "care_worker_shifts": pl.Int64,
            "shift_basis": pl.String,
            "alerts_per_manager_shift": pl.Float64,
            "alerts_per_care_worker_shift": pl.Float64,
        },
    )


def with_location_names(frame: pl.DataFrame, *, locations: pl.DataFrame) -> pl.DataFrame:
    """``frame`` with a ``location_name`` beside its ``location_id`` (the id where unnamed).

    The names are looked up in a dictionary: a caller has a handful of locations, and a join
    costs more than the lookups on the frames the page shows.
    """
    names = dict(zip(locations["location_id"], locations["location_name"], strict=True))
    shown = [names.get(location) or location for location in frame["location_id"]]
    return frame.with_columns(pl.Series("location_name", shown, dtype=pl.String))


@dataclass(frozen=True, slots=True)
class AlertsData:
    """Everything the provider view of the page draws, read for one view.

    Attributes:
        view: The checked view.
        bounds: The span of the caller's alerts.
        summary: ``alerts_summary`` rows (per location, then all together).
        daily: ``alerts_daily_volumes`` rows.
        weekly: The weekly series with ``false_alarm_percent``.
        spc: Its XmR frame.
        burden: ``alerts_burden`` rows.
        heatmap: ``alerts_heatmap`` rows.
        open_alerts: Open alerts ranked by score.
        model_run: The latest triage training, if any.
    """

    view: AlertsView
    bounds: AlertBounds
    summary: pl.DataFrame
    daily: pl.DataFrame
    weekly: pl.DataFrame
    spc: pl.DataFrame
    burden: pl.DataFrame
    heatmap: pl.DataFrame
    open_alerts: alert_queries.OpenAlerts
    model_run: dict[str, Any] | None


def _go_live(view: AlertsView, locations: pl.DataFrame) -> date | None:
    if view.location_id is None:
        return None
    row = locations.filter(pl.col("location_id") == view.location_id)
    return row.item(0, "dscr_go_live_date") if row.height else None


def read_alerts(
    *,
    reader: WarehouseReader,
    identity: Identity,
    view: AlertsView,
    bounds: AlertBounds,
    locations: pl.DataFrame,
) -> AlertsData:
    """Read every frame of the provider view for ``view`` through the scoped queries."""
    window: dict[str, Any] = {
        "reader": reader,
        "identity": identity,
        "day_from": view.day_from,
        "day_to": view.day_to,
        "location_id": view.location_id,
    }
    weekly = alert_queries.alert_weekly_share(
        reader=reader, identity=identity, location_id=view.location_id
    )
    series, chart = spc_frame(weekly, go_live=_go_live(view, locations))
    return AlertsData(
        view=view,
        bounds=bounds,
        summary=alert_queries.alert_summary(**window),
        daily=alert_queries.alert_daily_volumes(**window),
        weekly=series,
        spc=chart,
        burden=alert_queries.alert_burden(**window),
        heatmap=alert_queries.alert_heatmap(**window),
        open_alerts=alert_queries.open_alert_scores(
            reader=reader, identity=identity, location_id=view.location_id
        ),
        model_run=alert_queries.latest_triage_run(reader=reader, identity=identity),
    )


def read_view(
    *, reader: WarehouseReader, identity: Identity, data: object
) -> tuple[pl.DataFrame, AlertBounds, AlertsView | None]:
    """The caller's locations, the span of their alerts, and the view ``data`` asks for."""
    locations = queries.quality_locations(reader=reader, identity=identity)
    bounds = alert_queries.alert_bounds(reader=reader, identity=identity)
    return locations, bounds, parse_view(data, locations=locations, bounds=bounds)
