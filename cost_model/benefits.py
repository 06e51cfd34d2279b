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

from cost_model.streams import StreamBasis


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

    See ``docs/roi.md`` for each stream's formula.

    Args:
        values: Entered assumption values by registry name; registry defaults fill the
            rest. A stream is built only when every figure it needs is present.
        start: The appraisal start.
        horizon_years: 1 to 10.

    Returns:
        One benefit per stream that can be built, in registry order.
    """
    raise NotImplementedError  # filled in below this first commit


def project_benefits(
    measured: Sequence[MeasuredMonth],
    *,
    streams: Mapping[str, tuple[str, StreamBasis, bool]],
    start: date,
    horizon_years: int,
    last_complete_month: date,
) -> list[Benefit]:
    """Return measured streams to date, projected flat to the horizon.

    Args:
        measured: Provider-wide rows of ``marts.benefit_streams`` (one per stream and month).
        streams: For each stream: description, basis and whether it is cash-releasing.
        start: The appraisal start.
        horizon_years: 1 to 10.
        last_complete_month: The first day of the last complete month of data; later
            months are projected at the mean of the last three complete months.

    Returns:
        One benefit per stream in ``streams`` that has any measured month.
    """
    raise NotImplementedError
