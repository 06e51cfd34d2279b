"""One provider's business case, assembled from its inputs: pure, no I/O.

The command (`carelens roi`), the dashboard's "Return on investment" page, the business-case
report and the notebook all appraise a provider the same way, so the assembly lives here: cost
lines, measured benefit streams (a row of ``marts.benefit_streams`` a month) and the values the
provider entered go in (:class:`CaseInputs`); the benefit streams, the appraisal, the Monte
Carlo simulation, the tornado and the optimism-bias scenarios come out (:class:`CaseResult`).
Reading files or the warehouse is the caller's business; the row converters here
(:func:`cost_line_from_row`, :func:`stream_month_from_row`, :func:`entered_from_row`) turn rows
already read into the types below, so every reader gives the same inputs.

A what-if (:class:`WhatIf`, the dashboard's controls) is applied to the inputs with
:func:`apply_what_if`; the result is appraised again from scratch, like any other case.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from cost_model.appraisal import Appraisal, AppraisalSettings, appraise
from cost_model.assumptions import ASSUMPTIONS, UNIT_LABELS, AssumptionName
from cost_model.benefits import (
    Benefit,
    MeasuredMonth,
    benefits_from_assumptions,
    project_benefits,
)
from cost_model.errors import CostModelError
from cost_model.lines import CostLine, default_start, sunk_cost_flows
from cost_model.streams import BenefitStream, StreamBasis
from data_contracts.enums import CostCategory, CostType, Frequency

if TYPE_CHECKING:
    from cost_model.uncertainty import (
        MonteCarloResult,
        ScenarioResult,
        TornadoBar,
        UncertainValue,
    )

DEFAULT_HORIZON_YEARS = 5
DEFAULT_DRAWS = 10_000
DEFAULT_SEED = 6
"""The same as ``cost_model.uncertainty.DEFAULT_SEED``: the command and the page agree."""
DISCOUNT_RATE_NAME = AssumptionName.DISCOUNT_RATE.value
OPTIMISM_BIAS_NAME = AssumptionName.OPTIMISM_BIAS_CAPITAL.value
BASE_SCENARIO_NAME = "As estimated"
"""The scenarios table's first row, the one every other is compared with."""
MEASURED_RANGE_PREFIX = "measured_range:"
"""Monte Carlo inputs for a measured stream's projection are named this plus the stream."""
STREAM_PAY = {
    BenefitStream.CARE_WORKER_DOCUMENTATION_TIME.value: AssumptionName.CARE_WORKER_HOURLY_PAY_GBP,
    BenefitStream.MANAGERIAL_CARE_PLAN_REVIEWS.value: AssumptionName.MANAGER_HOURLY_PAY_GBP,
    BenefitStream.MANAGERIAL_AUDITS.value: AssumptionName.MANAGER_HOURLY_PAY_GBP,
    BenefitStream.MANAGERIAL_HANDOVERS.value: AssumptionName.MANAGER_HOURLY_PAY_GBP,
}
"""Whose pay values each measured stream's hours (with the on-cost share on top), as in
``pipelines.marts.time_released``: a draw of that pay revalues the stream's pounds."""
WHAT_IF_SOURCE = "what-if on the dashboard (not saved)"
"""The source of an assumption value set with the page's what-if controls."""
STREAM_DESCRIPTIONS = {
    BenefitStream.CARE_WORKER_DOCUMENTATION_TIME.value: (
        "Care workers' recording time released (paper-era minutes less measured, per shift)"
    ),
    BenefitStream.MANAGERIAL_CARE_PLAN_REVIEWS.value: "Managers' time on care-plan reviews",
    BenefitStream.MANAGERIAL_AUDITS.value: "Managers' time on audits",
    BenefitStream.MANAGERIAL_HANDOVERS.value: "Managers' time on handovers",
}
"""How the measured streams of ``marts.benefit_streams`` are named in the benefits register."""
_PENNY = Decimal("0.01")


@dataclass(frozen=True, slots=True)
class EnteredAssumption:
    """One assumption value given by the provider, and where it was given.

    Attributes:
        name: The registry name.
        value: The value, checked against the registry's limits for its unit.
        source: ``FILE, line N`` for ``--assumptions``; ``entered in the dashboard`` for the
            values published in ``reference.provider_assumptions``.
        note: The note written beside it, if any.
    """

    name: str
    value: Decimal
    source: str
    note: str | None = None


@dataclass(frozen=True, slots=True)
class MeasuredStreamMonth:
    """One row of ``marts.benefit_streams`` summed over the provider's locations.

    Attributes:
        stream: ``cost_model.streams.BenefitStream`` value.
        month: First day of the month.
        basis: ``measured``, ``assumed`` or ``measured_and_assumed`` (the least measured of
            the locations' rows, so a month with any assumed part is never called measured).
        basis_note: The locations' notes, distinct, joined by ``; ``.
        cash_releasing: Whether the stream releases cash.
        quantity: Sum of the locations' quantities.
        unit: The quantity's unit (``hours``).
        value_gbp: Sum of the locations' values.
        value_low_gbp: Sum of the low values.
        value_high_gbp: Sum of the high values.
    """

    stream: str
    month: date
    basis: str
    basis_note: str
    cash_releasing: bool
    quantity: Decimal
    unit: str
    value_gbp: Decimal
    value_low_gbp: Decimal
    value_high_gbp: Decimal


@dataclass(frozen=True, slots=True)
class CostScenario:
    """Another way of buying or running the DSCR: some cost lines in place of the current ones.

    The scenario's lines replace **every current line of the categories they cover** and
    leave the other categories as they are: a file of hardware rental lines appraises
    "rent the handsets" (the bought handsets, their replacements and losses go); a file of
    software lines appraises "the alternative quote". Benefits are the same as the case's.

    Attributes:
        name: How the scenario is named in the scenarios table.
        lines: The replacement lines (at least one).
        source: Where they came from (``FILE`` or ``entered on the dashboard``).
    """

    name: str
    lines: tuple[CostLine, ...]
    source: str = ""

    @property
    def replaces(self) -> frozenset[CostCategory]:
        """The cost categories whose current lines this scenario replaces."""
        return frozenset(line.category for line in self.lines)

    def costs_from(self, current: Sequence[CostLine]) -> tuple[CostLine, ...]:
        """The case's cost lines under this scenario: other categories', then this one's.

        Args:
            current: The case's cost lines.
        """
        replaced = self.replaces
        return (*(line for line in current if line.category not in replaced), *self.lines)


@dataclass(frozen=True, slots=True)
class CaseInputs:
    """Everything one provider's appraisal rests on, already read and checked.

    Attributes:
        provider_id: The provider appraised.
        costs: Its cost lines.
        measured: Its measured benefit streams by month (none without a warehouse).
        entered: The assumption values in force by name, later sources already winning
            (``--assumptions`` over the dashboard's published values).
        last_complete_month: First day of the last month of data that is over (``None``:
            take the last measured month as complete).
        start: The appraisal start (``None``: the earliest cost start date).
        horizon_years: 1 to 10.
        notes: What the reader should know about the inputs (lines ignored…), shown first.
        alternatives: Other ways of buying or running the DSCR, appraised beside the case
            (:class:`CostScenario`), in the order given.
    """

    provider_id: str
    costs: tuple[CostLine, ...]
    measured: tuple[MeasuredStreamMonth, ...] = ()
    entered: Mapping[str, EnteredAssumption] = field(default_factory=dict)
    last_complete_month: date | None = None
    start: date | None = None
    horizon_years: int = DEFAULT_HORIZON_YEARS
    notes: tuple[str, ...] = ()
    alternatives: tuple[CostScenario, ...] = ()


@dataclass(frozen=True, slots=True)
class PreparedCase:
    """A case's settings and benefit streams, ready to appraise or simulate.

    Attributes:
        inputs: The inputs.
        settings: The appraisal settings (start, horizon, rate, optimism bias).
        values: The assumption values in force by name (entered only; defaults are the
            registry's).
        benefits: The benefit streams: measured (projected to the horizon) and stated.
        notes: The inputs' notes, then sunk costs, projections and stated figures not used.
    """

    inputs: CaseInputs
    settings: AppraisalSettings
    values: Mapping[str, Decimal]
    benefits: tuple[Benefit, ...]
    notes: tuple[str, ...]

    def benefits_builder(self) -> Callable[[Mapping[str, Decimal]], list[Benefit]]:
        """The benefits for one Monte Carlo draw: the drawn values over the values in force.

        Streams built from assumptions are rebuilt from the drawn values. Measured streams
        arrive from the warehouse in pounds, valued at the pay in force; a draw moves them
        twice over:

        - a drawn pay or on-cost share revalues every month's pounds by drawn hourly cost ÷
          hourly cost in force (:data:`STREAM_PAY` names whose pay);
        - a drawn :data:`MEASURED_RANGE_PREFIX` share (see :meth:`uncertainties`) scales the
          projected months' hours and pounds; the months measured to date are what happened
          and stay as they are.
        """
        measured, values = self.inputs.measured, self.values
        settings, last = self.settings, self.inputs.last_complete_month
        in_force = {stream: _hourly_cost(values, pay) for stream, pay in STREAM_PAY.items()}
        measured_names = frozenset(row.stream for row in measured)

        def build(drawn: Mapping[str, Decimal]) -> list[Benefit]:
            assumed = {k: v for k, v in drawn.items() if not k.startswith(MEASURED_RANGE_PREFIX)}
            merged = {**values, **assumed}
            benefits = _benefits(
                measured=measured,
                values=merged,
                settings=settings,
                last_complete_month=last,
                notes=[],
            )
            return [
                _drawn_measured(
                    benefit,
                    pay_ratio=_pay_ratio(benefit.stream, merged, in_force),
                    share=drawn.get(MEASURED_RANGE_PREFIX + benefit.stream),
                )
                if benefit.stream in measured_names
                else benefit
                for benefit in benefits
            ]

        return build

    def uncertainties(self) -> dict[str, UncertainValue]:
        """The uncertain inputs of the Monte Carlo and the tornado, by name.

        The registry's assumptions with a range (:func:`cost_model.uncertainty.
        registry_uncertainties`), then one input per measured stream that is projected:
        ``measured_range:<stream>``, a share of the projection with value 1, low and high
        the stream's low and high (the days' P10 and P90 in ``marts.benefit_streams``) over
        its central value, summed over the three months the projection averages.
        """
        from cost_model.uncertainty import UncertainValue, registry_uncertainties

        inputs = registry_uncertainties(values=self.values)
        for benefit in self.benefits:
            if benefit.projected_from is None:
                continue
            share = _projection_share(
                self.inputs.measured, stream=benefit.stream, before=benefit.projected_from
            )
            if share is None:
                continue
            low, high = share
            inputs[MEASURED_RANGE_PREFIX + benefit.stream] = UncertainValue(
                value=Decimal(1),
                low=min(low, high, Decimal(1)),
                high=max(low, high, Decimal(1)),
                label=f"{benefit.description}: measured range",
                source="the days' P10 and P90 in marts.benefit_streams, as a share of the "
                "projection",
            )
        return inputs


@dataclass(frozen=True, slots=True)
class CaseResult:
    """One provider's business case: the appraisal and how sure it is.

    Attributes:
        provider_id: The provider.
        costs: The cost lines appraised.
        benefits: The benefit streams appraised.
        appraisal: The appraisal (exact; round only when presenting).
        monte_carlo: The simulation (``None`` when not asked for, as for a what-if).
        tornado: One bar per uncertain input, largest swing first (empty when not asked for).
        scenarios: The appraisal at the Green Book's lower and upper capital optimism bias
            (empty when not asked for).
        assumptions: Each registry assumption with a value: name, value, unit, unit_label,
            basis (``entered`` or ``default``) and source.
        notes: Things the reader should know (ignored lines, sunk costs, projections).
    """

    provider_id: str
    costs: tuple[CostLine, ...]
    benefits: tuple[Benefit, ...]
    appraisal: Appraisal
    monte_carlo: MonteCarloResult | None
    tornado: tuple[TornadoBar, ...]
    scenarios: tuple[ScenarioResult, ...]
    assumptions: tuple[dict[str, Any], ...]
    notes: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class WhatIf:
    """The dashboard's what-if controls; ``None`` leaves the input as it is.

    Attributes:
        care_worker_hourly_pay_gbp: Care workers' pay, £ an hour (before on-costs). It also
            revalues the measured care-worker hours: hours × pay × (1 + on-cost share).
        documentation_minutes_saved_per_shift: Minutes of recording saved per shift (the
            stated stream; a measured stream keeps its measured minutes).
        discount_rate: The discount rate a year (0.035 = 3.5%).
        horizon_years: The horizon, 1 to 10 years.
        device_loss_rate: Devices lost or broken a year, as a share of the fleet: replaces
            the annual loss rate of every hardware line.
    """

    care_worker_hourly_pay_gbp: Decimal | None = None
    documentation_minutes_saved_per_shift: Decimal | None = None
    discount_rate: Decimal | None = None
    horizon_years: int | None = None
    device_loss_rate: Decimal | None = None

    @property
    def is_empty(self) -> bool:
        """Whether no control is set."""
        return all(
            getattr(self, name) is None
            for name in (
                "care_worker_hourly_pay_gbp",
                "documentation_minutes_saved_per_shift",
                "discount_rate",
                "horizon_years",
                "device_loss_rate",
            )
        )


# Rows to inputs


def exact_decimal(value: object) -> Decimal:
    """A stored number as an exact Decimal, trailing zeros of the stored scale dropped.

    Args:
        value: A Decimal, int, float or numeric text.
    """
    number = value if isinstance(value, Decimal) else Decimal(str(value))
    return number.normalize() if number != number.to_integral_value() else number.quantize(1)


def _optional_decimal(value: object) -> Decimal | None:
    return None if value is None else exact_decimal(value)


def _date(value: object) -> date:
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def cost_line_from_row(row: Mapping[str, object], *, line: int | None) -> CostLine:
    """A typed row of ``costs.csv`` or ``reference.cost_lines`` as a cost line.

    Args:
        row: The row by column name (the COSTS contract's columns).
        line: The physical line of ``costs.csv`` it came from, if known.
    """
    return CostLine(
        category=CostCategory(str(row["category"])),
        item=str(row["item"]),
        cost_type=CostType(str(row["cost_type"])),
        unit_cost_gbp=exact_decimal(row["unit_cost_gbp"]),
        quantity=exact_decimal(row["quantity"]),
        frequency=Frequency(str(row["frequency"])),
        start_date=_date(row["start_date"]),
        end_date=None if row.get("end_date") is None else _date(row["end_date"]),
        replacement_years=_optional_decimal(row.get("replacement_years")),
        annual_loss_rate=_optional_decimal(row.get("annual_loss_rate")),
        source_line=line,
    )


def stream_month_from_row(row: Mapping[str, object]) -> MeasuredStreamMonth:
    """A row of ``marts.benefit_streams`` summed over locations, as a measured month.

    Args:
        row: stream, month, basis, basis_note, cash_releasing, quantity, unit, value_gbp,
            value_low_gbp, value_high_gbp.
    """
    return MeasuredStreamMonth(
        stream=str(row["stream"]),
        month=_date(row["month"]),
        basis=str(row["basis"]),
        basis_note=str(row["basis_note"] or ""),
        cash_releasing=bool(row["cash_releasing"]),
        quantity=exact_decimal(row["quantity"]),
        unit=str(row["unit"]),
        value_gbp=exact_decimal(row["value_gbp"]),
        value_low_gbp=exact_decimal(row["value_low_gbp"]),
        value_high_gbp=exact_decimal(row["value_high_gbp"]),
    )


def entered_from_row(row: Mapping[str, object]) -> EnteredAssumption:
    """A row of ``reference.provider_assumptions`` (name, value, note) as an entered value.

    Args:
        row: name, value and note.
    """
    return EnteredAssumption(
        name=str(row["name"]),
        value=exact_decimal(row["value"]),
        source="entered in the dashboard",
        note=None if row["note"] is None else str(row["note"]),
    )


def last_complete_month(extract_to: object) -> date | None:
    """First day of the last month wholly covered by the provider's exports (to that date).

    Args:
        extract_to: The last day the exports cover (a date or ISO text), or ``None``.
    """
    if extract_to is None:
        return None
    end = _date(extract_to)
    first = end.replace(day=1)
    next_day = date.fromordinal(end.toordinal() + 1)
    if next_day.month != end.month:  # the export reaches the month's last day
        return first
    previous = date.fromordinal(first.toordinal() - 1)
    return previous.replace(day=1)


# Assembly


def prepare_case(inputs: CaseInputs) -> PreparedCase:
    """Settle the appraisal settings and build the benefit streams (no appraisal yet).

    Args:
        inputs: The case's inputs.

    Raises:
        CostModelError: The inputs cannot be appraised (no cost lines, bad horizon).
    """
    notes = list(inputs.notes)
    values = {name: item.value for name, item in inputs.entered.items()}
    appraisal_start = inputs.start or default_start(inputs.costs)
    sunk = sunk_cost_flows(inputs.costs, start=appraisal_start)
    if sunk:
        total = sum((flow.amount_gbp for flow in sunk), Decimal(0))
        notes.append(
            f"{len(sunk)} payment(s) before {_uk_date(appraisal_start)} are sunk and left out "
            f"({_money(total)})"
        )
    settings = AppraisalSettings(
        start=appraisal_start,
        horizon_years=inputs.horizon_years,
        **_rate_overrides(values),
    )
    benefits = _benefits(
        measured=inputs.measured,
        values=values,
        settings=settings,
        last_complete_month=inputs.last_complete_month,
        notes=notes,
    )
    return PreparedCase(
        inputs=inputs,
        settings=settings,
        values=values,
        benefits=tuple(benefits),
        notes=tuple(notes),
    )


def appraise_case(inputs: CaseInputs) -> CaseResult:
    """Appraise a case without the uncertainty (quick: what the what-if controls redo).

    Args:
        inputs: The case's inputs.

    Raises:
        CostModelError: The inputs cannot be appraised.
    """
    prepared = prepare_case(inputs)
    return _result(prepared, appraise_prepared(prepared))


def appraise_prepared(prepared: PreparedCase) -> Appraisal:
    """The appraisal of a prepared case.

    Args:
        prepared: What :func:`prepare_case` returned.
    """
    return appraise(
        costs=prepared.inputs.costs, benefits=prepared.benefits, settings=prepared.settings
    )


def run_case(
    inputs: CaseInputs,
    *,
    draws: int = DEFAULT_DRAWS,
    seed: int = DEFAULT_SEED,
    with_tornado: bool = True,
    with_scenarios: bool = True,
) -> CaseResult:
    """Appraise a case and estimate how sure it is: Monte Carlo, tornado, scenarios.

    The Monte Carlo and the tornado share one prepared model of NPV
    (:func:`cost_model.uncertainty.prepare_uncertainty`), so the tornado costs little more.

    Args:
        inputs: The case's inputs.
        draws: Monte Carlo draws.
        seed: Monte Carlo seed.
        with_tornado: Whether to compute the tornado.
        with_scenarios: Whether to appraise the scenarios: the case as estimated, each of
            ``inputs.alternatives`` (simulated with the same seed, so the chance NPV is above
            zero differs by the scenario and not by luck) and the optimism-bias bounds.

    Raises:
        CostModelError: The inputs cannot be appraised, or an alternative has no lines or
            a name already taken.
    """
    # numpy comes with the uncertainty module: imported only when it is needed
    from cost_model.uncertainty import (
        Scenario,
        compare_scenarios,
        optimism_bias_scenarios,
        prepare_uncertainty,
    )

    _check_alternatives(inputs.alternatives)
    prepared = prepare_case(inputs)
    appraisal = appraise_prepared(prepared)
    uncertain = prepared.uncertainties()
    model = prepare_uncertainty(
        costs=inputs.costs,
        benefits_builder=prepared.benefits_builder(),
        assumptions=uncertain,
        settings=prepared.settings,
    )
    simulated = model.monte_carlo(draws=draws, seed=seed)
    bars = tuple(model.tornado()) if with_tornado else ()
    scenarios: tuple[ScenarioResult, ...] = ()
    if with_scenarios:
        chosen = {
            BASE_SCENARIO_NAME: _fixed_scenario(prepared),
            **{
                alternative.name: Scenario(
                    costs=alternative.costs_from(inputs.costs),
                    settings=prepared.settings,
                    benefits_builder=prepared.benefits_builder(),
                    assumptions=uncertain,
                )
                for alternative in inputs.alternatives
            },
            **optimism_bias_scenarios(
                costs=inputs.costs, benefits=prepared.benefits, settings=prepared.settings
            ),
        }
        compared = compare_scenarios(scenarios=chosen, draws=draws, seed=seed)
        # the base case's simulation is the one above: the same seed, the same draws
        scenarios = (replace(compared[0], monte_carlo=simulated), *compared[1:])
    return _result(prepared, appraisal, monte_carlo=simulated, tornado=bars, scenarios=scenarios)


def _check_alternatives(alternatives: Sequence[CostScenario]) -> None:
    """Every alternative has lines and a name of its own.

    Raises:
        CostModelError: If one has no lines, no name, or a name already taken.
    """
    taken = {BASE_SCENARIO_NAME.casefold()}
    for alternative in alternatives:
        name = alternative.name.strip()
        if not name:
            raise CostModelError("Give each scenario a name.")
        if not alternative.lines:
            raise CostModelError(f"The scenario {name!r} has no cost lines.")
        if name.casefold() in taken or name.casefold().startswith("optimism bias"):
            raise CostModelError(
                f"The scenario name {name!r} is taken; give each scenario a name of its own."
            )
        taken.add(name.casefold())


def apply_what_if(inputs: CaseInputs, what_if: WhatIf) -> CaseInputs:
    """The inputs with the what-if controls' values in force (nothing is saved).

    Pay, minutes saved and the discount rate become entered values (source
    :data:`WHAT_IF_SOURCE`) over any entered before; pay also revalues the measured
    care-worker hours at hours × pay × (1 + on-cost share in force); the horizon replaces the
    inputs'; the device loss rate replaces every hardware line's annual loss rate.

    Args:
        inputs: The case's inputs.
        what_if: The controls.
    """
    if what_if.is_empty:
        return inputs
    entered = dict(inputs.entered)
    for name, value in (
        (AssumptionName.CARE_WORKER_HOURLY_PAY_GBP, what_if.care_worker_hourly_pay_gbp),
        (
            AssumptionName.DOCUMENTATION_MINUTES_SAVED_PER_SHIFT,
            what_if.documentation_minutes_saved_per_shift,
        ),
        (AssumptionName.DISCOUNT_RATE, what_if.discount_rate),
    ):
        if value is not None:
            entered[name.value] = EnteredAssumption(
                name=name.value, value=value, source=WHAT_IF_SOURCE
            )
    measured = inputs.measured
    if what_if.care_worker_hourly_pay_gbp is not None:
        on_cost = _value_in_force(entered, AssumptionName.ON_COST_SHARE)
        hourly_cost = what_if.care_worker_hourly_pay_gbp * (1 + on_cost)
        measured = tuple(
            _revalued(row, hourly_cost=hourly_cost)
            if row.stream == BenefitStream.CARE_WORKER_DOCUMENTATION_TIME.value
            else row
            for row in measured
        )
    costs = inputs.costs
    if what_if.device_loss_rate is not None:
        rate = what_if.device_loss_rate
        costs = tuple(
            replace(line, annual_loss_rate=rate) if line.category is CostCategory.HARDWARE else line
            for line in costs
        )
    return replace(
        inputs,
        costs=costs,
        measured=measured,
        entered=entered,
        horizon_years=what_if.horizon_years or inputs.horizon_years,
    )


def _value_in_force(entered: Mapping[str, EnteredAssumption], name: AssumptionName) -> Decimal:
    given = entered.get(name.value)
    if given is not None:
        return given.value
    default = ASSUMPTIONS[name].value
    return Decimal(0) if default is None else default


def _revalued(row: MeasuredStreamMonth, *, hourly_cost: Decimal) -> MeasuredStreamMonth:
    """A measured month of hours valued again at a new hourly cost (low and high scale too)."""
    value = row.quantity * hourly_cost
    if row.value_gbp == 0:
        return replace(row, value_gbp=value, value_low_gbp=value, value_high_gbp=value)
    scale = value / row.value_gbp
    return replace(
        row,
        value_gbp=value,
        value_low_gbp=row.value_low_gbp * scale,
        value_high_gbp=row.value_high_gbp * scale,
    )


def _hourly_cost(values: Mapping[str, Decimal], pay: AssumptionName) -> Decimal | None:
    """Pay plus on-costs of an hour with these values (registry defaults for the rest)."""
    rate = values.get(pay.value, ASSUMPTIONS[pay].value)
    on_cost = values.get(
        AssumptionName.ON_COST_SHARE.value, ASSUMPTIONS[AssumptionName.ON_COST_SHARE].value
    )
    return None if rate is None or on_cost is None else rate * (1 + on_cost)


def _pay_ratio(
    stream: str, values: Mapping[str, Decimal], in_force: Mapping[str, Decimal | None]
) -> Decimal:
    """Drawn hourly cost ÷ hourly cost in force for a measured stream (1 if not valued by pay)."""
    pay = STREAM_PAY.get(stream)
    base = in_force.get(stream)
    if pay is None or not base:
        return Decimal(1)
    drawn = _hourly_cost(values, pay)
    return Decimal(1) if drawn is None else drawn / base


def _drawn_measured(benefit: Benefit, *, pay_ratio: Decimal, share: Decimal | None) -> Benefit:
    """A measured stream under one draw: pounds revalued, the projection scaled by ``share``."""
    if pay_ratio == 1 and (share is None or share == 1):
        return benefit
    start = benefit.projected_from
    scale = Decimal(1) if share is None else share

    def future(month: date) -> Decimal:
        return scale if start is not None and month >= start else Decimal(1)

    return replace(
        benefit,
        monthly_gbp=MappingProxyType(
            {on: value * pay_ratio * future(on) for on, value in benefit.monthly_gbp.items()}
        ),
        monthly_quantity=MappingProxyType(
            {on: value * future(on) for on, value in benefit.monthly_quantity.items()}
        ),
    )


def _projection_share(
    measured: Sequence[MeasuredStreamMonth], *, stream: str, before: date
) -> tuple[Decimal, Decimal] | None:
    """Low ÷ central and high ÷ central over the (up to) three months a projection averages.

    Returns:
        The two shares, or ``None`` when the months' central value is zero or the range is a
        single point.
    """
    months = sorted(
        (row for row in measured if row.stream == stream and row.month < before),
        key=lambda row: row.month,
    )[-3:]
    central = sum((row.value_gbp for row in months), Decimal(0))
    low = sum((row.value_low_gbp for row in months), Decimal(0))
    high = sum((row.value_high_gbp for row in months), Decimal(0))
    if central == 0 or low == high == central:
        return None
    return low / central, high / central


def _fixed_scenario(prepared: PreparedCase) -> Any:
    from cost_model.uncertainty import Scenario

    return Scenario(
        costs=prepared.inputs.costs, settings=prepared.settings, benefits=prepared.benefits
    )


def _result(
    prepared: PreparedCase,
    appraisal: Appraisal,
    *,
    monte_carlo: MonteCarloResult | None = None,
    tornado: tuple[TornadoBar, ...] = (),
    scenarios: tuple[ScenarioResult, ...] = (),
) -> CaseResult:
    return CaseResult(
        provider_id=prepared.inputs.provider_id,
        costs=prepared.inputs.costs,
        benefits=prepared.benefits,
        appraisal=appraisal,
        monte_carlo=monte_carlo,
        tornado=tornado,
        scenarios=scenarios,
        assumptions=assumptions_used(prepared.inputs.entered),
        notes=prepared.notes,
    )


def _rate_overrides(values: Mapping[str, Decimal]) -> dict[str, Decimal]:
    overrides = {}
    if DISCOUNT_RATE_NAME in values:
        overrides["discount_rate"] = values[DISCOUNT_RATE_NAME]
    if OPTIMISM_BIAS_NAME in values:
        overrides["optimism_bias_capital"] = values[OPTIMISM_BIAS_NAME]
    return overrides


def _measured_streams(
    measured: Sequence[MeasuredStreamMonth],
) -> tuple[list[MeasuredMonth], dict[str, tuple[str, StreamBasis, bool]]]:
    rows = [
        MeasuredMonth(
            stream=row.stream,
            month=row.month,
            value_gbp=row.value_gbp,
            quantity=row.quantity,
            unit=row.unit,
        )
        for row in measured
    ]
    streams: dict[str, tuple[str, StreamBasis, bool]] = {}
    for row in measured:
        basis = StreamBasis(row.basis)
        if row.stream in streams:
            previous = streams[row.stream][1]
            if previous is not basis:
                basis = StreamBasis.MEASURED_AND_ASSUMED
        description = STREAM_DESCRIPTIONS.get(row.stream, row.stream.replace("_", " "))
        streams[row.stream] = (description, basis, row.cash_releasing)
    return rows, streams


def _benefits(
    *,
    measured: Sequence[MeasuredStreamMonth],
    values: Mapping[str, Decimal],
    settings: AppraisalSettings,
    last_complete_month: date | None,
    notes: list[str],
) -> list[Benefit]:
    """Measured streams (projected to the horizon) and the streams stated by the provider.

    A stream both measured and stated is taken as measured: the data wins over a statement.
    """
    projected: list[Benefit] = []
    if measured:
        rows, streams = _measured_streams(measured)
        last = last_complete_month or max(row.month for row in measured)
        projected = project_benefits(
            rows,
            streams=streams,
            start=settings.start,
            horizon_years=settings.horizon_years,
            last_complete_month=last,
        )
        notes.extend(
            f"{benefit.stream}: measured to {_uk_month(benefit.projected_from, before=1)}, "
            "projected flat from the mean of the last three complete months"
            for benefit in projected
            if benefit.projected_from is not None
        )
    stated = benefits_from_assumptions(
        values, start=settings.start, horizon_years=settings.horizon_years
    )
    seen = {benefit.stream for benefit in projected}
    notes.extend(
        f"{benefit.stream}: measured in the data; the stated figure is not used"
        for benefit in stated
        if benefit.stream in seen
    )
    return [*projected, *(b for b in stated if b.stream not in seen)]


def assumptions_used(entered: Mapping[str, EnteredAssumption]) -> tuple[dict[str, Any], ...]:
    """Every registry assumption with a value: entered (file or dashboard) or the default.

    Args:
        entered: The entered values by name.

    Returns:
        One dict per assumption: name, value (int or float), unit, unit_label, basis
        (``entered`` or ``default``) and source, in registry order.
    """
    used = []
    for name, entry in ASSUMPTIONS.items():
        given = entered.get(name.value)
        if given is not None:
            value, basis, source = given.value, "entered", given.source
        elif entry.value is not None:
            value, basis, source = entry.value, "default", entry.source
        else:
            continue
        used.append(
            {
                "name": name.value,
                "value": _number(value),
                "unit": entry.unit.value,
                "unit_label": UNIT_LABELS.get(entry.unit, entry.unit.value),
                "basis": basis,
                "source": source,
            }
        )
    return tuple(used)


def _number(value: Decimal) -> float | int:
    return int(value) if value == value.to_integral_value() else float(value)


def _money(value: Decimal) -> str:
    rounded = value.quantize(_PENNY, rounding=ROUND_HALF_UP)
    return f"−£{-rounded:,.2f}" if rounded < 0 else f"£{rounded:,.2f}"


def _uk_date(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def _uk_month(day: date, *, before: int = 0) -> str:
    month = day.month - before
    year = day.year + (month - 1) // 12
    month = (month - 1) % 12 + 1
    return date(year, month, 1).strftime("%B %Y")
