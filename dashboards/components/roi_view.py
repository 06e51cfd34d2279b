"""The Return on investment page's figures: one provider's case, a what-if, and their tables.

The what-if controls arrive in the page's URL (a plain GET form, like the measure pages): each
is checked against its limits and a value outside them is ignored with a message. The whole
appraisal is worked out again server-side for every view (:func:`cost_model.case.appraise_case`,
a few milliseconds); the Monte Carlo simulation (10,000 draws), the tornado and the scenarios
are computed once per distinct set of inputs and kept in a small in-process cache
(:data:`CACHE_SIZE` entries), so a repeated view, a download or a report does not draw again.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

import polars as pl

from cost_model.appraisal import Appraisal
from cost_model.case import (
    CaseInputs,
    CaseResult,
    WhatIf,
    apply_what_if,
    appraise_case,
    run_case,
)
from cost_model.lines import cost_flows
from cost_model.register import RegisterRow, register_rows
from data_contracts.enums import CostCategory, CostType

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
    """

    inputs: CaseInputs
    what_if: WhatIf
    case: CaseResult
    simulated: CaseResult | None
    register: tuple[RegisterRow, ...]

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


def build_view(inputs: CaseInputs, what_if: WhatIf, *, simulate: bool = True) -> RoiView:
    """Appraise the inputs with the what-if; simulate them (cached) if asked.

    Args:
        inputs: The stored inputs.
        what_if: The controls.
        simulate: Whether to add the Monte Carlo, tornado and scenarios.

    Raises:
        CostModelError: The inputs cannot be appraised.
    """
    changed = apply_what_if(inputs, what_if)
    case = appraise_case(changed)
    simulated = simulated_case(changed) if simulate else None
    rows = register_rows(benefits=case.benefits, settings=case.appraisal.settings)
    return RoiView(
        inputs=inputs, what_if=what_if, case=case, simulated=simulated, register=tuple(rows)
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
