"""The Time page's downloads: each table as CSV or XLSX, read again for the caller and audited.

A request names a table, a format and the location the page shows; the location is checked
against the caller's own like any other value from the browser, and the rows are read again
through the same scoped queries (and worked out again with the assumptions in force) as the
page. ICB leads can download their summary only; everyone else every table but that one.
"""

from __future__ import annotations

from typing import Any

import polars as pl
from dash import dcc
from dash.exceptions import PreventUpdate

from dashboards.access import current_identity
from dashboards.accounts import AccessEventKind
from dashboards.components.time_assumptions import assumptions_frame, shown_names
from dashboards.components.time_data import (
    chosen_location,
    read_assumptions,
    read_locations,
    read_view,
)
from dashboards.components.time_icb import icb_download_frame
from dashboards.components.time_parts import FORMATS, TimeTable
from dashboards.context import current_reader, record_access
from dashboards.downloads import XLSX_MEDIA_TYPE, download_file_name, to_safe_csv, to_safe_xlsx
from dashboards.errors import WarehouseUnavailableError
from dashboards.queries import time as time_queries
from dashboards.roles import Identity, Role

ICB_CONTROLLED = (
    "shifts",
    "care_notes",
    "notes_within_15_minutes",
    "minutes_per_shift",
    "share_within_15_minutes",
)
"""The ICB summary's disclosure-controlled columns: a null there is suppressed, written [c]."""
_SHEETS = {
    TimeTable.DOCUMENTATION: "Documentation time",
    TimeTable.VISITS: "Visits",
    TimeTable.REVIEWS: "Care-plan reviews",
    TimeTable.RELEASED: "Hours released",
    TimeTable.MANAGERIAL: "Managers hours released",
    TimeTable.ASSUMPTIONS: "Assumptions",
    TimeTable.ICB: "Documentation by provider",
}


def _frame(
    table: TimeTable, *, identity: Identity, location: object
) -> tuple[pl.DataFrame, list[str]] | None:
    """The rows of ``table`` and the parts of its file name after the table's name."""
    if identity.data_role is Role.ICB_LEAD:
        if table is not TimeTable.ICB:
            return None
        frame = time_queries.time_icb_documentation(reader=current_reader(), identity=identity)
        return icb_download_frame(frame), [identity.scope.icb_code or ""]
    if table is TimeTable.ICB:
        return None
    locations = read_locations(identity)
    if table is TimeTable.ASSUMPTIONS:
        assumptions = read_assumptions(identity)
        names = shown_names(locations["service_type"].to_list())
        frame = assumptions_frame(names, resolved=assumptions.resolved, entered=assumptions.entered)
        return frame, [identity.scope.provider_id or ""]
    row = chosen_location(locations, location)
    if row is None:
        return None
    view = read_view(identity, locations=locations, location=row)
    if table is TimeTable.MANAGERIAL:
        return view.managerial(), [identity.scope.provider_id or ""]
    frames = {
        TimeTable.DOCUMENTATION: lambda: view.documentation,
        TimeTable.VISITS: lambda: view.visits,
        TimeTable.REVIEWS: lambda: view.reviews,
        TimeTable.RELEASED: view.released,
    }
    frame = frames[table]()
    if frame.width == 0:
        return None
    if "location_id" not in frame.columns:
        frame = frame.select(pl.lit(view.location_id).alias("location_id"), pl.all())
    return frame, [view.location_id]


def download(request: object) -> dict[str, Any]:
    """Send one table of the page as CSV or XLSX, and record the download in the audit trail.

    Raises:
        PreventUpdate: For a request naming no table of the page, no known format, a location
            that is not the caller's, or a table the caller's role does not see.
    """
    identity = current_identity()
    asked = request if isinstance(request, dict) else {}
    table = next((t for t in TimeTable if t.value == asked.get("table")), None)
    file_format = asked.get("format")
    if table is None or file_format not in FORMATS:
        raise PreventUpdate
    try:
        found = _frame(table, identity=identity, location=asked.get("location"))
    except WarehouseUnavailableError:
        raise PreventUpdate from None
    if found is None:
        raise PreventUpdate
    frame, parts = found
    filename = download_file_name("time", table.value, *parts, suffix=f".{file_format}")
    record_access(AccessEventKind.DOWNLOAD, detail=filename, row_count=frame.height)
    suppressed = ICB_CONTROLLED if table is TimeTable.ICB else ()
    if file_format == "csv":
        return dcc.send_string(
            to_safe_csv(frame, suppressed=suppressed), filename=filename, type="text/csv"
        )
    # spreadsheets read money and hours as numbers: exact decimals become floats in XLSX only
    numbers = frame.with_columns(
        pl.col(name).cast(pl.Float64) for name, dtype in frame.schema.items() if dtype.is_decimal()
    )
    workbook = to_safe_xlsx(numbers, sheet_name=_SHEETS[table], suppressed=suppressed)
    return dcc.send_bytes(workbook, filename=filename, type=XLSX_MEDIA_TYPE)
