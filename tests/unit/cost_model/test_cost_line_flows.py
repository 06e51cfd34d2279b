"""Cost lines into cash flows: frequencies, end dates, replacement cycles, loss rates, the 31st."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import pytest

from cost_model import AppraisalError, AppraisalSettings, CostLine, appraise, cost_flows
from cost_model.lines import add_months, month_index, month_start, sunk_cost_flows
from data_contracts.enums import CostCategory, CostType, Frequency


def pennies(value: Decimal) -> Decimal:
    """Round as the appraisal is presented: to the penny, half up."""
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def line(**changes: object) -> CostLine:
    """A £100-a-month software line from 1 April 2025, changed as asked."""
    fields: dict[str, object] = {
        "category": CostCategory.SOFTWARE,
        "item": "Subscription",
        "cost_type": CostType.RECURRENT,
        "unit_cost_gbp": Decimal(100),
        "quantity": Decimal(1),
        "frequency": Frequency.MONTHLY,
        "start_date": date(2025, 4, 1),
    }
    fields.update(changes)
    return CostLine(**fields)  # type: ignore[arg-type]


def test_month_index_counts_whole_months_from_the_start() -> None:
    # Given a start on 15 March 2025
    start = date(2025, 3, 15)

    # Then the 14th of a month is still in the month before, the 15th starts a new one, and
    # dates before the start have negative indices
    assert month_index(date(2025, 3, 15), start=start) == 0
    assert month_index(date(2025, 4, 14), start=start) == 0
    assert month_index(date(2025, 4, 15), start=start) == 1
    assert month_index(date(2026, 3, 14), start=start) == 11
    assert month_index(date(2026, 3, 15), start=start) == 12
    assert month_index(date(2025, 3, 14), start=start) == -1


def test_a_handset_replaced_every_four_years_is_bought_again_in_year_four() -> None:
    # Given 4 handsets at £500, bought once on 1 April 2025, replaced every 4 years
    handsets = line(
        category=CostCategory.HARDWARE,
        item="Handsets",
        cost_type=CostType.UPFRONT,
        unit_cost_gbp=Decimal(500),
        quantity=Decimal(4),
        frequency=Frequency.ONE_OFF,
        replacement_years=Decimal(4),
    )

    # When its flows over 5 years are listed
    flows = cost_flows([handsets], start=date(2025, 4, 1), horizon_years=5)

    # Then £2,000 is paid on the day and again 48 months later (month 48, year 4); the next
    # replacement (month 96) is past the 60-month horizon
    assert [(f.on, f.month_index, f.kind, f.amount_gbp) for f in flows] == [
        (date(2025, 4, 1), 0, "payment", Decimal(2000)),
        (date(2029, 4, 1), 48, "replacement", Decimal(2000)),
    ]
    # and the replacement is capital, like the purchase
    assert {f.cost_type for f in flows} == {CostType.UPFRONT}


def test_replacement_and_loss_are_discounted_by_year() -> None:
    # Given the same handsets with 10% lost or broken a year
    handsets = line(
        category=CostCategory.HARDWARE,
        item="Handsets",
        cost_type=CostType.UPFRONT,
        unit_cost_gbp=Decimal(500),
        quantity=Decimal(4),
        frequency=Frequency.ONE_OFF,
        replacement_years=Decimal(4),
        annual_loss_rate=Decimal("0.10"),
    )

    # When appraised over 5 years
    result = appraise(
        costs=[handsets], benefits=[], settings=AppraisalSettings(start=date(2025, 4, 1))
    )

    # Then, by hand:
    #   purchase £2,000 in year 0 + replacement £2,000 / 1.035⁴ = 2,000 × 0.8714422276
    #     = £1,742.8845; together £3,742.8845
    #   loss: £2,000 × 10% / 12 = £16.6667 every month = £200 a year, each year discounted:
    #     200 × 4.6730792086 = £934.6158
    #   total £4,677.5003 → £4,677.50, all hardware and all capital
    assert pennies(result.pv_costs_gbp) == Decimal("4677.50")
    assert pennies(result.pv_costs_by_category_gbp[CostCategory.HARDWARE]) == Decimal("4677.50")
    assert result.pv_costs_upfront_gbp == result.pv_costs_gbp
    # 60 loss replacements of £16.67, one purchase and one replacement
    flows = cost_flows([handsets], start=date(2025, 4, 1), horizon_years=5)
    assert [f.kind for f in flows].count("loss_replacement") == 60
    assert pennies(result.years[0].costs_gbp) == Decimal("2200.00")
    assert pennies(result.years[4].costs_gbp) == Decimal("2200.00")


def test_a_replacement_cycle_is_rounded_to_whole_months() -> None:
    # Given a 2.5-year cycle (30 months) from 1 January 2025
    laptop = line(
        frequency=Frequency.ONE_OFF, replacement_years=Decimal("2.5"), start_date=date(2025, 1, 1)
    )

    # When listed over 5 years
    flows = cost_flows([laptop], start=date(2025, 1, 1), horizon_years=5)

    # Then it is bought at months 0 and 30; month 60 is outside the horizon
    assert [f.month_index for f in flows] == [0, 30]


def test_an_end_date_mid_year_stops_the_payments() -> None:
    # Given £100 a month from 1 April 2025 ending on 15 September 2026
    subscription = line(end_date=date(2026, 9, 15))

    # When appraised over 5 years
    result = appraise(
        costs=[subscription], benefits=[], settings=AppraisalSettings(start=date(2025, 4, 1))
    )

    # Then 18 payments (April 2025 to September 2026): 12 in year 0 (£1,200), 6 in year 1
    # (£600 / 1.035 = £579.7101); PV £1,779.7101 → £1,779.71
    assert result.undiscounted_costs_gbp == Decimal(1800)
    assert [row.costs_gbp for row in result.years] == [
        Decimal(1200),
        Decimal(600),
        Decimal(0),
        Decimal(0),
        Decimal(0),
    ]
    assert pennies(result.pv_costs_gbp) == Decimal("1779.71")


def test_a_loss_rate_stops_at_the_end_date_too() -> None:
    # Given one-off tablets (£1,200 for 2) with 25% lost a year, in service until 30 June 2025
    tablets = line(
        category=CostCategory.HARDWARE,
        cost_type=CostType.UPFRONT,
        unit_cost_gbp=Decimal(600),
        quantity=Decimal(2),
        frequency=Frequency.ONE_OFF,
        annual_loss_rate=Decimal("0.25"),
        end_date=date(2025, 6, 30),
    )

    # When listed
    flows = cost_flows([tablets], start=date(2025, 4, 1), horizon_years=5)

    # Then the purchase and three months of loss (April, May, June): £1,200 × 25% / 12 = £25
    assert [(f.kind, f.amount_gbp) for f in flows] == [
        ("payment", Decimal(1200)),
        ("loss_replacement", Decimal(25)),
        ("loss_replacement", Decimal(25)),
        ("loss_replacement", Decimal(25)),
    ]


def test_a_monthly_line_starting_on_the_31st_pays_on_each_month_end() -> None:
    # Given £100 a month from 31 January 2025, appraised over one year from that date
    subscription = line(start_date=date(2025, 1, 31))

    # When listed
    flows = cost_flows([subscription], start=date(2025, 1, 31), horizon_years=1)

    # Then the day is clamped to each month's end but not carried forward (31 March after
    # 28 February). Month indices compare the day with the start's day clamped the same way:
    # 28 February is a whole month after 31 January (month 1), 30 April is month 3. All 12
    # payments fall in year 0; the 13th (31 January 2026) is month 12, outside the horizon
    assert [f.on for f in flows] == [
        date(2025, 1, 31),
        date(2025, 2, 28),
        date(2025, 3, 31),
        date(2025, 4, 30),
        date(2025, 5, 31),
        date(2025, 6, 30),
        date(2025, 7, 31),
        date(2025, 8, 31),
        date(2025, 9, 30),
        date(2025, 10, 31),
        date(2025, 11, 30),
        date(2025, 12, 31),
    ]
    assert [f.month_index for f in flows] == list(range(12))
    assert month_index(date(2025, 2, 27), start=date(2025, 1, 31)) == 0
    assert month_start(1, start=date(2025, 1, 31)) == date(2025, 2, 28)
    assert month_start(2, start=date(2025, 1, 31)) == date(2025, 3, 31)
    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)


def test_an_annual_line_pays_once_a_year() -> None:
    # Given £1,200 a year from 1 April 2025, appraised from 1 January 2025 over 5 years
    licence = line(unit_cost_gbp=Decimal(1200), frequency=Frequency.ANNUAL)

    # When appraised
    result = appraise(
        costs=[licence], benefits=[], settings=AppraisalSettings(start=date(2025, 1, 1))
    )

    # Then one payment in each year (months 3, 15, 27, 39, 51; the sixth at month 63 is out):
    # 1,200 × 4.6730792086 = £5,607.6951 → £5,607.70
    flows = cost_flows([licence], start=date(2025, 1, 1), horizon_years=5)
    assert [f.month_index for f in flows] == [3, 15, 27, 39, 51]
    assert pennies(result.pv_costs_gbp) == Decimal("5607.70")


def test_an_annual_line_from_29_february_pays_on_28_february() -> None:
    # Given £100 a year from 29 February 2024, appraised from that day over 5 years
    licence = line(frequency=Frequency.ANNUAL, start_date=date(2024, 2, 29))

    # When listed
    flows = cost_flows([licence], start=date(2024, 2, 29), horizon_years=5)

    # Then non-leap years pay on 28 February, which is a whole year on (28 February is the
    # 29th clamped): months 0, 12, 24, 36 and 48, one payment in each of the five years; the
    # sixth, 28 February 2029, is month 60, outside the horizon
    assert [(f.on, f.month_index) for f in flows] == [
        (date(2024, 2, 29), 0),
        (date(2025, 2, 28), 12),
        (date(2026, 2, 28), 24),
        (date(2027, 2, 28), 36),
        (date(2028, 2, 29), 48),
    ]


def test_a_later_explicit_start_leaves_earlier_flows_out_as_sunk() -> None:
    # Given The Caring Hands' £1,100 set-up and £390 a month from 1 April 2025
    set_up = line(
        category=CostCategory.MANAGEMENT_ADMIN,
        cost_type=CostType.UPFRONT,
        unit_cost_gbp=Decimal(1100),
        frequency=Frequency.ONE_OFF,
    )
    subscription = line(unit_cost_gbp=Decimal(390))

    # When appraised from 1 April 2026 instead, over 5 years
    result = appraise(
        costs=[set_up, subscription],
        benefits=[],
        settings=AppraisalSettings(start=date(2026, 4, 1)),
    )

    # Then the set-up and the first 12 payments (£1,100 + 12 × £390 = £5,780) are sunk; the
    # 60 payments from April 2026 to March 2031 are appraised: 4,680 × 4.6730792086
    # = £21,870.01, and management and admin is zero
    assert result.sunk_costs_gbp == Decimal(5780)
    assert result.undiscounted_costs_gbp == Decimal(60 * 390)
    assert pennies(result.pv_costs_gbp) == Decimal("21870.01")
    assert result.pv_costs_by_category_gbp[CostCategory.MANAGEMENT_ADMIN] == 0
    assert len(sunk_cost_flows([set_up, subscription], start=date(2026, 4, 1))) == 13


def test_a_horizon_outside_one_to_ten_years_is_refused() -> None:
    # Given a line, When listed over 11 years or 0 years, Then it is refused with the reason
    for years in (0, 11):
        with pytest.raises(AppraisalError, match="from 1 to 10"):
            cost_flows([line()], start=date(2025, 4, 1), horizon_years=years)
