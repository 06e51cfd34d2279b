"""What the Time page's parts share: component ids, the measured/assumed labels, number formats."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import Any

from dash import html

from dashboards.figures.theme import NHS_BLUE, NHS_DARK_BLUE, NHS_DARK_GREY

PATH = "/time"

VIEW = "time-view"
LOCATION = "time-location"
DOCUMENTATION_CHART = "time-documentation-chart"
SHARES_CHART = "time-shares-chart"
VISITS_CHART = "time-visits-chart"
REVIEWS_CHART = "time-reviews-chart"
RELEASED_CHART = "time-released-chart"
ICB_CHART = "time-icb-chart"
ASSUMPTIONS_TABLE = "time-assumptions"
ASSUMPTIONS_SECTION = "time-assumptions-section"
RESULTS = "time-results"
FORM_NAME = "time-form-name"
FORM_VALUE = "time-form-value"
FORM_NOTE = "time-form-note"
FORM = "time-form"
FORM_HINT = "time-form-hint"
SAVE = "time-save"
STATUS = "time-status"
DOWNLOAD_BUTTON = "time-download-button"
"""The ``type`` of every download button's pattern-matching id (with ``table`` and ``format``)."""
DOWNLOAD_REQUEST = "time-download-request"
DOWNLOAD = "time-download"


class TimeTable(StrEnum):
    """A table of the Time page that downloads as CSV and XLSX."""

    DOCUMENTATION = "documentation"
    VISITS = "visits"
    REVIEWS = "reviews"
    RELEASED = "released"
    MANAGERIAL = "managerial"
    ASSUMPTIONS = "assumptions"
    ICB = "icb"


FORMATS = ("csv", "xlsx")


class Basis(StrEnum):
    """What kind of number a figure is: read from the records, taken on trust, or worked out."""

    MEASURED = "Measured"
    ASSUMED = "Assumed"
    RESULT = "Result"


_BADGE_COLOURS = {
    Basis.MEASURED: NHS_BLUE,
    Basis.ASSUMED: NHS_DARK_GREY,
    Basis.RESULT: NHS_DARK_BLUE,
}


def badge(basis: Basis) -> html.Span:
    """A small label saying whether the figures beside it are measured, assumed or a result."""
    return html.Span(
        basis.value,
        className=f"time-badge time-badge-{basis.name.lower()}",
        style={
            "display": "inline-block",
            "background": _BADGE_COLOURS[basis],
            "color": "#FFFFFF",
            "borderRadius": "4px",
            "padding": "0.1em 0.5em",
            "marginRight": "0.5em",
            "fontSize": "0.8em",
            "fontWeight": "600",
            "verticalAlign": "middle",
        },
    )


def heading(level: int, text: str, *, basis: Basis, **props: Any) -> Any:
    """A heading that starts with its measured/assumed/result label."""
    tag = {2: html.H2, 3: html.H3}[level]
    return tag([badge(basis), text], **props)


def download_buttons(table: TimeTable, *, what: str) -> html.Div:
    """Two buttons that download ``table``, as CSV and as XLSX (pattern-matching ids)."""
    return html.Div(
        [
            html.Button(
                f"Download {what} ({file_format.upper()})",
                id={"type": DOWNLOAD_BUTTON, "table": table.value, "format": file_format},
                className="button",
                type="button",
            )
            for file_format in FORMATS
        ],
        className="measure-downloads",
    )


def number(value: Decimal | float | None, *, places: int = 1) -> str:
    """``1,234.5``: a number to ``places`` decimals, halves away from zero; ``–`` when null."""
    if value is None:
        return "–"
    exact = value if isinstance(value, Decimal) else Decimal(repr(value))
    rounded = exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return f"{rounded:,.{places}f}"


def plain(value: Decimal | None) -> str:
    """A decimal as entered, without trailing zeros (``37.5``, ``240``); ``–`` when null."""
    if value is None:
        return "–"
    return f"{value.normalize():f}"


def money(value: Decimal | None) -> str:
    """``£1,234.56`` (negative as ``−£12.00``); ``–`` when null."""
    if value is None:
        return "–"
    rounded = value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    sign = "\u2212" if rounded < 0 else ""
    return f"{sign}£{abs(rounded):,.2f}"


def share(value: float | None) -> str:
    """``45.0%``; ``–`` when null."""
    return "–" if value is None else f"{value:.1%}"
