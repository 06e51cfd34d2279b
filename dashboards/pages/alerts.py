"""Alerts: volumes, false alarms, response times, burden, and open alerts ranked by triage score.

Owners, quality leads and inspectors see their provider's (or locations') alerts for the
location and period in the address (``?location=<id>|all&period=4w|13w|52w|all``): response
times, alerts by category and day, the Making Data Count chart of the weekly false-alarm
share, alerts per shift, when alerts are raised, the rules worth re-tuning, the open alerts
ranked by the triage model, and how good that model is. ICB leads see one
disclosure-controlled row per provider of their ICB, never a single alert. Every table
downloads as CSV and XLSX, recorded in the audit trail.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import dash
from dash import ClientsideFunction, Input, Output, State, callback, dcc, html
from dash.development.base_component import Component

from dashboards.access import current_identity
from dashboards.components import alerts_downloads
from dashboards.components import alerts_sections as sections
from dashboards.components.alerts_data import TABLES, AlertsData, icb_view, read_alerts, read_view
from dashboards.components.empty_state import empty_state
from dashboards.components.icb_loads import DISCLOSURE_NOTE
from dashboards.components.tables import html_table
from dashboards.context import current_reader
from dashboards.errors import WarehouseUnavailableError
from dashboards.queries import alerts as alert_queries
from dashboards.roles import Identity, Role

PATH = sections.PATH
dash.register_page(
    __name__,
    path=PATH,
    name="Alerts",
    title="Alerts - carelens",
    description="Alert volumes, false alarms, response times and open alerts by triage score.",
    order=20,
    roles=frozenset({Role.OWNER, Role.QUALITY_LEAD, Role.INSPECTOR, Role.ICB_LEAD}),
)

STATE = "alerts-state"
DOWNLOAD_REQUEST = "alerts-download-request"
DOWNLOAD = "alerts-download"
HEADING = "Alerts"
LEAD = (
    "How many alerts your digital care records raise, how many turn out to be false alarms, "
    "how quickly staff respond, what they cost in staff time per shift, and which open alerts "
    "most likely need action now."
)
ICB_LEAD_TEXT = (
    "Alerts raised at the providers of your ICB and how many were false alarms, one row per "
    "provider. Single alerts and locations are not shown outside the provider."
)
NOT_YOURS = "The location asked for is not one of yours, so all your locations are shown."


def layout(location: str | None = None, period: str | None = None, **_query: str) -> html.Div:
    """Lay out the caller's view: ``?location=`` (or ``all``) and ``?period=`` pick it."""
    identity = current_identity()
    heading = html.H1(HEADING)
    try:
        if identity.data_role is Role.ICB_LEAD:
            return html.Div([heading, *_icb_body(identity, period=period)])
        body = _provider_body(identity, location=location, period=period)
    except WarehouseUnavailableError as error:
        return html.Div([heading, empty_state(error.user_message)])
    return html.Div([heading, html.P(LEAD, className="lead"), *body], className="alerts-page")


def _ids(root: Any) -> Iterator[str]:
    if isinstance(root, Component):
        component_id = getattr(root, "id", None)
        if isinstance(component_id, str):
            yield component_id
        yield from _ids(getattr(root, "children", None))
    elif isinstance(root, list | tuple):
        for child in root:
            yield from _ids(child)


def _download_plumbing(body: list[Any], *, view_data: dict[str, str]) -> list[Any]:
    """The stores and download, and hidden stand-ins for the buttons the body does not show.

    The browser-side callback that names a download listens to every button of every table,
    and Dash fires a callback only when all its inputs are in the page, so the buttons of
    sections that are empty (or of the other audience) are there, hidden.
    """
    present = set(_ids(body))
    missing = [
        html.Button(id=sections.download_id(table, file_format), hidden=True, type="button")
        for table in TABLES
        for file_format in ("csv", "xlsx")
        if sections.download_id(table, file_format) not in present
    ]
    return [
        html.Div(missing, hidden=True),
        dcc.Store(id=STATE, data={"view": view_data}),
        dcc.Store(id=DOWNLOAD_REQUEST),
        dcc.Download(id=DOWNLOAD),
    ]


def _provider_body(identity: Identity, *, location: str | None, period: str | None) -> list[Any]:
    reader = current_reader()
    locations, bounds, view = read_view(
        reader=reader, identity=identity, data={"location": location, "period": period}
    )
    if locations.is_empty():
        return [
            empty_state("No location of yours has sent an export yet.", heading="No locations yet")
        ]
    if view is None:
        return [
            empty_state(
                "No alerts are in your locations' exports yet. Alerts appear here once an "
                "export with alerts.csv has been loaded.",
                heading="No alerts yet",
            )
        ]
    notes = (
        [html.P(NOT_YOURS, className="note", role="status")]
        if location not in (None, "", "all") and view.location_id is None
        else []
    )
    data: AlertsData = read_alerts(
        reader=reader, identity=identity, view=view, bounds=bounds, locations=locations
    )
    body = [
        *notes,
        sections.controls(view, locations=locations),
        sections.times_section(data, locations=locations),
        sections.volumes_section(data, locations=locations),
        sections.spc_section(data),
        sections.burden_section(data),
        sections.heatmap_section(data),
        sections.retune_section(data, locations=locations),
        sections.open_section(data),
        sections.model_section(data.model_run),
    ]
    return [*body, *_download_plumbing(body, view_data=view.data())]


def _icb_body(identity: Identity, *, period: str | None) -> list[Any]:
    reader = current_reader()
    bounds = alert_queries.icb_alert_bounds(reader=reader, identity=identity)
    view = icb_view({"period": period}, bounds=bounds)
    if view is None:
        return [
            html.P(ICB_LEAD_TEXT, className="lead"),
            empty_state("No provider in your ICB has sent alerts yet.", heading="No alerts yet"),
        ]
    rows = alert_queries.icb_alert_providers(
        reader=reader, identity=identity, day_from=view.day_from, day_to=view.day_to
    )
    shown = rows.with_columns(sections.icb_share_text(rows).alias("share_text"))
    body = [
        html.P(ICB_LEAD_TEXT, className="lead"),
        sections.controls(view, locations=None),
        html.Section(
            [
                html.H2("Alerts by provider"),
                html_table(
                    shown,
                    columns=sections.ICB_COLUMNS,
                    caption=f"Providers with a location in your ICB: alerts raised from "
                    f"{view.period_text} at all their locations, closed, and false alarms",
                ),
                html.P(
                    "The share is of alerts closed (their outcome known) that were false "
                    "alarms. " + DISCLOSURE_NOTE,
                    className="note",
                ),
                sections.download_buttons("providers", what="this table"),
            ],
            className="page-section",
        ),
    ]
    return [*body, *_download_plumbing(body, view_data=view.data())]


dash.clientside_callback(
    ClientsideFunction(namespace="carelens_measure", function_name="downloadRequest"),
    Output(DOWNLOAD_REQUEST, "data"),
    *(
        Input(sections.download_id(table, file_format), "n_clicks")
        for table in TABLES
        for file_format in ("csv", "xlsx")
    ),
    State(STATE, "data"),
    prevent_initial_call=True,
)


@callback(
    Output(DOWNLOAD, "data"),
    Input(DOWNLOAD_REQUEST, "data"),
    prevent_initial_call=True,
)
def download_table(request: object) -> dict[str, Any]:
    """Send the table asked for as CSV or XLSX (recorded in the audit trail)."""
    return alerts_downloads.download(request)
