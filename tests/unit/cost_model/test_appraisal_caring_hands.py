"""The Caring Hands anchor: £1,100 up front and £390 a month over 5 years, worked by hand."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from cost_model import AppraisalSettings, CostLine, appraise
from data_contracts.enums import CostCategory, CostType, Frequency

PENNY = Decimal("0.01")


def pennies(value: Decimal) -> Decimal:
    """Round as the appraisal is presented: to the penny, half up."""
    return value.quantize(PENNY, rounding=ROUND_HALF_UP)


SET_UP = CostLine(
    category=CostCategory.MANAGEMENT_ADMIN,
    item="Supplier set-up fee",
    cost_type=CostType.UPFRONT,
    unit_cost_gbp=Decimal(1100),
    quantity=Decimal(1),
    frequency=Frequency.ONE_OFF,
    start_date=date(2025, 4, 1),
)
SUBSCRIPTION = CostLine(
    category=CostCategory.SOFTWARE,
    item="DSCR subscription",
    cost_type=CostType.RECURRENT,
    unit_cost_gbp=Decimal(390),
    quantity=Decimal(1),
    frequency=Frequency.MONTHLY,
    start_date=date(2025, 4, 1),
)


def test_the_caring_hands_costs_are_worked_to_the_penny() -> None:
    # Given £1,100 up front and £390 a month from 1 April 2025, over the default 5 years
    settings = AppraisalSettings(start=date(2025, 4, 1))

    # When it is appraised with no benefits
    result = appraise(costs=[SET_UP, SUBSCRIPTION], benefits=[], settings=settings)

    # Then, by hand: each year holds 12 payments of £390 = £4,680; year y is divided by 1.035^y
    #   1/1.035 = 0.9661835749, 1/1.035² = 0.9335107004, 1/1.035³ = 0.9019427057,
    #   1/1.035⁴ = 0.8714422276; with year 0's 1 they sum to 4.6730792086
    #   subscription PV = 4,680 × 4.6730792086 = 21,870.0107 → £21,870.01
    #   set-up PV = £1,100 (year 0, undiscounted); total £22,970.01
    assert pennies(result.pv_costs_gbp) == Decimal("22970.01")
    assert pennies(result.pv_costs_by_category_gbp[CostCategory.SOFTWARE]) == Decimal("21870.01")
    assert result.pv_costs_by_category_gbp[CostCategory.MANAGEMENT_ADMIN] == Decimal(1100)
    # Undiscounted: 1,100 + 60 × 390 = 24,500
    assert result.undiscounted_costs_gbp == Decimal(24500)
    # Optimism bias +200% on the capital £1,100: 22,970.01 + 2,200 = 25,170.01
    assert pennies(result.pv_costs_optimism_adjusted_gbp) == Decimal("25170.01")
    # No benefits: NPV is minus the costs, BCR 0, ROI −1, never pays back
    assert pennies(result.npv_gbp) == Decimal("-22970.01")
    assert result.bcr == 0
    assert result.roi == -1
    assert result.discounted_payback_month is None
    # Five year rows, 60 month rows; year 1's costs are 12 × 390 and its factor 1/1.035
    assert len(result.years) == 5
    assert len(result.months) == 60
    assert result.years[1].costs_gbp == Decimal(4680)
    assert result.years[0].costs_gbp == Decimal(5780)
    assert pennies(result.years[4].cumulative_discounted_net_gbp) == Decimal("-22970.01")
