"""The Return on investment page's figures: one provider's case, a what-if, and their tables.

The what-if controls arrive in the page's URL (a plain GET form, like the measure pages): each
is checked against its limits and a value outside them is ignored with a message. The whole
appraisal is worked out again server-side for every view (:func:`cost_model.case.appraise_case`,
a few milliseconds); the Monte Carlo simulation (10,000 draws), the tornado and the scenarios
are computed once per distinct set of inputs and kept in a small in-process cache
(:data:`CACHE_SIZE` entries), so a repeated view, a download or a report does not draw again.

Another way of buying (one cost line: a category, a cost, how often and how many) arrives in
the URL too (:func:`parse_scenario`); it becomes a :class:`cost_model.case.CostScenario`
appraised beside the case, replacing every current line of its category.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

import polars as pl

from cost_model.appraisal import Appraisal
from cost_model.case import (
    BASE_SCENARIO_NAME,
    CaseInputs,
    CaseResult,
    CostScenario,
    WhatIf,
    apply_what_if,
    appraise_case,
    run_case,
)
from cost_model.lines import CostLine, cost_flows, default_start
from cost_model.register import RegisterRow, register_rows
from data_contracts.enums import CostCategory, CostType, Frequency

CACHE_SIZE = 32
PENNY = Decimal("0.01")
CATEGORY_LABELS = {
    CostCategory.HARDWARE: "Hardware",
    CostCategory.SOFTWARE: "Software",
    CostCategory.INFRASTRUCTURE: "Infrastructure",
    CostCategory.TRAINING_IMPLEMENTATION: "Training and implementation",
    CostCategory.MANAGEMENT_ADMIN: "Management and administration",
}
"""The five categories as the NIHR evaluation's Table 5 names them (as `carelens roi`)."""


@dataclass(frozen=True, slots=True)
class Control:
    """One what-if control: its URL parameter, label, limits and how a value is scaled.

    Attributes:
        name: The URL parameter.
        label: The visible label.
        hint: What it changes.
        low: The smallest value accepted (as typed).
        high: The largest value accepted (as typed).
        step: The input's step.
        scale: What a typed value is multiplied by (0.01 for percentages).
    """

    name: str
    label: str
    hint: str
    low: Decimal
    high: Decimal
    step: str
    scale: Decimal = Decimal(1)


CONTROLS = (
    Control(
        "pay",
        "Care workers' pay (£ an hour)",
        "Before on-costs. Values the time released, measured and stated.",
        Decimal(5),
        Decimal(100),
        "0.01",
    ),
    Control(
        "minutes",
        "Recording minutes saved per shift",
        "The stated saving; a saving measured in your records keeps its measured minutes.",
        Decimal(0),
        Decimal(240),
        "1",
    ),
    Control(
        "rate",
        "Discount rate (% a year)",
        "HM Treasury Green Book: 3.5%.",
        Decimal(0),
        Decimal(20),
        "0.1",
        Decimal("0.01"),
    ),
    Control("horizon", "Horizon (years)", "1 to 10 years.", Decimal(1), Decimal(10), "1"),
    Control(
        "loss",
        "Devices lost or broken (% a year)",
        "Replaces the loss rate of every hardware line.",
        Decimal(0),
        Decimal(100),
        "1",
        Decimal("0.01"),
    ),
)
"""The what-if controls, in the order the form shows them."""


def parse_what_if(query: Mapping[str, object]) -> tuple[WhatIf, dict[str, str], list[str]]:
    """Read the what-if controls from the URL's query.

    Args:
        query: The query parameters.

    Returns:
        The what-if, the accepted values as typed (to fill the form again), and a message for
        each value that was not used (naming the control, never echoing the value).
    """
    values: dict[str, Decimal] = {}
    typed: dict[str, str] = {}
    problems: list[str] = []
    for control in CONTROLS:
        raw = query.get(control.name)
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            continue
        try:
            number = Decimal(str(raw).strip())
        except InvalidOperation:
            number = Decimal("NaN")
        if not number.is_finite() or not control.low <= number <= control.high:
            problems.append(
                f"{control.label}: give a number from {control.low} to {control.high}; "
                "it was left as it is."
            )
            continue
        if control.name == "horizon" and number != number.to_integral_value():
            problems.append(f"{control.label}: give a whole number of years.")
            continue
        values[control.name] = number * control.scale
        typed[control.name] = str(number)
    what_if = WhatIf(
        care_worker_hourly_pay_gbp=values.get("pay"),
        documentation_minutes_saved_per_shift=values.get("minutes"),
        discount_rate=values.get("rate"),
        horizon_years=int(values["horizon"]) if "horizon" in values else None,
        device_loss_rate=values.get("loss"),
    )
    return what_if, typed, problems


SCENARIO_NAME = "scenario"
SCENARIO_CATEGORY = "category"
SCENARIO_COST = "cost"
SCENARIO_PER = "per"
SCENARIO_QUANTITY = "quantity"
SCENARIO_PARAMETERS = (
    SCENARIO_NAME,
    SCENARIO_CATEGORY,
    SCENARIO_COST,
    SCENARIO_PER,
    SCENARIO_QUANTITY,
)
"""The URL parameters of the "Compare another way of buying" form, in the form's order."""
SCENARIO_NAME_MAX = 60
SCENARIO_COST_MAX = Decimal(1_000_000)
SCENARIO_QUANTITY_MAX = Decimal(100_000)
SCENARIO_SOURCE = "entered on the dashboard (not saved)"
PER_CHOICES = {
    "one-off": ("one-off (upfront)", CostType.UPFRONT, Frequency.ONE_OFF),
    "month": ("a month (recurrent)", CostType.RECURRENT, Frequency.MONTHLY),
    "year": ("a year (recurrent)", CostType.RECURRENT, Frequency.ANNUAL),
}
"""How often the scenario's cost is paid: label, cost type and frequency, by URL value."""
SCENARIO_LABELS = {
    SCENARIO_NAME: "Scenario name",
    SCENARIO_CATEGORY: "Cost category it replaces",
    SCENARIO_COST: "Cost (£ per unit)",
    SCENARIO_PER: "Paid",
    SCENARIO_QUANTITY: "Quantity (units)",
}
"""The form's visible labels, which the messages name."""
_NAME_PATTERN = re.compile(r"[\w £&'’(),./+%-]+")
_TAKEN_NAMES = (BASE_SCENARIO_NAME.casefold(), "optimism bias")


@dataclass(frozen=True, slots=True)
class ScenarioEntry:
    """Another way of buying as entered on the page: one cost line in place of a category.

    Attributes:
        name: How the scenario is named in the table.
        category: The category whose current lines it replaces.
        unit_cost_gbp: Pounds per unit per payment.
        per: ``one-off``, ``month`` or ``year`` (:data:`PER_CHOICES`).
        quantity: Units.
    """

    name: str
    category: CostCategory
    unit_cost_gbp: Decimal
    per: str
    quantity: Decimal


def parse_scenario(
    query: Mapping[str, object],
) -> tuple[ScenarioEntry | None, dict[str, str], list[str]]:
    """Read the "Compare another way of buying" form from the URL's query.

    Nothing is asked for until a name, a cost or a quantity is given (the two selects always
    send a value). Then every field must be good, or the scenario is left out with a message
    for each bad field (naming the field, never echoing the value).

    Args:
        query: The query parameters.

    Returns:
        The scenario (``None``: none asked for, or one not usable), the accepted values as
        typed (to fill the form again and carry into the next request), and the messages.
    """
    raw = {key: str(query.get(key) or "").strip() for key in SCENARIO_PARAMETERS}
    if not (raw[SCENARIO_NAME] or raw[SCENARIO_COST] or raw[SCENARIO_QUANTITY]):
        return None, {}, []
    problems: list[str] = []
    name = raw[SCENARIO_NAME]
    if not name:
        problems.append(f"{SCENARIO_LABELS[SCENARIO_NAME]}: give the scenario a name.")
    elif len(name) > SCENARIO_NAME_MAX or not _NAME_PATTERN.fullmatch(name):
        problems.append(
            f"{SCENARIO_LABELS[SCENARIO_NAME]}: use up to {SCENARIO_NAME_MAX} letters, digits, "
            "spaces and simple punctuation."
        )
    elif name.casefold() == _TAKEN_NAMES[0] or name.casefold().startswith(_TAKEN_NAMES[1]):
        problems.append(
            f"{SCENARIO_LABELS[SCENARIO_NAME]}: that name is a row of the table already; "
            "choose another."
        )
    category = next((c for c in CostCategory if c.value == raw[SCENARIO_CATEGORY]), None)
    if category is None:
        problems.append(f"{SCENARIO_LABELS[SCENARIO_CATEGORY]}: choose one of the five.")
    per = raw[SCENARIO_PER] if raw[SCENARIO_PER] in PER_CHOICES else None
    if per is None:
        problems.append(f"{SCENARIO_LABELS[SCENARIO_PER]}: choose one-off, a month or a year.")
    cost = _bounded(raw[SCENARIO_COST], high=SCENARIO_COST_MAX)
    if cost is None:
        problems.append(
            f"{SCENARIO_LABELS[SCENARIO_COST]}: give a number of pounds from 0 to "
            f"{SCENARIO_COST_MAX:,}, to the penny."
        )
    quantity = _bounded(raw[SCENARIO_QUANTITY], high=SCENARIO_QUANTITY_MAX)
    if quantity is None:
        problems.append(
            f"{SCENARIO_LABELS[SCENARIO_QUANTITY]}: give a number from 0 to "
            f"{SCENARIO_QUANTITY_MAX:,}."
        )
    if problems or category is None or per is None or cost is None or quantity is None:
        return None, {}, [*problems, "The other way of buying was left out."]
    entry = ScenarioEntry(
        name=name, category=category, unit_cost_gbp=cost, per=per, quantity=quantity
    )
    typed = {
        SCENARIO_NAME: name,
        SCENARIO_CATEGORY: category.value,
        SCENARIO_COST: str(cost),
        SCENARIO_PER: per,
        SCENARIO_QUANTITY: str(quantity),
    }
    return entry, typed, []


def _bounded(text: str, *, high: Decimal) -> Decimal | None:
    """A number from 0 to ``high`` with at most 2 decimal places, else ``None``."""
    if not text or len(text) > 12:
        return None
    try:
        number = Decimal(text.replace(",", ""))
    except InvalidOperation:
        return None
    if not number.is_finite() or not 0 <= number <= high:
        return None
    if number != number.quantize(PENNY):
        return None
    return number


def scenario_from_entry(
    entry: ScenarioEntry, *, inputs: CaseInputs, what_if: WhatIf
) -> CostScenario:
    """The entered scenario as one cost line from the appraisal start.

    One-off costs are upfront (capital); a month or a year are recurrent. A hardware line
    takes the what-if's device loss rate, as every current hardware line does.

    Args:
        entry: What :func:`parse_scenario` read.
        inputs: The stored inputs (their start, else the earliest cost line's).
        what_if: The what-if in force.
    """
    _label, cost_type, frequency = PER_CHOICES[entry.per]
    loss = what_if.device_loss_rate if entry.category is CostCategory.HARDWARE else None
    line = CostLine(
        category=entry.category,
        item=entry.name,
        cost_type=cost_type,
        unit_cost_gbp=entry.unit_cost_gbp,
        quantity=entry.quantity,
        frequency=frequency,
        start_date=inputs.start or default_start(inputs.costs),
        annual_loss_rate=loss,
    )
    return CostScenario(name=entry.name, lines=(line,), source=SCENARIO_SOURCE)


_CACHE: OrderedDict[str, CaseResult] = OrderedDict()
_CACHE_LOCK = threading.Lock()


def simulated_case(inputs: CaseInputs) -> CaseResult:
    """The case with its Monte Carlo (10,000 draws), tornado and scenarios, cached.

    The key is the inputs' full text, so any change of cost line, stream, entered value or
    what-if draws again; the same inputs give the same draws (fixed seed) either way.

    Args:
        inputs: The case's inputs (what-if applied).
    """
    key = repr(inputs)
    with _CACHE_LOCK:
        found = _CACHE.get(key)
        if found is not None:
            _CACHE.move_to_end(key)
            return found
    result = run_case(inputs)
    with _CACHE_LOCK:
        _CACHE[key] = result
        while len(_CACHE) > CACHE_SIZE:
            _CACHE.popitem(last=False)
    return result


def clear_cache() -> None:
    """Forget every cached simulation (tests; a new warehouse changes the key anyway)."""
    with _CACHE_LOCK:
        _CACHE.clear()


@dataclass(frozen=True, slots=True)
class RoiView:
    """Everything the page shows for one provider and one what-if.

    Attributes:
        inputs: The case's inputs as stored (no what-if).
        what_if: The what-if applied.
        case: The appraisal with the what-if (no uncertainty): recomputed every view.
        simulated: The same inputs with Monte Carlo, tornado and scenarios (cached).
        register: The benefits register (Green Book columns).
        alternative: Another way of buying appraised beside the case, if one was entered.
    """

    inputs: CaseInputs
    what_if: WhatIf
    case: CaseResult
    simulated: CaseResult | None
    register: tuple[RegisterRow, ...]
    alternative: CostScenario | None = None

    @property
    def appraisal(self) -> Appraisal:
        """The appraisal shown."""
        return self.case.appraisal


def what_if_case(inputs: CaseInputs, what_if: WhatIf) -> CaseResult:
    """The appraisal with the what-if applied, without the uncertainty (the quick part).

    Args:
        inputs: The stored inputs.
        what_if: The controls.
    """
    return appraise_case(apply_what_if(inputs, what_if))


def build_view(
    inputs: CaseInputs,
    what_if: WhatIf,
    *,
    simulate: bool = True,
    scenario: ScenarioEntry | None = None,
) -> RoiView:
    """Appraise the inputs with the what-if; simulate them (cached) if asked.

    Args:
        inputs: The stored inputs.
        what_if: The controls.
        simulate: Whether to add the Monte Carlo, tornado and scenarios (the scenarios table,
            with ``scenario`` in it, comes with the simulation).
        scenario: Another way of buying, appraised beside the case.

    Raises:
        CostModelError: The inputs cannot be appraised.
    """
    changed = apply_what_if(inputs, what_if)
    alternative = (
        None if scenario is None else scenario_from_entry(scenario, inputs=inputs, what_if=what_if)
    )
    case = appraise_case(changed)
    if alternative is not None:
        changed = replace(changed, alternatives=(alternative,))
    simulated = simulated_case(changed) if simulate else None
    rows = register_rows(benefits=case.benefits, settings=case.appraisal.settings)
    return RoiView(
        inputs=inputs,
        what_if=what_if,
        case=case,
        simulated=simulated,
        register=tuple(rows),
        alternative=alternative,
    )


# Presentation


def pennies(value: Decimal) -> Decimal:
    """Round to the penny, half up (as `carelens roi` presents money)."""
    return value.quantize(PENNY, rounding=ROUND_HALF_UP)


def money(value: Decimal | None) -> str:
    """``£1,234.56``, ``−£7.00`` (a minus sign) or ``–`` for no value."""
    if value is None:
        return "–"
    rounded = pennies(value)
    return f"−£{-rounded:,.2f}" if rounded < 0 else f"£{rounded:,.2f}"


def percent(value: Decimal | None, *, places: int = 1) -> str:
    """``12.5%`` with a minus sign, ``–`` for no value."""
    if value is None:
        return "–"
    return f"{float(value) * 100:.{places}f}%".replace("-", "−")


def month_label(day: date) -> str:
    """``Apr 2025``."""
    return f"{day:%b %Y}"


def payback_text(appraisal: Appraisal) -> str:
    """``month 14 (May 2026)`` or ``not within the horizon``."""
    month = appraisal.discounted_payback_month
    if month is None:
        return "not within the horizon"
    row = appraisal.months[month - 1]
    return f"month {month} ({row.on:%B %Y})"


def cost_stacks(
    case: CaseResult,
) -> tuple[list[str], dict[tuple[str, str], list[float]]]:
    """Costs by appraisal year, by category and upfront or recurrent (not discounted).

    Returns:
        The year labels and, by (category label, ``upfront``/``recurrent``), pounds a year.
    """
    settings = case.appraisal.settings
    years = [f"Year {row.year} ({month_label(row.starts_on)})" for row in case.appraisal.years]
    sums: dict[tuple[str, str], list[Decimal]] = {
        (CATEGORY_LABELS[category], kind.value): [Decimal(0)] * len(years)
        for category in CostCategory
        for kind in (CostType.UPFRONT, CostType.RECURRENT)
    }
    for flow in cost_flows(case.costs, start=settings.start, horizon_years=settings.horizon_years):
        key = (CATEGORY_LABELS[flow.category], flow.cost_type.value)
        sums[key][flow.month_index // 12] += flow.amount_gbp
    return years, {key: [float(pennies(v)) for v in values] for key, values in sums.items()}


def measured_by_month(inputs: CaseInputs) -> dict[date, Decimal]:
    """Pounds measured each month over every measured stream (the data, before projection)."""
    totals: dict[date, Decimal] = {}
    for row in inputs.measured:
        totals[row.month] = totals.get(row.month, Decimal(0)) + row.value_gbp
    return totals


def years_frame(case: CaseResult) -> pl.DataFrame:
    """The appraisal by year, money to the penny (a table and a download)."""
    rows = [
        {
            "year": row.year,
            "starts_on": row.starts_on,
            **{
                f"{category.value}_gbp": pennies(
                    row.costs_by_category_gbp.get(category, Decimal(0))
                )
                for category in CostCategory
            },
            "upfront_gbp": pennies(row.upfront_gbp),
            "recurrent_gbp": pennies(row.recurrent_gbp),
            "costs_gbp": pennies(row.costs_gbp),
            "benefits_gbp": pennies(row.benefits_gbp),
            "net_gbp": pennies(row.net_gbp),
            "discount_factor": row.discount_factor.quantize(Decimal("0.000001")),
            "discounted_net_gbp": pennies(row.discounted_net_gbp),
            "cumulative_discounted_net_gbp": pennies(row.cumulative_discounted_net_gbp),
            "basis": "projected",
        }
        for row in case.appraisal.years
    ]
    return pl.DataFrame(rows, infer_schema_length=None)


def months_frame(view: RoiView) -> pl.DataFrame:
    """The appraisal by month, with what was measured that month (a download)."""
    measured = measured_by_month(view.inputs)
    return pl.DataFrame(
        [
            {
                "month_index": row.month_index + 1,
                "month": row.on,
                "costs_gbp": pennies(row.costs_gbp),
                "benefits_gbp": pennies(row.benefits_gbp),
                "benefits_measured_gbp": (
                    pennies(measured[row.on]) if row.on in measured else None
                ),
                "discounted_net_gbp": pennies(row.discounted_net_gbp),
                "cumulative_discounted_net_gbp": pennies(row.cumulative_discounted_net_gbp),
            }
            for row in view.appraisal.months
        ],
        infer_schema_length=None,
    )


def register_frame(rows: tuple[RegisterRow, ...]) -> pl.DataFrame:
    """The benefits register in the Green Book's columns (a table and a download)."""
    return pl.DataFrame(
        [
            {
                "number": row.number,
                "category": row.category_label,
                "class": row.class_label,
                "description": row.description,
                "basis": row.basis.value.replace("_", " "),
                "measure": row.measure,
                "baseline": row.baseline,
                "target": row.target,
                "full_year_value_gbp": (
                    None if row.full_year_value_gbp is None else pennies(row.full_year_value_gbp)
                ),
                "full_year_quantity": row.full_year_quantity,
                "quantity_unit": row.quantity_unit,
                "timescale": _timescale(row),
                "owner": row.owner,
            }
            for row in rows
        ],
        schema_overrides={
            "baseline": pl.Decimal(18, 6),
            "target": pl.Decimal(18, 6),
            "full_year_value_gbp": pl.Decimal(18, 2),
            "full_year_quantity": pl.Decimal(18, 6),
            "quantity_unit": pl.String,
        },
    )


def _timescale(row: RegisterRow) -> str:
    starts = month_label(row.starts) if row.starts else "–"
    return f"{starts} to {month_label(row.ends)}"


def assumptions_frame(case: CaseResult) -> pl.DataFrame:
    """Every assumption used, with its value, unit, basis and source."""
    return pl.DataFrame(
        [
            {
                "name": item["name"],
                "value": float(item["value"]),
                "unit": item["unit_label"],
                "basis": item["basis"],
                "source": item["source"],
            }
            for item in case.assumptions
        ],
        schema={
            "name": pl.String,
            "value": pl.Float64,
            "unit": pl.String,
            "basis": pl.String,
            "source": pl.String,
        },
    )


def scenarios_frame(view: RoiView) -> pl.DataFrame:
    """The scenarios side by side (a table and a download); empty without the simulation.

    One row each for the case as estimated, the other way of buying (if entered) and the
    Green Book's optimism-bias bounds; the simulation's figures are empty for the bounds.
    """
    rows = []
    scenarios = view.simulated.scenarios if view.simulated is not None else ()
    alternative = view.alternative
    for scenario in scenarios:
        given = alternative is not None and scenario.name == alternative.name
        simulated = scenario.monte_carlo
        npv = simulated.npv if simulated is not None else None
        rows.append(
            {
                "scenario": scenario.name,
                "replaces": (
                    ", ".join(CATEGORY_LABELS[c] for c in CostCategory if c in alternative.replaces)
                    if given and alternative is not None
                    else None
                ),
                "pv_costs_gbp": pennies(scenario.pv_costs_gbp),
                "pv_costs_optimism_adjusted_gbp": pennies(scenario.pv_costs_optimism_adjusted_gbp),
                "pv_benefits_gbp": pennies(scenario.pv_benefits_gbp),
                "npv_gbp": pennies(scenario.npv_gbp),
                "npv_optimism_adjusted_gbp": pennies(scenario.npv_optimism_adjusted_gbp),
                "npv_difference_gbp": pennies(scenario.npv_difference_gbp),
                "bcr": None if scenario.bcr is None else scenario.bcr.quantize(Decimal("0.0001")),
                "discounted_payback_month": scenario.discounted_payback_month,
                "npv_p10_gbp": None if npv is None else pennies(npv.p10_gbp),
                "npv_p50_gbp": None if npv is None else pennies(npv.p50_gbp),
                "npv_p90_gbp": None if npv is None else pennies(npv.p90_gbp),
                "probability_npv_positive": (
                    None if npv is None else npv.probability_positive.quantize(Decimal("0.0001"))
                ),
            }
        )
    money_type = pl.Decimal(18, 2)
    return pl.DataFrame(
        rows,
        schema={
            "scenario": pl.String,
            "replaces": pl.String,
            "pv_costs_gbp": money_type,
            "pv_costs_optimism_adjusted_gbp": money_type,
            "pv_benefits_gbp": money_type,
            "npv_gbp": money_type,
            "npv_optimism_adjusted_gbp": money_type,
            "npv_difference_gbp": money_type,
            "bcr": pl.Decimal(18, 4),
            "discounted_payback_month": pl.Int64,
            "npv_p10_gbp": money_type,
            "npv_p50_gbp": money_type,
            "npv_p90_gbp": money_type,
            "probability_npv_positive": pl.Decimal(18, 4),
        },
    )


def scenario_verdict(view: RoiView) -> str | None:
    """One sentence: which has the higher NPV as estimated, and whether optimism bias agrees.

    ``None`` without another way of buying (or without the simulation that appraises it).
    """
    if view.alternative is None or view.simulated is None:
        return None
    found = {scenario.name: scenario for scenario in view.simulated.scenarios}
    base, other = found.get(BASE_SCENARIO_NAME), found.get(view.alternative.name)
    if base is None or other is None:
        return None
    uplift = percent(view.case.appraisal.settings.optimism_bias_capital, places=0)
    estimated = pennies(other.npv_gbp) - pennies(base.npv_gbp)
    biased = pennies(other.npv_optimism_adjusted_gbp) - pennies(base.npv_optimism_adjusted_gbp)
    if estimated == 0:
        first = (
            f"Before optimism bias, “{other.name}” and “{base.name}” have the same NPV, "
            + money(base.npv_gbp)
        )
    else:
        ahead, behind = (other, base) if estimated > 0 else (base, other)
        first = (
            f"Before optimism bias, “{ahead.name}” has the higher NPV: {money(ahead.npv_gbp)} "
            f"against {money(behind.npv_gbp)} for “{behind.name}” ({money(abs(estimated))} more)"
        )
    if biased == 0:
        second = f"with optimism bias (+{uplift} on capital) the two are level"
    else:
        ahead, behind = (other, base) if biased > 0 else (base, other)
        same = estimated != 0 and (biased > 0) == (estimated > 0)
        second = (
            f"with optimism bias (+{uplift} on capital) "
            + ("it still does" if same else f"“{ahead.name}” is higher instead")
            + f": {money(ahead.npv_optimism_adjusted_gbp)} against "
            f"{money(behind.npv_optimism_adjusted_gbp)}"
        )
    return f"{first}; {second}."
