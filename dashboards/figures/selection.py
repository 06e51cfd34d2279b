"""Mark the period whose incidents the page lists on a chart of periods."""

from __future__ import annotations

from datetime import date

from dashboards.figures.theme import TEXT_COLOUR, Figure

_SHADE = "rgba(255, 235, 59, 0.35)"  # NHS yellow, light enough to read the points through


def with_selected_period(figure: Figure, *, start: date, end: date, label: str) -> Figure:
    """Return a copy of ``figure`` with the period from ``start`` to ``end`` shaded and named.

    The band spans the plot's full height beneath the traces, its label at its top left (what
    Plotly's ``add_vrect`` draws). ``figure`` is not changed.

    Args:
        figure: A chart with dates on x (an SPC chart by month or week), as plain data.
        start: The first day of the period.
        end: The first day after it.
        label: What the shading means, written above it (``"Listed below"``).
    """
    layout = figure["layout"]
    band = {
        "type": "rect",
        "xref": "x",
        "yref": "y domain",
        "x0": start,
        "x1": end,
        "y0": 0,
        "y1": 1,
        "fillcolor": _SHADE,
        "line": {"width": 0},
        "layer": "below",
    }
    note = {
        "x": start,
        "xref": "x",
        "xanchor": "left",
        "y": 1,
        "yref": "y domain",
        "yanchor": "top",
        "text": label,
        "showarrow": False,
        "font": {"size": 12, "color": TEXT_COLOUR},
    }
    return {
        **figure,
        "layout": {
            **layout,
            "shapes": [*layout.get("shapes", []), band],
            "annotations": [*layout.get("annotations", []), note],
        },
    }
