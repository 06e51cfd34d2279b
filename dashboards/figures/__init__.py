"""Pure figure builders: frames in, plotly figures (and their text alternatives) out."""

from __future__ import annotations

from dashboards.figures.load_history import describe_rows_per_run, rows_per_run_figure

__all__ = ["describe_rows_per_run", "rows_per_run_figure"]
