"""Pure figure builders: frames in, plotly figures (and their text alternatives) out."""

from __future__ import annotations

from dashboards.figures.load_history import describe_rows_per_run, rows_per_run_figure
from dashboards.figures.spc import describe_spc, spc_figure

__all__ = ["describe_rows_per_run", "describe_spc", "rows_per_run_figure", "spc_figure"]
