from __future__ import annotations

import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st
from polars.testing import assert_frame_equal

from dashboards.disclosure import DisclosureControlError, apply_disclosure_control, control_count


@pytest.mark.parametrize(
    ("count", "published"),
    [
        (0, 0),
        (1, None),
        (5, None),
        (7, None),
        (8, 10),
        (10, 10),
        (12, 10),
        (13, 15),
        (22, 20),
        (23, 25),
        (1028, 1030),
        (1013, 1015),
        (None, None),
    ],
)
def test_control_count_hand_worked(count: int | None, published: int | None) -> None:
    assert control_count(count) == published


def test_a_negative_count_is_an_error() -> None:
    with pytest.raises(DisclosureControlError, match="negative"):
        control_count(-1)


@given(st.integers(min_value=0, max_value=10**12))
def test_no_published_count_is_from_1_to_7(count: int) -> None:
    published = control_count(count)

    assert published is None or not 1 <= published <= 7


@given(st.integers(min_value=0, max_value=10**12))
def test_every_published_count_is_a_multiple_of_5_zero_or_suppressed(count: int) -> None:
    published = control_count(count)

    assert published is None or published % 5 == 0


@given(st.integers(min_value=0, max_value=10**12))
def test_published_counts_are_within_2_of_the_count(count: int) -> None:
    published = control_count(count)

    assert published is None or abs(published - count) <= 2
    assert (published is None) == (1 <= count <= 7)


@given(st.lists(st.integers(min_value=0, max_value=10**9), min_size=1, max_size=30))
def test_frame_control_matches_control_count(values: list[int]) -> None:
    frame = pl.DataFrame({"n": values}, schema={"n": pl.Int64})

    controlled = apply_disclosure_control(frame, counts=["n"], rates={})

    assert controlled["n"].to_list() == [control_count(value) for value in values]


class TestApplyDisclosureControl:
    def test_rates_come_from_unrounded_counts_and_are_suppressed_with_them(self) -> None:
        # Given four rows: both counts shown, a small numerator, a small denominator, zero
        frame = pl.DataFrame(
            {
                "label": ["a", "b", "c", "d"],
                "quarantined": [13, 3, 2, 0],
                "read": [1028, 500, 6, 0],
            }
        )

        # When the counts are controlled and the share worked out
        controlled = apply_disclosure_control(
            frame, counts=["quarantined", "read"], rates={"share": ("quarantined", "read")}
        )

        # Then counts are rounded or suppressed, and the share is 13 / 1028 (not 15 / 1030),
        # null where either count is suppressed, and null (not a division by zero) for 0 / 0
        assert_frame_equal(
            controlled,
            pl.DataFrame(
                {
                    "label": ["a", "b", "c", "d"],
                    "quarantined": [15, None, None, 0],
                    "read": [1030, 500, None, 0],
                    "share": [13 / 1028, None, None, None],
                },
                schema={
                    "label": pl.String,
                    "quarantined": pl.Int64,
                    "read": pl.Int64,
                    "share": pl.Float64,
                },
            ),
        )

    def test_a_rate_column_from_upstream_is_replaced(self) -> None:
        frame = pl.DataFrame({"n": [4], "d": [100], "share": [0.04]})

        controlled = apply_disclosure_control(frame, counts=["n", "d"], rates={"share": ("n", "d")})

        assert controlled.row(0) == (None, 100, None)

    def test_a_fractional_count_is_refused(self) -> None:
        with pytest.raises(DisclosureControlError, match="not a whole number"):
            apply_disclosure_control(pl.DataFrame({"n": [1.5]}), counts=["n"], rates={})

    def test_a_missing_count_is_refused(self) -> None:
        with pytest.raises(DisclosureControlError, match="no count column"):
            apply_disclosure_control(pl.DataFrame({"n": [1]}), counts=["m"], rates={})

    def test_a_negative_count_is_refused(self) -> None:
        with pytest.raises(DisclosureControlError, match="negative"):
            apply_disclosure_control(pl.DataFrame({"n": [10, -1]}), counts=["n"], rates={})

    def test_a_rate_over_undeclared_counts_is_refused(self) -> None:
        frame = pl.DataFrame({"n": [10], "d": [20]})

        with pytest.raises(DisclosureControlError, match="not over declared counts"):
            apply_disclosure_control(frame, counts=["n"], rates={"share": ("n", "d")})
