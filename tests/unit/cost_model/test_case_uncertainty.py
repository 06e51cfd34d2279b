"""cost_model.case: the measured streams' uncertainty, and alternative ways of buying the DSCR.

Every case runs one year from April 2025, so year 0 is the whole appraisal and nothing is
discounted: the present values below are plain sums, worked by hand.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from case_lines import START, SUBSCRIPTION, pennies

from cost_model.case import (
    BASE_SCENARIO_NAME,
    MEASURED_RANGE_PREFIX,
    CaseInputs,
    CostScenario,
    EnteredAssumption,
    MeasuredStreamMonth,
    prepare_case,
    run_case,
)
from cost_model.errors import CostModelError
from cost_model.lines import CostLine
from data_contracts.enums import CostCategory, CostType, Frequency

RANGE = MEASURED_RANGE_PREFIX + "care_worker_documentation_time"
HANDSETS = CostLine(
    category=CostCategory.HARDWARE,
    item="Handsets bought",
    cost_type=CostType.UPFRONT,
    unit_cost_gbp=Decimal(250),
    quantity=Decimal(12),
    frequency=Frequency.ONE_OFF,
    start_date=START,
)
RENTED = CostLine(
    category=CostCategory.HARDWARE,
    item="Handsets rented",
    cost_type=CostType.RECURRENT,
    unit_cost_gbp=Decimal(15),
    quantity=Decimal(12),
    frequency=Frequency.MONTHLY,
    start_date=START,
)
TRAINING = CostLine(
    category=CostCategory.TRAINING_IMPLEMENTATION,
    item="Training backfill",
    cost_type=CostType.UPFRONT,
    unit_cost_gbp=Decimal(600),
    quantity=Decimal(1),
    frequency=Frequency.ONE_OFF,
    start_date=START,
)


def measured_month(month: int) -> MeasuredStreamMonth:
    """100 care-worker hours released in a month of 2025, the days' P10–P90 giving 50 to 150.

    At the registry's £12.00 an hour and on-costs of 27.75%: 100 × 12 × 1.2775 = £1,533.00,
    50 hours £766.50 and 150 hours £2,299.50.
    """
    return MeasuredStreamMonth(
        stream="care_worker_documentation_time",
        month=date(2025, month, 1),
        basis="measured_and_assumed",
        basis_note="baseline entered",
        cash_releasing=False,
        quantity=Decimal(100),
        unit="hours",
        value_gbp=Decimal("1533.00"),
        value_low_gbp=Decimal("766.50"),
        value_high_gbp=Decimal("2299.50"),
    )


MEASURED_CASE = CaseInputs(
    provider_id="p",
    costs=(SUBSCRIPTION,),
    measured=tuple(measured_month(month) for month in (4, 5, 6)),
    last_complete_month=date(2025, 6, 1),
    horizon_years=1,
)
"""£390 a month for a year against three measured months projected over the other nine.

By hand: costs 12 × 390 = £4,680; benefits 12 × 1,533 = £18,396; NPV £13,716.
"""


def test_the_measured_projection_and_pay_are_uncertain_inputs_with_their_ranges() -> None:
    # Given three measured months whose days' P10 and P90 give half and one and a half
    prepared = prepare_case(MEASURED_CASE)

    # When the uncertain inputs are listed
    inputs = prepared.uncertainties()

    # Then the projection's share runs from 0.5 to 1.5 around 1, beside the registry's pay
    share = inputs[RANGE]
    assert (share.low, share.value, share.high) == (Decimal("0.5"), 1, Decimal("1.5"))
    assert "measured range" in share.label
    assert {"care_worker_hourly_pay_gbp", "on_cost_share"} <= set(inputs)


def test_a_draw_scales_only_the_projected_months_and_revalues_every_month() -> None:
    # Given the measured case's benefits builder
    build = prepare_case(MEASURED_CASE).benefits_builder()

    # When the projection is drawn at half and pay at £12.71
    (benefit,) = build({RANGE: Decimal("0.5"), "care_worker_hourly_pay_gbp": Decimal("12.71")})

    # Then June (measured) keeps its 100 hours, revalued 100 × 12.71 × 1.2775 = £1,623.70;
    #   July (projected) has 50 hours worth £811.85
    june, july = date(2025, 6, 1), date(2025, 7, 1)
    assert benefit.monthly_quantity[june] == Decimal(100)
    assert pennies(benefit.monthly_gbp[june]) == Decimal("1623.70")
    assert benefit.monthly_quantity[july] == Decimal(50)
    assert pennies(benefit.monthly_gbp[july]) == Decimal("811.85")
    # And at every input's value the stream is exactly as measured
    (central,) = build({RANGE: Decimal(1), "care_worker_hourly_pay_gbp": Decimal("12.00")})
    assert central.monthly_gbp[july] == Decimal("1533.00")


def test_the_tornado_swings_the_measured_projection_and_pay_by_hand() -> None:
    # Given the measured case
    # When it is run with its uncertainty
    case = run_case(MEASURED_CASE, draws=2_000)

    # Then the headline is the hand-worked £13,716
    assert pennies(case.appraisal.npv_gbp) == Decimal("13716.00")
    bars = {bar.name: bar for bar in case.tornado}
    # The projection at half: 3 × 1,533 + 9 × 766.50 − 4,680 = £6,817.50; at 1.5, £20,614.50
    assert (bars[RANGE].npv_at_low_gbp, bars[RANGE].npv_at_high_gbp) == (
        Decimal("6817.50"),
        Decimal("20614.50"),
    )
    # Pay at £12.71 revalues all twelve months: 18,396 × 12.71 / 12 − 4,680 = £14,804.43
    assert bars["care_worker_hourly_pay_gbp"].npv_at_high_gbp == Decimal("14804.43")
    # On-costs at 23.83% and 32.24%: 14,400 × 1.2383 − 4,680 and 14,400 × 1.3224 − 4,680
    assert bars["on_cost_share"].npv_at_low_gbp == Decimal("13151.52")
    assert bars["on_cost_share"].npv_at_high_gbp == Decimal("14362.56")
    # The projection's swing (£13,797) is the largest
    assert case.tornado[0].name == RANGE


def test_the_monte_carlo_spreads_around_the_measured_case() -> None:
    # Given the measured case
    # When it is simulated (10,000 draws, the default seed)
    simulated = run_case(MEASURED_CASE, with_tornado=False, with_scenarios=False).monte_carlo

    # Then the draws spread either side of £13,716 (they did not before: the measured
    #   streams came in pounds and no draw moved them)
    assert simulated is not None
    assert simulated.npv.p10_gbp < Decimal(13716) < simulated.npv.p90_gbp
    assert simulated.npv.p90_gbp - simulated.npv.p10_gbp > Decimal(5000)
    # The mean is 18,396 × (36.71 / 3 / 12) × (1 + 0.8382 / 3) / 1.2775 − 4,680 = £14,106.71
    #   (pay and on-costs are triangular with their modes at the low end; the share is
    #   symmetric): within £100, about four standard errors
    assert abs(simulated.npv.mean_gbp - Decimal("14106.71")) < 100
    # Every draw is positive: the worst corner is 3 × 1,533 × 1.2383 / 1.2775 + …, far above
    assert simulated.npv.probability_positive == 1
    assert simulated.method == "multilinear"


def test_renting_handsets_is_appraised_beside_buying_them_by_hand() -> None:
    # Given 12 handsets bought at £250, £390 a month of software, £600 of training,
    #   a paper saving of £700 a month, and the alternative of renting at £15 a handset a month
    rent = CostScenario(name="Rent handsets", lines=(RENTED,), source="rent.csv")
    inputs = CaseInputs(
        provider_id="p",
        costs=(HANDSETS, SUBSCRIPTION, TRAINING),
        entered={
            "paper_costs_saved_gbp_per_month": EnteredAssumption(
                name="paper_costs_saved_gbp_per_month", value=Decimal(700), source="file"
            )
        },
        horizon_years=1,
        alternatives=(rent,),
    )

    # When the case is run with its scenarios
    case = run_case(inputs, draws=1_000)

    # Then buying costs 3,000 + 4,680 + 600 = £8,280 against benefits 12 × 700 = £8,400
    rows = {row.name: row for row in case.scenarios}
    assert list(rows)[:2] == [BASE_SCENARIO_NAME, "Rent handsets"]
    bought, rented = rows[BASE_SCENARIO_NAME], rows["Rent handsets"]
    assert (bought.pv_costs_gbp, bought.npv_gbp) == (Decimal("8280.00"), Decimal("120.00"))
    # Renting replaces the hardware only: 12 × 12 × 15 + 4,680 + 600 = £7,440, NPV £960
    assert (rented.pv_costs_gbp, rented.npv_gbp) == (Decimal("7440.00"), Decimal("960.00"))
    assert rented.npv_difference_gbp == Decimal("840.00")
    # With the Green Book's +200% on capital, buying carries 2 × (3,000 + 600) more;
    #   renting only 2 × 600 (960 − 1,200)
    assert bought.npv_optimism_adjusted_gbp == Decimal("-7080.00")
    assert rented.npv_optimism_adjusted_gbp == Decimal("-240.00")
    # Both are simulated with the same draws; the base row's simulation is the headline's
    assert bought.monte_carlo is case.monte_carlo
    assert rented.monte_carlo is not None
    assert rented.monte_carlo.npv.probability_positive == 1


def test_a_scenario_replaces_whole_categories_and_keeps_the_others() -> None:
    # Given a software quote as the alternative
    quote = CostScenario(name="Other supplier", lines=(replace(SUBSCRIPTION, unit_cost_gbp=320),))

    # When it is applied to the current lines
    costs = quote.costs_from((HANDSETS, SUBSCRIPTION, TRAINING))

    # Then the hardware and training stay; the software is the quote's
    assert costs == (HANDSETS, TRAINING, quote.lines[0])
    assert quote.replaces == {CostCategory.SOFTWARE}


@pytest.mark.parametrize(
    ("alternatives", "message"),
    [
        ((CostScenario(name="Rent", lines=()),), "has no cost lines"),
        ((CostScenario(name=" ", lines=(RENTED,)),), "Give each scenario a name"),
        ((CostScenario(name="as estimated", lines=(RENTED,)),), "is taken"),
        (
            (
                CostScenario(name="Rent", lines=(RENTED,)),
                CostScenario(name="RENT", lines=(RENTED,)),
            ),
            "is taken",
        ),
    ],
)
def test_a_scenario_without_lines_or_with_a_taken_name_is_refused(
    alternatives: tuple[CostScenario, ...], message: str
) -> None:
    # Given alternatives that cannot be told apart or have nothing in them
    inputs = CaseInputs(provider_id="p", costs=(SUBSCRIPTION,), alternatives=alternatives)

    # When the case is run, Then it is refused with a message saying why
    with pytest.raises(CostModelError, match=message):
        run_case(inputs, draws=100)
