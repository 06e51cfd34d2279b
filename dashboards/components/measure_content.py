"""What a measure page shows in its sections: chart, estimate, heatmap or doses, incidents.

Each function reads what its section needs through the scoped queries (``dashboards.queries``)
for a checked view or selection (``measure_data``) and lays it out with ``measure_sections``.
"""

from __future__ import annotations

from typing import Any

from dash import html

from dashboards import figures, queries
from dashboards.components import measure_sections as sections
from dashboards.components.impact_panel import counted, impact_panel
from dashboards.components.measure_chart import ChartData
from dashboards.components.measure_data import (
    Extra,
    IncidentSelection,
    MeasurePage,
    MeasureView,
)
from dashboards.context import current_reader
from dashboards.figures.theme import Figure
from dashboards.roles import Identity
from models.spc import summarise


def chart_children(selection: IncidentSelection, *, chart: ChartData, graph_id: str) -> list[Any]:
    """The chart section: heading, icons, the SPC chart with its text, and its values.

    A bed-day measure at a home-care location, a location with no periods yet and a series
    with no rate at all get a sentence saying so instead of an empty chart.
    """
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
        non_negative=True,  # every measure is a rate of events
    )
    text = figures.describe_spc(
        chart.spc,
        y_title=y_title,
        improvement=spec.improvement,
        x=chart.series["period"],
        target=chart.target,
        non_negative=True,
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
                selection, figures.with_counterfactual(figure, rates=chart.counterfactual_rates)
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


def _selected(selection: IncidentSelection, figure: Figure) -> Figure:
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


def estimate_children(
    view: MeasureView, *, row: dict[str, Any] | None, chart: ChartData
) -> list[Any]:
    """The before/after panel of the view's ``quality_impact`` row, and how it is drawn."""
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


def extra_children(
    *,
    page: MeasurePage,
    identity: Identity,
    view: MeasureView,
    selection: IncidentSelection | None = None,
) -> list[Any]:
    """The heatmap (falls page) or doses table (medication page) of the view; else nothing.

    The heatmap counts only the falls of the selection's period (the incident list's month or
    week) when it has one, and says which in its heading.
    """
    reader = current_reader()
    if page.extra is Extra.HEATMAP:
        chosen = selection or IncidentSelection(view=view)
        window = chosen.incident_filter()
        frame = queries.falls_heatmap(
            reader=reader,
            identity=identity,
            location_id=view.location_id,
            measure=view.spec.measure,
            period_start=window.period_start,
            period_end=window.period_end,
        )
        noun = view.spec.label.lower()
        return [
            html.H2(f"When {noun} happen at {view.location_name} {_when(chosen)}"),
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
        reader=current_reader(),
        identity=identity,
        incident_filter=selection.incident_filter(),
        row_limit=sections.INCIDENTS_SHOWN,
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
