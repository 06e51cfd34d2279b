"""Pure figure builders: frames in, plotly figures (and their text alternatives) out."""

from __future__ import annotations

from dashboards.figures.counterfactual import (
    counterfactual_rates,
    describe_counterfactual,
    with_counterfactual,
)
from dashboards.figures.heatmap import describe_falls_heatmap, falls_heatmap_figure, heatmap_grid
from dashboards.figures.load_history import describe_rows_per_run, rows_per_run_figure
from dashboards.figures.selection import with_selected_period
from dashboards.figures.spc import describe_spc, spc_figure

__all__ = [
    "counterfactual_rates",
    "describe_counterfactual",
    "describe_falls_heatmap",
    "describe_rows_per_run",
    "describe_spc",
    "falls_heatmap_figure",
    "heatmap_grid",
    "rows_per_run_figure",
    "spc_figure",
    "with_counterfactual",
    "with_selected_period",
]
