"""Pressure ulcers: per 1,000 occupied bed days, before and after go-live, and the ulcers.

For one location at a time (``?location=<id>``, ``?grain=week`` for weeks): the Making Data
Count chart with limits recalculated from DSCR go-live, the target and the rate expected
without the DSCR; the before/after estimate in words; and the pressure ulcers behind any point,
by category.
"""

from __future__ import annotations

from typing import Any

import dash
from dash import Input, callback, html

from dashboards.components import measure_page
from dashboards.components.measure_data import MeasurePage
from dashboards.measures import QualityMeasure
from dashboards.roles import Role

dash.register_page(
    __name__,
    path="/pressure-ulcers",
    name="Pressure ulcers",
    title="Pressure ulcers - carelens",
    description="Pressure ulcers per 1,000 occupied bed days: SPC chart, before and after.",
    order=13,
    roles=frozenset({Role.OWNER, Role.QUALITY_LEAD, Role.INSPECTOR}),
)

PAGE = MeasurePage(
    key="pressure-ulcers",
    heading="Pressure ulcers",
    lead="Pressure ulcers per 1,000 occupied bed days, charted the NHS \u201cMaking Data "
    "Count\u201d way, what changed when your digital care records went live, and the ulcers "
    "behind each month or week.",
    measures=(QualityMeasure.PRESSURE_ULCERS,),
)
IDS = PAGE.ids


def layout(location: str | None = None, grain: str | None = None, **_query: str) -> html.Div:
    """Lay out the pressure ulcers page for the caller's chosen (or first) location."""
    return measure_page.page_layout(PAGE, location=location, grain=grain)


measure_page.register_browser_callbacks(PAGE)


@callback(
    *measure_page.view_output_specs(PAGE),
    Input(IDS.view, "data"),
    prevent_initial_call=True,
)
def show_view(view: object) -> tuple[Any, ...]:
    """Redraw the chart and estimate for the chosen location and periods."""
    return measure_page.view_outputs(PAGE, view)


@callback(
    dash.Output(IDS.incidents, "children"),
    Input(IDS.incident_query, "data"),
    prevent_initial_call=True,
)
def show_incidents(query: object) -> list[Any]:
    """List the pressure ulcers of the chosen period, harm, category and location."""
    return measure_page.incident_outputs(PAGE, query)


@callback(
    dash.Output(IDS.download, "data"),
    Input(IDS.download_request, "data"),
    prevent_initial_call=True,
)
def download_table(request: object) -> dict[str, Any]:
    """Send the table asked for as CSV or XLSX (recorded in the audit trail)."""
    return measure_page.download(PAGE, request)
