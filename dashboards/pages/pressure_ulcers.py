"""Pressure ulcers: per 1,000 occupied bed days, before and after go-live, and the ulcers.

For one location at a time (``?location=<id>``, ``?grain=week`` for weeks): the Making Data
Count chart with limits recalculated from DSCR go-live, the target and the rate expected
without the DSCR; the before/after estimate in words; and the pressure ulcers behind any point,
by category.
"""

from __future__ import annotations

from typing import Any

import dash
from dash import Input, Output, callback, html

from dashboards.components import measure_downloads, measure_page
from dashboards.components.measure_data import MeasurePage
from dashboards.measures import QualityMeasure
from dashboards.roles import Role

PATH = "/pressure-ulcers"
dash.register_page(
    __name__,
    path=PATH,
    name="Pressure ulcers",
    title="Pressure ulcers - carelens",
    description="Pressure ulcers per 1,000 occupied bed days: SPC chart, before and after.",
    order=13,
    roles=frozenset({Role.OWNER, Role.QUALITY_LEAD, Role.INSPECTOR}),
)

PAGE = MeasurePage(
    path=PATH,
    key="pressure-ulcers",
    heading="Pressure ulcers",
    lead="Pressure ulcers per 1,000 occupied bed days, charted the NHS \u201cMaking Data "
    "Count\u201d way, what changed when your digital care records went live, and the ulcers "
    "behind each month or week.",
    measures=(QualityMeasure.PRESSURE_ULCERS,),
)
IDS = PAGE.ids


def layout(
    location: str | None = None,
    grain: str | None = None,
    measure: str | None = None,
    period: str | None = None,
    harm: str | None = None,
    subtype: str | None = None,
    where: str | None = None,
    **_query: str,
) -> html.Div:
    """Lay out the pressure ulcers page for the caller's chosen (or first) location.

    The query string picks the view (``location``, ``grain``, ``measure``) and filters the
    incident list (``period``, ``harm``, ``subtype``, ``where``); see ``measure_page``.
    """
    return measure_page.page_layout(
        PAGE,
        location=location,
        grain=grain,
        measure=measure,
        period=period,
        harm=harm,
        subtype=subtype,
        where=where,
    )


measure_page.register_browser_callbacks(PAGE)


@callback(
    Output(IDS.download, "data"),
    Input(IDS.download_request, "data"),
    prevent_initial_call=True,
)
def download_table(request: object) -> dict[str, Any]:
    """Send the table asked for as CSV or XLSX (recorded in the audit trail)."""
    return measure_downloads.download(PAGE, request=request)
