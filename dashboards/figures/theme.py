"""Shared colours and layout for every chart: NHS identity colours, system fonts, no web fonts.

The measure pages' figures are plain data (``{"data": [...], "layout": {...}}``), which
``dcc.Graph`` draws as it is: building a ``plotly.graph_objects.Figure`` validates every
property, which cost a Falls render about 100 ms, and serialising it copies it again.
:func:`plain_figure` adds what ``go.Figure`` would have added (the default template), so the
browser draws the same chart.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import plotly.graph_objects as go

NHS_BLUE = "#005EB8"
NHS_DARK_BLUE = "#003087"
NHS_RED = "#D5281B"
NHS_DARK_GREY = "#425563"
NHS_PALE_GREY = "#E8EDEE"
TEXT_COLOUR = "#212B32"

FONT_STACK = (
    'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, '
    '"Noto Sans", "Liberation Sans", sans-serif'
)

Figure = dict[str, Any]
"""A Plotly figure as plain data: ``data`` (a list of trace dicts) and ``layout`` (a dict)."""


def base_layout(*, title: str | None) -> dict[str, Any]:
    """Return the layout every figure starts from: plain background, readable axes.

    Args:
        title: The figure's own title; ``None`` when the page heading already names the chart.
    """
    return {
        "title": {"text": title or "", "x": 0, "xanchor": "left", "font": {"size": 18}},
        "font": {"family": FONT_STACK, "size": 14, "color": TEXT_COLOUR},
        "paper_bgcolor": "#FFFFFF",
        "plot_bgcolor": "#FFFFFF",
        "margin": {"l": 70, "r": 20, "t": 60 if title else 30, "b": 60},
        "legend": {"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0, "xanchor": "left"},
        "hoverlabel": {"font": {"family": FONT_STACK}},
        "separators": ".,",
    }


@cache
def _default_template() -> dict[str, Any]:
    """The template ``go.Figure`` gives a new figure (Plotly's default), as plain data."""
    template: dict[str, Any] = go.Figure().layout.template.to_plotly_json()
    return template


def plain_figure(*, data: list[dict[str, Any]], layout: dict[str, Any]) -> Figure:
    """Return a figure as plain data, with the default template ``go.Figure`` would add.

    Args:
        data: The traces, each a dict with its ``type`` (``"scatter"``, ``"heatmap"``).
        layout: The layout (without a template).
    """
    return {"data": data, "layout": {**layout, "template": _default_template()}}
