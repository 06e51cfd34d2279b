"""The alerts page's downloads: every table as CSV or XLSX, read again and audited.

A download request names a table and a format and carries the view the page shows; the view
is checked against the caller's locations like any other value from the browser, and the rows
are read again through the same scoped queries as the page. ICB leads may download only the
per-provider table, which the reader has disclosure-controlled.
"""

from __future__ import annotations

from typing import Any

import polars as pl
from dash import dcc
from dash.exceptions import PreventUpdate

from dashboards.access import current_identity
from dashboards.accounts import AccessEventKind
from dashboards.components import alerts_data as data
from dashboards.components import alerts_sections as sections
from dashboards.context import current_reader, record_access
from dashboards.dates import LONDON
from dashboards.downloads import XLSX_MEDIA_TYPE, download_file_name, to_safe_csv, to_safe_xlsx
from dashboards.errors import WarehouseUnavailableError
from dashboards.figures.heatmap import heatmap_grid
from dashboards.queries import alerts as alert_queries
from dashboards.roles import Identity, Role

CONTROLLED = ("alerts_raised", "alerts_closed", "false_alarms")
"""The ICB table's disclosure-controlled counts: a suppressed one is written ``[c]``."""


def _period_columns(view: data.AlertsView) -> list[pl.Expr]:
    return [pl.lit(view.day_from).alias("period_from"), pl.lit(view.day_to).alias("period_to")]


def _uk_time(column: str) -> pl.Expr:
    return (
        pl.col(column)
        .dt.convert_time_zone(LONDON)
        .dt.replace_time_zone(None)
        .alias(f"{column}_uk_time")
    )


def _provider_frame(
    table: str, *, identity: Identity, asked: object
) -> tuple[pl.DataFrame, data.AlertsView] | None:
    reader = current_reader()
    locations, bounds, view = data.read_view(reader=reader, identity=identity, data=asked)
    if view is None:
        return None
    window: dict[str, Any] = {
        "reader": reader,
        "identity": identity,
        "day_from": view.day_from,
        "day_to": view.day_to,
        "location_id": view.location_id,
    }
    if table == "times":
        summary = sections.times_frame(alert_queries.alert_summary(**window), locations=locations)
        frame = summary.with_columns(
            share_resolved_within_24h=pl.col("resolved_within_24h")
            / pl.col("alerts_raised").replace(0, None)
        )
        return frame.select(*_period_columns(view), pl.all()), view
    if table in ("volumes", "retune"):
        daily = alert_queries.alert_daily_volumes(**window)
        if table == "retune":
            return sections.ranked_frame(daily, locations=locations).select(
                *_period_columns(view), pl.all()
            ), view
        named = data.with_location_names(daily, locations=locations)
        return named.select(
            "day",
            "location_id",
            "location_name",
            pl.all().exclude("day", "location_id", "location_name"),
        ), view
    if table == "spc":
        weekly = alert_queries.alert_weekly_share(
            reader=reader, identity=identity, location_id=view.location_id
        )
        go_live = (
            locations.filter(pl.col("location_id") == view.location_id).item(0, "dscr_go_live_date")
            if view.location_id
            else None
        )
        series, chart = data.spc_frame(weekly, go_live=go_live)
        return data.spc_values(series, chart), view
    if table == "burden":
        burden = data.with_location_names(alert_queries.alert_burden(**window), locations=locations)
        return burden, view
    if table == "heatmap":
        grid = heatmap_grid(alert_queries.alert_heatmap(**window).rename({"alerts": "falls"}))
        return grid.rename({"falls": "alerts"}).select(*_period_columns(view), pl.all()), view
    if table == "open":
        listed = alert_queries.open_alert_scores(
            reader=reader, identity=identity, location_id=view.location_id, row_limit=None
        )
        rows = listed.rows.select(
            "record_uid",
            _uk_time("raised_at"),
            "raised_at",
            "location_id",
            "location_name",
            "category",
            "severity",
            "score",
            "reason",
            "hours_open",
            "model_run_id",
        )
        return rows, view
    run = alert_queries.latest_triage_run(reader=reader, identity=identity)
    if run is None or run["status"] != "trained":
        return None
    metrics = sections.model_metrics_frame(run)
    return metrics.select(pl.lit(run["model_run_id"]).alias("model_run_id"), pl.all()), view


def _icb_frame(identity: Identity, *, asked: object) -> tuple[pl.DataFrame, data.AlertsView] | None:
    reader = current_reader()
    bounds = alert_queries.icb_alert_bounds(reader=reader, identity=identity)
    view = data.icb_view(asked, bounds=bounds)
    if view is None:
        return None
    rows = alert_queries.icb_alert_providers(
        reader=reader, identity=identity, day_from=view.day_from, day_to=view.day_to
    )
    return rows.select(*_period_columns(view), pl.all()), view


def download(request: object) -> dict[str, Any]:
    """The download callback: send one of the page's tables as CSV or XLSX, and audit it.

    Raises:
        PreventUpdate: For a request that names no table of the page (or none the caller may
            download), no known format, or when there is nothing to send.
    """
    identity = current_identity()
    asked = request if isinstance(request, dict) else {}
    table = asked.get("table")
    file_format = asked.get("format")
    is_icb = identity.data_role is Role.ICB_LEAD
    allowed = ("providers",) if is_icb else tuple(t for t in data.TABLES if t != "providers")
    if table not in allowed or file_format not in data.FORMATS:
        raise PreventUpdate
    try:
        if is_icb:
            found = _icb_frame(identity, asked=asked.get("view"))
        else:
            found = _provider_frame(str(table), identity=identity, asked=asked.get("view"))
    except WarehouseUnavailableError:
        raise PreventUpdate from None
    if found is None:
        raise PreventUpdate
    frame, view = found
    where = view.location_id or ("icb" if is_icb else "all-locations")
    filename = download_file_name(
        "alerts",
        str(table),
        where,
        view.day_from.isoformat(),
        view.day_to.isoformat(),
        suffix=f".{file_format}",
    )
    record_access(AccessEventKind.DOWNLOAD, detail=filename, row_count=frame.height)
    suppressed = CONTROLLED if is_icb else ()
    if file_format == "csv":
        return dcc.send_string(
            to_safe_csv(frame, suppressed=suppressed), filename=filename, type="text/csv"
        )
    workbook = to_safe_xlsx(frame, sheet_name=f"Alerts {table}", suppressed=suppressed)
    return dcc.send_bytes(workbook, filename=filename, type=XLSX_MEDIA_TYPE)
