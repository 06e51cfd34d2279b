"""Shared colours and layout for every chart: NHS identity colours, system fonts, no web fonts."""

from __future__ import annotations

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


def base_layout(*, title: str | None) -> go.Layout:
    """Return the layout every figure starts from: plain background, readable axes.

    Args:
        title: The figure's own title; ``None`` when the page heading already names the chart.
    """
    return go.Layout(
        title={"text": title or "", "x": 0, "xanchor": "left", "font": {"size": 18}},
        font={"family": FONT_STACK, "size": 14, "color": TEXT_COLOUR},
        paper_bgcolor="#FFFFFF",
        plot_bgcolor="#FFFFFF",
        margin={"l": 70, "r": 20, "t": 60 if title else 30, "b": 60},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0, "xanchor": "left"},
        hoverlabel={"font": {"family": FONT_STACK}},
        separators=".,",
    )
