"""Cost lines and the cash flows they pay over an appraisal (spec section 5.4).

A cost line is one row of ``costs.csv``. :func:`cost_flows` turns the lines into dated cash
flows under the timeline conventions written in ``docs/roi.md``: the appraisal starts on a
date *S*; a date's month index counts whole months from *S*; only flows whose month index
falls inside the horizon count. Money is ``Decimal`` pounds at full precision.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from cost_model.errors import AppraisalError
from data_contracts.enums import CostCategory, CostType, Frequency

CostFrequency = Frequency
"""How often a cost line is paid (the shared enum ``data_contracts.enums.Frequency``)."""

MAX_HORIZON_YEARS = 10
"""The longest horizon an appraisal may run (years)."""

PAYMENT = "payment"
"""The kind of flow a line pays on its own schedule."""
REPLACEMENT = "replacement"
"""The kind of flow that buys the whole line again at the end of its replacement cycle."""
LOSS_REPLACEMENT = "loss_replacement"
"""The kind of flow that replaces units lost or broken."""


@dataclass(frozen=True, slots=True)
class CostLine:
    """One cost line of a provider's cost statement.

    Attributes:
        category: One of the five DSCR cost categories.
        item: What is bought.
        cost_type: Upfront (capital) or recurrent.
        unit_cost_gbp: Pounds per unit per payment.
        quantity: Units (devices, beds, users, hours…).
        frequency: One-off, monthly or annual.
        start_date: The first payment.
        end_date: No payment after this date (``None``: none).
        replacement_years: The whole line is bought again on this cycle (``None``: never).
        annual_loss_rate: Share of units lost or broken a year, replaced at unit cost.
        source_line: Physical line in ``costs.csv``, for messages.
    """

    category: CostCategory
    item: str
    cost_type: CostType
    unit_cost_gbp: Decimal
    quantity: Decimal
    frequency: Frequency
    start_date: date
    end_date: date | None = None
    replacement_years: Decimal | None = None
    annual_loss_rate: Decimal | None = None
    source_line: int | None = None

    @property
    def amount_gbp(self) -> Decimal:
        """One payment: unit cost × quantity."""
        return self.unit_cost_gbp * self.quantity


@dataclass(frozen=True, slots=True)
class CashFlow:
    """One dated payment of a cost line.

    Attributes:
        month_index: Whole months from the appraisal start (:func:`month_index`).
        on: The date paid.
        category: The line's category.
        cost_type: The line's cost type (kept on replacements and loss replacements too).
        item: The line's item.
        kind: ``"payment"``, ``"replacement"`` or ``"loss_replacement"``.
        amount_gbp: Pounds paid, unrounded.
    """

    month_index: int
    on: date
    category: CostCategory
    cost_type: CostType
    item: str
    kind: str
    amount_gbp: Decimal

    @property
    def year(self) -> int:
        """The appraisal year the flow falls in (year 0 is the first 12 months)."""
        return self.month_index // 12


def month_index(on: date, *, start: date) -> int:
    """Return the number of whole months from ``start`` to ``on`` (negative before ``start``).

    ``m(d) = (d.year − S.year)·12 + (d.month − S.month) − (1 if d.day < min(S.day, L) else 0)``
    where ``L`` is the number of days in ``d``'s month: a month after 31 January ends on 28
    February, as :func:`add_months` clamps it, so 28 February is month 1, not month 0.
    """
    months = (on.year - start.year) * 12 + (on.month - start.month)
    day = min(start.day, calendar.monthrange(on.year, on.month)[1])
    return months - 1 if on.day < day else months


def add_months(day: date, months: int) -> date:
    """Return ``day`` moved by ``months`` calendar months, the day clamped to the month's end.

    31 January + 1 month is 28 (or 29) February; + 2 months is 31 March.
    """
    total = day.year * 12 + (day.month - 1) + months
    year, month = divmod(total, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def month_start(index: int, *, start: date) -> date:
    """Return the first day of appraisal month ``index``: ``start`` moved by ``index`` months."""
    return add_months(start, index)


def replacement_cycle_months(replacement_years: Decimal) -> int:
    """Return the replacement cycle in whole months: 12 × years, rounded half up."""
    return int((replacement_years * 12).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def default_start(lines: Sequence[CostLine]) -> date:
    """Return the default appraisal start: the earliest cost line start date.

    Raises:
        AppraisalError: If there are no lines.
    """
    if not lines:
        raise AppraisalError("There are no cost lines, so there is no date to start from.")
    return min(line.start_date for line in lines)


def check_horizon(horizon_years: int) -> None:
    """Refuse a horizon outside 1 to 10 years.

    Raises:
        AppraisalError: If it is outside.
    """
    if isinstance(horizon_years, bool) or not 1 <= horizon_years <= MAX_HORIZON_YEARS:
        raise AppraisalError(
            f"The horizon must be a whole number of years from 1 to {MAX_HORIZON_YEARS}."
        )


def cost_flows(lines: Sequence[CostLine], *, start: date, horizon_years: int) -> list[CashFlow]:
    """Return every cash flow of ``lines`` inside the horizon, in date order.

    A flow counts when ``0 ≤ month_index < 12 × horizon_years``. Flows before ``start`` are
    sunk and left out (:func:`sunk_cost_flows` returns them).

    Args:
        lines: The cost lines.
        start: The appraisal start.
        horizon_years: 1 to 10.

    Returns:
        The flows, sorted by date then by line order.

    Raises:
        AppraisalError: If the horizon is out of range.
    """
    check_horizon(horizon_years)
    months = 12 * horizon_years
    flows = [
        flow
        for line in lines
        for flow in _line_flows(line, start=start, months=months)
        if flow.month_index >= 0
    ]
    flows.sort(key=lambda flow: flow.on)
    return flows


def sunk_cost_flows(lines: Sequence[CostLine], *, start: date) -> list[CashFlow]:
    """Return the flows paid before ``start`` (sunk: excluded from the appraisal)."""
    flows = [
        flow
        for line in lines
        if line.start_date < start
        for flow in _line_flows(line, start=start, months=0)
        if flow.month_index < 0
    ]
    flows.sort(key=lambda flow: flow.on)
    return flows


def _line_flows(line: CostLine, *, start: date, months: int) -> Iterator[CashFlow]:
    """Every flow of one line whose month index is below ``months``."""
    amount = line.amount_gbp

    def flow(on: date, kind: str, value: Decimal) -> CashFlow:
        return CashFlow(
            month_index=month_index(on, start=start),
            on=on,
            category=line.category,
            cost_type=line.cost_type,
            item=line.item,
            kind=kind,
            amount_gbp=value,
        )

    def schedule(step_months: int, *, first: int = 0) -> Iterator[date]:
        k = first
        while True:
            on = add_months(line.start_date, step_months * k)
            if line.end_date is not None and on > line.end_date:
                return
            if month_index(on, start=start) >= months:
                return
            yield on
            k += 1

    if line.frequency is Frequency.ONE_OFF:
        on = line.start_date
        if month_index(on, start=start) < months and (line.end_date is None or on <= line.end_date):
            yield flow(on, PAYMENT, amount)
    else:
        step = 1 if line.frequency is Frequency.MONTHLY else 12
        for on in schedule(step):
            yield flow(on, PAYMENT, amount)

    if line.replacement_years is not None and line.replacement_years > 0:
        cycle = replacement_cycle_months(line.replacement_years)
        if cycle >= 1:
            for on in schedule(cycle, first=1):
                yield flow(on, REPLACEMENT, amount)

    if line.annual_loss_rate is not None and line.annual_loss_rate > 0:
        monthly_loss = amount * line.annual_loss_rate / 12
        for on in schedule(1):
            yield flow(on, LOSS_REPLACEMENT, monthly_loss)
