"""The counterfactual after go-live (had the DSCR not gone live) drawn under an SPC chart."""

from __future__ import annotations

import polars as pl

from dashboards.figures.theme import NHS_DARK_BLUE, Figure

COUNTERFACTUAL_NAME = "Expected without the DSCR"
_BAND = "rgba(0, 48, 135, 0.12)"


def counterfactual_rates(
    *, counterfactual: pl.DataFrame, series: pl.DataFrame, per: int
) -> pl.DataFrame:
    """Turn expected events per month into rates, on the exposure of the same month.

    Args:
        counterfactual: ``month``, ``expected``, ``expected_lower``, ``expected_upper``
            (events; ``quality_counterfactual``).
        series: ``period`` and ``exposure`` per month (``quality_series``).
        per: The rate's unit of exposure (1,000).

    Returns:
        One row per month with exposure, oldest first: ``period``, ``expected_rate``,
        ``expected_rate_lower``, ``expected_rate_upper``. Months without exposure are left out.
    """
    joined = counterfactual.join(
        series.select("period", "exposure"), left_on="month", right_on="period", how="inner"
    ).filter(pl.col("exposure") > 0)
    scale = pl.lit(per) / pl.col("exposure")
    return joined.select(
        pl.col("month").alias("period"),
        (pl.col("expected") * scale).alias("expected_rate"),
        (pl.col("expected_lower") * scale).alias("expected_rate_lower"),
        (pl.col("expected_upper") * scale).alias("expected_rate_upper"),
    ).sort("period")


def with_counterfactual(figure: Figure, *, rates: pl.DataFrame) -> Figure:
    """Return a copy of ``figure`` with the counterfactual drawn beneath its traces.

    Args:
        figure: An SPC chart (:func:`dashboards.figures.spc_figure`) with periods on x.
        rates: :func:`counterfactual_rates` rows.

    Returns:
        The chart with a shaded 95% interval and a dashed line of the expected rate, beneath
        everything else so the measured points stay on top; ``figure`` itself when ``rates``
        is empty. ``figure`` is not changed.
    """
    if rates.is_empty():
        return figure
    periods = rates["period"].to_list()
    band = [
        {
            "type": "scatter",
            "x": periods,
            "y": rates["expected_rate_lower"].to_list(),
            "mode": "lines",
            "line": {"width": 0},
            "hoverinfo": "skip",
            "showlegend": False,
        },
        {
            "type": "scatter",
            "name": f"{COUNTERFACTUAL_NAME}: 95% interval",
            "x": periods,
            "y": rates["expected_rate_upper"].to_list(),
            "mode": "lines",
            "line": {"width": 0},
            "fill": "tonexty",
            "fillcolor": _BAND,
            "hoverinfo": "skip",
        },
    ]
    line = {
        "type": "scatter",
        "name": COUNTERFACTUAL_NAME,
        "x": periods,
        "y": rates["expected_rate"].to_list(),
        "mode": "lines",
        "line": {"color": NHS_DARK_BLUE, "dash": "dashdot", "width": 2},
        "hovertemplate": "%{x|%b %Y}<br>Expected without the DSCR: %{y:.3g}<extra></extra>",
    }
    return {**figure, "data": [*band, line, *figure["data"]]}


def describe_counterfactual(rates: pl.DataFrame, *, unit_label: str) -> str:
    """Say what the counterfactual line shows, as part of the chart's text alternative."""
    if rates.is_empty():
        return ""
    first, last = rates["period"][0], rates["period"][-1]
    return (
        f"A dash-dot line shows the rate {unit_label} expected had the DSCR not gone live, "
        f"from {first:%b %Y} to {last:%b %Y}, with its 95% interval shaded."
    )
