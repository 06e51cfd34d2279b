"""Staff time: what the digital care record takes and gives back in staff time.

Measured figures are kept apart from assumed ones, and results say which parts are which.

For one location at a time (``?location=<id>``): *measured* documentation minutes per shift
(per completed visit in home care) since go-live, notes recorded within 15 minutes, offline
recording, home-care visit punctuality and missed visits, care-plan reviews done on time;
*assumed* figures (the paper-era baseline, managerial task times, pay and on-costs), which
owners change here (``?edit=<assumption>`` opens the form) and everyone else reads; and the
*result*, staff hours released per month with their range and value, worked out on the page
from the marts and the assumptions in force, so an edit shows at once. ICB leads see a
disclosure-controlled summary of measured documentation time per provider instead.
"""

from __future__ import annotations

from typing import Any

import dash
from dash import ALL, ClientsideFunction, Input, Output, State, callback, dcc, html

from cost_model.assumptions import ASSUMPTIONS, AssumptionName
from dashboards.access import current_identity
from dashboards.accounts import AccessEventKind, AssumptionEntryError
from dashboards.components import time_downloads
from dashboards.components.empty_state import empty_state
from dashboards.components.measure_sections import labelled, location_options, select
from dashboards.components.tables import aria
from dashboards.components.time_assumptions import (
    LABELS,
    assumption_form,
    assumptions_downloads,
    assumptions_intro,
    assumptions_table,
    form_hint,
    may_edit_assumptions,
    shown_names,
    value_text,
)
from dashboards.components.time_data import (
    TimeView,
    chosen_location,
    read_locations,
    read_view,
)
from dashboards.components.time_icb import icb_section
from dashboards.components.time_measured import (
    documentation_section,
    reviews_section,
    visits_section,
)
from dashboards.components.time_outcome import managerial_section, released_section
from dashboards.components.time_parts import (
    ASSUMPTIONS_SECTION,
    DOWNLOAD,
    DOWNLOAD_BUTTON,
    DOWNLOAD_REQUEST,
    FORM,
    FORM_HINT,
    FORM_NAME,
    FORM_NOTE,
    FORM_VALUE,
    LOCATION,
    PATH,
    RESULTS,
    SAVE,
    STATUS,
    VIEW,
    Basis,
    heading,
)
from dashboards.context import current_reader, current_services, record_access, utc_now
from dashboards.errors import WarehouseUnavailableError
from dashboards.queries import time as time_queries
from dashboards.roles import Identity, Role

dash.register_page(
    __name__,
    path=PATH,
    name="Staff time",
    title="Staff time - carelens",
    description="Documentation time measured, the paper-era time assumed, and hours released.",
    order=21,
    roles=frozenset({Role.OWNER, Role.QUALITY_LEAD, Role.INSPECTOR, Role.ICB_LEAD}),
)

HEADING = "Staff time"
ASSUMPTIONS_BOX = "time-assumptions-box"
NOT_YOURS = "The location asked for is not one of yours, so {name} is shown."
_ERROR = "quality-status is-error"
_UNCHANGED = (dash.no_update, dash.no_update, dash.no_update)


def layout(location: str | None = None, edit: str | None = None, **_query: str) -> html.Div:
    """Lay out the page for the caller: one location's figures, or the ICB summary.

    ``?location=<id>`` picks the location (another, or none, shows the first); ``?edit=<name>``
    opens the form of that assumption for owners (ignored for anyone else).
    """
    identity = current_identity()
    title = html.H1(HEADING)
    try:
        if identity.data_role is Role.ICB_LEAD:
            return _icb_layout(identity, title=title)
        locations = read_locations(identity)
        if locations.is_empty():
            message = "No location of yours has sent an export yet."
            return html.Div([title, empty_state(message, heading="No locations yet")])
        row = chosen_location(locations, location) or locations.row(0, named=True)
        notes = (
            [html.P(NOT_YOURS.format(name=row["location_name"]), className="note", role="status")]
            if location not in (None, "") and chosen_location(locations, location) is None
            else []
        )
        view = read_view(identity, locations=locations, location=row)
    except WarehouseUnavailableError as error:
        return html.Div([title, empty_state(error.user_message)])
    editable = may_edit_assumptions(identity)
    names = shown_names(locations["service_type"].to_list())
    editing = next((name for name in names if editable and name.value == edit), None)
    return html.Div(
        [
            title,
            html.P(
                "What the digital care record takes and gives back in staff time. Measured "
                "figures come from your records; assumed ones are taken on trust (the time "
                "things took on paper, what an hour costs); results combine the two. Each is "
                "labelled.",
                className="lead",
            ),
            *notes,
            _picker(view),
            html.Section(_measured(view), className="page-section"),
            html.Section(
                _assumptions(view, identity=identity, editing=editing),
                className="page-section",
                id=ASSUMPTIONS_SECTION,
            ),
            html.Section(_results(view, editable=editable), className="page-section", id=RESULTS),
            *_stores({"location": view.location_id}),
        ],
        className="measure-page",
    )


def _stores(view: dict[str, str]) -> list[Any]:
    return [
        dcc.Store(id=VIEW, data=view),
        dcc.Store(id=DOWNLOAD_REQUEST),
        dcc.Download(id=DOWNLOAD),
    ]


def _icb_layout(identity: Identity, *, title: html.H1) -> html.Div:
    frame = time_queries.time_icb_documentation(reader=current_reader(), identity=identity)
    return html.Div(
        [
            title,
            html.P(
                "How long care workers spend recording care, and how promptly they record it, "
                "at each provider of your ICB: measured from their digital care records.",
                className="lead",
            ),
            html.Section(icb_section(frame), className="page-section"),
            *_stores({}),
        ],
        className="measure-page",
    )


def _picker(view: TimeView) -> html.Section:
    form = html.Form(
        [
            labelled(
                "Location",
                control=select(
                    location_options(view.locations, with_all=False),
                    name="location",
                    control_id=LOCATION,
                    value=view.location_id,
                ),
                control_id=LOCATION,
            ),
            html.Button("Show", type="submit", className="button"),
        ],
        action=PATH,
        method="GET",
        className="measure-picker",
    )
    return html.Section(form, className="measure-controls", **aria(label="Choose a location"))


def _measured(view: TimeView) -> list[Any]:
    name = view.location["location_name"] or view.location_id
    parts = documentation_section(view.documentation, location_name=name, go_live=view.go_live)
    if view.location["service_type"] == "home_care":
        parts += visits_section(view.visits, location_name=name, go_live=view.go_live)
    return parts + reviews_section(view.reviews, location_name=name, go_live=view.go_live)


def _assumptions_table(view: TimeView, *, editable: bool) -> html.Div:
    names = shown_names(view.locations["service_type"].to_list())
    return assumptions_table(
        names,
        resolved=view.assumptions.resolved,
        entered=view.assumptions.entered,
        editable=editable,
        location_id=view.location_id,
    )


def _assumptions(
    view: TimeView, *, identity: Identity, editing: AssumptionName | None
) -> list[Any]:
    editable = may_edit_assumptions(identity)
    form = (
        [
            assumption_form(
                editing,
                resolved=view.assumptions.resolved,
                entered=view.assumptions.entered,
                location_id=view.location_id,
            )
        ]
        if editing is not None
        else []
    )
    return [
        heading(2, "Assumptions", basis=Basis.ASSUMED),
        assumptions_intro(editable=editable),
        *form,
        html.Div(_assumptions_table(view, editable=editable), id=ASSUMPTIONS_BOX),
        assumptions_downloads(),
    ]


def _results(view: TimeView, *, editable: bool) -> list[Any]:
    name = view.location["location_name"] or view.location_id
    released = view.released()
    shift_basis = released["shift_basis"][0] if released.height else None
    return [
        *released_section(
            released,
            location_name=name,
            shift_basis=shift_basis,
            resolved=view.assumptions.resolved,
            editable=editable,
            location_id=view.location_id,
        ),
        *managerial_section(
            view.managerial(),
            resolved=view.assumptions.resolved,
            editable=editable,
            location_id=view.location_id,
        ),
    ]


# The browser gathers the form's fields (and the location shown) into one value, so the
# server-side save reads a single state (assets/time_page.js).
dash.clientside_callback(
    ClientsideFunction(namespace="carelens_time", function_name="assumptionForm"),
    Output(FORM, "data"),
    Input(FORM_NAME, "data"),
    Input(FORM_VALUE, "value"),
    Input(FORM_NOTE, "value"),
    State(VIEW, "data"),
)

# A download button names its table and format in its id; the browser turns the click into
# one request for the server-side download callback (assets/time_page.js).
dash.clientside_callback(
    ClientsideFunction(namespace="carelens_time", function_name="downloadRequest"),
    Output(DOWNLOAD_REQUEST, "data"),
    Input({"type": DOWNLOAD_BUTTON, "table": ALL, "format": ALL}, "n_clicks"),
    State(VIEW, "data"),
    prevent_initial_call=True,
)


@callback(
    Output(STATUS, "children"),
    Output(STATUS, "className"),
    Output(FORM_HINT, "children"),
    Output(ASSUMPTIONS_BOX, "children"),
    Output(RESULTS, "children"),
    Input(SAVE, "n_clicks"),
    State(FORM, "data"),
    prevent_initial_call=True,
)
def save_assumption(n_clicks: object, form: object) -> tuple[Any, ...]:
    """Store the form's value for one of the provider's assumptions (owners only).

    Anyone else, names the page does not show, locations not the caller's and values outside
    the unit's limits are refused with a message; nothing the caller sent is echoed. A saved
    value is recorded as ``ASSUMPTION_CHANGED`` and the results are worked out again at once.
    """
    identity = current_identity()
    if not n_clicks:
        return "", "quality-status", *_UNCHANGED
    if not may_edit_assumptions(identity) or identity.scope.provider_id is None:
        return "Only your organisation's owners can change assumptions.", _ERROR, *_UNCHANGED
    values = form if isinstance(form, dict) else {}
    try:
        locations = read_locations(identity)
    except WarehouseUnavailableError:
        return "The figures cannot be read just now; nothing was saved.", _ERROR, *_UNCHANGED
    names = shown_names(locations["service_type"].to_list())
    name = next((n for n in names if n.value == values.get("name")), None)
    row = chosen_location(locations, values.get("location"))
    if name is None or row is None:
        return "Choose Change in a row of the assumptions first.", _ERROR, *_UNCHANGED
    try:
        change = current_services().accounts.set_assumption(
            identity.scope.provider_id,
            name=name.value,
            value=values.get("value"),  # checked there
            note=values.get("note") if isinstance(values.get("note"), str) else None,
            set_by=identity.username,
            now=utc_now(),
        )
    except AssumptionEntryError as error:
        return str(error), _ERROR, *_UNCHANGED
    record_access(AccessEventKind.ASSUMPTION_CHANGED, detail=change.describe())
    view = read_view(identity, locations=locations, location=row)
    entry_value = change.current.value
    message = (
        f"{LABELS[name]}: your figure is cleared."
        if entry_value is None
        else f"{LABELS[name]}: saved as {value_text(entry_value, ASSUMPTIONS[name].unit)}."
    )
    hint = form_hint(name, resolved=view.assumptions.resolved, entered=view.assumptions.entered)
    return (
        message,
        "quality-status",
        hint,
        _assumptions_table(view, editable=True),
        _results(view, editable=True),
    )


@callback(
    Output(DOWNLOAD, "data"),
    Input(DOWNLOAD_REQUEST, "data"),
    prevent_initial_call=True,
)
def download_table(request: object) -> dict[str, Any]:
    """Send the table asked for as CSV or XLSX (recorded in the audit trail)."""
    return time_downloads.download(request)
