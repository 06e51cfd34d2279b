"""The chart's values as a table: a lower process limit below zero reads 0, as drawn."""

from __future__ import annotations

from datetime import date

import polars as pl
from measure_pages_kit import of_type, table_rows, text

from dashboards.components.measure_sections import chart_values_table
from dashboards.measures import MEASURES, QualityMeasure
from models.spc import xmr

FALLS = MEASURES[QualityMeasure.FALLS]


def _values(rates: list[float]) -> pl.DataFrame:
    """A series of months from January 2025 at 1,000 bed days, with its XmR columns."""
    series = pl.DataFrame(
        {
            "period": [date(2025, month, 1) for month in range(1, len(rates) + 1)],
            "count": [int(rate) for rate in rates],
            "exposure": [1000] * len(rates),
            "rate": rates,
        }
    )
    chart = xmr(series["rate"], improvement="decrease")
    return pl.concat(
        [series, chart.select("mean", "lpl", "upl", "point_type", "rule")], how="horizontal"
    )


def test_a_negative_lower_limit_reads_zero_and_the_caption_says_why() -> None:
    # Given rates 1 and 3 alternating: mean 2, limits 2 -/+ 5.32, so -3.32 and 7.32
    table = chart_values_table(_values([1.0, 3.0] * 6), spec=FALLS, grain="month")

    # Then each row's lower limit reads 0 (the upper one as computed) and the caption says so
    rows = table_rows(table)
    assert rows[0] == ["Jan 2025", "1", "1,000", "1", "2", "0", "7.32", "Common cause"]
    assert {row[5] for row in rows} == {"0"}
    assert text(of_type(table, "Caption")[0]).endswith(
        "with the process limits (lower limit set at zero: rates cannot be negative)"
    )


def test_a_lower_limit_above_zero_is_shown_as_computed() -> None:
    # Given rates 9 and 11 alternating: mean 10, limits 4.68 and 15.32
    table = chart_values_table(_values([9.0, 11.0] * 6), spec=FALLS, grain="month")

    assert table_rows(table)[0][5] == "4.68"
    assert text(of_type(table, "Caption")[0]).endswith("with the process limits")
