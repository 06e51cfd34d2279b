"""The DSCR adoption page's parts: the rate and its trajectory, the gaps, who is at risk.

Everything an ICB lead sees comes through the reader's disclosure control (counts 1 to 7
shown as ``[c]``, the rest rounded to the nearest 5; rates from the unrounded counts and
suppressed with them). The trajectory (``models.adoption_trajectory``) is projected from the
fit the last load stored, and "how many more locations" is worked out from the *published*
(controlled) counts, so it discloses nothing the headline does not; it is shown as "about".
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

import polars as pl
from dash import dcc, html

from dashboards.components.tables import Column, ColumnKind, aria, html_table
from dashboards.figures.adoption import (
    Bars,
    Projection,
    RateSeries,
    bars_figure,
    describe_bars,
    describe_rates,
    month_text,
    percent_text,
    rate_figure,
)
from models.adoption_trajectory import (
    MIN_MONTHS,
    TARGET_RATE,
    TrajectoryFit,
    TrajectoryStatus,
    locations_needed,
    month_reaching,
    project,
)

PATH = "/adoption"
HEADING = "DSCR adoption"
BY_FIELD = "by"
"""The GET parameter of the chosen date: a month, ``YYYY-MM``."""
BY_INPUT = "adoption-by"
RATE_CHART = "adoption-rate-chart"
BREAKDOWN_CHART = "adoption-breakdown-chart"
"""Prefix of the four breakdown charts' ids (``adoption-breakdown-chart-<dimension>``)."""
FUNNEL_CHART = "adoption-funnel-chart"
"""Prefix of the two funnel charts' ids (``adoption-funnel-chart-falls``, ``-medication``)."""
HEADLINE = "adoption-headline"
TRAJECTORY = "adoption-trajectory"
AT_RISK = "adoption-at-risk"
NO_RETURN = "adoption-no-return"
VIEW = "adoption-view"
DOWNLOAD = "adoption-download"
DOWNLOAD_BUTTON = "adoption-download-button"
"""The type of the download buttons' ids: ``{"type": …, "table": "monthly", "format": "csv"}``."""
FORMATS = ("csv", "xlsx")
GRAPH_CONFIG = {"displaylogo": False, "responsive": True}
HORIZON_MONTHS = 120
"""How far ahead a chosen date and the month of reaching 80% may be (ten years)."""
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


class AdoptionTable(StrEnum):
    """A table of the page that downloads as CSV and XLSX."""

    MONTHLY = "monthly"
    BREAKDOWN = "breakdown"
    PROJECTION = "projection"
    AT_RISK = "at-risk"
    NO_RETURN = "no-return"
    FUNNEL = "funnel"
    LOCATIONS = "locations"


ICB_TABLES = (
    AdoptionTable.MONTHLY,
    AdoptionTable.BREAKDOWN,
    AdoptionTable.PROJECTION,
    AdoptionTable.AT_RISK,
    AdoptionTable.NO_RETURN,
    AdoptionTable.FUNNEL,
)
OWNER_TABLES = (AdoptionTable.LOCATIONS, AdoptionTable.AT_RISK, AdoptionTable.MONTHLY)
TABLE_NAMES = {
    AdoptionTable.MONTHLY: "the ICB's monthly adoption",
    AdoptionTable.BREAKDOWN: "the breakdowns",
    AdoptionTable.PROJECTION: "the projection",
    AdoptionTable.AT_RISK: "the at-risk list",
    AdoptionTable.NO_RETURN: "the locations with no return",
    AdoptionTable.FUNNEL: "falls and medication errors by provider",
    AdoptionTable.LOCATIONS: "your locations",
}
MONTHLY_CONTROLLED = (
    "active_locations",
    "adopted_locations",
    "no_return_locations",
    "returned_no_locations",
    "returned_locations",
    "care_home_beds",
    "adopted_care_home_beds",
    "adoption_rate",
    "adoption_rate_beds",
    "adoption_rate_of_returns",
)
"""The monthly table's disclosure-controlled columns: a null there is suppressed ([c])."""
BREAKDOWN_CONTROLLED = (
    "active_locations",
    "adopted_locations",
    "no_return_locations",
    "care_home_beds",
    "adopted_care_home_beds",
    "adoption_rate",
    "adoption_rate_beds",
)
DIMENSIONS = {
    "service_type": "Service type",
    "size_band": "Size (care-home beds)",
    "local_authority": "Local authority",
    "supplier": "Supplier",
}
SERVICE_TYPES = {"care_home": "Care home", "community": "Community"}
SIZE_BANDS = {"community": "Community (no beds)", "beds unknown": "Beds not known"}
REASONS = {
    "returned_no_after_yes": "Latest return says No after Yes",
    "status_abandoned": "DSCR abandoned",
    "exports_stopped": "Exports stopped",
}


# ----------------------------------------------------------------------------- the chosen date


def _add_months(month: date, months: int) -> date:
    index = month.year * 12 + month.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def default_by(latest: date) -> date:
    """The date asked about when none is chosen: the first March at least 6 months on.

    ICBs plan by financial year, which ends in March: December 2025 gives March 2027.
    """
    earliest = _add_months(latest, 6)
    year = earliest.year if earliest.month <= 3 else earliest.year + 1
    return date(year, 3, 1)


@dataclass(frozen=True, slots=True)
class ChosenDate:
    """The month the page answers "how many more by" for, as checked on the server.

    Attributes:
        month: The month used (first day).
        typed: What the form shows (what was typed, when it was refused).
        problem: Why what was typed was refused, if it was.
    """

    month: date
    typed: str
    problem: str | None = None


def parse_by(value: object, *, latest: date) -> ChosenDate:
    """Check the chosen month from the URL: ``YYYY-MM``, after ``latest``, within ten years.

    Anything else falls back to :func:`default_by` with a message; what was typed is never
    echoed into the message.
    """
    fallback = default_by(latest)
    text = value.strip() if isinstance(value, str) else ""
    if not text:
        return ChosenDate(month=fallback, typed=f"{fallback:%Y-%m}")
    match = _MONTH.fullmatch(text)
    last = _add_months(latest, HORIZON_MONTHS)
    problem = (
        f"Give the date as a year and month, like {fallback:%Y-%m}, after "
        f"{month_text(latest)} and no later than {month_text(last)}; "
        f"{month_text(fallback)} is shown."
    )
    if match is None or not 1 <= int(match.group(2)) <= 12:
        return ChosenDate(month=fallback, typed=text[:7], problem=problem)
    month = date(int(match.group(1)), int(match.group(2)), 1)
    if not latest < month <= last:
        return ChosenDate(month=fallback, typed=text[:7], problem=problem)
    return ChosenDate(month=month, typed=text)


# ------------------------------------------------------------------------------ formatting


def count_text(value: int | None, *, about: bool = True) -> str:
    """A controlled count in words: ``[c]`` when suppressed, ``about 25`` when rounded."""
    if value is None:
        return "[c]"
    return f"about {value:,}" if about and value else f"{value:,}"


def _percent_column(frame: pl.DataFrame, column: str) -> pl.Series:
    # plain Python over a few dozen rows: polars' map_elements costs more than the work
    return pl.Series(
        f"{column}_text", [percent_text(rate) for rate in frame[column].to_list()], pl.String
    )


def _chart(figure: Any, *, text: str, graph_id: str) -> html.Figure:
    height = figure["layout"].get("height")
    # a figure with a set height gets a box that tall (the default box is 450 px)
    sized: dict[str, Any] = {"style": {"height": f"{height}px"}} if height else {}
    return html.Figure(
        [
            html.Figcaption(text),
            dcc.Graph(id=graph_id, figure=figure, config=GRAPH_CONFIG, **sized),  # type: ignore[arg-type]
        ],
        className="chart",
    )


def _note(text: str) -> html.P:
    return html.P(text, className="note")


def download_buttons(tables: Sequence[AdoptionTable]) -> html.Div:
    """One CSV and one XLSX button per table."""
    return html.Div(
        [
            html.Button(
                f"Download {TABLE_NAMES[table]} ({fmt.upper()})",
                id={"type": DOWNLOAD_BUTTON, "table": table.value, "format": fmt},
                className="button",
                type="button",
            )
            for table in tables
            for fmt in FORMATS
        ],
        className="measure-downloads",
    )


CONTROL_NOTE = (
    "Counts are rounded to the nearest 5 and counts from 1 to 7 are hidden ([c]); rates are "
    "worked out from the exact counts and hidden with them."
)


# ----------------------------------------------------------------------------- the headline


def rate_series(monthly: pl.DataFrame) -> RateSeries:
    """The monthly rates of one ICB, as the rate chart draws them."""
    return RateSeries(
        months=monthly["month"].to_list(),
        by_locations=monthly["adoption_rate"].to_list(),
        by_beds=monthly["adoption_rate_beds"].to_list(),
    )


def headline_table(
    latest: Mapping[str, Any], *, caption: str, table_id: str | None = None
) -> html.Div:
    """The latest month's counts and rates, controlled, as a two-column table."""
    rows = [
        ("Active adult social care locations", count_text(latest["active_locations"])),
        ("Using a DSCR (latest return says Yes)", count_text(latest["adopted_locations"])),
        ("Latest return says No", count_text(latest["returned_no_locations"])),
        ("No return yet", count_text(latest["no_return_locations"])),
        ("Adoption rate by locations", percent_text(latest["adoption_rate"])),
        ("Adoption rate by care-home beds", percent_text(latest["adoption_rate_beds"])),
        (
            "NHS England's measure: Yes ÷ (Yes + No)",
            percent_text(latest["adoption_rate_of_returns"]),
        ),
    ]
    body = [
        html.Tr([html.Th(label, scope="row"), html.Td(value, className="numeric")])
        for label, value in rows
    ]
    identity: dict[str, Any] = {"id": table_id} if table_id else {}
    return html.Div(
        html.Table(
            [
                html.Caption(caption),
                html.Thead(
                    html.Tr(
                        [
                            html.Th("Figure", scope="col"),
                            html.Th("Value", scope="col", className="numeric"),
                        ]
                    )
                ),
                html.Tbody(body),
            ],
            className="data-table",
            **identity,
        ),
        className="table-scroll",
        tabIndex="0",
        role="region",
        **aria(label=caption),
    )


# ---------------------------------------------------------------------------- the trajectory


@dataclass(frozen=True, slots=True)
class TrajectoryView:
    """What the page says about the trajectory, and the projection it draws.

    Attributes:
        sentences: The answer in words, one paragraph each.
        projection: The projected months from the latest onwards, if there is a curve.
        rows: The projection as a table (for the download).
    """

    sentences: tuple[str, ...]
    projection: Projection | None
    rows: pl.DataFrame


_EMPTY_PROJECTION = pl.DataFrame(
    schema={"month": pl.Date, "rate": pl.Float64, "low": pl.Float64, "high": pl.Float64}
)


def _interval_text(low: date | None, high: date | None) -> str:
    if low is None and high is None:
        return ""
    low_text = month_text(low) if low else "now"
    high_text = month_text(high) if high else "more than ten years on"
    return f" (80% interval: {low_text} to {high_text})"


def trajectory_view(
    row: Mapping[str, object] | None, *, latest: Mapping[str, Any], chosen: ChosenDate
) -> TrajectoryView:
    """Answer "when will it reach 80% at the current pace?" and "how many more by then?".

    Args:
        row: The ICB's ``marts.adoption_trajectory`` row, if any.
        latest: The latest month of the controlled monthly figures.
        chosen: The month asked about.
    """
    if row is None:
        return TrajectoryView(
            ("No growth model has been fitted for this ICB yet: the next load fits one.",),
            None,
            _EMPTY_PROJECTION,
        )
    active, adopted = latest["active_locations"], latest["adopted_locations"]
    if active is None or adopted is None:
        return TrajectoryView(
            (
                "The trajectory is not shown: the latest month's counts are small enough to "
                "be hidden ([c]).",
            ),
            None,
            _EMPTY_PROJECTION,
        )
    fit = TrajectoryFit.from_row(row)
    target = percent_text(fit.target_rate, places=0)
    if fit.status is TrajectoryStatus.TOO_FEW_MONTHS:
        reason = (
            f"Only {fit.months_fitted} month(s) of figures so far: at least {MIN_MONTHS} are "
            "needed to fit a trajectory."
            if fit.months_fitted < MIN_MONTHS
            else "Adoption began too recently to set a pace: every Yes came after months of "
            "none, so no curve can be fitted yet."
        )
        return TrajectoryView((reason,), None, _EMPTY_PROJECTION)
    reaching = month_reaching(fit, horizon_months=HORIZON_MONTHS)
    if fit.status is TrajectoryStatus.REACHED:
        first = f" It first did in {month_text(reaching.central)}." if reaching.central else ""
        answer = f"The ICB has reached the {target} target.{first}"
    elif fit.status is TrajectoryStatus.NOT_RISING:
        answer = (
            f"Adoption is not rising over the {fit.months_fitted} months fitted, so at the "
            f"current pace it would not reach {target}."
        )
    elif reaching.central is None:
        answer = (
            f"At the current pace adoption would not reach {target} within ten years "
            f"({percent_text(reaching.probability_by_horizon, places=0)} of the simulated "
            "curves do)."
        )
    else:
        answer = (
            f"At the current pace adoption would reach {target} in "
            f"{month_text(reaching.central)}{_interval_text(reaching.low, reaching.high)}."
        )
    needed = locations_needed(fit, by=chosen.month, active=active, adopted_now=adopted)
    by = month_text(chosen.month)
    more = (
        f"To reach {target} by {by}, about {needed.more_needed:,} more location(s) must adopt: "
        f"{target} of the about {active:,} active locations is {needed.required:,}, and about "
        f"{adopted:,} use a DSCR now."
        if needed.more_needed
        else f"About {adopted:,} of about {active:,} active locations use a DSCR: already "
        f"{target} or more."
    )
    pace = (
        f" At the current pace about {needed.projected_adopted:,} would by {by}"
        + (
            f", {needed.shortfall_at_pace:,} short."
            if needed.shortfall_at_pace
            else ", enough to meet it."
        )
        if needed.projected_adopted is not None and needed.more_needed
        else ""
    )
    through = max(chosen.month, reaching.central or chosen.month)
    projected = [
        month for month in project(fit, through=through) if month.month >= fit.latest_month
    ]
    rows = pl.DataFrame(
        {
            "month": [month.month for month in projected],
            "rate": [month.rate for month in projected],
            "low": [month.low for month in projected],
            "high": [month.high for month in projected],
        },
        schema=_EMPTY_PROJECTION.schema,
    )
    projection = (
        Projection(
            months=rows["month"].to_list(),
            rate=rows["rate"].to_list(),
            low=rows["low"].to_list(),
            high=rows["high"].to_list(),
        )
        if projected
        else None
    )
    return TrajectoryView((answer, more + pace), projection, rows)


def by_form(chosen: ChosenDate) -> html.Form:
    """The plain GET form choosing the month asked about (checked on the server)."""
    return html.Form(
        [
            html.Div(
                [
                    html.Label("Reach 80% by", htmlFor=BY_INPUT, className="label"),
                    html.P(
                        "A year and month, for example 2027-03.",
                        className="hint",
                        id=f"{BY_INPUT}-hint",
                    ),
                    # text, not number or month: Dash's inputs of those types fail axe-core
                    dcc.Input(
                        id=BY_INPUT,
                        name=BY_FIELD,
                        type="text",
                        value=chosen.typed,
                        autoComplete="off",
                        maxLength=7,
                        className="input input-code",
                    ),
                ],
                className="measure-control",
            ),
            html.Button("Show", type="submit", className="button"),
        ],
        action=PATH,
        method="GET",
        className="measure-picker",
    )


def rate_section(
    monthly: pl.DataFrame, *, trajectory: TrajectoryView, chosen: ChosenDate, icb_name: str
) -> list[Any]:
    """The headline, the rate chart with its projection and the "when" answer."""
    latest = monthly.row(monthly.height - 1, named=True)
    series = rate_series(monthly)
    figure = rate_figure(
        series,
        target_rate=TARGET_RATE,
        projection=trajectory.projection,
        chosen=chosen.month if trajectory.projection else None,
    )
    text = describe_rates(series, target_rate=TARGET_RATE)
    notes = [html.P(chosen.problem, className="note", role="status")] if chosen.problem else []
    return [
        html.H2("Adoption against the 80% target"),
        headline_table(
            latest, caption=f"{icb_name}, {month_text(latest['month'])}", table_id=HEADLINE
        ),
        _note(
            "Of the active adult social care locations in the CQC care directory at each "
            "month end, the share whose latest Provider Information Return says they use a "
            "digital social care record. Locations with no return count as not using one. "
            + CONTROL_NOTE
        ),
        _chart(figure, text=text, graph_id=RATE_CHART),
        html.H2("When will it reach 80%?"),
        *notes,
        html.Div(
            [html.P(sentence) for sentence in trajectory.sentences],
            id=TRAJECTORY,
            className="adoption-answer",
            role="status",
        ),
        *([by_form(chosen)] if trajectory.projection else []),
        _note(
            "The trajectory is a logistic curve fitted to the monthly rates by the last load; "
            "the interval is where 8 in 10 curves consistent with the figures fall. The "
            "counts above are the published (rounded) ones, so the numbers are approximate."
        ),
    ]


# ----------------------------------------------------------------------------- the breakdowns


def category_text(dimension: str, category: str) -> str:
    """A breakdown category as the page names it (``Care home``, ``Community (no beds)``)."""
    names = {"service_type": SERVICE_TYPES, "size_band": SIZE_BANDS}.get(dimension, {})
    return names.get(category, category)


def dimension_bars(frame: pl.DataFrame, dimension: str) -> Bars:
    """The bars of one breakdown: rates by locations, or adopted counts for suppliers."""
    rows = frame.filter(pl.col("dimension") == dimension)
    labels = [category_text(dimension, category) for category in rows["category"].to_list()]
    if dimension == "supplier":
        adopted = rows.filter(pl.col("category") != "No DSCR")
        return Bars(
            categories=adopted["category"].to_list(),
            values=adopted["adopted_locations"].to_list(),
            is_rate=False,
            axis_title="Locations using a DSCR, by supplier",
        )
    return Bars(
        categories=labels,
        values=rows["adoption_rate"].to_list(),
        is_rate=True,
        axis_title=f"Adoption rate by {DIMENSIONS[dimension].lower()}",
    )


def breakdown_section(frame: pl.DataFrame) -> list[Any]:
    """Four bar charts (service type, size, local authority, supplier) and their table."""
    title = html.H2("Where the gaps are")
    if frame.is_empty():
        return [title, _note("No breakdown of the latest month yet.")]
    month = month_text(frame["month"][0])
    charts = []
    for dimension, name in DIMENSIONS.items():
        bars = dimension_bars(frame, dimension)
        if not bars.categories:
            continue
        charts.append(
            html.Div(
                [
                    html.H3(name),
                    _chart(
                        bars_figure(bars, target_rate=TARGET_RATE),
                        text=describe_bars(bars),
                        graph_id=f"{BREAKDOWN_CHART}-{dimension}",
                    ),
                ],
                className="adoption-breakdown",
            )
        )
    categories = [
        category_text(dimension, category)
        for dimension, category in zip(
            frame["dimension"].to_list(), frame["category"].to_list(), strict=True
        )
    ]
    shown = frame.with_columns(
        pl.Series("category", categories, pl.String),
        pl.col("dimension").replace_strict(DIMENSIONS, default=pl.col("dimension")),
        _percent_column(frame, "adoption_rate"),
        _percent_column(frame, "adoption_rate_beds"),
    )
    table = html_table(
        shown,
        columns=(
            Column("dimension", "Breakdown"),
            Column("category", "Category"),
            Column("active_locations", "Active locations", ColumnKind.CONTROLLED_COUNT),
            Column("adopted_locations", "Using a DSCR", ColumnKind.CONTROLLED_COUNT),
            Column("no_return_locations", "No return", ColumnKind.CONTROLLED_COUNT),
            Column("adoption_rate_text", "Rate by locations"),
            Column("adoption_rate_beds_text", "Rate by beds"),
        ),
        caption=f"Adoption by breakdown, {month}",
        table_id="adoption-breakdown-table",
    )
    return [
        title,
        _note(
            f"{month}. Rates by locations against the 80% target; suppliers as the number of "
            "locations using each ('Not known' when no return names one). " + CONTROL_NOTE
        ),
        html.Div(charts, className="adoption-breakdowns"),
        table,
    ]


# -------------------------------------------------------------------------- who is at risk


def at_risk_frame(frame: pl.DataFrame) -> pl.DataFrame:
    """The at-risk rows with the reason in words."""
    return frame.with_columns(
        pl.col("risk_reason")
        .replace_strict(REASONS, default=pl.col("risk_reason"))
        .alias("reason_text")
    )


def at_risk_section(frame: pl.DataFrame, *, with_provider: bool = True) -> list[Any]:
    """The locations at risk of dropping their DSCR, with the evidence and its date."""
    title = html.H2("Locations at risk of dropping their DSCR")
    intro = _note(
        "Locations whose latest return turned from Yes to No, whose return gives the status "
        "abandoned, or whose provider's exports to carelens stopped, as at the last load."
    )
    if frame.is_empty():
        return [title, intro, _note("No location is at risk.")]
    columns = [
        Column("location_name", "Location"),
        *([Column("provider_name", "Provider")] if with_provider else []),
        Column("reason_text", "Why"),
        Column("evidence", "Evidence"),
        Column("evidence_date", "Date", ColumnKind.DATE),
    ]
    return [
        title,
        intro,
        html_table(
            at_risk_frame(frame),
            columns=columns,
            caption=_at_risk_caption(frame),
            table_id=AT_RISK,
        ),
    ]


def _at_risk_caption(frame: pl.DataFrame) -> str:
    """``3 locations at risk (4 reasons), as at 5 Jan 2026``: a location may have two reasons."""
    locations = frame["location_id"].n_unique() if "location_id" in frame.columns else frame.height
    reasons = frame.height
    text = f"{locations} location{'s' if locations != 1 else ''} at risk"
    if reasons != locations:
        text += f" ({reasons} reasons)"
    return f"{text}, as at {frame['as_of'][0]:%-d %b %Y}"


def no_return_section(frame: pl.DataFrame) -> list[Any]:
    """The active locations with no return in the latest month: who to ask."""
    title = html.H2("Locations with no return")
    if frame.is_empty():
        return [title, _note("Every active location has sent a return.")]
    shown = frame.with_columns(
        pl.col("service_type").replace_strict(SERVICE_TYPES, default=pl.col("service_type")),
        pl.col("size_band").replace_strict(SIZE_BANDS, default=pl.col("size_band")),
    )
    return [
        title,
        _note(
            "Active locations with no Provider Information Return on or before the month end: "
            "they count as not using a DSCR until they send one."
        ),
        html_table(
            shown,
            columns=(
                Column("location_name", "Location"),
                Column("provider_name", "Provider"),
                Column("local_authority", "Local authority"),
                Column("service_type", "Service type"),
                Column("size_band", "Size"),
            ),
            caption=f"No return by the end of {month_text(frame['month'][0])}",
            table_id=NO_RETURN,
        ),
    ]


# ------------------------------------------------------------------------------- the owner


def locations_frame(frame: pl.DataFrame) -> pl.DataFrame:
    """The owner's locations with their DSCR status in words."""
    return frame.with_columns(
        pl.when(pl.col("is_adopted"))
        .then(pl.lit("Yes"))
        .when(pl.col("has_return"))
        .then(pl.lit("No"))
        .otherwise(pl.lit("No return"))
        .alias("answer_text"),
        pl.col("service_type").replace_strict(SERVICE_TYPES, default=pl.col("service_type")),
        pl.col("icb_name").fill_null("Not known"),
    )


def owner_locations_section(frame: pl.DataFrame) -> list[Any]:
    """The owner's own locations: the latest return's answer, status and supplier."""
    title = html.H2("Your locations")
    if frame.is_empty():
        return [title, _note("None of your locations is in the CQC care directory loaded.")]
    return [
        title,
        html_table(
            locations_frame(frame),
            columns=(
                Column("location_name", "Location"),
                Column("icb_name", "ICB"),
                Column("service_type", "Service type"),
                Column("answer_text", "Uses a DSCR (latest return)"),
                Column("latest_return_date", "Return date", ColumnKind.DATE),
                Column("latest_dscr_status", "Status"),
                Column("dscr_supplier", "Supplier"),
            ),
            caption=f"Your locations, {month_text(frame['month'][0])}",
            table_id="adoption-locations-table",
        ),
    ]


def owner_icb_section(monthly: pl.DataFrame) -> list[Any]:
    """The headline and rate chart of the ICB most of the owner's figures sit in."""
    title = html.H2("Your ICB")
    if monthly.is_empty():
        return [title, _note("None of your locations is mapped to an ICB.")]
    parts: list[Any] = [title, _note(CONTROL_NOTE)]
    for icb_code in monthly["icb_code"].unique(maintain_order=True).to_list():
        rows = monthly.filter(pl.col("icb_code") == icb_code)
        latest = rows.row(rows.height - 1, named=True)
        name = latest["icb_name"] or icb_code
        series = rate_series(rows)
        parts += [
            html.H3(name),
            headline_table(latest, caption=f"{name}, {month_text(latest['month'])}"),
            _chart(
                rate_figure(series, target_rate=TARGET_RATE),
                text=describe_rates(series, target_rate=TARGET_RATE),
                graph_id=f"{RATE_CHART}-{icb_code.lower()}",
            ),
        ]
    return parts
