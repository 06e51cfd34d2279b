"""The funnel plot and its text (dashboards.figures.funnel), from hand-worked funnels.

Every funnel here is around 5 per 1,000 (pooled 100 events in 20,000), so a provider with
10,000 bed days expects 50 events, with limits 36.12 to 63.83 (95%) and 29.12 to 72.75 (99.8%)
(worked out in tests/unit/models/test_funnel.py).
"""

from __future__ import annotations

import json

import plotly.graph_objects as go
import polars as pl
import pytest

from dashboards.figures.funnel import (
    describe_funnel,
    funnel_caption,
    funnel_figure,
    funnel_units,
)
from dashboards.figures.spc import COMMON_CAUSE_GREY, CONCERN_ORANGE, IMPROVEMENT_BLUE
from models.funnel import Funnel, FunnelUnit, funnel

RATE = "Falls per 1,000 occupied bed days"


def _hand_funnel() -> Funnel:
    """Within (50), above 95% (64), above 99.8% (73), below 99.8% (29); two suppressed."""
    return funnel(
        [
            FunnelUnit("Oak Lodge Care", 50, 10_000.0),
            FunnelUnit("Hidden One", None, 4_000.0),
            FunnelUnit("Pine Care", 64, 10_000.0),
            FunnelUnit("Elm Homes", 73, 10_000.0),
            FunnelUnit("Hidden Two", 12, None),
            FunnelUnit("Yew Care", 29, 10_000.0),
        ],
        pooled_events=100,
        pooled_exposure=20_000.0,
    )


def _drawn(result: Funnel, **options: object) -> go.Figure:
    """The figure as Plotly reads it (``go.Figure`` validates the plain data)."""
    return go.Figure(
        funnel_figure(result, title="Falls", rate_label=RATE, **options)  # type: ignore[arg-type]
    )


def _trace(figure: go.Figure, name: str) -> go.Scatter:
    (trace,) = [trace for trace in figure.data if trace.name == name]
    return trace


class TestFunnelFigure:
    def test_draws_limits_average_and_a_trace_per_position(self) -> None:
        # When the hand funnel is drawn
        figure = _drawn(_hand_funnel(), exposure_label="Occupied bed days")

        # Then two curves per limit pair, the average at 5.00, and the four positions present
        names = [trace.name for trace in figure.data]
        assert names == [
            "99.8% limits",
            "99.8% limits",
            "95% limits",
            "95% limits",
            "Average (5.00)",
            "Within the 95% limits",
            "Above the 95% limit (concern)",
            "Above the 99.8% limit (concern)",
            "Below the 99.8% limit (better)",
        ]
        assert list(_trace(figure, "Average (5.00)").y) == [5.0, 5.0]
        within = _trace(figure, "Within the 95% limits")
        assert (list(within.x), list(within.y), list(within.text)) == (
            [10_000.0],
            [5.0],
            ["Oak Lodge Care"],
        )
        assert list(_trace(figure, "Above the 99.8% limit (concern)").y) == [7.3]
        assert list(_trace(figure, "Below the 99.8% limit (better)").y) == [2.9]

    def test_limit_curves_are_rates_and_one_legend_entry_per_pair(self) -> None:
        figure = _drawn(_hand_funnel())

        upper_998, lower_998, upper_95, lower_95 = figure.data[:4]
        # The curves run from 5,000 (half of 10,000) to 11,000; at 5,000 the expected count is
        # 25 and the upper 95% limit lies above the average, the lower below it
        assert upper_95.x[0] == pytest.approx(5_000.0)
        assert upper_95.x[-1] == pytest.approx(11_000.0)
        assert upper_95.y[0] > 5.0 > lower_95.y[0]
        assert upper_998.y[0] > upper_95.y[0]
        assert lower_998.y[0] < lower_95.y[0]
        assert [trace.showlegend for trace in figure.data[:4]] == [True, False, True, False]
        assert (upper_998.line.dash, upper_95.line.dash) == ("dash", "dot")

    def test_colours_follow_spc_and_swap_when_higher_is_better(self) -> None:
        worse = _drawn(_hand_funnel())
        better = _drawn(_hand_funnel(), higher_is_worse=False)

        assert _trace(worse, "Within the 95% limits").marker.color == COMMON_CAUSE_GREY
        assert _trace(worse, "Above the 95% limit (concern)").marker.color == CONCERN_ORANGE
        assert _trace(worse, "Below the 99.8% limit (better)").marker.color == IMPROVEMENT_BLUE
        assert _trace(better, "Above the 95% limit (better)").marker.color == IMPROVEMENT_BLUE
        assert _trace(better, "Below the 99.8% limit (concern)").marker.color == CONCERN_ORANGE

    def test_suppressed_providers_are_counted_in_the_caption_and_never_named(self) -> None:
        plain = funnel_figure(_hand_funnel(), title="Falls", rate_label=RATE)
        figure = go.Figure(plain)

        caption = figure.layout.xaxis.title.text
        assert caption == (
            "Exposure<br>Average and exact Poisson limits (95% and 99.8%) over the 4 providers"
            " shown.<br>2 providers are not shown: a count of 1 to 7 is suppressed."
        )
        serialised = json.dumps(plain)
        assert "Hidden One" not in serialised
        assert "Hidden Two" not in serialised

    def test_the_y_axis_leaves_room_for_the_upper_limit_at_the_smallest_provider(self) -> None:
        # At 10,000 (the only exposure) the upper 99.8% limit is 7.275 per 1,000, the highest
        # point 7.3: the axis runs to 7.3 x 1.1 = 8.03, and from 3% of that below zero
        figure = _drawn(_hand_funnel())

        assert list(figure.layout.yaxis.range) == pytest.approx([-0.2409, 8.03])

    def test_nothing_to_plot_says_so(self) -> None:
        result = funnel([FunnelUnit("Hidden", None, None)])

        figure = _drawn(result)

        assert figure.data == ()
        assert figure.layout.annotations[0].text == "No provider has enough data to plot."
        assert funnel_caption(result) == (
            "No provider has enough data to plot. 1 provider is not shown: a count of 1 to 7 is"
            " suppressed."
        )


class TestDescribeFunnel:
    def test_counts_each_position_and_the_suppressed(self) -> None:
        assert describe_funnel(_hand_funnel(), rate_label=RATE) == (
            "Falls per 1,000 occupied bed days, 4 providers against an average of 5.00: 1 within"
            " the 95% limits, 1 above the 95% limit, 1 above the 99.8% limit, 1 below the 99.8%"
            " limit. Average and exact Poisson limits (95% and 99.8%) over the 4 providers shown."
            " 2 providers are not shown: a count of 1 to 7 is suppressed."
        )

    def test_with_nothing_plotted(self) -> None:
        assert describe_funnel(funnel([]), rate_label=RATE) == (
            "Falls per 1,000 occupied bed days: No provider has enough data to plot."
        )


class TestFunnelUnits:
    def test_reader_rows_become_units_with_their_unrounded_rates(self) -> None:
        # Given the reader's rows: a named provider with 11 falls published as 10, an unnamed
        # one with suppressed falls, and a home-care provider with no bed days
        frame = pl.DataFrame(
            {
                "provider_id": ["P1", "P2", "P3"],
                "provider_name": ["Provider One", None, None],
                "falls": [10, None, 0],
                "occupied_bed_days": [1740, 1160, 0],
                "falls_rate": [11 / 1741, None, None],
            }
        )

        # When they become funnel units
        units = funnel_units(frame, events="falls", exposure="occupied_bed_days", rate="falls_rate")

        # Then names are used where known, suppressed counts are None and rates are kept
        assert units == [
            FunnelUnit("Provider One", 10, 1740.0, unrounded_rate=11 / 1741),
            FunnelUnit("P2", None, 1160.0),
            FunnelUnit("P3", 0, 0.0),
        ]
        # and the funnel plots P1 at 11 / 1,741 x 1,000 = 6.32 per 1,000, not 10 / 1,740
        result = funnel(units)
        assert [point.rate for point in result.points] == pytest.approx([6.318208])
        assert result.suppressed == ("P2",)

    def test_a_frame_without_label_columns_is_refused(self) -> None:
        with pytest.raises(KeyError, match="label columns"):
            funnel_units(pl.DataFrame({"falls": [1]}), events="falls", exposure="falls")


class TestLabels:
    def test_small_averages_keep_three_significant_figures(self) -> None:
        # Given 9 errors in 92,800 doses: 0.0970 per 1,000
        result = funnel([FunnelUnit("A", 9, 92_800.0)])

        figure = _drawn(result)

        assert "Average (0.0970)" in [trace.name for trace in figure.data]

    def test_a_long_rate_label_breaks_before_per_on_the_axis(self) -> None:
        figure = go.Figure(
            funnel_figure(
                _hand_funnel(),
                title="",
                rate_label="Medication errors per 1,000 scheduled doses",
            )
        )

        assert figure.layout.yaxis.title.text == "Medication errors<br>per 1,000 scheduled doses"
