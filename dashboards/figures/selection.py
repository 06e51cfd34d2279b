"""Mark the period whose incidents the page lists on a chart of periods."""

from __future__ import annotations

from datetime import date

import plotly.graph_objects as go

from dashboards.figures.theme import TEXT_COLOUR

_SHADE = "rgba(255, 235, 59, 0.35)"  # NHS yellow, light enough to read the points through


def with_selected_period(figure: go.Figure, *, start: date, end: date, label: str) -> go.Figure:
    """Return a copy of ``figure`` with the period from ``start`` to ``end`` shaded and named.

    Args:
        figure: A chart with dates on x (an SPC chart by month or week).
        start: The first day of the period.
        end: The first day after it.
        label: What the shading means, written above it (``"Listed below"``).
    """
    marked = go.Figure(figure)
    marked.add_vrect(
        x0=start,
        x1=end,
        fillcolor=_SHADE,
        line_width=0,
        layer="below",
        annotation_text=label,
        annotation_position="top left",
        annotation_font={"size": 12, "color": TEXT_COLOUR},
    )
    return marked
