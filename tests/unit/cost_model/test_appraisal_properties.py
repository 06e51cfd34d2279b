"""Properties of the appraisal that hold for any cost lines (hypothesis)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from cost_model import AppraisalSettings, CostLine, appraise, cost_flows, default_start
from data_contracts.enums import CostCategory, CostType, Frequency

TOLERANCE = Decimal("1e-15")
"""Decimal arithmetic keeps 28 significant digits; two routes may differ in the last."""


@st.composite
def cost_lines(draw: st.DrawFn) -> CostLine:
    """Any valid cost line."""
    start = draw(st.dates(min_value=date(2024, 1, 1), max_value=date(2026, 12, 31)))
    end = draw(st.none() | st.integers(min_value=0, max_value=4000))
    return CostLine(
        category=draw(st.sampled_from(CostCategory)),
        item="Item",
        cost_type=draw(st.sampled_from(CostType)),
        unit_cost_gbp=draw(st.decimals(min_value=0, max_value=5000, places=2)),
        quantity=draw(st.decimals(min_value=0, max_value=50, places=1)),
        frequency=draw(st.sampled_from(Frequency)),
        start_date=start,
        end_date=None if end is None else start + timedelta(days=end),
        replacement_years=draw(st.none() | st.decimals(min_value="0.5", max_value=6, places=1)),
        annual_loss_rate=draw(st.none() | st.decimals(min_value=0, max_value=1, places=2)),
    )


line_lists = st.lists(cost_lines(), min_size=1, max_size=6)
horizons = st.integers(min_value=1, max_value=10)


def close(a: Decimal, b: Decimal) -> bool:
    """Equal to within the last digits Decimal keeps."""
    return abs(a - b) <= TOLERANCE * max(Decimal(1), abs(a), abs(b))


@settings(max_examples=60, deadline=None)
@given(lines=line_lists, horizon=horizons)
def test_total_pv_is_the_sum_of_the_category_pvs(lines: list[CostLine], horizon: int) -> None:
    # Given any lines, When appraised, Then the total is the sum over the five categories, and
    # the yearly rows add up to the same undiscounted total (to Decimal's last digits: a loss
    # of £x × L / 12 a month is inexact, and the two totals add in different orders)
    result = appraise(
        costs=lines,
        benefits=[],
        settings=AppraisalSettings(start=default_start(lines), horizon_years=horizon),
    )
    assert result.pv_costs_gbp == sum(result.pv_costs_by_category_gbp.values(), Decimal(0))
    assert set(result.pv_costs_by_category_gbp) == set(CostCategory)
    assert close(
        sum((row.costs_gbp for row in result.years), Decimal(0)), result.undiscounted_costs_gbp
    )
    assert close(result.pv_costs_upfront_gbp + result.pv_costs_recurrent_gbp, result.pv_costs_gbp)


@settings(max_examples=60, deadline=None)
@given(
    lines=line_lists,
    horizon=horizons,
    which=st.integers(min_value=0, max_value=5),
    rise=st.decimals(min_value="0.01", max_value=1000, places=2),
)
def test_with_only_costs_npv_falls_as_a_unit_cost_rises(
    lines: list[CostLine], horizon: int, which: int, rise: Decimal
) -> None:
    # Given any lines and no benefits, and one line's unit cost raised
    index = which % len(lines)
    dearer = list(lines)
    dearer[index] = replace(lines[index], unit_cost_gbp=lines[index].unit_cost_gbp + rise)
    appraisal = AppraisalSettings(start=default_start(lines), horizon_years=horizon)

    # When both are appraised
    before = appraise(costs=lines, benefits=[], settings=appraisal)
    after = appraise(costs=dearer, benefits=[], settings=appraisal)

    # Then NPV does not rise, and falls whenever the line pays anything inside the horizon
    assert after.npv_gbp <= before.npv_gbp
    pays = cost_flows([lines[index]], start=appraisal.start, horizon_years=horizon)
    if pays and lines[index].quantity > 0:
        assert after.npv_gbp < before.npv_gbp


@settings(max_examples=60, deadline=None)
@given(line=cost_lines(), horizon=horizons)
def test_doubling_the_quantity_doubles_the_line_pv(line: CostLine, horizon: int) -> None:
    # Given one line and the same line with twice the quantity
    appraisal = AppraisalSettings(start=line.start_date, horizon_years=horizon)
    double = replace(line, quantity=line.quantity * 2)

    # When each is appraised alone
    single_pv = appraise(costs=[line], benefits=[], settings=appraisal).pv_costs_gbp
    double_pv = appraise(costs=[double], benefits=[], settings=appraisal).pv_costs_gbp

    # Then the PV doubles
    assert close(double_pv, 2 * single_pv)


@settings(max_examples=60, deadline=None)
@given(lines=line_lists)
def test_a_ten_year_horizon_costs_at_least_a_five_year_one(lines: list[CostLine]) -> None:
    # Given any lines (costs are never negative) and one start
    start = default_start(lines)

    # When appraised over 5 and over 10 years
    five = appraise(costs=lines, benefits=[], settings=AppraisalSettings(start=start))
    ten = appraise(
        costs=lines, benefits=[], settings=AppraisalSettings(start=start, horizon_years=10)
    )

    # Then the longer horizon's PV is at least the shorter's, and equal in its first 5 years
    assert ten.pv_costs_gbp >= five.pv_costs_gbp
    assert [row.costs_gbp for row in ten.years[:5]] == [row.costs_gbp for row in five.years]
