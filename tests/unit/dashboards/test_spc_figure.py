"""The XmR chart and its text alternative (dashboards.figures.spc)."""

from __future__ import annotations

from datetime import date
from typing import Any

import plotly.graph_objects as go
import polars as pl
import pytest

from dashboards.figures import describe_spc, spc_figure
from models.spc import xmr

# Twelve points alternating 9/11 (mean 10, limits 4.68 and 15.32), then six alternating 4/6
# rebased at index 12 (mean 5, limits -0.32 and 10.32: trial limits, six points).
BEFORE_AND_AFTER = [9, 11] * 6 + [4, 6] * 3
MONTHS = [date(2024 + (m // 12), m % 12 + 1, 1) for m in range(18)]  # Jan 2024 to Jun 2025
# Limits -12.85 and 40.35; 60 is beyond the upper limit.
HIGH_JUMP = [5, 15, 5, 15, 5, 15, 5, 15, 5, 15, 5, 60]
# Mean 2, every moving range 2: limits 2 -/+ 2.66 * 2, that is -3.32 and 7.32.
LOW_RATE = [1.0, 3.0] * 6


def _drawn(frame: pl.DataFrame, **options: Any) -> go.Figure:
    """The chart as Plotly reads it (``go.Figure`` validates the plain data it is given)."""
    return go.Figure(spc_figure(frame, **options))


def _trace(figure: go.Figure, name: str) -> go.Scatter:
    (trace,) = [trace for trace in figure.data if trace.name == name]
    return trace


def _names(figure: go.Figure) -> list[str]:
    return [trace.name for trace in figure.data]


class TestSpcFigure:
    def test_draws_mean_and_limits_per_segment_with_a_break_between(self) -> None:
        # Given a rebase at index 12 (January 2025)
        frame = xmr(BEFORE_AND_AFTER, improvement="decrease", rebase_at=[12])

        # When
        figure = _drawn(frame, title=None, y_title="Falls", improvement="decrease", x=MONTHS)

        # Then each line steps at the rebase
        mean = _trace(figure, "Mean")
        assert list(mean.x) == [MONTHS[0], MONTHS[11], None, MONTHS[12], MONTHS[17], None]
        assert list(mean.y) == [10.0, 10.0, None, 5.0, 5.0, None]
        upper = _trace(figure, "Upper process limit")
        assert list(upper.y) == pytest.approx([15.32, 15.32, None, 10.32, 10.32, None])
        assert _trace(figure, "Lower process limit").line.dash == "dash"

    def test_labels_the_latest_mean_and_limits_on_the_right(self) -> None:
        frame = xmr(BEFORE_AND_AFTER, improvement="decrease", rebase_at=[12])

        figure = _drawn(frame, title=None, y_title="Falls", improvement="decrease")

        labels = [note.text for note in figure.layout.annotations]
        assert labels[:3] == ["Mean 5", "Upper limit 10.3", "Lower limit -0.32"]

    def test_special_cause_points_differ_by_colour_and_shape(self) -> None:
        frame = xmr(HIGH_JUMP, improvement="decrease")

        figure = _drawn(frame, title=None, y_title="Falls", improvement="decrease")

        common = _trace(figure, "Common cause")
        concern = _trace(figure, "Special cause: concerning")
        assert (common.marker.color, common.marker.symbol) == ("#7B7D7D", "circle")
        assert (concern.marker.color, concern.marker.symbol) == ("#FAB428", "square")
        assert list(concern.x) == [12]  # points are numbered from 1 without dates
        assert list(concern.y) == [60.0]
        assert concern.hovertext == (
            "point 12<br>60<br>Special cause: concerning: beyond a process limit",
        )

    def test_improving_and_neutral_colours(self) -> None:
        improving = _drawn(
            xmr(HIGH_JUMP, improvement="increase"), title=None, y_title="", improvement="increase"
        )
        neutral = _drawn(
            xmr(HIGH_JUMP, improvement="neutral"), title=None, y_title="", improvement="neutral"
        )

        assert _trace(improving, "Special cause: improving").marker.color == "#289DE0"
        assert _trace(improving, "Special cause: improving").marker.symbol == "diamond"
        high = _trace(neutral, "Special cause: higher (neutral)")
        assert (high.marker.color, high.marker.symbol) == ("#361475", "triangle-up")

    def test_draws_the_target_as_a_dashed_line(self) -> None:
        frame = xmr(BEFORE_AND_AFTER, improvement="decrease", rebase_at=[12])

        figure = _drawn(
            frame, title=None, y_title="Falls", improvement="decrease", x=MONTHS, target=8.5
        )

        target = _trace(figure, "Target (8.5)")
        assert list(target.x) == [MONTHS[0], MONTHS[-1]]
        assert list(target.y) == [8.5, 8.5]
        assert target.line.dash == "dash"

    def test_marks_go_live_with_a_labelled_vertical_line(self) -> None:
        frame = xmr(BEFORE_AND_AFTER, improvement="decrease", rebase_at=[12])

        figure = _drawn(
            frame,
            title=None,
            y_title="Falls",
            improvement="decrease",
            x=MONTHS,
            annotations=(("2025-02-13", "DSCR go-live"),),
        )

        (line,) = figure.layout.shapes
        assert (line.x0, line.x1, line.yref) == (date(2025, 2, 13), date(2025, 2, 13), "paper")
        (label,) = [note for note in figure.layout.annotations if note.text == "DSCR go-live"]
        assert label.x == date(2025, 2, 13)

    def test_leaves_out_annotations_outside_the_dates_or_without_dates(self) -> None:
        frame = xmr(BEFORE_AND_AFTER, improvement="decrease")

        outside = _drawn(
            frame,
            title=None,
            y_title="Falls",
            improvement="decrease",
            x=MONTHS,
            annotations=(("2023-06-01", "Earlier"),),
        )
        numbered = _drawn(frame, title=None, y_title="Falls", improvement="decrease")

        assert outside.layout.shapes == ()
        assert numbered.layout.shapes == ()

    def test_notes_the_better_direction_and_trial_limits(self) -> None:
        rebased = xmr(BEFORE_AND_AFTER, improvement="decrease", rebase_at=[12])
        whole = xmr(BEFORE_AND_AFTER, improvement="increase")

        rebased_figure = _drawn(rebased, title=None, y_title="", improvement="decrease")
        whole_figure = _drawn(whole, title=None, y_title="", improvement="increase")

        assert rebased_figure.layout.xaxis.title.text == (
            "Lower is better. Trial limits where a period has fewer than 12 points."
        )
        assert whole_figure.layout.xaxis.title.text == "Higher is better."

    def test_shades_the_close_to_limit_bands_when_asked(self) -> None:
        # Given mean 10 and mean MR 2: bands from 10 -/+ 3.546667 to the limits
        frame = xmr([9, 11] * 6, improvement="increase")

        plain = _drawn(frame, title=None, y_title="", improvement="increase")
        banded = _drawn(frame, title=None, y_title="", improvement="increase", show_near_band=True)

        assert "Close to a limit" not in _names(plain)
        band = _trace(banded, "Close to a limit")
        assert band.fill == "toself"
        assert list(band.y)[:5] == pytest.approx([13.546667, 13.546667, 15.32, 15.32, 13.546667])

    def test_leaves_gaps_open_in_the_value_line(self) -> None:
        frame = xmr([1, 3, None, 9, 11], improvement="increase")

        figure = _drawn(frame, title=None, y_title="", improvement="increase")

        value = _trace(figure, "Value")
        assert list(value.y) == [1.0, 3.0, None, 9.0, 11.0]
        assert value.connectgaps is False

    def test_an_empty_series_gives_an_empty_chart(self) -> None:
        figure = _drawn(
            xmr([], improvement="increase"), title="Falls", y_title="", improvement="increase"
        )

        assert _names(figure) == ["Value"]
        assert list(figure.data[0].y) == []

    def test_refuses_dates_that_do_not_match_the_rows(self) -> None:
        frame = xmr([1, 2, 3], improvement="increase")

        with pytest.raises(ValueError, match="2 entries for 3 rows"):
            spc_figure(frame, title=None, y_title="", improvement="increase", x=MONTHS[:2])


class TestLowerLimitAtZero:
    def test_a_negative_lower_limit_is_drawn_and_labelled_at_zero(self) -> None:
        # Given a rate whose lower process limit works out at -3.32
        frame = xmr(LOW_RATE, improvement="decrease")

        # When it is drawn as a measure that cannot be negative
        figure = _drawn(
            frame, title=None, y_title="Falls", improvement="decrease", non_negative=True
        )

        # Then the line and its label sit at 0, the upper limit is as computed, the note under
        # the chart says why, and the model's limit is left as it was
        assert list(_trace(figure, "Lower process limit").y) == [0.0, 0.0, None]
        assert list(_trace(figure, "Upper process limit").y) == pytest.approx([7.32, 7.32, None])
        labels = [note.text for note in figure.layout.annotations]
        assert labels == ["Mean 2", "Upper limit 7.32", "Lower limit 0"]
        assert figure.layout.xaxis.title.text == (
            "Lower is better. Lower limit set at zero: rates cannot be negative."
        )
        assert frame["lpl"][0] == pytest.approx(-3.32)

    def test_only_segments_below_zero_are_floored(self) -> None:
        # Given limits 4.68 before the rebase and -0.32 after it
        frame = xmr(BEFORE_AND_AFTER, improvement="decrease", rebase_at=[12])

        figure = _drawn(
            frame, title=None, y_title="Falls", improvement="decrease", non_negative=True
        )

        lower = list(_trace(figure, "Lower process limit").y)
        assert lower == pytest.approx([4.68, 4.68, None, 0.0, 0.0, None])

    def test_a_lower_limit_above_zero_adds_no_note(self) -> None:
        frame = xmr([9, 11] * 6, improvement="decrease")

        figure = _drawn(
            frame, title=None, y_title="Falls", improvement="decrease", non_negative=True
        )

        assert figure.layout.xaxis.title.text == "Lower is better."
        assert figure.layout.annotations[2].text == "Lower limit 4.68"

    def test_the_text_alternative_gives_zero_and_says_why(self) -> None:
        frame = xmr(LOW_RATE, improvement="decrease")

        text = describe_spc(frame, y_title="Falls", improvement="decrease", non_negative=True)

        assert text == (
            "Falls: 12 points from point 1 to point 12. Latest value 3; mean 2, process limits "
            "0 to 7.32 (lower limit set at zero: rates cannot be negative). Latest point: "
            "common cause variation: no significant change. No point shows special cause "
            "variation."
        )

    def test_the_text_alternative_joins_the_floor_and_trial_limits(self) -> None:
        frame = xmr(LOW_RATE[:6], improvement="decrease")

        text = describe_spc(frame, y_title="Falls", improvement="decrease", non_negative=True)

        assert (
            "0 to 7.32 (lower limit set at zero: rates cannot be negative; trial limits: fewer "
            in text
        )


class TestDescribeSpc:
    def test_summarises_limits_rebase_special_causes_and_assurance(self) -> None:
        frame = xmr(BEFORE_AND_AFTER, improvement="decrease", rebase_at=[12])

        text = describe_spc(frame, y_title="Falls", improvement="decrease", x=MONTHS, target=12.0)

        assert text == (
            "Falls: 18 points from Jan 2024 to Jun 2025. Latest value 6; mean 5, process "
            "limits -0.32 to 10.3 (trial limits: fewer than 12 points). Limits recalculated "
            "from Jan 2025. Latest point: common cause variation: no significant change. "
            "No point shows special cause variation. The process will consistently meet the "
            "target of 12."
        )

    def test_counts_special_causes_and_names_the_latest(self) -> None:
        frame = xmr(HIGH_JUMP, improvement="decrease")

        text = describe_spc(frame, y_title="Falls", improvement="decrease")

        assert text == (
            "Falls: 12 points from point 1 to point 12. Latest value 60; mean 13.8, process "
            "limits -12.9 to 40.4. Latest point: special cause variation: concerning, higher. "
            "1 point shows special cause variation: 1 concerning."
        )

    def test_a_single_point_has_no_limits_yet(self) -> None:
        frame = xmr([None, 4.0], improvement="increase")

        text = describe_spc(
            frame, y_title="Errors", improvement="increase", x=[date(2025, 1, 1), date(2025, 2, 1)]
        )

        assert text.startswith(
            "Errors: 1 point, Feb 2025. Latest value 4; mean 4, no process limits yet (trial"
        )

    def test_no_values(self) -> None:
        text = describe_spc(
            xmr([None], improvement="increase"), y_title="Errors", improvement="increase"
        )

        assert text == "Errors: there are no values to chart yet."

    @pytest.mark.parametrize(
        ("target", "sentence"),
        [
            (45.0, "The process will consistently meet the target of 45."),
            (20.0, "The process will hit and miss the target of 20 at random."),
            (-20.0, "The process will consistently miss the target of -20."),
        ],
    )
    def test_ends_with_the_assurance(self, target: float, sentence: str) -> None:
        # Given limits -12.85 and 40.35, lower is better
        frame = xmr(HIGH_JUMP, improvement="decrease")

        text = describe_spc(frame, y_title="Falls", improvement="decrease", target=target)

        assert text.endswith("1 concerning. " + sentence)
