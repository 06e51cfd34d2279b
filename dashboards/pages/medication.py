"""Medication: medication errors per 1,000 scheduled doses, before and after go-live, and doses.

For one location at a time (``?location=<id>``, ``?grain=week`` for weeks): the Making Data
Count chart with limits recalculated from DSCR go-live, the target and the rate expected
without the DSCR; the before/after estimate in words; scheduled, missed and late doses; and the
medication errors behind any point, by subtype.
"""

from __future__ import annotations

from typing import Any

import dash
from dash import Input, Output, callback, html

from dashboards.components import measure_downloads, measure_page
from dashboards.components.measure_data import Extra, MeasurePage
from dashboards.measures import QualityMeasure
from dashboards.roles import Role

PATH = "/medication"
dash.register_page(
    __name__,
    path=PATH,
    name="Medication",
    title="Medication - carelens",
    description="Medication errors per 1,000 scheduled doses; missed and late doses.",
    order=12,
    roles=frozenset({Role.OWNER, Role.QUALITY_LEAD, Role.INSPECTOR}),
)

PAGE = MeasurePage(
    path=PATH,
    key="medication",
    heading="Medication",
    lead="Medication errors per 1,000 scheduled doses, charted the NHS \u201cMaking Data "
    "Count\u201d way, what changed when your digital care records went live, missed and late "
    "doses, and the errors behind each month or week.",
    measures=(QualityMeasure.MEDICATION_ERRORS,),
    extra=Extra.DOSES,
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
    """Lay out the medication page for the caller's chosen (or first) location.

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
