"""The measure pages (falls, medication, pressure ulcers): one layout and the download logic.

A page module registers itself, describes itself with a
:class:`~dashboards.components.measure_data.MeasurePage`, calls :func:`page_layout` from its
``layout`` and :func:`register_browser_callbacks` once, and declares one thin server callback
that calls :func:`download`.

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
import plotly.graph_objects as go
import polars as pl
from dash import ClientsideFunction, Input, Output, State, dcc, html
from dash.exceptions import PreventUpdate

from dashboards import figures, queries
from dashboards.access import current_identity
from dashboards.accounts import AccessEventKind
from dashboards.components import measure_sections as sections
from dashboards.components.empty_state import empty_state
from dashboards.components.impact_panel import counted, impact_panel
from dashboards.components.measure_data import (
    FORMATS,
    GRAINS,
    ChartData,
    Extra,
    IncidentSelection,
    MeasurePage,
    MeasureView,
    Table,
    names_a_location,
    parse_incident_query,
    parse_view,
    read_chart,
    read_impact,
)
from dashboards.components.tables import aria
from dashboards.context import current_reader, record_access
from dashboards.downloads import XLSX_MEDIA_TYPE, download_file_name, to_safe_csv, to_safe_xlsx
from dashboards.errors import WarehouseUnavailableError
from dashboards.roles import Identity
from models.spc import summarise

_NAMESPACE = "carelens_measure"
NOT_YOURS = "The location asked for is not one of yours, so {name} is shown."


def _default_view(page: MeasurePage, locations: pl.DataFrame) -> MeasureView | None:
    """The first location with a rate for the page's first measure, else the first location."""
    views = [
        parse_view(page, {"location": location_id}, locations=locations)
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
        view = parse_view(page, wanted, locations=locations) or default
        filters = {"view": view.data(), "period": period, "harm": harm, "subtype": subtype}
        # a location filter out of scope is dropped; the other filters stay
        selection = (
            parse_incident_query(
                page, {**filters, "location": where or view.location_id}, locations=locations
            )
            or parse_incident_query(
                page, {**filters, "location": view.location_id}, locations=locations
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
                sections.select(
                    sections.location_options(locations, with_all=False),
                    name="location",
                    control_id=ids.location,
                    value=view.location_id,
                ),
                control_id=ids.location,
            ),
            sections.hidden("grain", view.grain),
            sections.hidden("measure", str(view.spec.measure)),
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
                    sections.query_href(page.path, {**here, "grain": grain}),
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
                        sections.query_href(page.path, {**here, "measure": str(measure)}),
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
    impact = read_impact(identity, view, reader=current_reader())
    chart = read_chart(identity, view, reader=current_reader(), impact=impact)
    extra_section: list[Any] = []
    if page.extra is not Extra.NONE:
        table = Table.HEATMAP if page.extra is Extra.HEATMAP else Table.DOSES
        what = "these counts" if page.extra is Extra.HEATMAP else "the doses table"
        extra_section = [
            html.Section(
                [
                    html.Div(_extra_children(page, identity, view), id=ids.extra),
                    _download_buttons(page, table, what=what),
                ],
                className="page-section",
            )
        ]
    state = {
        "view": view.data(),
        "query": selection.data(),
        "point_href": sections.query_href(page.path, selection.params(with_period=False)),
        "anchor": ids.incidents_section,
    }
    return [
        _controls(page, view=view, locations=locations),
        html.Section(
            [
                html.Div(
                    _chart_children(selection, chart=chart, graph_id=ids.chart),
                    id=ids.chart_section,
                ),
                _download_buttons(page, Table.CHART, what="the chart's values"),
            ],
            className="page-section",
        ),
        html.Section(
            [
                html.H2("Before and after the DSCR went live"),
                html.Div(_estimate_children(view, row=impact, chart=chart), id=ids.estimate),
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
            sections.select(
                sections.period_options(chart.series["period"].to_list(), grain=view.grain),
                name="period",
                control_id=ids.period,
                value=chosen["period"],
            ),
            control_id=ids.period,
        ),
        sections.labelled(
            "Harm",
            sections.select(
                sections.harm_options(), name="harm", control_id=ids.harm, value=chosen["harm"]
            ),
            control_id=ids.harm,
        ),
    ]
    if page.subtypes:
        controls.append(
            sections.labelled(
                "Subtype",
                sections.select(
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
            sections.select(
                sections.location_options(locations, with_all=True),
                name="where",
                control_id=ids.incident_location,
                value=chosen["location"],
            ),
            control_id=ids.incident_location,
        )
    )
    carried = [sections.hidden(name, value) for name, value in view.data().items()]
    clear = sections.query_href(page.path, view.data(), anchor=ids.incidents_section)
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
                incident_children(page, identity=identity, selection=selection), id=ids.incidents
            ),
            _download_buttons(page, Table.INCIDENTS, what="these incidents"),
        ],
        className="page-section",
        id=ids.incidents_section,
        tabIndex="-1",
    )


def _chart_children(selection: IncidentSelection, *, chart: ChartData, graph_id: str) -> list[Any]:
    view = selection.view
    spec, name = view.spec, view.location_name
    heading = sections.chart_heading(spec, location_name=name, grain=view.grain)
    noun = spec.label.lower()
    if not view.has_rate:
        return [
            heading,
            sections.notice(
                f"{name} is a home-care service: it has no occupied bed days, so {noun} "
                f"cannot be shown {spec.unit_label}. The {noun} recorded there are listed "
                "under Incidents below."
            ),
        ]
    if chart.series.is_empty():
        return [heading, sections.notice(f"There are no {view.grain}s of data for {name} yet.")]
    if chart.series["rate"].is_null().all():
        exposure = "occupied bed days" if spec.needs_bed_days else "scheduled doses"
        return [
            heading,
            sections.notice(
                f"No {exposure} are recorded for {name}, so there is no rate of {noun} to chart."
            ),
        ]
    go_live = view.location["dscr_go_live_date"]
    y_title = f"{spec.label} {spec.unit_label}"
    figure = figures.spc_figure(
        chart.spc,
        title=None,
        y_title=y_title,
        improvement=spec.improvement,
        x=chart.series["period"],
        target=chart.target,
        annotations=((go_live, "DSCR went live"),) if go_live else (),
    )
    text = figures.describe_spc(
        chart.spc,
        y_title=y_title,
        improvement=spec.improvement,
        x=chart.series["period"],
        target=chart.target,
    )
    described = figures.describe_counterfactual(
        chart.counterfactual_rates, unit_label=spec.unit_label
    )
    summary = summarise(chart.spc, improvement=spec.improvement, target=chart.target)
    return [
        heading,
        sections.icons(summary, target=chart.target, spec=spec),
        sections.chart_figure(
            figure=_selected(
                selection, figures.with_counterfactual(figure, chart.counterfactual_rates)
            ),
            text=f"{text} {described}".strip(),
            graph_id=graph_id,
        ),
        html.P(
            "Select a point to list that period's incidents under Incidents below.",
            className="note",
        ),
        sections.chart_values_table(chart.values(), spec=spec, grain=view.grain),
    ]


def _selected(selection: IncidentSelection, figure: go.Figure) -> go.Figure:
    """Shade the period whose incidents are listed, if one is chosen."""
    chosen = selection.incident_filter()
    if chosen.period_start is None or chosen.period_end is None:
        return figure
    return figures.with_selected_period(
        figure,
        start=chosen.period_start,
        end=chosen.period_end,
        label="Incidents listed below",
    )


def _estimate_children(
    view: MeasureView, *, row: dict[str, Any] | None, chart: ChartData
) -> list[Any]:
    children = impact_panel(row, spec=view.spec, location_name=view.location_name)
    if view.grain == "week" and row is not None and row.get("status") == "estimated":
        children.append(
            html.P(
                "The rate expected without the DSCR is worked out by month: choose Months to "
                "see it on the chart.",
                className="note",
            )
        )
    elif not chart.counterfactual_rates.is_empty():
        children.append(
            html.P(
                "The chart shows the rate expected without the DSCR as a dash-dot line, with "
                "its 95% interval shaded.",
                className="note",
            )
        )
    return children


def _extra_children(page: MeasurePage, identity: Identity, view: MeasureView) -> list[Any]:
    reader = current_reader()
    if page.extra is Extra.HEATMAP:
        frame = queries.falls_heatmap(
            reader=reader,
            identity=identity,
            location_id=view.location_id,
            measure=view.spec.measure,
        )
        noun = view.spec.label.lower()
        return [
            html.H2(f"When {noun} happen at {view.location_name}"),
            *sections.heatmap_section(frame, noun=noun, graph_id=page.ids.heatmap),
        ]
    if page.extra is Extra.DOSES:
        frame = queries.medication_doses(
            reader=reader, identity=identity, location_id=view.location_id, grain=view.grain
        )
        return [
            html.H2(f"Doses at {view.location_name}, by {view.grain}"),
            *sections.doses_section(frame, grain=view.grain, location_name=view.location_name),
        ]
    return []


def _when(selection: IncidentSelection) -> str:
    if selection.period is None:
        return "over the whole period"
    if selection.view.grain == "week":
        return f"in the week commencing {selection.period.day} {selection.period:%b %Y}"
    return f"in {selection.period:%B %Y}"


def _filters_text(selection: IncidentSelection) -> str:
    parts = []
    if selection.harm:
        parts.append(f"harm {sections.HARM_LABELS[selection.harm].lower()}")
    if selection.subtype:
        parts.append(f"subtype {sections.subtype_label(selection.subtype).lower()}")
    return f" with {' and '.join(parts)}" if parts else ""


def incident_children(
    page: MeasurePage, *, identity: Identity, selection: IncidentSelection
) -> list[Any]:
    """The incident list of a checked selection: what it holds in words, then the table."""
    listed = queries.measure_incidents(
        reader=current_reader(), identity=identity, incident_filter=selection.incident_filter()
    )
    spec = selection.view.spec
    where = (
        selection.view.location_name
        if selection.location_id == selection.view.location_id
        else "all your locations"
        if selection.location_id is None
        else str(listed.rows["location_name"][0] if listed.rows.height else "that location")
    )
    found = (
        f"{counted(listed.matched, spec=spec)} at {where} {_when(selection)}"
        f"{_filters_text(selection)}"
    )
    if listed.matched == 0:
        return [
            html.P(
                f"No {spec.label.lower()} at {where} {_when(selection)}{_filters_text(selection)}.",
                role="status",
            )
        ]
    shown = listed.rows.height
    more = (
        f" The newest {shown:,} are listed; download the table for all of them."
        if shown < listed.matched
        else ""
    )
    return [
        html.P(f"{found}, newest first.{more}", role="status", className="measure-found"),
        sections.incident_table(listed, caption=found, with_subtype=bool(page.subtypes)),
    ]


def _download_frame(
    page: MeasurePage, table: Table, *, identity: Identity, request: dict[str, Any]
) -> tuple[pl.DataFrame, list[str]] | None:
    """The rows of one table as downloaded, and the parts of its file name (measure first)."""
    reader = current_reader()
    locations = queries.quality_locations(reader=reader, identity=identity)
    if table is Table.INCIDENTS:
        selection = parse_incident_query(page, request.get("query"), locations=locations)
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
    view = parse_view(page, request.get("view"), locations=locations)
    if view is None:
        return None
    spec = view.spec
    name = [str(spec.measure), view.location_id, view.grain]
    context = [pl.lit(view.location_id).alias("location_id")]
    if table is Table.CHART:
        values = read_chart(
            identity, view, reader=reader, impact=read_impact(identity, view, reader=reader)
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
        frame = queries.falls_heatmap(
            reader=reader, identity=identity, location_id=view.location_id, measure=spec.measure
        )
        grid = figures.heatmap_grid(frame).rename({"falls": str(spec.measure)})
        return grid.select(*context, pl.all()), [str(spec.measure), view.location_id]
    doses = queries.medication_doses(
        reader=reader, identity=identity, location_id=view.location_id, grain=view.grain
    )
    shares = doses.with_columns(
        missed_share=pl.col("missed_doses") / pl.col("scheduled_doses").replace(0, None),
        late_share=pl.col("late_doses") / pl.col("scheduled_doses").replace(0, None),
    )
    return shares.select(*context, pl.all()), name


def download(page: MeasurePage, data: object) -> dict[str, Any]:
    """The download callback: send one of the page's tables as CSV or XLSX, and audit it.

    The table is read again through the same scoped queries as the page, from the view or
    incident query the request carries (checked like any other).

    Raises:
        PreventUpdate: For a request that names no table of the page, no known format, or a
            view or location that is not the caller's.
    """
    identity = current_identity()
    request = data if isinstance(data, dict) else {}
    table = next((t for t in page.tables if t == request.get("table")), None)
    file_format = request.get("format")
    chosen = request.get("query") if table is Table.INCIDENTS else request.get("view")
    if table is None or file_format not in FORMATS or not names_a_location(chosen):
        raise PreventUpdate
    try:
        found = _download_frame(page, table, identity=identity, request=request)
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
