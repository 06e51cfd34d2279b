"""The falls heatmap: every hour of every day, counts in the right cells, and its text."""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl
import pytest
from audit_sample import OWNER_A

from dashboards.figures.heatmap import (
    describe_falls_heatmap,
    falls_heatmap_figure,
    heatmap_grid,
    hour_label,
)
from dashboards.queries import WarehouseReader, falls_heatmap

SPARSE = pl.DataFrame(
    {"weekday": [7, 1, 1, 3], "hour": [1, 14, 9, 23], "falls": [2, 3, 1, 1]},
    schema={"weekday": pl.Int32, "hour": pl.Int32, "falls": pl.Int64},
)
"""Two falls on Sundays at 01:00 to 01:59, three on Mondays at 14:00, one Monday 09:00 and
one Wednesday 23:00: seven in all, three of them at night (both on Sunday 01:00, and Wednesday
23:00)."""


class TestHeatmapGrid:
    def test_fills_every_hour_of_every_day_with_zeros(self) -> None:
        grid = heatmap_grid(SPARSE)

        assert grid.height == 7 * 24
        assert grid.row(0) == (1, "Monday", 0, 0)
        assert grid.filter(weekday=7, hour=1).row(0) == (7, "Sunday", 1, 2)
        assert grid["falls"].sum() == 7

    def test_a_grid_is_given_back_as_it_is(self) -> None:
        # Given a filled grid (the page fills it once for the figure, its text and its table)
        grid = heatmap_grid(SPARSE)

        # When it is filled again, then nothing changes
        assert heatmap_grid(grid).equals(grid)
        assert describe_falls_heatmap(grid) == describe_falls_heatmap(SPARSE)

    def test_an_empty_frame_gives_zeros(self) -> None:
        empty = SPARSE.clear()

        assert heatmap_grid(empty)["falls"].to_list() == [0] * 168


class TestFallsHeatmapFigure:
    def test_puts_each_count_in_its_day_row_and_hour_column(self) -> None:
        # When the figure is drawn
        trace = go.Figure(falls_heatmap_figure(SPARSE)).data[0]

        # Then rows are Monday to Sunday, columns hours 00 to 23, and the counts sit in place
        assert list(trace.y) == [
            "Monday",
            "Tuesday",
            "Wednesday",
            "Thursday",
            "Friday",
            "Saturday",
            "Sunday",
        ]
        assert list(trace.x)[:3] == ["00", "01", "02"]
        assert trace.z[6][1] == 2
        assert trace.z[0][14] == 3
        assert trace.z[2][23] == 1
        assert sum(sum(row) for row in trace.z) == 7

    def test_writes_counts_in_the_cells_and_says_what_each_cell_is(self) -> None:
        trace = go.Figure(falls_heatmap_figure(SPARSE)).data[0]

        assert trace.text[6][1] == "2"
        assert trace.text[6][2] == ""
        assert trace.hovertext[6][1] == "Sunday, 01:00 to 01:59: 2 falls"
        assert trace.hovertext[2][23] == "Wednesday, 23:00 to 23:59: 1 fall"

    def test_names_what_is_counted(self) -> None:
        trace = go.Figure(falls_heatmap_figure(SPARSE, noun="falls with harm")).data[0]

        assert trace.hovertext[0][9] == "Monday, 09:00 to 09:59: 1 fall with harm"
        assert trace.colorbar.title.text == "Falls with harm"


class TestDescribeFallsHeatmap:
    def test_names_the_busiest_hour_day_and_the_night_share(self) -> None:
        text = describe_falls_heatmap(SPARSE)

        assert text == (
            "7 falls by day of the week and hour of the day, in UK time. "
            "The most in one hour of the week: Monday 14:00 to 14:59 (3 falls). "
            "Busiest day: Monday (4 falls). "
            "Busiest hour of the day: 14:00 to 14:59 (3 falls). "
            "At night (22:00 to 06:59): 3 falls, 43% of all."
        )

    def test_lists_ties(self) -> None:
        tied = pl.DataFrame({"weekday": [2, 4], "hour": [8, 8], "falls": [1, 1]})

        text = describe_falls_heatmap(tied)

        assert "Tuesday 08:00 to 08:59 and Thursday 08:00 to 08:59 (1 fall each)" in text
        assert "Busiest day: Tuesday and Thursday (1 fall)." in text

    def test_says_when_there_is_nothing(self) -> None:
        assert describe_falls_heatmap(SPARSE.clear()) == (
            "No falls are recorded at this location, so there is nothing to map."
        )


@pytest.mark.parametrize(("hour", "label"), [(0, "00:00 to 00:59"), (23, "23:00 to 23:59")])
def test_hour_label(hour: int, label: str) -> None:
    assert hour_label(hour) == label


def test_the_sample_falls_near_midnight_and_clock_changes_land_in_their_uk_cells(
    reader: WarehouseReader,
) -> None:
    # Given A1's falls as the query reads them (generic ones from 08:00 to 19:00 only)
    frame = falls_heatmap(reader=reader, identity=OWNER_A, location_id="1-201000001")

    # When they are drawn
    z = go.Figure(falls_heatmap_figure(frame)).data[0].z

    # Then 00:30 GMT and 02:30 BST on Sunday 30 March 2025, 01:30 BST and GMT on Sunday 26
    # October 2025, 00:30 BST on Tuesday 1 July 2025 and 23:45 on Wednesday 31 December 2025
    # are where a UK clock showed them; hour 01 on 30 March never happened
    sunday, tuesday, wednesday = z[6], z[1], z[2]
    assert (sunday[0], sunday[1], sunday[2]) == (1, 2, 1)
    assert tuesday[0] == 1
    assert wednesday[23] == 1
    assert sum(sum(row) for row in z) == 132
