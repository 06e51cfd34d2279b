"""Properties of models.spc.xmr that hold for any series (hypothesis)."""

from __future__ import annotations

import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from models.spc import xmr

SWAP = {
    "special_cause_improvement": "special_cause_concern",
    "special_cause_concern": "special_cause_improvement",
    "common_cause": "common_cause",
    None: None,
}
NEUTRAL_UNDER_INCREASE = {
    "special_cause_neutral_high": "special_cause_improvement",
    "special_cause_neutral_low": "special_cause_concern",
    "common_cause": "common_cause",
    None: None,
}

# Whole numbers keep the arithmetic exact enough that doubling or negating a series changes no
# comparison; gaps appear about one time in eight.
values = st.lists(
    st.tuples(st.integers(-1000, 1000), st.integers(0, 7)).map(
        lambda drawn: None if drawn[1] == 0 else float(drawn[0])
    ),
    max_size=40,
)
improvements = st.sampled_from(["increase", "decrease", "neutral"])
run_lengths = st.sampled_from([6, 7])


@given(values, improvements, run_lengths)
def test_one_row_per_value_in_order(
    series: list[float | None], improvement: str, run_length: int
) -> None:
    frame = xmr(series, improvement=improvement, run_length=run_length)  # type: ignore[arg-type]

    assert frame["index"].to_list() == list(range(len(series)))
    assert frame["value"].to_list() == series
    assert frame.filter(pl.col("value").is_null())["point_type"].null_count() == series.count(None)


@given(values)
def test_limits_are_symmetric_about_the_mean(series: list[float | None]) -> None:
    frame = xmr(series, improvement="increase").drop_nulls("upl")

    for row in frame.iter_rows(named=True):
        assert row["upl"] - row["mean"] == pytest.approx(row["mean"] - row["lpl"], abs=1e-9)
        assert row["lpl"] <= row["mean"] <= row["upl"]


@given(values, run_lengths)
def test_flipping_the_direction_swaps_improvement_and_concern(
    series: list[float | None], run_length: int
) -> None:
    increase = xmr(series, improvement="increase", run_length=run_length)
    decrease = xmr(series, improvement="decrease", run_length=run_length)

    assert decrease["point_type"].to_list() == [SWAP[t] for t in increase["point_type"]]
    assert decrease["rule"].to_list() == increase["rule"].to_list()


@given(values)
def test_neutral_high_is_where_increase_would_improve(series: list[float | None]) -> None:
    increase = xmr(series, improvement="increase")
    neutral = xmr(series, improvement="neutral")

    assert [NEUTRAL_UNDER_INCREASE[t] for t in neutral["point_type"]] == increase[
        "point_type"
    ].to_list()


@given(values)
def test_negating_the_values_mirrors_every_point(series: list[float | None]) -> None:
    mirrored = [None if x is None else -x for x in series]

    before = xmr(series, improvement="increase")
    after = xmr(mirrored, improvement="decrease")

    # A low concern of an increase measure is a high concern of its mirror with decrease
    assert after["point_type"].to_list() == before["point_type"].to_list()
    assert after["rule"].to_list() == before["rule"].to_list()
    assert after["near_upper"].to_list() == before["near_lower"].to_list()


@given(values, improvements)
def test_doubling_the_values_changes_no_point(series: list[float | None], improvement: str) -> None:
    doubled = [None if x is None else 2 * x for x in series]

    before = xmr(series, improvement=improvement)  # type: ignore[arg-type]
    after = xmr(doubled, improvement=improvement)  # type: ignore[arg-type]

    assert after["point_type"].to_list() == before["point_type"].to_list()
    assert after["rule"].to_list() == before["rule"].to_list()


@given(values, st.integers(1, 39), improvements)
def test_a_rebase_is_two_charts_side_by_side(
    series: list[float | None], split: int, improvement: str
) -> None:
    if split >= len(series):
        return

    whole = xmr(series, improvement=improvement, rebase_at=[split])  # type: ignore[arg-type]
    first = xmr(series[:split], improvement=improvement)  # type: ignore[arg-type]
    second = xmr(series[split:], improvement=improvement)  # type: ignore[arg-type]

    columns = ["value", "mean", "lpl", "upl", "point_type", "rule", "is_trial_limits"]
    assert whole.select(columns).equals(pl.concat([first, second]).select(columns))
    assert whole["segment"].to_list() == [0] * split + [1] * (len(series) - split)
