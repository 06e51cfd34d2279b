"""Falls: the SPC chart of falls per 1,000 occupied bed days, before and after go-live, and when.

For one location at a time (``?location=<id>``; ``?measure=falls_with_harm`` for falls with
harm, ``?grain=week`` for weeks): the Making Data Count chart with limits recalculated from DSCR
go-live, the target and the rate expected without the DSCR; the before/after estimate in
words; falls by day of the week and hour of the day; and the falls behind any point.
"""

from __future__ import annotations

from typing import Any

import dash
from dash import Input, Output, callback, html

from dashboards.components import measure_downloads, measure_page
from dashboards.components.measure_data import Extra, MeasurePage
from dashboards.measures import QualityMeasure
from dashboards.roles import Role

PATH = "/falls"
dash.register_page(
    __name__,
    path=PATH,
    name="Falls",
    title="Falls - carelens",
    description="Falls per 1,000 occupied bed days: SPC chart, before and after go-live.",
    order=11,
    roles=frozenset({Role.OWNER, Role.QUALITY_LEAD, Role.INSPECTOR}),
)

PAGE = MeasurePage(
    path=PATH,
    key="falls",
    heading="Falls",
    lead="Falls of the people you care for per 1,000 occupied bed days, charted the NHS "
    "\u201cMaking Data Count\u201d way, what changed when your digital care records went live, "
    "when in the week falls happen, and the falls behind each month or week.",
    measures=(QualityMeasure.FALLS, QualityMeasure.FALLS_WITH_HARM),
    measure_labels=("All falls", "Falls with harm (moderate, severe or fatal)"),
    extra=Extra.HEATMAP,
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
    """Lay out the falls page for the caller's chosen (or first) location.

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
