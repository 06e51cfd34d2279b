"""DSCR adoption: how much of an ICB uses a digital social care record, and who may stop.

For ICB leads (their own ICB): the adoption rate by locations and by care-home beds against
the 80% target, month by month, with the trajectory fitted by the last load and when it would
reach 80% at the current pace; how many more locations must adopt by a chosen month (a plain
GET form, ``?by=YYYY-MM``, checked on the server); the breakdowns by service type, size, local
authority and supplier; the locations at risk with the evidence, and those with no return;
falls and medication-error rates of the providers sharing their data, as funnel plots.

For owners: their own locations' status and risks, and the headline of their ICB. Every
ICB-wide count is disclosure-controlled; downloads are CSV and XLSX, audited.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import dash
import polars as pl
from dash import ALL, Input, Output, State, callback, dcc, html
from dash.exceptions import PreventUpdate

from dashboards.access import current_identity
from dashboards.accounts import AccessEventKind
from dashboards.components import adoption_funnel
from dashboards.components.adoption_view import (
    BREAKDOWN_CONTROLLED,
    DOWNLOAD,
    DOWNLOAD_BUTTON,
    FORMATS,
    HEADING,
    ICB_TABLES,
    MONTHLY_CONTROLLED,
    OWNER_TABLES,
    PATH,
    VIEW,
    AdoptionTable,
    ChosenDate,
    at_risk_frame,
    at_risk_section,
    breakdown_section,
    download_buttons,
    locations_frame,
    no_return_section,
    owner_icb_section,
    owner_locations_section,
    parse_by,
    rate_section,
    trajectory_view,
)
from dashboards.components.empty_state import empty_state
from dashboards.context import current_reader, record_access
from dashboards.downloads import XLSX_MEDIA_TYPE, download_file_name, to_safe_csv, to_safe_xlsx
from dashboards.errors import WarehouseNotReadyError, WarehouseUnavailableError
from dashboards.queries import adoption as queries
from dashboards.roles import Identity, Role

dash.register_page(
    __name__,
    path=PATH,
    name=HEADING,
    title="DSCR adoption - carelens",
    description="DSCR adoption across an ICB: rate, trajectory, gaps and providers at risk.",
    order=25,
    roles=frozenset({Role.ICB_LEAD, Role.OWNER}),
)

NOT_BUILT = (
    "The adoption figures have not been built in this warehouse yet: the next "
    "`carelens load` builds them from the CQC directory and the adoption returns."
)


def _is_icb_lead(identity: Identity) -> bool:
    return identity.data_role is Role.ICB_LEAD and identity.scope.icb_code is not None


def _is_owner(identity: Identity) -> bool:
    return identity.data_role is Role.OWNER and identity.scope.provider_id is not None


def layout(by: str | None = None, **_query: str) -> html.Div:
    """Lay out the page for the caller: the ICB view for ICB leads, the owner's otherwise."""
    identity = current_identity()
    title = html.H1(HEADING)
    try:
        if _is_icb_lead(identity):
            return _icb_layout(identity, title=title, by=by)
        if _is_owner(identity):
            return _owner_layout(identity, title=title)
    except WarehouseNotReadyError as error:
        message = NOT_BUILT if current_reader().warehouse_path.is_file() else error.user_message
        return html.Div([title, empty_state(message)])
    except WarehouseUnavailableError as error:
        return html.Div([title, empty_state(error.user_message)])
    return html.Div([title, empty_state("Only ICB leads and providers' owners see this page.")])


def _stores(data: dict[str, str]) -> list[Any]:
    return [dcc.Store(id=VIEW, data=data), dcc.Download(id=DOWNLOAD)]


def _icb_layout(identity: Identity, *, title: html.H1, by: str | None) -> html.Div:
    reader = current_reader()
    monthly = queries.icb_monthly(reader=reader, identity=identity)
    if monthly.is_empty():
        return html.Div(
            [
                title,
                empty_state(
                    "No month of adoption figures for your ICB yet: load the CQC care "
                    "directory, the sub-ICB lookup and the adoption returns.",
                    heading="No adoption figures yet",
                ),
            ]
        )
    latest = monthly.row(monthly.height - 1, named=True)
    chosen = parse_by(by, latest=latest["month"])
    row = queries.icb_trajectory(reader=reader, identity=identity)
    trajectory = trajectory_view(row, latest=latest, chosen=chosen)
    icb_name = latest["icb_name"] or latest["icb_code"]
    return html.Div(
        [
            title,
            html.P(
                f"{icb_name}: how many adult social care locations use a digital social care "
                "record, how fast that is growing, where the gaps are and who may stop.",
                className="lead",
            ),
            html.Section(
                rate_section(monthly, trajectory=trajectory, chosen=chosen, icb_name=icb_name),
                className="page-section",
            ),
            html.Section(
                breakdown_section(queries.icb_breakdown(reader=reader, identity=identity)),
                className="page-section",
            ),
            html.Section(
                at_risk_section(queries.icb_at_risk(reader=reader, identity=identity)),
                className="page-section",
            ),
            html.Section(
                no_return_section(queries.icb_no_return(reader=reader, identity=identity)),
                className="page-section",
            ),
            html.Section(
                adoption_funnel.funnel_section(identity=identity, latest_month=latest["month"]),
                className="page-section",
            ),
            html.Section(
                [html.H2("Downloads"), download_buttons(ICB_TABLES)], className="page-section"
            ),
            *_stores({"by": f"{chosen.month:%Y-%m}"}),
        ],
        className="measure-page adoption-page",
    )


def _owner_layout(identity: Identity, *, title: html.H1) -> html.Div:
    reader = current_reader()
    locations = queries.provider_locations(reader=reader, identity=identity)
    at_risk = queries.provider_at_risk(reader=reader, identity=identity)
    monthly = queries.provider_icb_monthly(reader=reader, identity=identity)
    return html.Div(
        [
            title,
            html.P(
                "Whether the CQC's records show your locations using a digital social care "
                "record, whether your ICB sees any of them as at risk of stopping, and how your "
                "ICB is doing against the 80% target.",
                className="lead",
            ),
            html.Section(owner_locations_section(locations), className="page-section"),
            html.Section(at_risk_section(at_risk, with_provider=False), className="page-section"),
            html.Section(owner_icb_section(monthly), className="page-section"),
            html.Section(
                [html.H2("Downloads"), download_buttons(OWNER_TABLES)],
                className="page-section",
            ),
            *_stores({}),
        ],
        className="measure-page adoption-page",
    )


_SHEETS = {
    AdoptionTable.MONTHLY: "Adoption by month",
    AdoptionTable.BREAKDOWN: "Breakdowns",
    AdoptionTable.PROJECTION: "Projection",
    AdoptionTable.AT_RISK: "At risk",
    AdoptionTable.NO_RETURN: "No return",
    AdoptionTable.FUNNEL: "Falls and medication errors",
    AdoptionTable.LOCATIONS: "Your locations",
}


def _icb_frame(
    table: AdoptionTable, *, identity: Identity, stored: Mapping[str, object]
) -> tuple[pl.DataFrame, tuple[str, ...]] | None:
    """An ICB lead's table and its controlled columns (``None``: not one of theirs)."""
    reader = current_reader()
    if table is AdoptionTable.MONTHLY:
        return queries.icb_monthly(reader=reader, identity=identity), MONTHLY_CONTROLLED
    if table is AdoptionTable.BREAKDOWN:
        return queries.icb_breakdown(reader=reader, identity=identity), BREAKDOWN_CONTROLLED
    if table is AdoptionTable.AT_RISK:
        frame = at_risk_frame(queries.icb_at_risk(reader=reader, identity=identity))
        return frame.drop("reason_text"), ()
    if table is AdoptionTable.NO_RETURN:
        return queries.icb_no_return(reader=reader, identity=identity), ()
    monthly = queries.icb_monthly(reader=reader, identity=identity)
    if monthly.is_empty():
        return None
    latest = monthly.row(monthly.height - 1, named=True)
    if table is AdoptionTable.FUNNEL:
        return adoption_funnel.funnel_download(identity=identity, latest_month=latest["month"])
    if table is AdoptionTable.PROJECTION:
        chosen: ChosenDate = parse_by(stored.get("by"), latest=latest["month"])
        row = queries.icb_trajectory(reader=reader, identity=identity)
        return trajectory_view(row, latest=latest, chosen=chosen).rows, ()
    return None


def _owner_frame(
    table: AdoptionTable, *, identity: Identity
) -> tuple[pl.DataFrame, tuple[str, ...]] | None:
    """An owner's table and its controlled columns (``None``: not one of theirs)."""
    reader = current_reader()
    if table is AdoptionTable.LOCATIONS:
        frame = queries.provider_locations(reader=reader, identity=identity)
        return locations_frame(frame), ()
    if table is AdoptionTable.AT_RISK:
        return queries.provider_at_risk(reader=reader, identity=identity), ()
    if table is AdoptionTable.MONTHLY:
        return queries.provider_icb_monthly(reader=reader, identity=identity), MONTHLY_CONTROLLED
    return None


@callback(
    Output(DOWNLOAD, "data"),
    Input({"type": DOWNLOAD_BUTTON, "table": ALL, "format": ALL}, "n_clicks"),
    State(VIEW, "data"),
    prevent_initial_call=True,
)
def download_table(clicks: object, stored: object) -> dict[str, Any]:
    """Send the table whose button was pressed (see :func:`send_table`)."""
    if not isinstance(clicks, list) or not any(clicks):
        raise PreventUpdate
    return send_table(button_id=dash.ctx.triggered_id, stored=stored)


def send_table(*, button_id: object, stored: object) -> dict[str, Any]:
    """Send one table as CSV or XLSX, read again for the caller and recorded in the audit trail.

    Suppressed counts and rates are written ``[c]``, never left empty.

    Raises:
        PreventUpdate: Not one of the page's buttons, a table the caller's role does not see,
            or the figures cannot be read.
    """
    identity = current_identity()
    asked = button_id if isinstance(button_id, Mapping) else {}
    table = next((t for t in AdoptionTable if t.value == asked.get("table")), None)
    fmt = asked.get("format")
    if asked.get("type") != DOWNLOAD_BUTTON or table is None or fmt not in FORMATS:
        raise PreventUpdate
    view = stored if isinstance(stored, Mapping) else {}
    try:
        if _is_icb_lead(identity) and table in ICB_TABLES:
            found = _icb_frame(table, identity=identity, stored=view)
            scope = identity.scope.icb_code or ""
        elif _is_owner(identity) and table in OWNER_TABLES:
            found = _owner_frame(table, identity=identity)
            scope = identity.scope.provider_id or ""
        else:
            found = None
    except (WarehouseNotReadyError, WarehouseUnavailableError):
        raise PreventUpdate from None
    if found is None:
        raise PreventUpdate
    frame, controlled = found
    filename = download_file_name("adoption", table.value, scope, suffix=f".{fmt}")
    record_access(AccessEventKind.DOWNLOAD, detail=filename, row_count=frame.height)
    if fmt == "csv":
        return dcc.send_string(
            to_safe_csv(frame, suppressed=controlled), filename=filename, type="text/csv"
        )
    workbook = to_safe_xlsx(frame, sheet_name=_SHEETS[table], suppressed=controlled)
    return dcc.send_bytes(workbook, filename=filename, type=XLSX_MEDIA_TYPE)
