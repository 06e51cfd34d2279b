"""Charts of the Return on investment page, as plain Plotly data (no Plotly objects built).

Costs by category over the appraisal years (upfront hatched, recurrent solid), cumulative
discounted net benefit by month with the break-even month marked, benefits measured to date
against the projection, the Monte Carlo distribution of NPV with its percentiles, and the
tornado of one-at-a-time sensitivities. Each takes figures already worked out (floats, pounds).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from dashboards.figures.theme import (
    NHS_BLUE,
    NHS_DARK_BLUE,
    NHS_DARK_GREY,
    NHS_RED,
    Figure,
    base_layout,
    plain_figure,
)

CATEGORY_COLOURS = ("#005EB8", "#007F3B", "#7C2855", "#ED8B00", "#425563")
"""NHS blue, green, plum, orange, dark grey: one per cost category, in CostCategory order."""
NHS_GREEN = "#007F3B"
_MONEY_AXIS = {"tickprefix": "£", "tickformat": ",.0f", "zeroline": True}


def costs_by_year_figure(
    *, years: Sequence[str], stacks: Mapping[tuple[str, str], Sequence[float]]
) -> Figure:
    """Stacked bars of costs by appraisal year: one colour per category, upfront hatched.

    Args:
        years: The x labels (``Year 0 (Apr 2025)``).
        stacks: Pounds per year by (category label, ``upfront`` or ``recurrent``); a stack
            with no pounds is left out.
    """
    labels = list(dict.fromkeys(category for category, _ in stacks))
    data = []
    for (category, kind), values in stacks.items():
        if not any(values):
            continue
        colour = CATEGORY_COLOURS[labels.index(category) % len(CATEGORY_COLOURS)]
        data.append(
            {
                "type": "bar",
                "name": f"{category}, {kind}",
                "x": list(years),
                "y": list(values),
                "marker": {
                    "color": colour,
                    "pattern": {"shape": "/" if kind == "upfront" else ""},
                },
                "hovertemplate": "%{x}: £%{y:,.2f}<extra>%{fullData.name}</extra>",
            }
        )
    layout = base_layout(title=None)
    layout.update(
        barmode="stack",
        yaxis={**_MONEY_AXIS, "title": {"text": "Costs (not discounted)"}},
        xaxis={"title": {"text": "Appraisal year"}},
        height=420,
    )
    return plain_figure(data=data, layout=layout)


def cumulative_figure(
    *, months: Sequence[str], cumulative: Sequence[float], payback_month: int | None
) -> Figure:
    """Cumulative discounted net benefit by month, the break-even month marked.

    Args:
        months: The x labels (``Apr 2025``), one per appraisal month.
        cumulative: Pounds, cumulative discounted (benefits − costs) at the end of each month.
        payback_month: The 1-based month it first reaches zero, or ``None``.
    """
    data: list[dict[str, Any]] = [
        {
            "type": "scatter",
            "mode": "lines",
            "name": "Cumulative discounted net benefit",
            "x": list(months),
            "y": list(cumulative),
            "line": {"color": NHS_BLUE, "width": 3},
            "hovertemplate": "%{x}: £%{y:,.2f}<extra></extra>",
        }
    ]
    if payback_month is not None:
        at = payback_month - 1
        data.append(
            {
                "type": "scatter",
                "mode": "markers+text",
                "name": "Break-even",
                "x": [months[at]],
                "y": [cumulative[at]],
                "text": [f"Break-even, month {payback_month}"],
                "textposition": "top right" if at < len(months) / 2 else "top left",
                "marker": {"color": NHS_DARK_BLUE, "size": 14, "symbol": "diamond"},
                "hovertemplate": "Break-even %{x}: £%{y:,.2f}<extra></extra>",
            }
        )
    layout = base_layout(title=None)
    layout.update(
        yaxis={**_MONEY_AXIS, "title": {"text": "Cumulative, discounted"}},
        xaxis={"title": {"text": "Month"}, "nticks": 14, "tickangle": -45},
        shapes=[
            {
                "type": "line",
                "xref": "paper",
                "x0": 0,
                "x1": 1,
                "y0": 0,
                "y1": 0,
                "line": {"color": NHS_DARK_GREY, "width": 1, "dash": "dot"},
            }
        ],
        height=380,
    )
    return plain_figure(data=data, layout=layout)


def realised_figure(
    *, months: Sequence[str], measured: Sequence[float | None], planned: Sequence[float]
) -> Figure:
    """Benefits measured each month (bars) against the appraisal's projection (line).

    Args:
        months: The x labels.
        measured: Pounds measured each month (``None`` after the data ends).
        planned: Pounds the appraisal counts each month (measured, then projected).
    """
    data: list[dict[str, Any]] = [
        {
            "type": "bar",
            "name": "Measured",
            "x": list(months),
            "y": list(measured),
            "marker": {"color": NHS_GREEN},
            "hovertemplate": "%{x}: £%{y:,.2f} measured<extra></extra>",
        },
        {
            "type": "scatter",
            "mode": "lines",
            "name": "Plan (measured, then projected)",
            "x": list(months),
            "y": list(planned),
            "line": {"color": NHS_DARK_BLUE, "width": 2, "dash": "dash"},
            "hovertemplate": "%{x}: £%{y:,.2f} planned<extra></extra>",
        },
    ]
    layout = base_layout(title=None)
    layout.update(
        yaxis={**_MONEY_AXIS, "title": {"text": "Benefits a month"}},
        xaxis={"title": {"text": "Month"}, "nticks": 14, "tickangle": -45},
        height=360,
    )
    return plain_figure(data=data, layout=layout)


def distribution_figure(
    *,
    npvs: Sequence[float] | npt.NDArray[np.float64],
    percentiles: Mapping[str, float],
    bins: int = 40,
) -> Figure:
    """A histogram of the simulated NPVs with P10, P50 and P90 marked.

    The histogram is binned here (``bins`` equal bins) so the page sends 40 bars, not 10,000
    numbers.

    Args:
        npvs: The simulated NPVs in pounds.
        percentiles: ``P10``, ``P50``, ``P90`` in pounds.
        bins: How many bins.
    """
    values = np.asarray(npvs, dtype=float)
    low, high = float(values.min()), float(values.max())
    if high <= low:
        low, high = low - 0.5, high + 0.5
    histogram, edges = np.histogram(values, bins=bins, range=(low, high))
    counts = [int(count) for count in histogram]
    width = float(edges[1] - edges[0])
    centres = [float(edge) + width / 2 for edge in edges[:-1]]
    data: list[dict[str, Any]] = [
        {
            "type": "bar",
            "name": "Draws",
            "x": centres,
            "y": counts,
            "width": width,
            "marker": {"color": [NHS_RED if c < 0 else NHS_BLUE for c in centres]},
            "hovertemplate": "NPV about £%{x:,.0f}: %{y} draws<extra></extra>",
        }
    ]
    shapes = []
    annotations = []
    for name, value in percentiles.items():
        shapes.append(
            {
                "type": "line",
                "yref": "paper",
                "x0": value,
                "x1": value,
                "y0": 0,
                "y1": 1,
                "line": {"color": NHS_DARK_GREY, "width": 2, "dash": "dash"},
            }
        )
        annotations.append(
            {
                "x": value,
                "y": 1,
                "yref": "paper",
                "text": name,
                "showarrow": False,
                "yanchor": "bottom",
            }
        )
    layout = base_layout(title=None)
    layout.update(
        xaxis={**_MONEY_AXIS, "title": {"text": "Net present value"}},
        yaxis={"title": {"text": "Draws"}},
        shapes=shapes,
        annotations=annotations,
        bargap=0,
        showlegend=False,
        height=360,
    )
    return plain_figure(data=data, layout=layout)


def tornado_figure(
    *, labels: Sequence[str], at_low: Sequence[float], at_high: Sequence[float], centre: float
) -> Figure:
    """One bar per uncertain input: NPV at its low and at its high, largest swing on top.

    Args:
        labels: The inputs, largest swing first.
        at_low: NPV with the input at its low, pounds.
        at_high: NPV with the input at its high, pounds.
        centre: NPV as estimated, pounds (the bars start there).
    """
    order = list(range(len(labels)))[::-1]  # Plotly draws the first category at the bottom
    y = [labels[i] for i in order]
    data = [
        {
            "type": "bar",
            "orientation": "h",
            "name": "Input at its low",
            "y": y,
            "x": [at_low[i] - centre for i in order],
            "base": centre,
            "marker": {"color": NHS_RED},
            "hovertemplate": "%{y}: NPV £%{customdata:,.2f} at the low<extra></extra>",
            "customdata": [at_low[i] for i in order],
        },
        {
            "type": "bar",
            "orientation": "h",
            "name": "Input at its high",
            "y": y,
            "x": [at_high[i] - centre for i in order],
            "base": centre,
            "marker": {"color": NHS_BLUE},
            "hovertemplate": "%{y}: NPV £%{customdata:,.2f} at the high<extra></extra>",
            "customdata": [at_high[i] for i in order],
        },
    ]
    layout = base_layout(title=None)
    layout.update(
        barmode="overlay",
        xaxis={**_MONEY_AXIS, "title": {"text": "Net present value"}},
        yaxis={"automargin": True},
        height=max(260, 60 + 34 * len(labels)),
    )
    return plain_figure(data=data, layout=layout)
