"""The benefits register in the Green Book's columns, one row per benefit stream.

The columns (``/work/shared/reference/figures.md``, "Appraisal"): number; category and class
(cash-releasing or not; quantitative or qualitative); description; measure; baseline; target;
full-year value; timescale; owner.

Every stream carelens appraises is a *saving* against paper records, so its measure is what
is saved a month and its baseline is nothing saved (zero, before the DSCR). The target is the
run rate the appraisal reaches: the stream's value in the last month of the horizon (after any
ramp-up; for a measured stream, the projection at the mean of its last complete months). The
full-year value is twelve months at that run rate, in pounds when the stream is monetised.
Owners are roles, never named people.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum
from types import MappingProxyType

from cost_model.appraisal import AppraisalSettings
from cost_model.benefits import Benefit
from cost_model.case import CaseResult
from cost_model.lines import month_index, month_start
from cost_model.streams import BenefitStream, StreamBasis

_ZERO = Decimal(0)
MONTHS_A_YEAR = 12


class RegisterCategory(StrEnum):
    """What kind of benefit a register row is."""

    STAFF_TIME = "staff_time"
    """Staff time released (valued at pay plus on-costs; not cash unless posts are cut)."""
    COSTS_AVOIDED = "costs_avoided"
    """Money no longer spent (paper, printing, storage, travel)."""
    QUALITY_AND_SAFETY = "quality_and_safety"
    """Harm avoided (falls with harm, medication errors)."""
    OTHER = "other"
    """A stream carelens does not know the kind of."""


CATEGORY_LABELS: Mapping[RegisterCategory, str] = MappingProxyType(
    {
        RegisterCategory.STAFF_TIME: "Staff time released",
        RegisterCategory.COSTS_AVOIDED: "Costs avoided",
        RegisterCategory.QUALITY_AND_SAFETY: "Quality and safety",
        RegisterCategory.OTHER: "Other",
    }
)
"""How each category is written in the register."""

STREAM_CATEGORIES: Mapping[str, RegisterCategory] = MappingProxyType(
    {
        BenefitStream.CARE_WORKER_DOCUMENTATION_TIME.value: RegisterCategory.STAFF_TIME,
        BenefitStream.MANAGERIAL_CARE_PLAN_REVIEWS.value: RegisterCategory.STAFF_TIME,
        BenefitStream.MANAGERIAL_AUDITS.value: RegisterCategory.STAFF_TIME,
        BenefitStream.MANAGERIAL_HANDOVERS.value: RegisterCategory.STAFF_TIME,
        BenefitStream.PAPER_PRINTING_STORAGE.value: RegisterCategory.COSTS_AVOIDED,
        BenefitStream.SENIOR_TRAVEL.value: RegisterCategory.COSTS_AVOIDED,
        BenefitStream.FALLS_WITH_HARM_AVOIDED.value: RegisterCategory.QUALITY_AND_SAFETY,
        BenefitStream.MEDICATION_ERRORS_AVOIDED.value: RegisterCategory.QUALITY_AND_SAFETY,
    }
)
"""The register category of each known stream."""

DEFAULT_OWNERS: Mapping[RegisterCategory, str] = MappingProxyType(
    {
        RegisterCategory.STAFF_TIME: "Registered manager",
        RegisterCategory.COSTS_AVOIDED: "Owner",
        RegisterCategory.QUALITY_AND_SAFETY: "Registered manager",
        RegisterCategory.OTHER: "Owner",
    }
)
"""The role that owns each category of benefit unless the caller names another."""


@dataclass(frozen=True, slots=True)
class RegisterRow:
    """One row of the benefits register.

    Attributes:
        number: 1, 2, … in the order the streams were appraised.
        stream: The stream's name.
        category: What kind of benefit it is.
        category_label: ``category`` as written in the register.
        cash_releasing: Whether it frees money the provider actually spends.
        quantitative: Whether it has a measure with figures (every stream carelens appraises
            has; a qualitative benefit would have none).
        class_label: "Cash-releasing" or "Non-cash-releasing", then "quantitative" or
            "qualitative".
        description: What the benefit is.
        basis: Measured, assumed or both.
        measure: What is counted, with its unit ("hours saved a month", "£ saved a month").
        baseline: The measure before the DSCR: zero (nothing saved on paper records).
        target: The measure at the run rate the appraisal reaches (``None``: no figures).
        full_year_value_gbp: Twelve months at the run rate, in pounds (``None``: not
            monetised).
        full_year_quantity: Twelve months at the run rate, in the stream's unit (``None``:
            no quantities).
        quantity_unit: The unit of the quantities (``None``: pounds only).
        starts: The first month with a value above zero in the horizon (``None``: never).
        full_from: The first month at the run rate (after any ramp-up; ``None``: never).
        ends: The last month of the horizon.
        projected_from: The first projected month of a measured stream (``None``: none).
        realised_to_date_gbp: Pounds measured before ``projected_from`` inside the horizon
            (``None`` when nothing is measured in pounds).
        owner: The role that owns the benefit.
    """

    number: int
    stream: str
    category: RegisterCategory
    category_label: str
    cash_releasing: bool
    quantitative: bool
    class_label: str
    description: str
    basis: StreamBasis
    measure: str
    baseline: Decimal
    target: Decimal | None
    full_year_value_gbp: Decimal | None
    full_year_quantity: Decimal | None
    quantity_unit: str | None
    starts: date | None
    full_from: date | None
    ends: date
    projected_from: date | None
    realised_to_date_gbp: Decimal | None
    owner: str


def register_rows(
    *,
    benefits: Sequence[Benefit],
    settings: AppraisalSettings,
    owners: Mapping[str, str] | None = None,
) -> list[RegisterRow]:
    """Return the benefits register of ``benefits`` appraised under ``settings``.

    Args:
        benefits: The benefit streams appraised, in order.
        settings: The appraisal's start and horizon (only months ``0 ≤ m < 12 × horizon``
            count).
        owners: A role to own a stream, by stream name, over :data:`DEFAULT_OWNERS`.

    Returns:
        One row per stream, numbered from 1.
    """
    months = MONTHS_A_YEAR * settings.horizon_years
    last = month_start(months - 1, start=settings.start)
    chosen = owners or {}
    rows = []
    for number, benefit in enumerate(benefits, start=1):
        category = STREAM_CATEGORIES.get(benefit.stream, RegisterCategory.OTHER)
        gbp = _in_horizon(benefit.monthly_gbp, start=settings.start, months=months)
        quantity = _in_horizon(benefit.monthly_quantity, start=settings.start, months=months)
        # The measure is the quantity where there is one, else the pounds
        measured_in = quantity if quantity else gbp
        run_rate = measured_in[max(measured_in)] if measured_in else None
        gbp_rate = gbp[max(gbp)] if gbp else None
        quantity_rate = quantity[max(quantity)] if quantity else None
        quantitative = bool(measured_in)
        realised = None
        if benefit.projected_from is not None and gbp:
            realised = sum(
                (value for on, value in gbp.items() if on < benefit.projected_from), _ZERO
            )
        rows.append(
            RegisterRow(
                number=number,
                stream=benefit.stream,
                category=category,
                category_label=CATEGORY_LABELS[category],
                cash_releasing=benefit.cash_releasing,
                quantitative=quantitative,
                class_label=_class_label(
                    cash_releasing=benefit.cash_releasing, quantitative=quantitative
                ),
                description=benefit.description,
                basis=benefit.basis,
                measure=_measure(benefit, has_quantity=bool(quantity)),
                baseline=_ZERO,
                target=run_rate,
                full_year_value_gbp=None if gbp_rate is None else MONTHS_A_YEAR * gbp_rate,
                full_year_quantity=(
                    None if quantity_rate is None else MONTHS_A_YEAR * quantity_rate
                ),
                quantity_unit=benefit.quantity_unit if quantity else None,
                starts=next((on for on in sorted(measured_in) if measured_in[on] > 0), None),
                full_from=_full_from(measured_in, run_rate=run_rate),
                ends=last,
                projected_from=benefit.projected_from,
                realised_to_date_gbp=realised,
                owner=chosen.get(benefit.stream, DEFAULT_OWNERS[category]),
            )
        )
    return rows


def benefits_register(
    case: CaseResult, *, owners: Mapping[str, str] | None = None
) -> list[RegisterRow]:
    """Return the benefits register of an appraised case.

    Args:
        case: The case (:func:`cost_model.case.run_case` or ``appraise_case``): its benefit
            streams and the appraisal's settings.
        owners: A role to own a stream, by stream name, over :data:`DEFAULT_OWNERS`.

    Returns:
        One row per stream, numbered from 1 (see :func:`register_rows`).
    """
    return register_rows(benefits=case.benefits, settings=case.appraisal.settings, owners=owners)


def _in_horizon(values: Mapping[date, Decimal], *, start: date, months: int) -> dict[date, Decimal]:
    return {on: value for on, value in values.items() if 0 <= month_index(on, start=start) < months}


def _class_label(*, cash_releasing: bool, quantitative: bool) -> str:
    cash = "Cash-releasing" if cash_releasing else "Non-cash-releasing"
    return f"{cash}, {'quantitative' if quantitative else 'qualitative'}"


def _measure(benefit: Benefit, *, has_quantity: bool) -> str:
    if has_quantity:
        return f"{benefit.quantity_unit or 'quantity'} a month"
    if benefit.monetised:
        return "£ saved a month"
    return "not measured"


def _full_from(values: Mapping[date, Decimal], *, run_rate: Decimal | None) -> date | None:
    """The first month from which every month is at the run rate (after a ramp-up)."""
    if run_rate is None or run_rate <= 0:
        return None
    full = None
    for on in sorted(values, reverse=True):
        if values[on] != run_rate:
            break
        full = on
    return full
