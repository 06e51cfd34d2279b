"""Cost lines shared by the tests of cost_model.case, all starting on 1 April 2025.

The Caring Hands' £1,100 set-up fee and £390 a month (``SET_UP``, ``SUBSCRIPTION``), 12 tablets
bought at £250 losing 10% a year (``TABLETS``), and :func:`pennies`, rounding as presented.
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from cost_model.lines import CostLine
from data_contracts.enums import CostCategory, CostType, Frequency

PENNY = Decimal("0.01")
START = date(2025, 4, 1)
SET_UP = CostLine(
    category=CostCategory.MANAGEMENT_ADMIN,
    item="Supplier set-up fee",
    cost_type=CostType.UPFRONT,
    unit_cost_gbp=Decimal(1100),
    quantity=Decimal(1),
    frequency=Frequency.ONE_OFF,
    start_date=START,
)
SUBSCRIPTION = CostLine(
    category=CostCategory.SOFTWARE,
    item="DSCR subscription",
    cost_type=CostType.RECURRENT,
    unit_cost_gbp=Decimal(390),
    quantity=Decimal(1),
    frequency=Frequency.MONTHLY,
    start_date=START,
)
TABLETS = CostLine(
    category=CostCategory.HARDWARE,
    item="Tablets",
    cost_type=CostType.UPFRONT,
    unit_cost_gbp=Decimal(250),
    quantity=Decimal(12),
    frequency=Frequency.ONE_OFF,
    start_date=START,
    annual_loss_rate=Decimal("0.1"),
)


def pennies(value: Decimal) -> Decimal:
    """Round as presented: to the penny, half up."""
    return value.quantize(PENNY, rounding=ROUND_HALF_UP)
