"""Appraisal outcomes worked by hand: benefits zero and negative, payback, optimism bias."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import pytest

from cost_model import AppraisalError, AppraisalSettings, Benefit, CostLine, appraise
from cost_model.lines import month_start
from cost_model.streams import StreamBasis
from data_contracts.enums import CostCategory, CostType, Frequency

START = date(2025, 4, 1)


def pennies(value: Decimal) -> Decimal:
    """Round as the appraisal is presented: to the penny, half up."""
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def caring_hands() -> list[CostLine]:
    """£1,100 up front (set-up) and £390 a month (subscription) from 1 April 2025."""
    return [
        CostLine(
            category=CostCategory.MANAGEMENT_ADMIN,
            item="Set-up fee",
            cost_type=CostType.UPFRONT,
            unit_cost_gbp=Decimal(1100),
            quantity=Decimal(1),
            frequency=Frequency.ONE_OFF,
            start_date=START,
        ),
        CostLine(
            category=CostCategory.SOFTWARE,
            item="Subscription",
            cost_type=CostType.RECURRENT,
            unit_cost_gbp=Decimal(390),
            quantity=Decimal(1),
            frequency=Frequency.MONTHLY,
            start_date=START,
        ),
    ]


def flat_benefit(gbp_a_month: Decimal, *, months: int = 60, stream: str = "paper") -> Benefit:
    """The same pounds in every appraisal month from 1 April 2025."""
    return Benefit(
        stream=stream,
        description="A flat benefit",
        basis=StreamBasis.ASSUMED,
        cash_releasing=True,
        monthly_gbp={month_start(m, start=START): gbp_a_month for m in range(months)},
        monthly_quantity={},
        quantity_unit=None,
    )


def test_a_benefit_that_overtakes_pays_back_in_the_month_worked_by_hand() -> None:
    # Given The Caring Hands' costs and a benefit of £600 a month from the first month
    benefits = [flat_benefit(Decimal(600))]

    # When appraised over 5 years
    result = appraise(
        costs=caring_hands(), benefits=benefits, settings=AppraisalSettings(start=START)
    )

    # Then, by hand, in year 0 (not discounted): month 1 nets 600 − 1,100 − 390 = −890; each
    # later month nets +210. Cumulative after month k (1-based) = −890 + 210 × (k − 1):
    # month 5: −890 + 840 = −50; month 6: −890 + 1,050 = +160 → payback in month 6
    assert result.discounted_payback_month == 6
    assert pennies(result.months[4].cumulative_discounted_net_gbp) == Decimal("-50.00")
    assert pennies(result.months[5].cumulative_discounted_net_gbp) == Decimal("160.00")
    # PV benefits = 7,200 × 4.6730792086 = 33,646.1703; PV costs 22,970.0107
    # NPV = 10,676.1596 → £10,676.16; BCR = 33,646.1703 / 22,970.0107 = 1.4648;
    # ROI = NPV / PV costs = 0.4648
    assert pennies(result.pv_benefits_gbp) == Decimal("33646.17")
    assert pennies(result.npv_gbp) == Decimal("10676.16")
    assert result.bcr is not None
    assert result.roi is not None
    assert result.bcr.quantize(Decimal("0.0001")) == Decimal("1.4648")
    assert result.roi.quantize(Decimal("0.0001")) == Decimal("0.4648")
    assert pennies(result.pv_benefits_by_stream_gbp["paper"]) == Decimal("33646.17")


def test_payback_in_year_one_uses_the_discounted_months() -> None:
    # Given £13,000 paid once on 1 April 2025 and a benefit of £1,000 a month
    kit = CostLine(
        category=CostCategory.HARDWARE,
        item="Devices and Wi-Fi",
        cost_type=CostType.UPFRONT,
        unit_cost_gbp=Decimal(13000),
        quantity=Decimal(1),
        frequency=Frequency.ONE_OFF,
        start_date=START,
    )

    # When appraised
    result = appraise(
        costs=[kit], benefits=[flat_benefit(Decimal(1000))], settings=AppraisalSettings(start=START)
    )

    # Then after year 0 the cumulative is −13,000 + 12 × 1,000 = −1,000; year 1's months count
    # 1,000 / 1.035 = 966.1836 each: month 13 → −33.8164, month 14 → +932.3671 → month 14
    assert pennies(result.months[11].cumulative_discounted_net_gbp) == Decimal("-1000.00")
    assert pennies(result.months[12].cumulative_discounted_net_gbp) == Decimal("-33.82")
    assert result.discounted_payback_month == 14


def test_with_no_benefits_there_is_no_payback_and_bcr_is_zero() -> None:
    # Given The Caring Hands' costs and a stream worth nothing
    result = appraise(
        costs=caring_hands(),
        benefits=[flat_benefit(Decimal(0))],
        settings=AppraisalSettings(start=START),
    )

    # Then NPV is minus the costs, BCR 0, ROI −1 and there is no payback
    assert pennies(result.npv_gbp) == Decimal("-22970.01")
    assert result.bcr == 0
    assert result.roi == -1
    assert result.discounted_payback_month is None


def test_a_negative_benefit_adds_to_the_loss() -> None:
    # Given The Caring Hands' costs and a disbenefit of −£50 a month (alert burden)
    result = appraise(
        costs=caring_hands(),
        benefits=[flat_benefit(Decimal(-50), stream="alert_burden")],
        settings=AppraisalSettings(start=START),
    )

    # Then PV benefits = −600 × 4.6730792086 = −2,803.8475 → −£2,803.85, and
    # NPV = −2,803.8475 − 22,970.0107 = −25,773.8582 → −£25,773.86; BCR is negative
    assert pennies(result.pv_benefits_gbp) == Decimal("-2803.85")
    assert pennies(result.npv_gbp) == Decimal("-25773.86")
    assert result.bcr is not None
    assert result.bcr < 0
    assert result.discounted_payback_month is None


def test_optimism_bias_is_shown_both_ways_and_only_on_capital() -> None:
    # Given The Caring Hands' costs (capital: the £1,100 set-up in year 0)
    costs = caring_hands()

    # When appraised with the default +200%, with +10% and with none
    default = appraise(costs=costs, benefits=[], settings=AppraisalSettings(start=START))
    low = appraise(
        costs=costs,
        benefits=[],
        settings=AppraisalSettings(start=START, optimism_bias_capital=Decimal("0.10")),
    )
    none = appraise(
        costs=costs,
        benefits=[],
        settings=AppraisalSettings(start=START, optimism_bias_capital=Decimal(0)),
    )

    # Then the unadjusted PV is the same £22,970.01 each time; adjusted adds 200% × 1,100 =
    # £2,200 (→ £25,170.01), 10% × 1,100 = £110 (→ £23,080.01), or nothing
    assert {pennies(r.pv_costs_gbp) for r in (default, low, none)} == {Decimal("22970.01")}
    assert pennies(default.pv_costs_optimism_adjusted_gbp) == Decimal("25170.01")
    assert pennies(low.pv_costs_optimism_adjusted_gbp) == Decimal("23080.01")
    assert none.pv_costs_optimism_adjusted_gbp == none.pv_costs_gbp
    assert pennies(default.npv_optimism_adjusted_gbp) == Decimal("-25170.01")
    assert default.pv_costs_upfront_gbp == Decimal(1100)
    assert pennies(default.pv_costs_recurrent_gbp) == Decimal("21870.01")


def test_all_five_categories_are_present_even_when_zero() -> None:
    # Given costs in two categories only
    result = appraise(costs=caring_hands(), benefits=[], settings=AppraisalSettings(start=START))

    # Then every category has a present value, zero where nothing was spent, in every year too
    assert set(result.pv_costs_by_category_gbp) == set(CostCategory)
    assert result.pv_costs_by_category_gbp[CostCategory.HARDWARE] == 0
    assert result.pv_costs_by_category_gbp[CostCategory.INFRASTRUCTURE] == 0
    assert result.pv_costs_by_category_gbp[CostCategory.TRAINING_IMPLEMENTATION] == 0
    for row in result.years:
        assert set(row.costs_by_category_gbp) == set(CostCategory)


def test_without_costs_bcr_roi_and_payback_are_undefined() -> None:
    # Given a benefit and no costs at all
    result = appraise(
        costs=[], benefits=[flat_benefit(Decimal(100))], settings=AppraisalSettings(start=START)
    )

    # Then NPV is the benefits' PV (100 × 12 × 4.6730792086 = £5,607.70) and BCR, ROI and
    # payback are undefined
    assert pennies(result.npv_gbp) == Decimal("5607.70")
    assert (result.bcr, result.roi, result.discounted_payback_month) == (None, None, None)


def test_benefits_outside_the_horizon_or_before_the_start_are_left_out() -> None:
    # Given £100 a month for 72 months from April 2025 plus £500 dated March 2025
    stream = flat_benefit(Decimal(100), months=72)
    early = {**stream.monthly_gbp, date(2025, 3, 1): Decimal(500)}
    benefit = Benefit(
        stream="paper",
        description="A flat benefit",
        basis=StreamBasis.ASSUMED,
        cash_releasing=True,
        monthly_gbp=early,
        monthly_quantity={},
        quantity_unit=None,
    )

    # When appraised over 5 years from 1 April 2025
    result = appraise(costs=[], benefits=[benefit], settings=AppraisalSettings(start=START))

    # Then only months 0 to 59 count (£6,000 undiscounted) and March's £500 is reported apart
    assert result.benefits[0].undiscounted_gbp == Decimal(6000)
    assert result.benefits_before_start_gbp == Decimal(500)


def test_a_quantity_only_stream_is_reported_but_never_valued() -> None:
    # Given falls avoided with no unit cost: half a fall a month
    falls = Benefit(
        stream="falls_with_harm_avoided",
        description="Falls with harm avoided",
        basis=StreamBasis.ASSUMED,
        cash_releasing=False,
        monthly_gbp={},
        monthly_quantity={month_start(m, start=START): Decimal("0.5") for m in range(60)},
        quantity_unit="falls with harm avoided",
    )

    # When appraised with The Caring Hands' costs
    result = appraise(
        costs=caring_hands(), benefits=[falls], settings=AppraisalSettings(start=START)
    )

    # Then 30 falls are reported over 5 years, and PV benefits stay zero
    assert result.benefits[0].quantity == Decimal(30)
    assert result.benefits[0].pv_gbp is None
    assert result.pv_benefits_gbp == 0
    assert "falls_with_harm_avoided" not in result.pv_benefits_by_stream_gbp


def test_a_stream_given_twice_and_bad_settings_are_refused() -> None:
    # Given the same stream twice, a negative discount rate and a negative optimism bias
    twice = [flat_benefit(Decimal(1)), flat_benefit(Decimal(2))]

    # Then each is refused with its reason
    with pytest.raises(AppraisalError, match="given twice"):
        appraise(costs=[], benefits=twice, settings=AppraisalSettings(start=START))
    with pytest.raises(AppraisalError, match="discount rate"):
        appraise(
            costs=[],
            benefits=[],
            settings=AppraisalSettings(start=START, discount_rate=Decimal("-0.01")),
        )
    with pytest.raises(AppraisalError, match="optimism bias"):
        appraise(
            costs=[],
            benefits=[],
            settings=AppraisalSettings(start=START, optimism_bias_capital=Decimal(-1)),
        )
