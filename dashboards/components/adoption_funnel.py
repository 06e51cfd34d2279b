"""The DSCR adoption page's funnel plots: falls and medication errors of the providers sharing data.

Providers that share their data with the ICB (ODE-1 exports loaded, a location in the ICB) are
placed on a funnel plot against the ICB average (``models.funnel``, exact Poisson limits at 95%
and 99.8%) over the twelve months to the ICB's latest adoption month. The counts come from
``adoption_funnel.sql`` under the reader's disclosure control; a provider whose count is
suppressed is not plotted (the caption says how many), and the points sit at the rate from
the unrounded counts.

The limit curves take about 8 ms a funnel to compute (exact Poisson quantiles at 125
exposures), so each funnel is kept in-process for the units it was computed from
(:func:`clear_cache` empties it): the next view of the same figures reuses it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

import polars as pl
from dash import dcc, html

from dashboards.context import current_reader
from dashboards.figures.funnel import describe_funnel, funnel_figure, funnel_units
from dashboards.queries import adoption as queries
from dashboards.roles import Identity
from models.funnel import Funnel, FunnelUnit, funnel

FUNNEL_CHART = "adoption-funnel-chart"
"""Prefix of the two charts' ids: ``adoption-funnel-chart-falls``, ``…-medication``."""
PERIOD_MONTHS = 12
PER = 1000.0
FUNNEL_CONTROLLED = (
    "falls",
    "occupied_bed_days",
    "medication_errors",
    "scheduled_doses",
    "falls_per_1000_bed_days",
    "medication_errors_per_1000_doses",
)
"""The download's disclosure-controlled columns: a null there is suppressed ([c])."""
GRAPH_CONFIG = {"displaylogo": False, "responsive": True}


@dataclass(frozen=True, slots=True)
class _Measure:
    key: str
    events: str
    exposure: str
    rate: str
    rate_label: str
    exposure_label: str
    events_label: str


_MEASURES = (
    _Measure(
        "falls",
        "falls",
        "occupied_bed_days",
        "falls_rate",
        "Falls per 1,000 occupied bed days",
        "Occupied bed days (rounded to 5)",
        "Falls (rounded to 5)",
    ),
    _Measure(
        "medication",
        "medication_errors",
        "scheduled_doses",
        "medication_errors_rate",
        "Medication errors per 1,000 scheduled doses",
        "Scheduled doses (rounded to 5)",
        "Medication errors (rounded to 5)",
    ),
)


def period(latest_month: date) -> tuple[date, date]:
    """The twelve months to ``latest_month`` (first days of months, both included)."""
    index = latest_month.year * 12 + latest_month.month - 1 - (PERIOD_MONTHS - 1)
    return date(index // 12, index % 12 + 1, 1), latest_month


def _read(identity: Identity, *, latest_month: date) -> pl.DataFrame:
    month_from, month_to = period(latest_month)
    return queries.icb_funnel(
        reader=current_reader(), identity=identity, month_from=month_from, month_to=month_to
    )


def measure_funnel(frame: pl.DataFrame, *, measure: str) -> Funnel:
    """Place each provider on the funnel of ``measure`` (``falls`` or ``medication``).

    Providers with no exposure (no care-home bed days, no scheduled doses) have no rate and
    are left out; those with a suppressed count are listed, not plotted.
    """
    chosen = next(item for item in _MEASURES if item.key == measure)
    with_exposure = frame.filter(pl.col(chosen.exposure).is_null() | (pl.col(chosen.exposure) > 0))
    units = funnel_units(
        with_exposure, events=chosen.events, exposure=chosen.exposure, rate=chosen.rate
    )
    return _funnel(tuple(units))


@lru_cache(maxsize=64)
def _funnel(units: tuple[FunnelUnit, ...]) -> Funnel:
    """The funnel of these units: a pure function of them, and immutable, so kept."""
    return funnel(units, per=PER)


def clear_cache() -> None:
    """Forget the funnels computed so far (benchmarks time a first view with it)."""
    _funnel.cache_clear()


def funnel_section(*, identity: Identity, latest_month: date) -> list[Any]:
    """The two funnel plots with their captions, or why there are none."""
    title = html.H2("Falls and medication errors of providers sharing their data")
    intro = html.P(
        "Providers that send their digital care records to carelens and have a location in "
        "your ICB, against the ICB average: points outside the funnel are further from it than "
        "chance alone would explain (95% and 99.8% limits). Counts are disclosure-controlled: "
        "a provider whose count is hidden ([c]) is not plotted.",
        className="note",
    )
    frame = _read(identity, latest_month=latest_month)
    if frame.is_empty():
        return [title, intro, html.P("No provider in your ICB shares its data yet.")]
    start, end = period(latest_month)
    charts = []
    for measure in _MEASURES:
        result = measure_funnel(frame, measure=measure.key)
        figure = funnel_figure(
            result,
            title="",
            rate_label=measure.rate_label,
            exposure_label=measure.exposure_label,
            events_label=measure.events_label,
        )
        text = f"{start:%b %Y} to {end:%b %Y}. " + describe_funnel(
            result, rate_label=measure.rate_label
        )
        charts.append(
            html.Figure(
                [
                    html.Figcaption(text),
                    dcc.Graph(
                        id=f"{FUNNEL_CHART}-{measure.key}",
                        figure=figure,
                        config=GRAPH_CONFIG,  # type: ignore[arg-type]
                        # as tall as the figure, or it overflows the default 450 px box
                        style={"height": f"{figure['layout'].get('height', 450)}px"},
                    ),
                ],
                className="chart",
            )
        )
    return [title, intro, html.Div(charts, className="adoption-funnels")]


def funnel_download(
    *, identity: Identity, latest_month: date
) -> tuple[pl.DataFrame, tuple[str, ...]]:
    """The funnel rows as downloaded: controlled counts and rates per 1,000, with the period."""
    frame = _read(identity, latest_month=latest_month)
    start, end = period(latest_month)
    shown = frame.select(
        "provider_id",
        "provider_name",
        pl.lit(start).alias("month_from"),
        pl.lit(end).alias("month_to"),
        "falls",
        "occupied_bed_days",
        (pl.col("falls_rate") * PER).alias("falls_per_1000_bed_days"),
        "medication_errors",
        "scheduled_doses",
        (pl.col("medication_errors_rate") * PER).alias("medication_errors_per_1000_doses"),
    )
    return shown, FUNNEL_CONTROLLED
