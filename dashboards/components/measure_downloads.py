"""The measure pages' downloads: every table of a page as CSV or XLSX, read again and audited.

A download request names a table of the page and a format, and carries the view or incident
selection the page shows; both are checked against the caller's locations like any other value
from the browser, and the rows are read again through the same scoped queries as the page.
Every file sent is recorded in the access audit trail with its name and row count.
"""

from __future__ import annotations

from typing import Any

import polars as pl
from dash import dcc
from dash.exceptions import PreventUpdate

from dashboards import figures, queries
from dashboards.access import current_identity
from dashboards.accounts import AccessEventKind
from dashboards.components import measure_sections as sections
from dashboards.components.measure_chart import read_chart, read_impact
from dashboards.components.measure_data import (
    FORMATS,
    IncidentSelection,
    MeasurePage,
    Table,
    names_a_location,
    parse_incident_query,
    parse_view,
)
from dashboards.context import current_reader, record_access
from dashboards.downloads import XLSX_MEDIA_TYPE, download_file_name, to_safe_csv, to_safe_xlsx
from dashboards.errors import WarehouseUnavailableError
from dashboards.roles import Identity


def _download_frame(
    page: MeasurePage, table: Table, *, identity: Identity, request: dict[str, Any]
) -> tuple[pl.DataFrame, list[str]] | None:
    """The rows of one table as downloaded, and the parts of its file name (measure first)."""
    reader = current_reader()
    locations = queries.quality_locations(reader=reader, identity=identity)
    if table is Table.INCIDENTS:
        selection = parse_incident_query(page, data=request.get("query"), locations=locations)
        if selection is None:
            return None
        listed = queries.measure_incidents(
            reader=reader,
            identity=identity,
            incident_filter=selection.incident_filter(),
            row_limit=None,
        )
        where = selection.location_id or "all-locations"
        when = selection.period.isoformat() if selection.period else "whole-period"
        name = [str(selection.view.spec.measure), where, when]
        return sections.incidents_download_frame(listed.rows), name
    view = parse_view(page, data=request.get("view"), locations=locations)
    if view is None:
        return None
    spec = view.spec
    name = [str(spec.measure), view.location_id, view.grain]
    context = [pl.lit(view.location_id).alias("location_id")]
    if table is Table.CHART:
        values = read_chart(
            identity=identity,
            view=view,
            reader=reader,
            impact=read_impact(identity=identity, view=view, reader=reader),
        ).values()
        renamed = values.rename(
            {"count": spec.count_column, "exposure": str(spec.exposure), "rate": spec.rate_column}
        )
        return renamed.select(*context, pl.all()), name
    if table is Table.ESTIMATE:
        rows = queries.quality_impact(
            reader=reader, identity=identity, location_id=view.location_id
        )
        measures = [str(measure) for measure in page.measures]
        return rows.filter(pl.col("measure").is_in(measures)), [page.key, view.location_id]
    if table is Table.HEATMAP:
        # the period the page's heatmap counts: the incident query's, when it is this view's
        selection = parse_incident_query(page, data=request.get("query"), locations=locations)
        period = selection.period if selection and selection.view == view else None
        window = IncidentSelection(view=view, period=period).incident_filter()
        frame = queries.falls_heatmap(
            reader=reader,
            identity=identity,
            location_id=view.location_id,
            measure=spec.measure,
            period_start=window.period_start,
            period_end=window.period_end,
        )
        grid = figures.heatmap_grid(frame).rename({"falls": str(spec.measure)})
        dated = [period.isoformat()] if period else []
        return grid.select(*context, pl.all()), [str(spec.measure), view.location_id, *dated]
    doses = queries.medication_doses(
        reader=reader, identity=identity, location_id=view.location_id, grain=view.grain
    )
    shares = doses.with_columns(
        missed_share=pl.col("missed_doses") / pl.col("scheduled_doses").replace(0, None),
        late_share=pl.col("late_doses") / pl.col("scheduled_doses").replace(0, None),
    )
    return shares.select(*context, pl.all()), name


def download(page: MeasurePage, *, request: object) -> dict[str, Any]:
    """The download callback: send one of the page's tables as CSV or XLSX, and audit it.

    The table is read again through the same scoped queries as the page, from the view or
    incident query the request carries (checked like any other).

    Raises:
        PreventUpdate: For a request that names no table of the page, no known format, or a
            view or location that is not the caller's.
    """
    identity = current_identity()
    asked = request if isinstance(request, dict) else {}
    table = next((t for t in page.tables if t == asked.get("table")), None)
    file_format = asked.get("format")
    chosen = asked.get("query") if table is Table.INCIDENTS else asked.get("view")
    if table is None or file_format not in FORMATS or not names_a_location(chosen):
        raise PreventUpdate
    try:
        found = _download_frame(page, table, identity=identity, request=asked)
    except WarehouseUnavailableError:
        raise PreventUpdate from None
    if found is None:
        raise PreventUpdate
    frame, parts = found
    filename = download_file_name(parts[0], str(table), *parts[1:], suffix=f".{file_format}")
    record_access(AccessEventKind.DOWNLOAD, detail=filename, row_count=frame.height)
    if file_format == "csv":
        return dcc.send_string(to_safe_csv(frame), filename=filename, type="text/csv")
    sheet = f"{page.heading} {table}"
    return dcc.send_bytes(
        to_safe_xlsx(frame, sheet_name=sheet), filename=filename, type=XLSX_MEDIA_TYPE
    )
