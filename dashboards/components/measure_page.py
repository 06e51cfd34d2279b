"""The measure pages (falls, medication, pressure ulcers): one layout for all three.

A page module registers itself, describes itself with a
:class:`~dashboards.components.measure_data.MeasurePage`, calls :func:`page_layout` from its
``layout`` and :func:`register_browser_callbacks` once, and declares one thin server callback
that calls :func:`dashboards.components.measure_downloads.download`.

What the page shows lives in its address, so every view can be bookmarked and shared and the
controls are plain HTML that any browser and assistive technology handles (Dash 4's dropdown
and radio items fail axe-core's checks): ``?location=&grain=&measure=`` choose the chart, and
``period``, ``harm``, ``subtype`` and ``where`` filter the incident list. The location picker
and the incident filters are GET forms; months or weeks, and the measure, are links. Selecting
a point of the chart leads to the same page with that period (``assets/measure_page.js``).
Whatever arrives is checked against the caller's locations before a query runs, and every
query filters by the caller's scope again.
"""

from __future__ import annotations

from typing import Any

import dash
import polars as pl
from dash import ClientsideFunction, Input, Output, State, dcc, html

from dashboards import queries
from dashboards.access import current_identity
from dashboards.components import measure_content as content
from dashboards.components import measure_sections as sections
from dashboards.components.empty_state import empty_state
from dashboards.components.measure_chart import ChartData, read_chart, read_impact
from dashboards.components.measure_data import (
    FORMATS,
    GRAINS,
    Extra,
    IncidentSelection,
    MeasurePage,
    MeasureView,
    Table,
    parse_incident_query,
    parse_view,
)
from dashboards.components.tables import aria
from dashboards.context import current_reader
from dashboards.errors import WarehouseUnavailableError
from dashboards.roles import Identity

_NAMESPACE = "carelens_measure"
NOT_YOURS = "The location asked for is not one of yours, so {name} is shown."


def _default_view(page: MeasurePage, locations: pl.DataFrame) -> MeasureView | None:
    """The first location with a rate for the page's first measure, else the first location."""
    views = [
        parse_view(page, data={"location": location_id}, locations=locations)
        for location_id in locations["location_id"]
    ]
    known = [view for view in views if view is not None]
    with_rate = [view for view in known if view.has_rate]
    return next(iter(with_rate or known), None)


def page_layout(
    page: MeasurePage,
    *,
    location: str | None = None,
    grain: str | None = None,
    measure: str | None = None,
    period: str | None = None,
    harm: str | None = None,
    subtype: str | None = None,
    where: str | None = None,
) -> html.Div:
    """Lay out a measure page for the caller, as its query string asks.

    Args:
        page: The page.
        location: ``?location=`` (a location of the caller's; another shows the default).
        grain: ``week`` for weeks (months otherwise).
        measure: One of the page's measures (the first otherwise).
        period: The incident list's month (first day) or week (Monday), ISO; all otherwise.
        harm: The incident list's harm level; any otherwise.
        subtype: The incident list's subtype; any otherwise.
        where: The incident list's location, or ``all``; the chart's location otherwise.
    """
    identity = current_identity()
    heading = html.H1(page.heading)
    try:
        locations = queries.quality_locations(reader=current_reader(), identity=identity)
        default = _default_view(page, locations)
        if default is None:
            message = "No location of yours has sent an export yet."
            return html.Div([heading, empty_state(message, heading="No locations yet")])
        wanted = {"location": location or default.location_id, "grain": grain, "measure": measure}
        view = parse_view(page, data=wanted, locations=locations) or default
        filters = {"view": view.data(), "period": period, "harm": harm, "subtype": subtype}
        # a location filter out of scope is dropped; the other filters stay
        selection = (
            parse_incident_query(
                page, data={**filters, "location": where or view.location_id}, locations=locations
            )
            or parse_incident_query(
                page, data={**filters, "location": view.location_id}, locations=locations
            )
            or IncidentSelection(view=view, location_id=view.location_id)
        )
        notes = [
            html.P(NOT_YOURS.format(name=view.location_name), className="note", role="status")
            for asked in (location, where)
            if asked not in (None, "", sections.ALL)
            and asked not in locations["location_id"].to_list()
        ][:1]
        body = _body(page, identity=identity, selection=selection, locations=locations)
    except WarehouseUnavailableError as error:
        return html.Div([heading, empty_state(error.user_message)])
    return html.Div(
        [heading, html.P(page.lead, className="lead"), *notes, *body], className="measure-page"
    )


def _controls(page: MeasurePage, *, view: MeasureView, locations: pl.DataFrame) -> html.Section:
    ids = page.ids
    here = view.data()
    picker = html.Form(
        [
            sections.labelled(
                "Location",
                control=sections.select(
                    sections.location_options(locations, with_all=False),
                    name="location",
                    control_id=ids.location,
                    value=view.location_id,
                ),
                control_id=ids.location,
            ),
            sections.hidden("grain", value=view.grain),
            sections.hidden("measure", value=str(view.spec.measure)),
            html.Button("Show", type="submit", className="button"),
        ],
        action=page.path,
        method="GET",
        className="measure-picker",
    )
    links = [
        sections.choice_links(
            [
                (
                    text,
                    sections.query_href(page.path, params={**here, "grain": grain}),
                    grain == view.grain,
                )
                for grain, text in GRAINS.items()
            ],
            label="Chart by",
        )
    ]
    if len(page.measures) > 1:
        links.append(
            sections.choice_links(
                [
                    (
                        text,
                        sections.query_href(page.path, params={**here, "measure": str(measure)}),
                        measure == view.spec.measure,
                    )
                    for measure, text in zip(page.measures, page.measure_labels, strict=True)
                ],
                label="Measure",
            )
        )
    return html.Section(
        [picker, *links], className="measure-controls", **aria(label="Choose what to chart")
    )


def _download_buttons(page: MeasurePage, table: Table, *, what: str) -> html.Div:
    return sections.download_buttons(
        csv_id=page.ids.download_button(table, "csv"),
        xlsx_id=page.ids.download_button(table, "xlsx"),
        what=what,
    )


def _body(
    page: MeasurePage,
    *,
    identity: Identity,
    selection: IncidentSelection,
    locations: pl.DataFrame,
) -> list[Any]:
    ids = page.ids
    view = selection.view
    impact = read_impact(identity=identity, view=view, reader=current_reader())
    chart = read_chart(identity=identity, view=view, reader=current_reader(), impact=impact)
    extra_section: list[Any] = []
    if page.extra is not Extra.NONE:
        table = Table.HEATMAP if page.extra is Extra.HEATMAP else Table.DOSES
        what = "these counts" if page.extra is Extra.HEATMAP else "the doses table"
        extra_section = [
            html.Section(
                [
                    html.Div(
                        content.extra_children(
                            page=page, identity=identity, view=view, selection=selection
                        ),
                        id=ids.extra,
                    ),
                    _download_buttons(page, table, what=what),
                ],
                className="page-section",
            )
        ]
    state = {
        "view": view.data(),
        "query": selection.data(),
        "point_href": sections.query_href(page.path, params=selection.params(with_period=False)),
        "anchor": ids.incidents_section,
    }
    return [
        _controls(page, view=view, locations=locations),
        html.Section(
            [
                html.Div(
                    content.chart_children(selection, chart=chart, graph_id=ids.chart),
                    id=ids.chart_section,
                ),
                _download_buttons(page, Table.CHART, what="the chart's values"),
            ],
            className="page-section",
        ),
        html.Section(
            [
                html.H2("Before and after the DSCR went live"),
                html.Div(content.estimate_children(view, row=impact, chart=chart), id=ids.estimate),
                _download_buttons(page, Table.ESTIMATE, what="the estimate"),
            ],
            className="page-section",
        ),
        *extra_section,
        _incidents_section(
            page, identity=identity, selection=selection, locations=locations, chart=chart
        ),
        dcc.Store(id=ids.state, data=state),
        dcc.Location(id=ids.navigate, refresh=True),
        dcc.Store(id=ids.download_request),
        dcc.Download(id=ids.download),
    ]


def _incident_filters(
    page: MeasurePage, *, selection: IncidentSelection, locations: pl.DataFrame, chart: ChartData
) -> html.Form:
    ids = page.ids
    view = selection.view
    chosen = selection.data()
    controls: list[Any] = [
        sections.labelled(
            "Period",
            control=sections.select(
                sections.period_options(chart.series["period"].to_list(), grain=view.grain),
                name="period",
                control_id=ids.period,
                value=chosen["period"],
            ),
            control_id=ids.period,
        ),
        sections.labelled(
            "Harm",
            control=sections.select(
                sections.harm_options(), name="harm", control_id=ids.harm, value=chosen["harm"]
            ),
            control_id=ids.harm,
        ),
    ]
    if page.subtypes:
        controls.append(
            sections.labelled(
                "Subtype",
                control=sections.select(
                    sections.subtype_options(page.subtypes),
                    name="subtype",
                    control_id=ids.subtype,
                    value=chosen["subtype"],
                ),
                control_id=ids.subtype,
            )
        )
    controls.append(
        sections.labelled(
            "Location",
            control=sections.select(
                sections.location_options(locations, with_all=True),
                name="where",
                control_id=ids.incident_location,
                value=chosen["location"],
            ),
            control_id=ids.incident_location,
        )
    )
    carried = [sections.hidden(name, value=value) for name, value in view.data().items()]
    clear = sections.query_href(page.path, params=view.data(), anchor=ids.incidents_section)
    return html.Form(
        [
            *controls,
            *carried,
            html.Div(
                [
                    html.Button("List incidents", type="submit", className="button"),
                    html.A("Clear the filters", href=clear, className="measure-clear"),
                ],
                className="measure-form-actions",
            ),
        ],
        action=f"{page.path}#{ids.incidents_section}",
        method="GET",
        className="measure-filters",
        role="search",
        **aria(label="Filter the incidents"),
    )


def _incidents_section(
    page: MeasurePage,
    *,
    identity: Identity,
    selection: IncidentSelection,
    locations: pl.DataFrame,
    chart: ChartData,
) -> html.Section:
    ids = page.ids
    noun = selection.view.spec.label.lower()
    return html.Section(
        [
            html.H2("Incidents"),
            html.P(
                f"The {noun} behind the chart. Select a point of the chart, or choose a period, "
                "to list that month's or week's; narrow the list by harm"
                + (", subtype" if page.subtypes else "")
                + " or location. Only your organisation's own identifiers are shown, never the "
                "incident's description.",
                className="note",
            ),
            _incident_filters(page, selection=selection, locations=locations, chart=chart),
            html.Div(
                content.incident_children(page, identity=identity, selection=selection),
                id=ids.incidents,
            ),
            _download_buttons(page, Table.INCIDENTS, what="these incidents"),
        ],
        className="page-section",
        id=ids.incidents_section,
        tabIndex="-1",
    )


def register_browser_callbacks(page: MeasurePage) -> None:
    """Register the page's browser-side callbacks (``assets/measure_page.js``).

    Selecting a point of the chart leads to the page with that period; a download button
    names the table and format it asks for. Nothing is read from the server here.
    """
    ids = page.ids
    dash.clientside_callback(
        ClientsideFunction(namespace=_NAMESPACE, function_name="pointHref"),
        Output(ids.navigate, "href"),
        Input(ids.chart, "clickData"),
        State(ids.state, "data"),
        prevent_initial_call=True,
    )
    dash.clientside_callback(
        ClientsideFunction(namespace=_NAMESPACE, function_name="downloadRequest"),
        Output(ids.download_request, "data"),
        *(
            Input(ids.download_button(table, file_format), "n_clicks")
            for table in page.tables
            for file_format in FORMATS
        ),
        State(ids.state, "data"),
        prevent_initial_call=True,
    )
