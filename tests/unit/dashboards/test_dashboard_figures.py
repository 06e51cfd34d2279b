from __future__ import annotations

from datetime import UTC, datetime

import polars as pl

from dashboards.figures import describe_rows_per_run, rows_per_run_figure


def _runs(*rows: tuple[str, datetime, int, int]) -> pl.DataFrame:
    return pl.DataFrame(
        rows,
        schema={
            "run_id": pl.String,
            "started_at": pl.Datetime("us", "UTC"),
            "rows_loaded": pl.Int64,
            "rows_quarantined": pl.Int64,
        },
        orient="row",
    )


NOV_21 = datetime(2026, 11, 21, 2, tzinfo=UTC)
NOV_22 = datetime(2026, 11, 22, 2, tzinfo=UTC)
JUL_01 = datetime(2026, 7, 1, 1, tzinfo=UTC)


class TestRowsPerRunFigure:
    def test_draws_loaded_and_quarantined_oldest_first(self) -> None:
        # Given runs newest first, as the query returns them
        runs = _runs(("b", NOV_22, 500, 3), ("a", NOV_21, 1000, 0))

        # When
        figure = rows_per_run_figure(runs)

        # Then
        loaded, quarantined = figure.data
        assert loaded.name == "Rows loaded"
        assert list(loaded.x) == ["21 Nov 2026 02:00", "22 Nov 2026 02:00"]
        assert list(loaded.y) == [1000, 500]
        assert list(quarantined.y) == [0, 3]

    def test_labels_runs_in_london_time(self) -> None:
        figure = rows_per_run_figure(_runs(("s", JUL_01, 1, 0)))

        assert list(figure.data[0].x) == ["1 Jul 2026 02:00"]

    def test_tells_apart_runs_started_in_the_same_minute(self) -> None:
        runs = _runs(("a", NOV_22, 1, 0), ("b", NOV_22, 2, 0))

        figure = rows_per_run_figure(runs)

        assert list(figure.data[0].x) == ["22 Nov 2026 02:00 (a)", "22 Nov 2026 02:00 (b)"]

    def test_empty_history_gives_empty_traces(self) -> None:
        figure = rows_per_run_figure(_runs())

        assert [list(trace.y) for trace in figure.data] == [[], []]


class TestDescribeRowsPerRun:
    def test_summarises_totals_and_the_latest_run(self) -> None:
        runs = _runs(("b", NOV_22, 500, 3), ("a", NOV_21, 1000, 0))

        text = describe_rows_per_run(runs)

        assert text == (
            "In 2 runs from 21 Nov 2026 02:00 to 22 Nov 2026 02:00, 1,500 rows were loaded and "
            "3 were quarantined, 0.20% of the rows loaded or quarantined. The latest run, at "
            "22 Nov 2026 02:00, loaded 500 rows and quarantined 3."
        )

    def test_one_run_with_no_rows(self) -> None:
        text = describe_rows_per_run(_runs(("a", NOV_21, 0, 0)))

        assert text.startswith("In the run at 21 Nov 2026 02:00, 0 rows were loaded and 0 were")

    def test_no_runs(self) -> None:
        assert describe_rows_per_run(_runs()) == (
            "No load has run yet, so there is nothing to chart."
        )
