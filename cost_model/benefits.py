"""Benefit streams for the appraisal: stated by the provider, or measured and projected.

A :class:`Benefit` holds one stream's monthly values from the appraisal start to the horizon:
pounds where the stream is monetised, and quantities (hours, falls avoided…) whether or not
it is. Non-monetised streams are reported as quantities and never enter a present value.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from types import MappingProxyType

from cost_model.assumptions import AssumptionName, resolve_assumptions
from cost_model.errors import AppraisalError
from cost_model.lines import add_months, check_horizon, month_index, month_start
from cost_model.streams import BenefitStream, StreamBasis


@dataclass(frozen=True, slots=True)
class Benefit:
    """One benefit stream over the appraisal.

    Attributes:
        stream: The stream's name (a :class:`cost_model.streams.BenefitStream` value).
        description: What it is, for the benefits register.
        basis: Measured, assumed (entered or default) or both.
        cash_releasing: Whether it frees money the provider actually spends (paper, travel),
            rather than time (which is valued but not cash-releasing).
        monthly_gbp: Pounds by month start date (empty when not monetised).
        monthly_quantity: Quantity by month start date (hours, falls avoided…).
        quantity_unit: The unit of ``monthly_quantity`` (``None`` with no quantities).
        projected_from: The first month that is a projection rather than measured
            (``None``: nothing projected).
    """

    stream: str
    description: str
    basis: StreamBasis
    cash_releasing: bool
    monthly_gbp: Mapping[date, Decimal]
    monthly_quantity: Mapping[date, Decimal]
    quantity_unit: str | None
    projected_from: date | None = field(default=None)

    @property
    def monetised(self) -> bool:
        """Whether the stream has pound values (and so enters the present value)."""
        return bool(self.monthly_gbp)


@dataclass(frozen=True, slots=True)
class MeasuredMonth:
    """One month of one measured stream, as a row of ``marts.benefit_streams`` gives it.

    Attributes:
        stream: The stream.
        month: The first day of the month.
        value_gbp: Pounds (``None``: not monetised).
        quantity: The quantity (``None``: none).
        unit: The unit of ``quantity``.
    """

    stream: str
    month: date
    value_gbp: Decimal | None
    quantity: Decimal | None
    unit: str | None


def benefits_from_assumptions(
    values: Mapping[str, Decimal], *, start: date, horizon_years: int
) -> list[Benefit]:
    """Return the streams a provider can state without data, from its entered values.

    Each stream has one value per appraisal month, dated on the month's first day
    (:func:`cost_model.lines.month_start`), for ``12 × horizon_years`` months:

    - documentation time (not cash-releasing): ``minutes saved per shift × shifts a month
      / 60`` hours, valued at ``care-worker pay × (1 + on-cost share)``;
    - paper, printing, storage and archiving (cash-releasing): pounds a month as entered;
    - senior travel (cash-releasing): pounds a month as entered;
    - falls with harm and medication errors avoided: ``a year / 12`` a month, valued at the
      entered unit cost, or quantities only when none is entered.

    With ``benefit_ramp_months`` R > 0, month m (0-based) takes ``min(1, m / R)`` of the
    full value: nothing in the first month, the full value from month R.

    Args:
        values: Entered assumption values by registry name; registry defaults fill the
            rest. A stream is built only when every figure it needs is present.
        start: The appraisal start.
        horizon_years: 1 to 10.

    Returns:
        One benefit per stream that can be built, in the order above.

    Raises:
        AppraisalError: If the horizon is out of range.
    """
    check_horizon(horizon_years)
    resolved = {name: entry.value for name, entry in resolve_assumptions(entered=values).items()}
    ramp = resolved[AssumptionName.BENEFIT_RAMP_MONTHS] or Decimal(0)
    months = [month_start(index, start=start) for index in range(12 * horizon_years)]
    shares = [_ramp_share(index, ramp) for index in range(len(months))]

    def monthly(amount: Decimal) -> Mapping[date, Decimal]:
        return MappingProxyType(
            {on: amount * share for on, share in zip(months, shares, strict=True)}
        )

    empty: Mapping[date, Decimal] = MappingProxyType({})
    benefits = []
    minutes = resolved[AssumptionName.DOCUMENTATION_MINUTES_SAVED_PER_SHIFT]
    shifts = resolved[AssumptionName.CARE_WORKER_SHIFTS_PER_MONTH]
    pay = resolved[AssumptionName.CARE_WORKER_HOURLY_PAY_GBP]
    on_cost = resolved[AssumptionName.ON_COST_SHARE]
    if minutes is not None and shifts is not None:
        hours = minutes * shifts / 60
        hourly_cost = None if pay is None or on_cost is None else pay * (1 + on_cost)
        benefits.append(
            Benefit(
                stream=BenefitStream.CARE_WORKER_DOCUMENTATION_TIME.value,
                description=(
                    "Care workers' recording time saved: minutes saved per shift × shifts a "
                    "month, valued at pay plus on-costs (time, not cash)"
                ),
                basis=StreamBasis.ASSUMED,
                cash_releasing=False,
                monthly_gbp=empty if hourly_cost is None else monthly(hours * hourly_cost),
                monthly_quantity=monthly(hours),
                quantity_unit="hours",
            )
        )
    for stream, name, description in (
        (
            BenefitStream.PAPER_PRINTING_STORAGE,
            AssumptionName.PAPER_COSTS_SAVED_GBP_PER_MONTH,
            "Paper, printing, postage, storage and archiving no longer bought",
        ),
        (
            BenefitStream.SENIOR_TRAVEL,
            AssumptionName.SENIOR_TRAVEL_SAVED_GBP_PER_MONTH,
            "Senior staff travel no longer needed to check paper records (home care)",
        ),
    ):
        amount = resolved[name]
        if amount is not None:
            benefits.append(
                Benefit(
                    stream=stream.value,
                    description=description,
                    basis=StreamBasis.ASSUMED,
                    cash_releasing=True,
                    monthly_gbp=monthly(amount),
                    monthly_quantity=empty,
                    quantity_unit=None,
                )
            )
    for stream, count_name, cost_name, description, unit in (
        (
            BenefitStream.FALLS_WITH_HARM_AVOIDED,
            AssumptionName.FALLS_WITH_HARM_AVOIDED_PER_YEAR,
            AssumptionName.FALL_WITH_HARM_UNIT_COST_GBP,
            "Falls with harm (moderate or worse) avoided",
            "falls with harm avoided",
        ),
        (
            BenefitStream.MEDICATION_ERRORS_AVOIDED,
            AssumptionName.MEDICATION_ERRORS_AVOIDED_PER_YEAR,
            AssumptionName.MEDICATION_ERROR_UNIT_COST_GBP,
            "Medication errors avoided",
            "medication errors avoided",
        ),
    ):
        per_year = resolved[count_name]
        unit_cost = resolved[cost_name]
        if per_year is not None:
            per_month = per_year / 12
            benefits.append(
                Benefit(
                    stream=stream.value,
                    description=description,
                    basis=StreamBasis.ASSUMED,
                    cash_releasing=False,
                    monthly_gbp=empty if unit_cost is None else monthly(per_month * unit_cost),
                    monthly_quantity=monthly(per_month),
                    quantity_unit=unit,
                )
            )
    return benefits


def _ramp_share(index: int, ramp_months: Decimal) -> Decimal:
    """The share of the full value month ``index`` takes under a linear ramp."""
    if ramp_months <= 0:
        return Decimal(1)
    return min(Decimal(1), Decimal(index) / ramp_months)


def project_benefits(
    measured: Sequence[MeasuredMonth],
    *,
    streams: Mapping[str, tuple[str, StreamBasis, bool]],
    start: date,
    horizon_years: int,
    last_complete_month: date,
) -> list[Benefit]:
    """Return measured streams to date, projected flat to the horizon.

    Measured months up to and including ``last_complete_month`` are taken as they are; later
    rows (an incomplete month) are dropped. Every calendar month after it, dated on its 1st,
    whose month index (:func:`cost_model.lines.month_index`) is below ``12 × horizon_years``
    gets the mean of the stream's last three measured months at or before
    ``last_complete_month`` (fewer if it has fewer): pounds and quantity each averaged over
    the months that have them. A stream is monetised only if some month has pounds.

    Args:
        measured: Provider-wide rows of ``marts.benefit_streams`` (one per stream and month).
        streams: For each stream: description, basis and whether it is cash-releasing.
            Rows of streams not named here are ignored.
        start: The appraisal start.
        horizon_years: 1 to 10.
        last_complete_month: The first day of the last complete month of data.

    Returns:
        One benefit per stream in ``streams`` that has any measured month up to
        ``last_complete_month``, in the order of ``streams``.

    Raises:
        AppraisalError: If the horizon is out of range or a stream has two rows for a month.
    """
    check_horizon(horizon_years)
    last = date(last_complete_month.year, last_complete_month.month, 1)
    future = []
    on = add_months(last, 1)
    while month_index(on, start=start) < 12 * horizon_years:
        future.append(on)
        on = add_months(on, 1)
    by_stream: dict[str, dict[date, MeasuredMonth]] = {}
    for row in measured:
        if row.stream not in streams or row.month > last:
            continue
        rows = by_stream.setdefault(row.stream, {})
        if row.month in rows:
            raise AppraisalError(
                f"The benefit stream {row.stream!r} has two rows for {row.month:%B %Y}; "
                "give one provider-wide row a month."
            )
        rows[row.month] = row
    benefits = []
    for stream, (description, basis, cash_releasing) in streams.items():
        found = by_stream.get(stream)
        if not found:
            continue
        ordered = [found[month] for month in sorted(found)]
        gbp = {row.month: row.value_gbp for row in ordered if row.value_gbp is not None}
        quantity = {row.month: row.quantity for row in ordered if row.quantity is not None}
        recent = ordered[-3:]
        gbp_mean = _mean([row.value_gbp for row in recent if row.value_gbp is not None])
        quantity_mean = _mean([row.quantity for row in recent if row.quantity is not None])
        if gbp and gbp_mean is not None:
            gbp.update(dict.fromkeys(future, gbp_mean))
        if quantity and quantity_mean is not None:
            quantity.update(dict.fromkeys(future, quantity_mean))
        units = [row.unit for row in ordered if row.unit]
        benefits.append(
            Benefit(
                stream=stream,
                description=description,
                basis=basis,
                cash_releasing=cash_releasing,
                monthly_gbp=MappingProxyType(gbp),
                monthly_quantity=MappingProxyType(quantity),
                quantity_unit=units[-1] if units and quantity else None,
                projected_from=future[0] if future and (gbp or quantity) else None,
            )
        )
    return benefits


def _mean(values: Sequence[Decimal]) -> Decimal | None:
    if not values:
        return None
    return sum(values, Decimal(0)) / len(values)
