"""Charts of the load history: rows loaded and rows quarantined per run."""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl
from plotly.subplots import make_subplots

from dashboards.dates import london_time
from dashboards.figures.theme import NHS_BLUE, NHS_DARK_GREY, NHS_PALE_GREY, NHS_RED, base_layout


def _run_labels(runs: pl.DataFrame) -> list[str]:
    """Label each run by its London start time, adding the run id when two share a minute."""
    times = runs.select(london_time("started_at")).to_series().to_list()
    seen = {label: times.count(label) for label in times}
    return [
        f"{label} ({run_id})" if seen[label] > 1 else label
        for label, run_id in zip(times, runs["run_id"].to_list(), strict=True)
    ]


def rows_per_run_figure(runs: pl.DataFrame) -> go.Figure:
    """Draw rows loaded (top panel) and rows quarantined (bottom panel) for each run.

    The figure has no title of its own: the page's heading names it. The two panels have
    their own scales: quarantined rows are usually a tiny share of rows
    loaded and would not be visible on a shared axis.

    Args:
        runs: ``load_runs`` rows (one per run, any order) with ``run_id``, ``started_at``,
            ``rows_loaded`` and ``rows_quarantined``.

    Returns:
        A figure with two bar traces, runs in time order from the left.
    """
    ordered = runs.sort("started_at", "run_id")
    labels = _run_labels(ordered)
    figure = make_subplots(
        rows=2,
        cols=1,
        shared_xaxes=True,
        vertical_spacing=0.12,
        subplot_titles=("Rows loaded", "Rows quarantined"),
    )
    figure.add_trace(
        go.Bar(
            name="Rows loaded",
            x=labels,
            y=ordered["rows_loaded"].to_list(),
            marker={"color": NHS_BLUE},
            hovertemplate="%{x}<br>%{y:,} rows loaded<extra></extra>",
        ),
        row=1,
        col=1,
    )
    figure.add_trace(
        go.Bar(
            name="Rows quarantined",
            x=labels,
            y=ordered["rows_quarantined"].to_list(),
            marker={"color": NHS_RED},
            hovertemplate="%{x}<br>%{y:,} rows quarantined<extra></extra>",
        ),
        row=2,
        col=1,
    )
    figure.update_layout(base_layout(title=None), height=440, showlegend=False)
    figure.update_yaxes(
        rangemode="tozero", tickformat=",d", gridcolor=NHS_PALE_GREY, linecolor=NHS_DARK_GREY
    )
    figure.update_xaxes(type="category", linecolor=NHS_DARK_GREY)
    return figure


def describe_rows_per_run(runs: pl.DataFrame) -> str:
    """Summarise :func:`rows_per_run_figure` in one or two sentences, as its text alternative."""
    if runs.is_empty():
        return "No load has run yet, so there is nothing to chart."
    ordered = runs.sort("started_at", "run_id")
    times = ordered.select(london_time("started_at")).to_series()
    loaded = int(ordered["rows_loaded"].sum())
    quarantined = int(ordered["rows_quarantined"].sum())
    latest = ordered.row(-1, named=True)
    count = ordered.height
    span = (
        f"the run at {times[0]}" if count == 1 else f"{count} runs from {times[0]} to {times[-1]}"
    )
    total = loaded + quarantined
    share = f", {quarantined / total:.2%} of the rows loaded or quarantined" if total else ""
    return (
        f"In {span}, {loaded:,} rows were loaded and {quarantined:,} were quarantined{share}. "
        f"The latest run, at {times[-1]}, loaded {latest['rows_loaded']:,} rows "
        f"and quarantined {latest['rows_quarantined']:,}."
    )
