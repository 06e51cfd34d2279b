"""The Green Book appraisal of a provider's DSCR: present values, NPV, BCR, ROI and payback.

Conventions (written out with every formula in ``docs/roi.md``): appraisal year 0 is the first
12 months from the start and is not discounted; an amount in year *y* is divided by
``(1 + r)^y``; no discounting within a year; only months ``0 ≤ m < 12 × horizon`` count.
Money is ``Decimal`` pounds at full precision; round only to present.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from types import MappingProxyType

from cost_model.benefits import Benefit
from cost_model.errors import AppraisalError
from cost_model.lines import (
    CostLine,
    check_horizon,
    cost_flows,
    month_index,
    month_start,
    sunk_cost_flows,
)
from cost_model.streams import StreamBasis
from data_contracts.enums import CostCategory, CostType

GREEN_BOOK_DISCOUNT_RATE = Decimal("0.035")
"""HM Treasury Green Book real discount rate, years 0 to 30."""
OPTIMISM_BIAS_CAPITAL_UPPER = Decimal("2.00")
"""Green Book supplementary guidance, equipment and development projects: +200% on capital."""

_ZERO = Decimal(0)


@dataclass(frozen=True, slots=True)
class AppraisalSettings:
    """How to appraise.

    Attributes:
        start: The appraisal start (default in practice:
            :func:`cost_model.lines.default_start`, the earliest cost line start).
        horizon_years: 1 to 10.
        discount_rate: Real discount rate a year (0.035 = 3.5%).
        optimism_bias_capital: Uplift on the present value of upfront (capital) costs for the
            optimism-adjusted figures (2.00 = +200%).
    """

    start: date
    horizon_years: int = 5
    discount_rate: Decimal = GREEN_BOOK_DISCOUNT_RATE
    optimism_bias_capital: Decimal = OPTIMISM_BIAS_CAPITAL_UPPER


@dataclass(frozen=True, slots=True)
class YearRow:
    """One appraisal year.

    Attributes:
        year: 0 for the first 12 months.
        starts_on: The first day of the year.
        costs_by_category_gbp: Undiscounted costs, all five categories.
        upfront_gbp: Undiscounted costs of upfront lines.
        recurrent_gbp: Undiscounted costs of recurrent lines.
        costs_gbp: Undiscounted costs.
        benefits_gbp: Undiscounted monetised benefits.
        benefits_by_stream_gbp: Undiscounted benefits of each monetised stream.
        net_gbp: Benefits less costs.
        discount_factor: ``1 / (1 + r)^year``.
        discounted_costs_gbp: Costs divided by ``(1 + r)^year``.
        discounted_benefits_gbp: Benefits divided by ``(1 + r)^year``.
        discounted_net_gbp: Net divided by ``(1 + r)^year``.
        cumulative_discounted_net_gbp: Discounted net of this year and all before it.
    """

    year: int
    starts_on: date
    costs_by_category_gbp: Mapping[CostCategory, Decimal]
    upfront_gbp: Decimal
    recurrent_gbp: Decimal
    costs_gbp: Decimal
    benefits_gbp: Decimal
    benefits_by_stream_gbp: Mapping[str, Decimal]
    net_gbp: Decimal
    discount_factor: Decimal
    discounted_costs_gbp: Decimal
    discounted_benefits_gbp: Decimal
    discounted_net_gbp: Decimal
    cumulative_discounted_net_gbp: Decimal


@dataclass(frozen=True, slots=True)
class MonthRow:
    """One appraisal month.

    Attributes:
        month_index: 0 for the first month (reported to users as month 1).
        on: The first day of the month.
        costs_gbp: Undiscounted costs.
        upfront_gbp: Undiscounted costs of upfront lines.
        recurrent_gbp: Undiscounted costs of recurrent lines.
        benefits_gbp: Undiscounted monetised benefits.
        discounted_net_gbp: Benefits less costs, divided by ``(1 + r)^year``.
        cumulative_discounted_net_gbp: Discounted net of this month and all before it.
    """

    month_index: int
    on: date
    costs_gbp: Decimal
    upfront_gbp: Decimal
    recurrent_gbp: Decimal
    benefits_gbp: Decimal
    discounted_net_gbp: Decimal
    cumulative_discounted_net_gbp: Decimal


@dataclass(frozen=True, slots=True)
class BenefitResult:
    """One benefit stream's figures over the horizon.

    Attributes:
        stream: The stream.
        description: What it is.
        basis: Measured, assumed or both.
        cash_releasing: Whether it frees money actually spent.
        monetised: Whether it has pound values.
        pv_gbp: Present value (``None`` when not monetised).
        undiscounted_gbp: Undiscounted pounds in the horizon (``None`` when not monetised).
        quantity: Total quantity in the horizon (``None``: no quantities).
        quantity_unit: The unit of ``quantity``.
        projected_from: The first projected month (``None``: nothing projected).
    """

    stream: str
    description: str
    basis: StreamBasis
    cash_releasing: bool
    monetised: bool
    pv_gbp: Decimal | None
    undiscounted_gbp: Decimal | None
    quantity: Decimal | None
    quantity_unit: str | None
    projected_from: date | None


@dataclass(frozen=True, slots=True)
class Appraisal:
    """The appraisal of one set of costs and benefits.

    Attributes:
        settings: The settings used.
        pv_costs_gbp: Present value of the costs.
        pv_costs_upfront_gbp: Of which upfront (capital) lines.
        pv_costs_recurrent_gbp: Of which recurrent lines.
        pv_costs_optimism_adjusted_gbp: ``pv_costs + optimism_bias_capital × pv_upfront``.
        pv_benefits_gbp: Present value of the monetised benefits.
        npv_gbp: ``pv_benefits − pv_costs``.
        npv_optimism_adjusted_gbp: ``pv_benefits − pv_costs_optimism_adjusted``.
        bcr: ``pv_benefits / pv_costs`` (``None`` when ``pv_costs`` is zero).
        bcr_optimism_adjusted: The same over the adjusted costs.
        roi: ``npv / pv_costs`` (``None`` when ``pv_costs`` is zero).
        discounted_payback_month: The first month (1-based) at whose end the cumulative
            discounted net benefit is at least zero with some cost paid; ``None`` if never.
        pv_costs_by_category_gbp: Present value by category, all five keys.
        pv_benefits_by_stream_gbp: Present value of each monetised stream.
        undiscounted_costs_gbp: Costs in the horizon, not discounted.
        sunk_costs_gbp: Costs paid before the start, left out (undiscounted).
        benefits_before_start_gbp: Benefits dated before the start, left out.
        years: One row per appraisal year.
        months: One row per appraisal month.
        benefits: One result per stream, in the order given.
    """

    settings: AppraisalSettings
    pv_costs_gbp: Decimal
    pv_costs_upfront_gbp: Decimal
    pv_costs_recurrent_gbp: Decimal
    pv_costs_optimism_adjusted_gbp: Decimal
    pv_benefits_gbp: Decimal
    npv_gbp: Decimal
    npv_optimism_adjusted_gbp: Decimal
    bcr: Decimal | None
    bcr_optimism_adjusted: Decimal | None
    roi: Decimal | None
    discounted_payback_month: int | None
    pv_costs_by_category_gbp: Mapping[CostCategory, Decimal]
    pv_benefits_by_stream_gbp: Mapping[str, Decimal]
    undiscounted_costs_gbp: Decimal
    sunk_costs_gbp: Decimal
    benefits_before_start_gbp: Decimal
    years: tuple[YearRow, ...]
    months: tuple[MonthRow, ...]
    benefits: tuple[BenefitResult, ...]


def check_settings(settings: AppraisalSettings) -> None:
    """Refuse settings that cannot be appraised.

    Raises:
        AppraisalError: If the horizon is not 1 to 10 years, the discount rate is not from 0
            to under 1, or the optimism bias is negative.
    """
    check_horizon(settings.horizon_years)
    if not _ZERO <= settings.discount_rate < 1:
        raise AppraisalError("The discount rate must be from 0 to under 1 (0.035 = 3.5%).")
    if settings.optimism_bias_capital < 0:
        raise AppraisalError("The optimism bias must be zero or more (2.00 = +200%).")


def appraise(
    *, costs: Sequence[CostLine], benefits: Sequence[Benefit], settings: AppraisalSettings
) -> Appraisal:
    """Appraise ``costs`` against ``benefits`` under ``settings``.

    Args:
        costs: The cost lines.
        benefits: The benefit streams (each stream name at most once).
        settings: Start, horizon, discount rate and optimism bias.

    Returns:
        The appraisal, unrounded.

    Raises:
        AppraisalError: If the settings are out of range or a stream is given twice.
    """
    check_settings(settings)
    _check_streams(benefits)
    start = settings.start
    months = 12 * settings.horizon_years
    years = settings.horizon_years
    divisors = [(1 + settings.discount_rate) ** year for year in range(years)]

    cost_month = [_ZERO] * months
    upfront_month = [_ZERO] * months
    category_year = {category: [_ZERO] * years for category in CostCategory}
    upfront_year = [_ZERO] * years
    for flow in cost_flows(costs, start=start, horizon_years=years):
        year = flow.month_index // 12
        cost_month[flow.month_index] += flow.amount_gbp
        category_year[flow.category][year] += flow.amount_gbp
        if flow.cost_type is CostType.UPFRONT:
            upfront_month[flow.month_index] += flow.amount_gbp
            upfront_year[year] += flow.amount_gbp
    sunk = sum((flow.amount_gbp for flow in sunk_cost_flows(costs, start=start)), _ZERO)

    benefit_month = [_ZERO] * months
    stream_year: dict[str, list[Decimal]] = {}
    results = []
    before_start = _ZERO
    for benefit in benefits:
        by_year = [_ZERO] * years
        for on, value in benefit.monthly_gbp.items():
            index = month_index(on, start=start)
            if index < 0:
                before_start += value
            elif index < months:
                benefit_month[index] += value
                by_year[index // 12] += value
        quantity = None
        if benefit.monthly_quantity:
            quantity = sum(
                (
                    value
                    for on, value in benefit.monthly_quantity.items()
                    if 0 <= month_index(on, start=start) < months
                ),
                _ZERO,
            )
        pv = None
        undiscounted = None
        if benefit.monetised:
            stream_year[benefit.stream] = by_year
            pv = sum((amount / divisors[y] for y, amount in enumerate(by_year)), _ZERO)
            undiscounted = sum(by_year, _ZERO)
        results.append(
            BenefitResult(
                stream=benefit.stream,
                description=benefit.description,
                basis=benefit.basis,
                cash_releasing=benefit.cash_releasing,
                monetised=benefit.monetised,
                pv_gbp=pv,
                undiscounted_gbp=undiscounted,
                quantity=quantity,
                quantity_unit=benefit.quantity_unit,
                projected_from=benefit.projected_from,
            )
        )

    pv_by_category = {
        category: sum((amount / divisors[y] for y, amount in enumerate(by_year)), _ZERO)
        for category, by_year in category_year.items()
    }
    pv_by_stream = {result.stream: result.pv_gbp for result in results if result.pv_gbp is not None}
    pv_costs = sum(pv_by_category.values(), _ZERO)
    pv_upfront = sum((amount / divisors[y] for y, amount in enumerate(upfront_year)), _ZERO)
    pv_recurrent = pv_costs - pv_upfront
    pv_adjusted = pv_costs + settings.optimism_bias_capital * pv_upfront
    pv_benefits = sum(pv_by_stream.values(), _ZERO)
    npv = pv_benefits - pv_costs
    npv_adjusted = pv_benefits - pv_adjusted

    month_rows, payback = _month_rows(
        start=start,
        costs=cost_month,
        upfront=upfront_month,
        benefits=benefit_month,
        divisors=divisors,
    )
    year_rows = _year_rows(
        start=start,
        category_year=category_year,
        upfront_year=upfront_year,
        stream_year=stream_year,
        divisors=divisors,
    )
    return Appraisal(
        settings=settings,
        pv_costs_gbp=pv_costs,
        pv_costs_upfront_gbp=pv_upfront,
        pv_costs_recurrent_gbp=pv_recurrent,
        pv_costs_optimism_adjusted_gbp=pv_adjusted,
        pv_benefits_gbp=pv_benefits,
        npv_gbp=npv,
        npv_optimism_adjusted_gbp=npv_adjusted,
        bcr=None if pv_costs == 0 else pv_benefits / pv_costs,
        bcr_optimism_adjusted=None if pv_adjusted == 0 else pv_benefits / pv_adjusted,
        roi=None if pv_costs == 0 else npv / pv_costs,
        discounted_payback_month=payback,
        pv_costs_by_category_gbp=MappingProxyType(pv_by_category),
        pv_benefits_by_stream_gbp=MappingProxyType(pv_by_stream),
        undiscounted_costs_gbp=sum(cost_month, _ZERO),
        sunk_costs_gbp=sunk,
        benefits_before_start_gbp=before_start,
        years=year_rows,
        months=month_rows,
        benefits=tuple(results),
    )


def _check_streams(benefits: Sequence[Benefit]) -> None:
    seen: set[str] = set()
    for benefit in benefits:
        if benefit.stream in seen:
            raise AppraisalError(
                f"The benefit stream {benefit.stream!r} is given twice; it would be counted "
                "twice. Give each stream once."
            )
        seen.add(benefit.stream)


def _month_rows(
    *,
    start: date,
    costs: list[Decimal],
    upfront: list[Decimal],
    benefits: list[Decimal],
    divisors: list[Decimal],
) -> tuple[tuple[MonthRow, ...], int | None]:
    rows = []
    cumulative = _ZERO
    paid = _ZERO
    payback = None
    for index, (cost, capital, benefit) in enumerate(zip(costs, upfront, benefits, strict=True)):
        discounted = (benefit - cost) / divisors[index // 12]
        cumulative += discounted
        paid += cost
        if payback is None and paid > 0 and cumulative >= 0:
            payback = index + 1
        rows.append(
            MonthRow(
                month_index=index,
                on=month_start(index, start=start),
                costs_gbp=cost,
                upfront_gbp=capital,
                recurrent_gbp=cost - capital,
                benefits_gbp=benefit,
                discounted_net_gbp=discounted,
                cumulative_discounted_net_gbp=cumulative,
            )
        )
    return tuple(rows), payback


def _year_rows(
    *,
    start: date,
    category_year: Mapping[CostCategory, list[Decimal]],
    upfront_year: list[Decimal],
    stream_year: Mapping[str, list[Decimal]],
    divisors: list[Decimal],
) -> tuple[YearRow, ...]:
    rows = []
    cumulative = _ZERO
    for year, divisor in enumerate(divisors):
        by_category = {category: amounts[year] for category, amounts in category_year.items()}
        by_stream = {stream: amounts[year] for stream, amounts in stream_year.items()}
        costs = sum(by_category.values(), _ZERO)
        benefits = sum(by_stream.values(), _ZERO)
        net = benefits - costs
        discounted_net = net / divisor
        cumulative += discounted_net
        rows.append(
            YearRow(
                year=year,
                starts_on=month_start(12 * year, start=start),
                costs_by_category_gbp=MappingProxyType(by_category),
                upfront_gbp=upfront_year[year],
                recurrent_gbp=costs - upfront_year[year],
                costs_gbp=costs,
                benefits_gbp=benefits,
                benefits_by_stream_gbp=MappingProxyType(by_stream),
                net_gbp=net,
                discount_factor=1 / divisor,
                discounted_costs_gbp=costs / divisor,
                discounted_benefits_gbp=benefits / divisor,
                discounted_net_gbp=discounted_net,
                cumulative_discounted_net_gbp=cumulative,
            )
        )
    return tuple(rows)
