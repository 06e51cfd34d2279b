"""The Quality summary: one row per measure and location, concerns first, with SPC icons.

:func:`summary_rows` is pure: from the locations in scope, their monthly rates
(``marts.quality_monthly``) and the targets in force it works out, per location and measure,
the latest monthly rate, its month, and the Making Data Count variation and assurance of the
latest point (``models.spc.xmr`` and ``summarise`` on the monthly rate series, limits
recalculated from the go-live month, improvement ``decrease``). :func:`summary_table` draws the
rows; :func:`summary_download` gives them as plain columns for CSV and XLSX files.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any
from urllib.parse import urlencode

import polars as pl
from dash import dcc, html

from dashboards.components.spc_icons import assurance_icon, variation_icon
from dashboards.components.tables import aria
from dashboards.figures.spc import ASSURANCE_LABELS, VARIATION_LABELS
from dashboards.measures import (
    HOME_CARE_SERVICE_TYPE,
    MEASURES,
    MeasureSpec,
    QualityMeasure,
    measures_for_service,
)
from models.spc import Assurance, Variation, summarise, xmr

SUMMARY_SCHEMA: dict[str, pl.DataType] = {
    "location_id": pl.String(),
    "location_name": pl.String(),
    "measure": pl.String(),
    "measure_label": pl.String(),
    "unit": pl.String(),
    "latest_month": pl.Date(),
    "latest_rate": pl.Float64(),
    "months_with_rate": pl.Int64(),
    "target_rate": pl.Float64(),
    "variation": pl.String(),
    "assurance": pl.String(),
    "priority": pl.Int64(),
    "href": pl.String(),
}
"""Columns of :func:`summary_rows`, in order."""

CONCERN, FAILING, OTHER, NO_DATA = 0, 1, 2, 3
"""``priority`` of a row: special-cause concern first, then failing its target, then the rest,
then measures with no rate yet."""

_MEASURE_ORDER = {measure: position for position, measure in enumerate(MEASURES)}
_CONCERNS = frozenset({"special_cause_concern_high", "special_cause_concern_low"})


def go_live_index(months: Sequence[date], go_live: date | None) -> int | None:
    """Index of the go-live month in ``months`` (oldest first): where limits are recalculated.

    The month that contains the go-live date starts the new segment. ``None`` when there is
    no go-live date or it falls outside the series (no recalculation).
    """
    if go_live is None:
        return None
    first_day = go_live.replace(day=1)
    for position, month in enumerate(months):
        if month >= first_day:
            return position if position > 0 else None
    return None


def _priority(variation: str | None, assurance: str | None, *, has_rate: bool) -> int:
    if not has_rate:
        return NO_DATA
    if variation in _CONCERNS:
        return CONCERN
    if assurance == "consistently_failing":
        return FAILING
    return OTHER


def _measure_row(
    location: Mapping[str, Any],
    spec: MeasureSpec,
    *,
    series: pl.DataFrame,
    target: float | None,
) -> dict[str, object]:
    """One row of the summary: latest rate, its month and the icons of the latest point."""
    months: list[date] = series["month"].to_list() if series.height else []
    rates: list[float | None] = series[spec.rate_column].to_list() if series.height else []
    rebase = go_live_index(months, location["dscr_go_live_date"])
    chart = xmr(rates, improvement=spec.improvement, rebase_at=() if rebase is None else (rebase,))
    summary = summarise(chart, improvement=spec.improvement, target=target)
    with_rate = [position for position, rate in enumerate(rates) if rate is not None]
    latest = with_rate[-1] if with_rate else None
    return {
        "location_id": location["location_id"],
        "location_name": location["location_name"],
        "measure": str(spec.measure),
        "measure_label": spec.label,
        "unit": spec.unit_label,
        "latest_month": months[latest] if latest is not None else None,
        "latest_rate": rates[latest] if latest is not None else None,
        "months_with_rate": len(with_rate),
        "target_rate": target,
        "variation": summary.variation,
        "assurance": summary.assurance,
        "priority": _priority(summary.variation, summary.assurance, has_rate=bool(with_rate)),
        "href": spec.page_href(location["location_id"]),
    }


def summary_rows(
    *,
    locations: pl.DataFrame,
    monthly: pl.DataFrame,
    targets: Mapping[tuple[str, QualityMeasure], float | None],
) -> pl.DataFrame:
    """Work out the summary: one row per location in scope and measure that has a rate there.

    Args:
        locations: ``queries.quality_locations``: ``location_id``, ``location_name``,
            ``service_type``, ``dscr_go_live_date``.
        monthly: ``queries.quality_monthly_rates``: one row per location and month with each
            measure's rate column.
        targets: The target in force per ``(location_id, measure)``, in the measure's unit.

    Returns:
        The columns of :data:`SUMMARY_SCHEMA`, sorted so that concerns come first: special
        cause concern, then consistently failing the target, then the rest, then measures with
        no rate yet; within each, by location name and measure. Home-care locations have
        medication errors only (no occupied bed days, so no bed-day rates).
    """
    rows: list[dict[str, object]] = []
    by_location = monthly.sort("location_id", "month").partition_by(
        "location_id", as_dict=True, include_key=True
    )
    empty = monthly.clear()
    for location in locations.iter_rows(named=True):
        series = by_location.get((location["location_id"],), empty)
        for spec in measures_for_service(location["service_type"]):
            target = targets.get((location["location_id"], spec.measure))
            rows.append(_measure_row(location, spec, series=series, target=target))
    frame = pl.DataFrame(rows, schema=SUMMARY_SCHEMA, orient="row")
    return (
        frame.with_columns(
            pl.col("measure")
            .replace_strict({str(m): p for m, p in _MEASURE_ORDER.items()}, return_dtype=pl.Int64)
            .alias("_order")
        )
        .sort("priority", "location_name", "location_id", "_order")
        .drop("_order")
    )


def home_care_notes(locations: pl.DataFrame) -> list[html.P]:
    """Say, for each home-care location in scope, why only medication errors are shown."""
    labels = [spec.label.lower() for spec in MEASURES.values() if spec.needs_bed_days]
    bed_day_measures = f"{', '.join(labels[:-1])} and {labels[-1]}"
    return [
        html.P(
            f"{row['location_name']} is a home-care service: it has no occupied bed days, so "
            f"{bed_day_measures} have no rate there. Only medication errors (per 1,000 "
            "scheduled doses) are shown for it.",
            className="note",
        )
        for row in locations.iter_rows(named=True)
        if row["service_type"] == HOME_CARE_SERVICE_TYPE
    ]


def rate_text(rate: float | None) -> str:
    """A rate as shown: two decimal places (``4.76``), or a dash when there is none."""
    return "–" if rate is None else f"{rate:,.2f}"


def target_text(target: float | None) -> str:
    """A target as shown: as set, without trailing zeros (``3``, ``4.5``), or ``No target``."""
    return "No target" if target is None else f"{target:,.10g}"


def _month_text(month: date | None) -> str:
    return "No data yet" if month is None else month.strftime("%b %Y")


def _measure_cell(row: Mapping[str, Any]) -> html.Td:
    return html.Td(
        [
            dcc.Link(
                row["measure_label"],
                href=row["href"],
                title=f"Open the {row['measure_label'].lower()} chart of {row['location_name']}",
            ),
            html.Span(row["unit"], className="quality-unit"),
        ]
    )


def _variation_cell(row: Mapping[str, Any]) -> html.Td:
    if row["latest_rate"] is None:
        return html.Td("–")
    variation: Variation | None = row["variation"]
    return html.Td(variation_icon(variation), className="quality-icon")


def _assurance_cell(row: Mapping[str, Any]) -> html.Td:
    if row["latest_rate"] is None:
        return html.Td("–")
    assurance: Assurance | None = row["assurance"]
    return html.Td(assurance_icon(assurance), className="quality-icon")


_HEADINGS = (
    ("Location", None),
    ("Measure", None),
    ("Latest month", None),
    ("Latest rate", "numeric"),
    ("Target", None),
    ("Variation", None),
    ("Assurance", None),
)


def target_edit_href(edit_path: str, *, location_id: str, measure: str) -> str:
    """The link that opens the target form of one location and measure."""
    return f"{edit_path}?{urlencode({'location': location_id, 'measure': measure})}"


def _target_cell(row: Mapping[str, Any], *, edit_path: str | None) -> html.Td:
    text = target_text(row["target_rate"])
    if edit_path is None:
        return html.Td(text, className=None if row["target_rate"] is not None else "muted")
    action = "Set target" if row["target_rate"] is None else "Change target"
    link = dcc.Link(
        [
            action,
            html.Span(
                f" for {row['measure_label'].lower()} at {row['location_name']}",
                className="quality-visually-hidden",
            ),
        ],
        href=target_edit_href(edit_path, location_id=row["location_id"], measure=row["measure"]),
        className="quality-edit-link",
    )
    shown = [] if row["target_rate"] is None else [html.Span(text, className="quality-target")]
    return html.Td([*shown, link], className="quality-target-cell")


def summary_table(
    frame: pl.DataFrame, *, table_id: str, caption: str, edit_path: str | None = None
) -> html.Div:
    """Draw the summary rows as a captioned table; each measure links to its chart.

    Args:
        frame: Rows of :func:`summary_rows`, in the order to show.
        table_id: The component id of the table.
        caption: What the table holds.
        edit_path: For callers who may set targets, the page whose ``?location=&measure=``
            opens the target form; each target cell then links there. ``None``: read-only.
    """
    header = html.Thead(
        html.Tr(
            [html.Th(text, scope="col", className=kind) for text, kind in _HEADINGS],
        )
    )
    body = html.Tbody(
        [
            html.Tr(
                [
                    html.Th(row["location_name"], scope="row"),
                    _measure_cell(row),
                    html.Td(_month_text(row["latest_month"])),
                    html.Td(rate_text(row["latest_rate"]), className="numeric"),
                    _target_cell(row, edit_path=edit_path),
                    _variation_cell(row),
                    _assurance_cell(row),
                ],
                className="is-concern" if row["priority"] in (CONCERN, FAILING) else None,
                **{"data-location": row["location_id"], "data-measure": row["measure"]},
            )
            for row in frame.iter_rows(named=True)
        ]
    )
    return html.Div(
        html.Table(
            [html.Caption(caption), header, body],
            className="data-table quality-summary",
            id=table_id,
        ),
        className="table-scroll",
        tabIndex="0",
        role="region",
        **aria(label=caption),
    )


def summary_download(frame: pl.DataFrame) -> pl.DataFrame:
    """The summary as plain columns for CSV and XLSX files: icons as their meaning in words."""
    variation_words: dict[str, str] = {str(key): text for key, text in VARIATION_LABELS.items()}
    assurance_words: dict[str, str] = {str(key): text for key, text in ASSURANCE_LABELS.items()}
    return frame.select(
        "location_id",
        "location_name",
        pl.col("measure_label").alias("measure"),
        "unit",
        "latest_month",
        "latest_rate",
        "target_rate",
        pl.col("variation").replace_strict(variation_words, default=None, return_dtype=pl.String),
        pl.col("assurance").replace_strict(assurance_words, default=None, return_dtype=pl.String),
    )
