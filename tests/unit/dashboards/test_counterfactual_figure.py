"""Marks on an SPC chart: the counterfactual beneath the points, and the selected period."""

from __future__ import annotations

from datetime import date

import plotly.graph_objects as go
import polars as pl

from dashboards.figures import (
    counterfactual_rates,
    describe_counterfactual,
    spc_figure,
    with_counterfactual,
    with_selected_period,
)
from models.spc import xmr

COUNTERFACTUAL = pl.DataFrame(
    {
        "month": [date(2025, 3, 1), date(2025, 4, 1), date(2025, 5, 1)],
        "observed": [4.0, 3.0, 5.0],
        "expected": [6.0, 5.0, 4.5],
        "expected_lower": [5.0, 4.0, 3.5],
        "expected_upper": [7.5, 6.0, 5.0],
    }
)
SERIES = pl.DataFrame(
    {
        "period": [date(2025, 2, 1), date(2025, 3, 1), date(2025, 4, 1), date(2025, 5, 1)],
        "count": [7, 4, 3, 5],
        "exposure": [1000, 500, 1000, 0],
        "rate": [7.0, 8.0, 3.0, None],
    }
)


def test_rates_are_expected_events_per_1000_of_the_months_exposure() -> None:
    # When March (500 bed days), April (1,000) and May (none) are rated
    rates = counterfactual_rates(counterfactual=COUNTERFACTUAL, series=SERIES, per=1000)

    # Then March's 6 expected falls are 12 per 1,000, April's 5 are 5; May has no rate
    assert rates.rows() == [
        (date(2025, 3, 1), 12.0, 10.0, 15.0),
        (date(2025, 4, 1), 5.0, 4.0, 6.0),
    ]


def test_the_counterfactual_is_drawn_beneath_the_chart() -> None:
    # Given an SPC chart of the series
    chart = spc_figure(
        xmr(SERIES["rate"], improvement="decrease"),
        title=None,
        y_title="Falls per 1,000 occupied bed days",
        improvement="decrease",
        x=SERIES["period"],
    )
    rates = counterfactual_rates(counterfactual=COUNTERFACTUAL, series=SERIES, per=1000)

    # When the counterfactual is added
    drawn = go.Figure(with_counterfactual(chart, rates=rates))

    # Then its band and dash-dot line come first (beneath), the chart's traces follow unchanged
    names = [trace.name for trace in drawn.data]
    assert names[:3] == [
        None,
        "Expected without the DSCR: 95% interval",
        "Expected without the DSCR",
    ]
    assert names[3:] == [trace.name for trace in go.Figure(chart).data]
    line = drawn.data[2]
    assert isinstance(line, go.Scatter)
    assert list(line.y) == [12.0, 5.0]
    assert line.line.dash == "dashdot"
    assert drawn.data[1].fill == "tonexty"
    assert len(chart["data"]) == len(drawn.data) - 3  # the chart passed in is not changed


def test_nothing_to_draw_leaves_the_chart_as_it_is() -> None:
    chart = {"data": [], "layout": {}}
    empty = counterfactual_rates(counterfactual=COUNTERFACTUAL.clear(), series=SERIES, per=1000)

    assert with_counterfactual(chart, rates=empty) is chart
    assert describe_counterfactual(empty, unit_label="per 1,000 occupied bed days") == ""


def test_describe_counterfactual() -> None:
    rates = counterfactual_rates(counterfactual=COUNTERFACTUAL, series=SERIES, per=1000)

    assert describe_counterfactual(rates, unit_label="per 1,000 occupied bed days") == (
        "A dash-dot line shows the rate per 1,000 occupied bed days expected had the DSCR not "
        "gone live, from Mar 2025 to Apr 2025, with its 95% interval shaded."
    )


def test_the_selected_period_is_shaded_and_named() -> None:
    # Given a chart by month
    chart = spc_figure(
        xmr(SERIES["rate"], improvement="decrease"),
        title=None,
        y_title="Falls per 1,000 occupied bed days",
        improvement="decrease",
        x=SERIES["period"],
    )

    # When March 2025 is marked
    marked = go.Figure(
        with_selected_period(
            chart, start=date(2025, 3, 1), end=date(2025, 4, 1), label="Incidents listed below"
        )
    )

    # Then a shaded band spans March, named above, and the chart given is left as it was
    band = marked.layout.shapes[-1]
    assert (band.x0, band.x1, band.type) == (date(2025, 3, 1), date(2025, 4, 1), "rect")
    assert marked.layout.annotations[-1].text == "Incidents listed below"
    assert len(chart["layout"].get("shapes", [])) == len(marked.layout.shapes) - 1
