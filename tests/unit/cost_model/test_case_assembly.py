"""cost_model.case: one provider's case assembled from rows, appraised, and what-ifs applied."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from case_lines import SET_UP, START, SUBSCRIPTION, TABLETS, pennies

from cost_model.case import (
    WHAT_IF_SOURCE,
    CaseInputs,
    EnteredAssumption,
    MeasuredStreamMonth,
    WhatIf,
    apply_what_if,
    appraise_case,
    cost_line_from_row,
    last_complete_month,
    run_case,
    stream_month_from_row,
)
from data_contracts.enums import CostCategory


def entered(name: str, value: str) -> EnteredAssumption:
    """An assumption as the dashboard publishes it."""
    return EnteredAssumption(name=name, value=Decimal(value), source="entered in the dashboard")


def test_the_caring_hands_case_with_a_paper_saving_is_worked_to_the_penny() -> None:
    # Given £1,100 up front, £390 a month and a stated paper saving of £500 a month
    inputs = CaseInputs(
        provider_id="1-101641521",
        costs=(SET_UP, SUBSCRIPTION),
        entered={
            "paper_costs_saved_gbp_per_month": entered("paper_costs_saved_gbp_per_month", "500")
        },
        notes=("1 line(s) of costs.csv for other providers ignored",),
    )

    # When the case is run with its uncertainty
    case = run_case(inputs, draws=500)

    # Then, by hand: the five years' discount factors sum to 4.6730792086
    #   costs 1,100 + 4,680 × 4.6730792086 = 22,970.01; benefits 6,000 × 4.67307920 = 28,038.48
    #   NPV 28,038.4753 − 22,970.0107 = 5,068.46
    assert pennies(case.appraisal.pv_costs_gbp) == Decimal("22970.01")
    assert pennies(case.appraisal.pv_benefits_gbp) == Decimal("28038.48")
    assert pennies(case.appraisal.npv_gbp) == Decimal("5068.46")
    assert [b.stream for b in case.benefits] == ["paper_printing_storage"]
    assert case.notes == ("1 line(s) of costs.csv for other providers ignored",)
    # The simulation, tornado and the optimism-bias scenarios came with it
    assert case.monte_carlo is not None
    assert case.monte_carlo.draws == 500
    assert case.tornado
    names = [row.name for row in case.scenarios]
    assert names[0] == "As estimated"
    assert len(names) == 3
    # The as-estimated scenario is the headline; the upper bound +200% adds 2 × £1,100
    assert case.scenarios[0].npv_gbp == Decimal("5068.46")
    upper = next(row for row in case.scenarios if "+200%" in row.name)
    assert upper.npv_optimism_adjusted_gbp == Decimal("2868.46")
    # The entered value is listed as entered, with its source
    paper = next(a for a in case.assumptions if a["name"] == "paper_costs_saved_gbp_per_month")
    assert (paper["value"], paper["basis"]) == (500, "entered")


def test_a_what_if_horizon_and_discount_rate_recompute_the_costs() -> None:
    # Given the Caring Hands costs
    inputs = CaseInputs(provider_id="p", costs=(SET_UP, SUBSCRIPTION))

    # When the what-if asks for 3 years at no discount
    case = appraise_case(apply_what_if(inputs, WhatIf(horizon_years=3, discount_rate=Decimal(0))))

    # Then the costs are undiscounted: 1,100 + 36 × 390 = 15,140
    assert case.appraisal.pv_costs_gbp == Decimal(15140)
    assert case.appraisal.settings.horizon_years == 3
    assert case.monte_carlo is None
    rate = next(a for a in case.assumptions if a["name"] == "discount_rate")
    assert (rate["value"], rate["source"]) == (0, WHAT_IF_SOURCE)


def test_a_what_if_device_loss_rate_replaces_the_hardware_lines_rate() -> None:
    # Given 12 tablets at £250 losing 10% a year, over one year at no discount
    inputs = CaseInputs(
        provider_id="p",
        costs=(TABLETS, SUBSCRIPTION),
        horizon_years=1,
        entered={"discount_rate": entered("discount_rate", "0")},
    )

    # When the what-if sets the loss rate to 20%
    before = appraise_case(inputs).appraisal
    after = appraise_case(apply_what_if(inputs, WhatIf(device_loss_rate=Decimal("0.2")))).appraisal

    # Then hardware is 3,000 + 3,000 × 0.2 = 3,600 (it was 3,000 + 300 = 3,300); software stays
    assert before.pv_costs_by_category_gbp[CostCategory.HARDWARE] == Decimal(3300)
    assert after.pv_costs_by_category_gbp[CostCategory.HARDWARE] == Decimal(3600)
    assert after.pv_costs_by_category_gbp[CostCategory.SOFTWARE] == Decimal(4680)


def test_a_what_if_pay_revalues_the_measured_care_worker_hours() -> None:
    # Given 10 measured care-worker hours in April valued at £140, and on-costs entered at 25%
    row = MeasuredStreamMonth(
        stream="care_worker_documentation_time",
        month=START,
        basis="measured_and_assumed",
        basis_note="baseline entered",
        cash_releasing=False,
        quantity=Decimal(10),
        unit="hours",
        value_gbp=Decimal(140),
        value_low_gbp=Decimal(120),
        value_high_gbp=Decimal(160),
    )
    inputs = CaseInputs(
        provider_id="p",
        costs=(SUBSCRIPTION,),
        measured=(row,),
        entered={"on_cost_share": entered("on_cost_share", "0.25")},
    )

    # When the what-if sets pay to £12 an hour
    changed = apply_what_if(inputs, WhatIf(care_worker_hourly_pay_gbp=Decimal(12)))

    # Then the hours are worth 10 × 12 × 1.25 = £150, the range scaled by 150/140
    (month,) = changed.measured
    assert month.value_gbp == Decimal(150)
    assert pennies(month.value_low_gbp) == Decimal("128.57")
    assert pennies(month.value_high_gbp) == Decimal("171.43")
    assert changed.entered["care_worker_hourly_pay_gbp"].value == Decimal(12)
    # And an empty what-if leaves the inputs as they were
    assert apply_what_if(inputs, WhatIf()) is inputs


def test_rows_become_inputs_exactly() -> None:
    # Given a stored cost line and a stream row with the warehouse's six-place scale
    line = cost_line_from_row(
        {
            "category": "hardware",
            "item": "Tablets",
            "cost_type": "upfront",
            "unit_cost_gbp": Decimal("250.000000"),
            "quantity": Decimal("12.000000"),
            "frequency": "one_off",
            "start_date": "2025-04-01",
            "end_date": None,
            "replacement_years": Decimal("3.000000"),
            "annual_loss_rate": Decimal("0.100000"),
        },
        line=4,
    )
    stream = stream_month_from_row(
        {
            "stream": "care_worker_documentation_time",
            "month": date(2025, 4, 1),
            "basis": "measured",
            "basis_note": None,
            "cash_releasing": False,
            "quantity": 10,
            "unit": "hours",
            "value_gbp": Decimal("140.500000"),
            "value_low_gbp": 120,
            "value_high_gbp": 160,
        }
    )

    # Then the numbers are exact, trailing zeros dropped
    assert (line.unit_cost_gbp, line.quantity, line.annual_loss_rate) == (
        Decimal(250),
        Decimal(12),
        Decimal("0.1"),
    )
    assert str(line.unit_cost_gbp) == "250"
    assert line.source_line == 4
    assert str(stream.value_gbp) == "140.5"
    assert stream.basis_note == ""
    # And exports to 15 July leave June the last complete month; to 31 July, July
    assert last_complete_month(date(2024, 7, 15)) == date(2024, 6, 1)
    assert last_complete_month("2024-07-31") == date(2024, 7, 1)
    assert last_complete_month(None) is None
