"""Uncertainty: Monte Carlo over the uncertain inputs, the tornado and scenarios side by side."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal

import numpy as np
import pytest

from cost_model.appraisal import AppraisalSettings, appraise
from cost_model.benefits import Benefit, benefits_from_assumptions
from cost_model.lines import CostLine
from cost_model.streams import StreamBasis
from cost_model.uncertainty import (
    BenefitsBuilder,
    Distribution,
    Scenario,
    UncertaintyError,
    UncertainValue,
    compare_scenarios,
    loss_rate_uncertainties,
    monte_carlo,
    optimism_bias_scenarios,
    prepare_uncertainty,
    registry_uncertainties,
    tornado,
)
from data_contracts.enums import CostCategory, CostType, Frequency

START = date(2025, 4, 1)


def _months(count: int) -> list[date]:
    return [date(2025 + (3 + k) // 12, (3 + k) % 12 + 1, 1) for k in range(count)]


def _stream(name: str, pounds_a_month: Decimal, months: int) -> Benefit:
    return Benefit(
        stream=name,
        description=name,
        basis=StreamBasis.ASSUMED,
        cash_releasing=False,
        monthly_gbp=dict.fromkeys(_months(months), pounds_a_month),
        monthly_quantity={},
        quantity_unit=None,
    )


def _tablets(*, loss_rate: Decimal | None = Decimal("0.2")) -> CostLine:
    return CostLine(
        category=CostCategory.HARDWARE,
        item="Tablets",
        cost_type=CostType.UPFRONT,
        unit_cost_gbp=Decimal(200),
        quantity=Decimal(10),
        frequency=Frequency.ONE_OFF,
        start_date=START,
        annual_loss_rate=loss_rate,
        source_line=2,
    )


def _licence(pounds_a_month: Decimal = Decimal(390)) -> CostLine:
    return CostLine(
        category=CostCategory.SOFTWARE,
        item="Care records licence",
        cost_type=CostType.RECURRENT,
        unit_cost_gbp=pounds_a_month,
        quantity=Decimal(1),
        frequency=Frequency.MONTHLY,
        start_date=START,
        source_line=3,
    )


def _time_builder(months: int) -> BenefitsBuilder:
    """Hours released a month × pay × (1 + on-costs), plus paper saved a month."""

    def build(values: Mapping[str, Decimal]) -> list[Benefit]:
        hours = Decimal(120)
        staff = hours * values["care_worker_hourly_pay_gbp"] * (1 + values["on_cost_share"])
        return [
            _stream("care_worker_documentation_time", staff, months),
            _stream("paper", values["paper_gbp_a_month"], months),
        ]

    return build


_TIME_INPUTS = {
    "care_worker_hourly_pay_gbp": UncertainValue(
        value=Decimal("12.00"), low=Decimal("12.00"), high=Decimal("12.71"), label="Pay"
    ),
    "on_cost_share": UncertainValue(
        value=Decimal("0.2775"), low=Decimal("0.2383"), high=Decimal("0.3224"), label="On-costs"
    ),
    "paper_gbp_a_month": UncertainValue(
        value=Decimal(100), low=Decimal(50), high=Decimal(150), label="Paper"
    ),
}


def _centre(inputs: Mapping[str, UncertainValue]) -> dict[str, Decimal]:
    return {name: one.value for name, one in inputs.items()}


def test_the_centre_is_the_appraisals_own_npv_to_the_penny() -> None:
    # Given tablets with a loss rate, a licence, and benefits that multiply pay by on-costs
    costs = [_tablets(), _licence()]
    build = _time_builder(60)
    settings = AppraisalSettings(start=START, horizon_years=5)

    # When the simulation runs, and the appraisal runs with every input at its value
    result = monte_carlo(
        costs=costs, benefits_builder=build, assumptions=_TIME_INPUTS, settings=settings
    )
    exact = appraise(costs=costs, benefits=build(_centre(_TIME_INPUTS)), settings=settings)

    # Then the simulation's centre is the appraisal's NPV to the penny, by the fast model
    assert result.method == "multilinear"
    assert result.centre_npv_gbp == exact.npv_gbp.quantize(Decimal("0.01"))
    assert result.inputs == (
        "annual_loss_rate:0",
        "care_worker_hourly_pay_gbp",
        "on_cost_share",
        "paper_gbp_a_month",
    )


def test_the_model_matches_an_exact_appraisal_away_from_the_centre() -> None:
    # Given the same case prepared once
    costs = [_tablets(), _licence()]
    build = _time_builder(60)
    settings = AppraisalSettings(start=START, horizon_years=5)
    model = prepare_uncertainty(
        costs=costs, benefits_builder=build, assumptions=_TIME_INPUTS, settings=settings
    )

    # When every input is moved at once to a point inside its range
    point = {
        "care_worker_hourly_pay_gbp": Decimal("12.40"),
        "on_cost_share": Decimal("0.30"),
        "paper_gbp_a_month": Decimal(70),
        "annual_loss_rate:0": Decimal("0.25"),
    }
    npv, adjusted = model.npv_at(point)
    named = {k: v for k, v in point.items() if not k.startswith("annual_loss_rate")}
    exact = appraise(
        costs=[_tablets(loss_rate=Decimal("0.25")), _licence()],
        benefits=build(named),
        settings=settings,
    )

    # Then the model gives the exact appraisal's NPV, as estimated and optimism-adjusted
    assert npv == exact.npv_gbp.quantize(Decimal("0.01"))
    assert adjusted == exact.npv_optimism_adjusted_gbp.quantize(Decimal("0.01"))


def test_the_same_seed_gives_the_same_draws_and_another_seed_does_not() -> None:
    # Given one case
    kwargs = {
        "costs": [_tablets(), _licence()],
        "benefits_builder": _time_builder(60),
        "assumptions": _TIME_INPUTS,
        "settings": AppraisalSettings(start=START, horizon_years=5),
    }

    # When it is simulated twice on seed 6 and once on seed 7
    first = monte_carlo(seed=6, **kwargs)  # type: ignore[arg-type]
    again = monte_carlo(seed=6, **kwargs)  # type: ignore[arg-type]
    other = monte_carlo(seed=7, **kwargs)  # type: ignore[arg-type]

    # Then the seed-6 runs agree draw for draw and the seed-7 run differs
    assert first.draws == 10_000
    assert np.array_equal(first.npv_draws_gbp, again.npv_draws_gbp)
    assert first.npv == again.npv
    assert not np.array_equal(first.npv_draws_gbp, other.npv_draws_gbp)
    assert not first.npv_draws_gbp.flags.writeable


def test_with_costs_only_npv_is_never_above_zero() -> None:
    # Given costs only, the tablets' loss rate uncertain
    result = monte_carlo(
        costs=[_tablets(), _licence()],
        benefits_builder=lambda values: [],
        assumptions={},
        settings=AppraisalSettings(start=START, horizon_years=5),
    )

    # Then no draw has NPV above zero, and the percentiles are negative and in order
    assert result.npv.probability_positive == 0
    assert result.npv_optimism_adjusted.probability_positive == 0
    assert result.npv.p10_gbp <= result.npv.p50_gbp <= result.npv.p90_gbp < 0
    assert result.inputs == ("annual_loss_rate:0",)


def test_percentiles_are_ordered_and_the_probability_counts_draws_above_zero() -> None:
    # Given benefits that sometimes beat the costs
    result = monte_carlo(
        costs=[_tablets(), _licence(Decimal(1850))],
        benefits_builder=_time_builder(60),
        assumptions=_TIME_INPUTS,
        settings=AppraisalSettings(start=START, horizon_years=5),
    )

    # Then P10 ≤ P50 ≤ P90, the probability is the share of draws above zero, strictly
    # between 0 and 1 here, and optimism bias (on the tablets) lowers every percentile
    npv = result.npv
    assert npv.p10_gbp < npv.p50_gbp < npv.p90_gbp
    above = int(np.count_nonzero(result.npv_draws_gbp > 0))
    assert npv.probability_positive == Decimal(above) / Decimal(10_000)
    assert 0 < npv.probability_positive < 1
    adjusted = result.npv_optimism_adjusted
    assert adjusted.p50_gbp < npv.p50_gbp
    assert adjusted.probability_positive <= npv.probability_positive


def test_one_uniform_linear_input_gives_hand_worked_percentiles() -> None:
    # Given £1,000 up front and paper saved x a month for one year (not discounted), x uniform
    # on £50 to £150: NPV = 12x − 1,000, uniform on −£400 to £800
    inputs = {
        "paper_gbp_a_month": UncertainValue(
            value=Decimal(100),
            low=Decimal(50),
            high=Decimal(150),
            label="Paper",
            distribution=Distribution.UNIFORM,
        )
    }
    one_off = CostLine(
        category=CostCategory.TRAINING_IMPLEMENTATION,
        item="Go-live support",
        cost_type=CostType.UPFRONT,
        unit_cost_gbp=Decimal(1000),
        quantity=Decimal(1),
        frequency=Frequency.ONE_OFF,
        start_date=START,
    )

    # When simulated
    result = monte_carlo(
        costs=[one_off],
        benefits_builder=lambda values: [_stream("paper", values["paper_gbp_a_month"], 12)],
        assumptions=inputs,
        settings=AppraisalSettings(start=START, horizon_years=1),
    )

    # Then the centre is 12 × 100 − 1,000 = £200, and the draws sit near the uniform's own
    # percentiles (P10 −£280, P50 £200, P90 £680) and P(NPV > 0) = 800 / 1,200 = 2/3
    assert result.centre_npv_gbp == Decimal("200.00")
    assert result.npv.p10_gbp == pytest.approx(Decimal(-280), abs=20)
    assert result.npv.p50_gbp == pytest.approx(Decimal(200), abs=20)
    assert result.npv.p90_gbp == pytest.approx(Decimal(680), abs=20)
    assert float(result.npv.probability_positive) == pytest.approx(2 / 3, abs=0.02)
    assert result.npv_draws_gbp.min() >= -400
    assert result.npv_draws_gbp.max() <= 800


def test_tornado_swing_of_one_linear_input_worked_by_hand() -> None:
    # Given £1,000 up front and paper saved x a month for two years, x from £50 to £150:
    # NPV = x × (12 + 12 / 1.035) − 1,000 = x × 23.5942029 − 1,000
    one_off = CostLine(
        category=CostCategory.TRAINING_IMPLEMENTATION,
        item="Go-live support",
        cost_type=CostType.UPFRONT,
        unit_cost_gbp=Decimal(1000),
        quantity=Decimal(1),
        frequency=Frequency.ONE_OFF,
        start_date=START,
    )

    # When the tornado is drawn
    bars = tornado(
        costs=[one_off],
        benefits_builder=lambda values: [_stream("paper", values["paper_gbp_a_month"], 24)],
        assumptions={"paper_gbp_a_month": _TIME_INPUTS["paper_gbp_a_month"]},
        settings=AppraisalSettings(start=START, horizon_years=2),
    )

    # Then at £50: 1,179.7101 − 1,000 = £179.71; at £150: 3,539.1304 − 1,000 = £2,539.13;
    # the swing is 100 × 23.5942029 = £2,359.42
    assert len(bars) == 1
    bar = bars[0]
    assert (bar.name, bar.low, bar.value, bar.high) == (
        "paper_gbp_a_month",
        Decimal(50),
        Decimal(100),
        Decimal(150),
    )
    assert bar.npv_at_low_gbp == Decimal("179.71")
    assert bar.npv_at_high_gbp == Decimal("2539.13")
    assert bar.swing_gbp == Decimal("2359.42")


def test_tornado_bars_come_largest_swing_first_with_the_loss_rate_worked_by_hand() -> None:
    # Given ten £200 tablets losing 20% a year (range 10% to 30%) for one year, and paper
    # saved £50 to £150 a month
    bars = tornado(
        costs=[_tablets()],
        benefits_builder=lambda values: [_stream("paper", values["paper_gbp_a_month"], 12)],
        assumptions={"paper_gbp_a_month": _TIME_INPUTS["paper_gbp_a_month"]},
        settings=AppraisalSettings(start=START, horizon_years=1),
    )

    # Then paper swings 12 × £100 = £1,200 and comes first; the loss rate swings
    # £2,000 × (0.3 − 0.1) = £400: NPV 1,200 − 2,000 − 200 = −£1,000 at 10%, −£1,400 at 30%
    assert [bar.name for bar in bars] == ["paper_gbp_a_month", "annual_loss_rate:0"]
    assert bars[0].swing_gbp == Decimal("1200.00")
    loss = bars[1]
    assert loss.label == "Annual loss rate: Tablets, line 2"
    assert (loss.low, loss.high) == (Decimal("0.1"), Decimal("0.3"))
    assert (loss.npv_at_low_gbp, loss.npv_at_high_gbp) == (
        Decimal("-1000.00"),
        Decimal("-1400.00"),
    )
    assert loss.swing_gbp == Decimal("400.00")


def test_a_builder_that_is_not_multilinear_is_appraised_draw_by_draw() -> None:
    # Given a benefit that goes with the square of an input (so the fast model cannot hold)
    inputs = {"x": UncertainValue(value=Decimal(10), low=Decimal(5), high=Decimal(20), label="x")}
    settings = AppraisalSettings(start=START, horizon_years=1)

    def build(values: Mapping[str, Decimal]) -> list[Benefit]:
        return [_stream("squared", values["x"] ** 2, 12)]

    # When simulated (few draws: each is a full appraisal)
    result = monte_carlo(
        costs=[_licence()], benefits_builder=build, assumptions=inputs, settings=settings, draws=50
    )
    bars = tornado(
        costs=[_licence()], benefits_builder=build, assumptions=inputs, settings=settings
    )

    # Then it says so, and the figures are still exact: centre 12 × 100 − 12 × 390 = −£3,480;
    # at x = 5, 12 × 25 − 4,680 = −£4,380; at x = 20, 12 × 400 − 4,680 = £120
    assert result.method == "direct"
    assert result.centre_npv_gbp == Decimal("-3480.00")
    assert (bars[0].npv_at_low_gbp, bars[0].npv_at_high_gbp) == (
        Decimal("-4380.00"),
        Decimal("120.00"),
    )


def test_buy_or_rent_handsets_side_by_side_with_optimism_bias() -> None:
    # Given ten handsets bought at £300 each, or rented at £15 each a month, for two years
    settings = AppraisalSettings(start=START, horizon_years=2)
    buy = CostLine(
        category=CostCategory.HARDWARE,
        item="Handsets (bought)",
        cost_type=CostType.UPFRONT,
        unit_cost_gbp=Decimal(300),
        quantity=Decimal(10),
        frequency=Frequency.ONE_OFF,
        start_date=START,
    )
    rent = CostLine(
        category=CostCategory.HARDWARE,
        item="Handsets (rented)",
        cost_type=CostType.RECURRENT,
        unit_cost_gbp=Decimal(15),
        quantity=Decimal(10),
        frequency=Frequency.MONTHLY,
        start_date=START,
    )

    # When the two are compared
    rows = compare_scenarios(
        scenarios={
            "Buy": Scenario(costs=[buy], settings=settings),
            "Rent": Scenario(costs=[rent], settings=settings),
        }
    )

    # Then buying costs £3,000 (£9,000 with +200% optimism bias on capital); renting costs
    # 1,800 + 1,800 / 1.035 = £3,539.13 either way; renting is £539.13 dearer as estimated
    # but the cheaper with optimism bias
    assert [row.name for row in rows] == ["Buy", "Rent"]
    first, second = rows
    assert (first.pv_costs_gbp, first.pv_costs_optimism_adjusted_gbp) == (
        Decimal("3000.00"),
        Decimal("9000.00"),
    )
    assert (second.pv_costs_gbp, second.pv_costs_optimism_adjusted_gbp) == (
        Decimal("3539.13"),
        Decimal("3539.13"),
    )
    assert (first.npv_gbp, second.npv_gbp) == (Decimal("-3000.00"), Decimal("-3539.13"))
    assert (first.npv_optimism_adjusted_gbp, second.npv_optimism_adjusted_gbp) == (
        Decimal("-9000.00"),
        Decimal("-3539.13"),
    )
    assert (first.npv_difference_gbp, second.npv_difference_gbp) == (
        Decimal("0.00"),
        Decimal("-539.13"),
    )
    assert first.bcr == Decimal(0)
    assert first.monte_carlo is None


def test_scenarios_with_a_builder_are_simulated_on_the_same_seed() -> None:
    # Given the current supplier at £390 a month and an alternative quote at £300, with the
    # same uncertain benefits
    settings = AppraisalSettings(start=START, horizon_years=5)
    build = _time_builder(60)

    def scenario(pounds: Decimal) -> Scenario:
        return Scenario(
            costs=[_licence(pounds)],
            settings=settings,
            benefits_builder=build,
            assumptions=_TIME_INPUTS,
        )

    # When compared
    current, alternative = compare_scenarios(
        scenarios={
            "Current supplier": scenario(Decimal(390)),
            "Alternative": scenario(Decimal(300)),
        }
    )

    # Then each has its simulation, centred on its own NPV; the cheaper quote is better by
    # £90 a month: 1,080 × (1 + 1/1.035 + 1/1.035² + 1/1.035³ + 1/1.035⁴) = 1,080 × 4.6730792
    # = £5,046.93, in every draw, since both ran on the same seed
    assert current.monte_carlo is not None
    assert alternative.monte_carlo is not None
    assert current.monte_carlo.centre_npv_gbp == current.npv_gbp
    assert alternative.npv_difference_gbp == Decimal("5046.93")
    gap = alternative.monte_carlo.npv_draws_gbp - current.monte_carlo.npv_draws_gbp
    assert np.allclose(gap, 5046.9255, atol=0.01)


def test_a_scenario_with_fixed_benefits_and_a_builder_is_refused() -> None:
    # Given a scenario with both
    both = Scenario(
        costs=[_licence()],
        settings=AppraisalSettings(start=START),
        benefits=[_stream("paper", Decimal(10), 12)],
        benefits_builder=lambda values: [],
    )

    # Then comparing it is refused with a message naming it
    with pytest.raises(UncertaintyError, match="'Odd'"):
        compare_scenarios(scenarios={"Odd": both})


def test_registry_inputs_are_those_with_a_range_and_an_entered_value_widens_it() -> None:
    # Given the registry with care-worker pay entered at £13.00 (above the £12.71 high)
    inputs = registry_uncertainties(values={"care_worker_hourly_pay_gbp": Decimal("13.00")})

    # Then pay, manager pay and on-costs are uncertain; pay runs £12.00 to £13.00
    assert {"care_worker_hourly_pay_gbp", "manager_hourly_pay_gbp", "on_cost_share"} <= set(inputs)
    pay = inputs["care_worker_hourly_pay_gbp"]
    assert (pay.low, pay.value, pay.high) == (Decimal("12.00"), Decimal("13.00"), Decimal("13.00"))
    on_cost = inputs["on_cost_share"]
    assert (on_cost.low, on_cost.value, on_cost.high) == (
        Decimal("0.2383"),
        Decimal("0.2775"),
        Decimal("0.3224"),
    )
    assert "baseline_documentation_minutes_per_shift" not in inputs


def test_loss_rates_range_half_either_side_capped_at_a_whole_fleet() -> None:
    # Given lines losing 20% and 80% a year, and one with no loss rate
    costs = [_tablets(), _tablets(loss_rate=Decimal("0.8")), _licence()]

    # When their loss rates are made uncertain
    inputs = loss_rate_uncertainties(costs=costs)

    # Then 20% runs 10% to 30%, 80% runs 40% to 100% (not 120%), and the licence has none
    assert set(inputs) == {"annual_loss_rate:0", "annual_loss_rate:1"}
    assert (inputs["annual_loss_rate:0"].low, inputs["annual_loss_rate:0"].high) == (
        Decimal("0.1"),
        Decimal("0.3"),
    )
    assert (inputs["annual_loss_rate:1"].low, inputs["annual_loss_rate:1"].high) == (
        Decimal("0.4"),
        Decimal(1),
    )


def test_a_value_outside_its_range_is_refused() -> None:
    # When an input's value lies above its high
    with pytest.raises(UncertaintyError, match="not between"):
        UncertainValue(value=Decimal(3), low=Decimal(1), high=Decimal(2), label="Odd")


def test_the_registrys_own_benefits_simulate_fast_and_centre_on_the_appraisal() -> None:
    # Given a provider's entered figures and the registry's benefits built from them: 5
    # minutes saved on 600 shifts a month, £50 of paper a month; tablets losing 20% a year
    entered = {
        "documentation_minutes_saved_per_shift": Decimal(5),
        "care_worker_shifts_per_month": Decimal(600),
        "paper_costs_saved_gbp_per_month": Decimal(50),
    }
    settings = AppraisalSettings(start=START, horizon_years=5)

    def build(values: Mapping[str, Decimal]) -> list[Benefit]:
        return benefits_from_assumptions(
            {**entered, **values}, start=START, horizon_years=settings.horizon_years
        )

    inputs = registry_uncertainties(values=entered)
    costs = [_tablets(), _licence()]

    # When simulated and drawn as a tornado
    model = prepare_uncertainty(
        costs=costs, benefits_builder=build, assumptions=inputs, settings=settings
    )
    result = model.monte_carlo()
    bars = model.tornado()
    exact = appraise(costs=costs, benefits=build(_centre(inputs)), settings=settings)

    # Then the fast model holds, its centre is the appraisal's NPV to the penny, and manager
    # pay (which no stream here uses) has no swing while on-costs have one
    assert result.method == "multilinear"
    assert result.centre_npv_gbp == exact.npv_gbp.quantize(Decimal("0.01"))
    swings = {bar.name: bar.swing_gbp for bar in bars}
    assert swings["manager_hourly_pay_gbp"] == Decimal("0.00")
    assert swings["on_cost_share"] > 0
    assert bars[-1].name == "manager_hourly_pay_gbp"


def test_policy_settings_and_the_ramp_are_not_drawn() -> None:
    # Given the registry's inputs
    inputs = registry_uncertainties()

    # Then the discount rate, optimism bias and benefits' ramp-up are left to scenarios
    assert not {"discount_rate", "optimism_bias_capital", "benefit_ramp_months"} & set(inputs)
    assert inputs["care_worker_hourly_pay_gbp"].label == "Care worker hourly pay"


def test_optimism_bias_at_its_lower_and_upper_bounds() -> None:
    # Given £3,000 of handsets bought and £1,000 a year of paper saved, one year
    settings = AppraisalSettings(start=START, horizon_years=1)
    handsets = CostLine(
        category=CostCategory.HARDWARE,
        item="Handsets",
        cost_type=CostType.UPFRONT,
        unit_cost_gbp=Decimal(300),
        quantity=Decimal(10),
        frequency=Frequency.ONE_OFF,
        start_date=START,
    )
    scenarios = optimism_bias_scenarios(
        costs=[handsets], benefits=[_stream("paper", Decimal(250), 12)], settings=settings
    )

    # When compared
    lower, upper = compare_scenarios(scenarios=scenarios)

    # Then NPV is 3,000 − 3,000 = £0 in both; adjusted, 3,000 − 3,300 = −£300 at +10% and
    # 3,000 − 9,000 = −£6,000 at +200%
    assert lower.name == "Optimism bias +10% on capital (lower bound)"
    assert upper.name == "Optimism bias +200% on capital (upper bound)"
    assert (lower.npv_gbp, upper.npv_gbp) == (Decimal("0.00"), Decimal("0.00"))
    assert (lower.npv_optimism_adjusted_gbp, upper.npv_optimism_adjusted_gbp) == (
        Decimal("-300.00"),
        Decimal("-6000.00"),
    )


def test_the_order_inputs_are_listed_in_does_not_change_the_draws() -> None:
    # Given the same inputs listed in two orders
    settings = AppraisalSettings(start=START, horizon_years=5)
    forwards = dict(_TIME_INPUTS)
    backwards = dict(reversed(list(_TIME_INPUTS.items())))

    # When each is simulated on the same seed
    first = monte_carlo(
        costs=[_licence()],
        benefits_builder=_time_builder(60),
        assumptions=forwards,
        settings=settings,
    )
    second = monte_carlo(
        costs=[_licence()],
        benefits_builder=_time_builder(60),
        assumptions=backwards,
        settings=settings,
    )

    # Then the draws are the same, taken in the order of the inputs' names
    assert np.array_equal(first.npv_draws_gbp, second.npv_draws_gbp)


def test_with_nothing_uncertain_every_draw_is_the_appraisal() -> None:
    # Given £390 a month for a year and nothing uncertain
    result = monte_carlo(
        costs=[_licence()],
        benefits_builder=lambda values: [],
        assumptions={},
        settings=AppraisalSettings(start=START, horizon_years=1),
        draws=100,
    )

    # Then every percentile is −12 × 390 = −£4,680
    assert result.inputs == ()
    assert (result.npv.p10_gbp, result.npv.p50_gbp, result.npv.p90_gbp) == (
        Decimal("-4680.00"),
        Decimal("-4680.00"),
        Decimal("-4680.00"),
    )
