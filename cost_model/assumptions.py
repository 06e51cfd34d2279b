"""The registry of cost and time assumptions: defaults, plausible ranges and their sources.

Every number the time-released and ROI figures take on trust rather than from the data is an
entry here. A provider may enter its own value for any of them (the dashboard keeps the history
in its accounts file and each nightly load publishes the values in force into
``reference.provider_assumptions``); an entered value wins over the default. Some entries have
no default at all, because no published figure could stand in for the provider's own
measurement (the paper-era documentation time, the managerial task times): for those the
registry holds at most a *reference*, shown beside the field and never used as a value.

Money is ``Decimal`` pounds; shares are ``Decimal`` fractions of pay (0.2775, not 27.75).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from types import MappingProxyType

from cost_model.errors import AssumptionError

SHARE_PLACES = Decimal("0.0001")
"""Derived shares are rounded to four decimal places (0.2775)."""


class AssumptionName(StrEnum):
    """The name of every assumption (the key in the accounts file and the warehouse)."""

    CARE_WORKER_HOURLY_PAY_GBP = "care_worker_hourly_pay_gbp"
    MANAGER_HOURLY_PAY_GBP = "manager_hourly_pay_gbp"
    ON_COST_SHARE = "on_cost_share"
    BASELINE_DOCUMENTATION_MINUTES_PER_SHIFT = "baseline_documentation_minutes_per_shift"
    BASELINE_DOCUMENTATION_MINUTES_PER_VISIT = "baseline_documentation_minutes_per_visit"
    CARE_PLAN_REVIEW_MINUTES_BEFORE = "care_plan_review_minutes_before"
    CARE_PLAN_REVIEW_MINUTES_AFTER = "care_plan_review_minutes_after"
    AUDIT_MINUTES_BEFORE = "audit_minutes_before"
    AUDIT_MINUTES_AFTER = "audit_minutes_after"
    AUDITS_PER_MONTH = "audits_per_month"
    HANDOVER_MINUTES_BEFORE = "handover_minutes_before"
    HANDOVER_MINUTES_AFTER = "handover_minutes_after"
    HANDOVERS_PER_MONTH = "handovers_per_month"
    DOCUMENTATION_MINUTES_SAVED_PER_SHIFT = "documentation_minutes_saved_per_shift"
    CARE_WORKER_SHIFTS_PER_MONTH = "care_worker_shifts_per_month"
    PAPER_COSTS_SAVED_GBP_PER_MONTH = "paper_costs_saved_gbp_per_month"
    SENIOR_TRAVEL_SAVED_GBP_PER_MONTH = "senior_travel_saved_gbp_per_month"
    FALLS_WITH_HARM_AVOIDED_PER_YEAR = "falls_with_harm_avoided_per_year"
    FALL_WITH_HARM_UNIT_COST_GBP = "fall_with_harm_unit_cost_gbp"
    MEDICATION_ERRORS_AVOIDED_PER_YEAR = "medication_errors_avoided_per_year"
    MEDICATION_ERROR_UNIT_COST_GBP = "medication_error_unit_cost_gbp"
    BENEFIT_RAMP_MONTHS = "benefit_ramp_months"
    DISCOUNT_RATE = "discount_rate"
    OPTIMISM_BIAS_CAPITAL = "optimism_bias_capital"


class AssumptionUnit(StrEnum):
    """The unit of an assumption's value."""

    GBP_PER_HOUR = "gbp_per_hour"
    SHARE_OF_PAY = "share_of_pay"
    MINUTES_PER_SHIFT = "minutes_per_shift"
    MINUTES_PER_VISIT = "minutes_per_visit"
    MINUTES_PER_TASK = "minutes_per_task"
    TASKS_PER_MONTH = "tasks_per_month"
    SHIFTS_PER_MONTH = "shifts_per_month"
    GBP_PER_MONTH = "gbp_per_month"
    EVENTS_PER_YEAR = "events_per_year"
    GBP_PER_EVENT = "gbp_per_event"
    MONTHS = "months"
    RATE_PER_YEAR = "rate_per_year"
    SHARE_OF_CAPITAL = "share_of_capital"


UNIT_LABELS: Mapping[AssumptionUnit, str] = MappingProxyType(
    {
        AssumptionUnit.GBP_PER_HOUR: "£ an hour",
        AssumptionUnit.SHARE_OF_PAY: "share of pay (0.25 = 25%)",
        AssumptionUnit.MINUTES_PER_SHIFT: "minutes per shift",
        AssumptionUnit.MINUTES_PER_VISIT: "minutes per visit",
        AssumptionUnit.MINUTES_PER_TASK: "minutes each time",
        AssumptionUnit.TASKS_PER_MONTH: "times a month",
        AssumptionUnit.SHIFTS_PER_MONTH: "shifts a month",
        AssumptionUnit.GBP_PER_MONTH: "£ a month",
        AssumptionUnit.EVENTS_PER_YEAR: "a year",
        AssumptionUnit.GBP_PER_EVENT: "£ each",
        AssumptionUnit.MONTHS: "months",
        AssumptionUnit.RATE_PER_YEAR: "a year (0.035 = 3.5%)",
        AssumptionUnit.SHARE_OF_CAPITAL: "share of capital cost (2.00 = +200%)",
    }
)
"""How each unit is written for users."""

ENTRY_LIMITS: Mapping[AssumptionUnit, tuple[Decimal, Decimal]] = MappingProxyType(
    {
        AssumptionUnit.GBP_PER_HOUR: (Decimal(0), Decimal(500)),
        AssumptionUnit.SHARE_OF_PAY: (Decimal(0), Decimal(1)),
        AssumptionUnit.MINUTES_PER_SHIFT: (Decimal(0), Decimal(720)),
        AssumptionUnit.MINUTES_PER_VISIT: (Decimal(0), Decimal(240)),
        AssumptionUnit.MINUTES_PER_TASK: (Decimal(0), Decimal(1440)),
        AssumptionUnit.TASKS_PER_MONTH: (Decimal(0), Decimal(10000)),
        AssumptionUnit.SHIFTS_PER_MONTH: (Decimal(0), Decimal(100000)),
        AssumptionUnit.GBP_PER_MONTH: (Decimal(0), Decimal(1000000)),
        AssumptionUnit.EVENTS_PER_YEAR: (Decimal(0), Decimal(10000)),
        AssumptionUnit.GBP_PER_EVENT: (Decimal(0), Decimal(1000000)),
        AssumptionUnit.MONTHS: (Decimal(0), Decimal(120)),
        AssumptionUnit.RATE_PER_YEAR: (Decimal(0), Decimal("0.2")),
        AssumptionUnit.SHARE_OF_CAPITAL: (Decimal(0), Decimal(5)),
    }
)
"""The smallest and largest value a provider may enter, per unit (both included): wide
enough for any real service, narrow enough to catch a typing slip (a shift is at most 12
hours, a home-care visit at most 4, a task at most a day)."""


class AssumptionBasis(StrEnum):
    """Where the value used for an assumption came from."""

    ENTERED = "entered"
    """The provider entered it."""
    DEFAULT = "default"
    """The registry's default (the provider entered none)."""
    NOT_ENTERED = "not_entered"
    """No value: the registry has no default and the provider entered none."""


@dataclass(frozen=True, slots=True)
class Reference:
    """A published figure shown beside an assumption to help the provider, never used as a value.

    Attributes:
        value: The figure, in the assumption's unit (or, as ``note`` says, a related one).
        source: Who published it, and when.
        note: What the figure is and why it is not a default.
    """

    value: Decimal
    source: str
    note: str


@dataclass(frozen=True, slots=True)
class Assumption:
    """One entry of the registry.

    Attributes:
        name: The key.
        value: The default, or ``None`` if the provider must enter it.
        unit: The unit of ``value``, ``low`` and ``high``.
        low: The low end of the plausible range (``None`` with no default).
        high: The high end of the plausible range.
        source: Where the default comes from; ``"assumption"`` when it is carelens's own.
        note: How the default was reached, or what the provider should enter.
        reference: A published figure to show beside it, if any.
    """

    name: AssumptionName
    value: Decimal | None
    unit: AssumptionUnit
    low: Decimal | None
    high: Decimal | None
    source: str
    note: str
    reference: Reference | None = None


@dataclass(frozen=True, slots=True)
class OnCostRules:
    """The employer costs on top of pay, from the legislation in force (England, 2025/26).

    Attributes:
        ni_rate: Employer (secondary Class 1) National Insurance rate above the threshold: 15%
            from 6 April 2025 (HMRC, rates and thresholds for employers 2025 to 2026).
        ni_secondary_threshold_gbp_a_year: £5,000 a year from 6 April 2025 (same source).
        pension_rate: The employer's minimum contribution to an automatic-enrolment scheme, 3%
            of qualifying earnings (Pensions Act 2008, s.20; the Occupational and Personal
            Pension Schemes (Automatic Enrolment) Regulations 2010).
        pension_band_lower_gbp_a_year: Qualifying earnings start at £6,240 (2025/26, DWP
            review of the automatic-enrolment thresholds; Pensions Act 2008, s.13).
        pension_band_upper_gbp_a_year: and end at £50,270.
        holiday_weeks: Statutory paid annual leave, 5.6 weeks (Working Time Regulations
            1998, regs 13 and 13A).
        weeks_in_year: Weeks paid in a year.
    """

    ni_rate: Decimal = Decimal("0.15")
    ni_secondary_threshold_gbp_a_year: Decimal = Decimal(5000)
    pension_rate: Decimal = Decimal("0.03")
    pension_band_lower_gbp_a_year: Decimal = Decimal(6240)
    pension_band_upper_gbp_a_year: Decimal = Decimal(50270)
    holiday_weeks: Decimal = Decimal("5.6")
    weeks_in_year: Decimal = Decimal(52)


ON_COST_RULES_2025 = OnCostRules()
"""The rules in force from April 2025."""


def employer_on_cost_share(
    *, hourly_pay_gbp: Decimal, weekly_hours: Decimal, rules: OnCostRules = ON_COST_RULES_2025
) -> Decimal:
    """Return the employer's cost of an hour *worked* above its pay, as a share of that pay.

    Annual pay is ``hourly_pay_gbp × weekly_hours × weeks_in_year`` (holiday is paid too).
    The employer adds National Insurance on pay above the secondary threshold and pension on
    pay within the qualifying band. Only ``weeks_in_year − holiday_weeks`` weeks are worked,
    so the cost of an hour worked is the year's cost divided by the hours worked; the share is
    that cost over ``hourly_pay_gbp``, minus one. Unrounded.

    Raises:
        AssumptionError: If pay or hours are not positive.
    """
    if hourly_pay_gbp <= 0 or weekly_hours <= 0:
        raise AssumptionError("Pay and weekly hours must be more than zero.")
    annual_pay = hourly_pay_gbp * weekly_hours * rules.weeks_in_year
    national_insurance = rules.ni_rate * max(
        Decimal(0), annual_pay - rules.ni_secondary_threshold_gbp_a_year
    )
    qualifying = min(annual_pay, rules.pension_band_upper_gbp_a_year) - (
        rules.pension_band_lower_gbp_a_year
    )
    pension = rules.pension_rate * max(Decimal(0), qualifying)
    hours_worked = weekly_hours * (rules.weeks_in_year - rules.holiday_weeks)
    cost_per_hour_worked = (annual_pay + national_insurance + pension) / hours_worked
    return cost_per_hour_worked / hourly_pay_gbp - 1


_CARE_WORKER_PAY = Decimal("12.00")
_FULL_TIME_HOURS = Decimal("37.5")
_PART_TIME_HOURS = Decimal(20)

_ON_COST_NOTE = (
    "Employer cost of an hour worked above its pay, for a care worker on £12.00 an hour "
    "working 37.5 hours a week, 52 weeks paid, 5.6 of them holiday: pay £23,400 a year; "
    "National Insurance 15% × (£23,400 − £5,000) = £2,760; pension 3% × (£23,400 − £6,240) = "
    "£514.80; cost £26,674.80 over 37.5 × 46.4 = 1,740 hours worked = £15.3303 an hour = "
    "£12.00 × 1.2775. Of that, holiday alone is 5.6 / 46.4 = 12.07%. Low 0.2383: the same "
    "worker on 20 hours a week (thresholds take a larger bite). High 0.3224: 15% and 3% on all "
    "pay, no thresholds: 1.18 × 52 / 46.4 − 1. The same share is applied to managers' pay."
)


def _registry() -> Mapping[AssumptionName, Assumption]:
    entries = [
        Assumption(
            name=AssumptionName.CARE_WORKER_HOURLY_PAY_GBP,
            value=_CARE_WORKER_PAY,
            unit=AssumptionUnit.GBP_PER_HOUR,
            low=Decimal("12.00"),
            high=Decimal("12.71"),
            source="Skills for Care, median care-worker pay, March 2025",
            note=(
                "Median hourly pay of care workers. Low: the same; high: the National Living "
                "Wage from April 2026 (£12.71). Enter your own average if you know it."
            ),
        ),
        Assumption(
            name=AssumptionName.MANAGER_HOURLY_PAY_GBP,
            value=Decimal("18.50"),
            unit=AssumptionUnit.GBP_PER_HOUR,
            low=Decimal("15.00"),
            high=Decimal("24.00"),
            source="assumption",
            note=(
                "A carelens assumption, not a published figure: the hourly pay of the "
                "registered manager or deputy who does care-plan reviews, audits and "
                "handovers. Enter your own."
            ),
        ),
        Assumption(
            name=AssumptionName.ON_COST_SHARE,
            value=employer_on_cost_share(
                hourly_pay_gbp=_CARE_WORKER_PAY, weekly_hours=_FULL_TIME_HOURS
            ).quantize(SHARE_PLACES),
            unit=AssumptionUnit.SHARE_OF_PAY,
            low=employer_on_cost_share(
                hourly_pay_gbp=_CARE_WORKER_PAY, weekly_hours=_PART_TIME_HOURS
            ).quantize(SHARE_PLACES),
            high=(
                (1 + ON_COST_RULES_2025.ni_rate + ON_COST_RULES_2025.pension_rate)
                * ON_COST_RULES_2025.weeks_in_year
                / (ON_COST_RULES_2025.weeks_in_year - ON_COST_RULES_2025.holiday_weeks)
                - 1
            ).quantize(SHARE_PLACES),
            source=(
                "Employer National Insurance 15% above £5,000 a year (HMRC, 2025 to 2026); "
                "pension 3% of qualifying earnings £6,240 to £50,270 (Pensions Act 2008, "
                "ss.13 and 20); holiday 5.6 weeks (Working Time Regulations 1998, regs 13 "
                "and 13A)"
            ),
            note=_ON_COST_NOTE,
        ),
        Assumption(
            name=AssumptionName.BASELINE_DOCUMENTATION_MINUTES_PER_SHIFT,
            value=None,
            unit=AssumptionUnit.MINUTES_PER_SHIFT,
            low=None,
            high=None,
            source="entered by the provider",
            note=(
                "Minutes a care worker spent writing up care on paper in one shift, before "
                "the digital record, as you measured it (care homes)."
            ),
            reference=Reference(
                value=Decimal(20),
                source="DHSC announcements, 2023 and 2025",
                note=(
                    "The government says digital records save at least 20 minutes per care "
                    "worker per shift. That is a claimed saving, not a paper-era time, and "
                    "carelens does not assume it."
                ),
            ),
        ),
        Assumption(
            name=AssumptionName.BASELINE_DOCUMENTATION_MINUTES_PER_VISIT,
            value=None,
            unit=AssumptionUnit.MINUTES_PER_VISIT,
            low=None,
            high=None,
            source="entered by the provider",
            note=(
                "Minutes a care worker spent writing up one home-care visit on paper, before "
                "the digital record, as you measured it (home care)."
            ),
        ),
        _task(
            AssumptionName.CARE_PLAN_REVIEW_MINUTES_BEFORE,
            "A care-plan review on paper",
            Reference(
                value=Decimal(240),
                source="DHSC announcements, 2023 and 2025",
                note="The government says a review took about 4 hours on paper.",
            ),
        ),
        _task(
            AssumptionName.CARE_PLAN_REVIEW_MINUTES_AFTER,
            "A care-plan review with the digital record",
            Reference(
                value=Decimal(30),
                source="DHSC announcements, 2023 and 2025",
                note="The government says a review takes about 30 minutes digitally.",
            ),
        ),
        _task(AssumptionName.AUDIT_MINUTES_BEFORE, "One audit on paper"),
        _task(AssumptionName.AUDIT_MINUTES_AFTER, "One audit with the digital record"),
        _frequency(AssumptionName.AUDITS_PER_MONTH, "Audits a month, across the provider"),
        _task(AssumptionName.HANDOVER_MINUTES_BEFORE, "One handover on paper"),
        _task(AssumptionName.HANDOVER_MINUTES_AFTER, "One handover with the digital record"),
        _frequency(AssumptionName.HANDOVERS_PER_MONTH, "Handovers a month, across the provider"),
        *_benefit_and_appraisal_entries(),
    ]
    return MappingProxyType({entry.name: entry for entry in entries})


def _entered(name: AssumptionName, unit: AssumptionUnit, note: str) -> Assumption:
    return Assumption(
        name=name,
        value=None,
        unit=unit,
        low=None,
        high=None,
        source="entered by the provider",
        note=note,
    )


def _benefit_and_appraisal_entries() -> list[Assumption]:
    """The ROI model's entries (issue 6): benefits stated without data, and the appraisal."""
    return [
        Assumption(
            name=AssumptionName.DOCUMENTATION_MINUTES_SAVED_PER_SHIFT,
            value=None,
            unit=AssumptionUnit.MINUTES_PER_SHIFT,
            low=None,
            high=None,
            source="entered by the provider",
            note=(
                "Minutes of recording a care worker saves in one shift with the digital "
                "record, as you measured them. Used only when your records do not measure "
                "it (the measured stream is used instead when there is one)."
            ),
            reference=Reference(
                value=Decimal(20),
                source="DHSC announcements, 2023 and 2025",
                note=(
                    "The government says digital records save at least 20 minutes per care "
                    "worker per shift. A claim, not a measurement; carelens does not assume it."
                ),
            ),
        ),
        _entered(
            AssumptionName.CARE_WORKER_SHIFTS_PER_MONTH,
            AssumptionUnit.SHIFTS_PER_MONTH,
            "Care-worker shifts worked a month across the provider (completed visits in "
            "home care), from your rota.",
        ),
        _entered(
            AssumptionName.PAPER_COSTS_SAVED_GBP_PER_MONTH,
            AssumptionUnit.GBP_PER_MONTH,
            "Paper, printing, postage, storage and archiving you no longer pay for, in pounds "
            "a month, from your invoices (one six-bed home filled two boxes of paper records a "
            "month: NIHR evaluation 000, chapter 3). Cash-releasing.",
        ),
        _entered(
            AssumptionName.SENIOR_TRAVEL_SAVED_GBP_PER_MONTH,
            AssumptionUnit.GBP_PER_MONTH,
            "Home care: senior staff travel (mileage and paid travel time) no longer needed "
            "to check paper records in people's homes, in pounds a month (NIHR evaluation "
            "000, Table 7). Cash-releasing.",
        ),
        _entered(
            AssumptionName.FALLS_WITH_HARM_AVOIDED_PER_YEAR,
            AssumptionUnit.EVENTS_PER_YEAR,
            "Falls with harm (moderate or worse) avoided a year, from your before/after "
            "figures. Reported as a number unless you also enter a cost per fall.",
        ),
        _entered(
            AssumptionName.FALL_WITH_HARM_UNIT_COST_GBP,
            AssumptionUnit.GBP_PER_EVENT,
            "What one fall with harm costs your service (staff time, investigation, "
            "cover), in pounds. carelens has no published figure it can stand behind for a "
            "provider's own cost, so there is no default.",
        ),
        _entered(
            AssumptionName.MEDICATION_ERRORS_AVOIDED_PER_YEAR,
            AssumptionUnit.EVENTS_PER_YEAR,
            "Medication errors avoided a year, from your before/after figures. Reported as "
            "a number unless you also enter a cost per error.",
        ),
        _entered(
            AssumptionName.MEDICATION_ERROR_UNIT_COST_GBP,
            AssumptionUnit.GBP_PER_EVENT,
            "What one medication error costs your service, in pounds. No default: there "
            "is no published figure for a provider's own cost.",
        ),
        Assumption(
            name=AssumptionName.BENEFIT_RAMP_MONTHS,
            value=Decimal(0),
            unit=AssumptionUnit.MONTHS,
            low=Decimal(0),
            high=Decimal(60),
            source=(
                "NIHR evaluation 000, chapter 8: benefits accrue incrementally over about 5 years"
            ),
            note=(
                "Months over which the benefits you enter build up in a straight line from "
                "zero to their full value. Default 0: your figures are taken as stated from "
                "the first month. High 60: the evaluation's five years."
            ),
        ),
        Assumption(
            name=AssumptionName.DISCOUNT_RATE,
            value=Decimal("0.035"),
            unit=AssumptionUnit.RATE_PER_YEAR,
            low=Decimal("0.035"),
            high=Decimal("0.035"),
            source="HM Treasury, The Green Book (2022): real discount rate 3.5%, years 0 to 30",
            note=(
                "The real rate at which later years count for less. A policy figure, not an "
                "uncertain one, so its range is the figure itself; change it in the what-if."
            ),
        ),
        Assumption(
            name=AssumptionName.OPTIMISM_BIAS_CAPITAL,
            value=Decimal("2.00"),
            unit=AssumptionUnit.SHARE_OF_CAPITAL,
            low=Decimal("0.10"),
            high=Decimal("2.00"),
            source=(
                "HM Treasury, Green Book supplementary guidance: optimism bias, equipment and "
                "development projects, capital expenditure (lower bound 10%, upper 200%)"
            ),
            note=(
                "Uplift on the present value of upfront (capital) costs for the "
                "optimism-adjusted figures, shown beside the unadjusted ones. Default the "
                "upper bound, as the guidance asks before any mitigation is evidenced."
            ),
        ),
    ]


def _task(name: AssumptionName, what: str, reference: Reference | None = None) -> Assumption:
    return Assumption(
        name=name,
        value=None,
        unit=AssumptionUnit.MINUTES_PER_TASK,
        low=None,
        high=None,
        source="entered by the provider",
        note=f"{what}: the minutes a manager spends on it, as you measured them.",
        reference=reference,
    )


def _frequency(name: AssumptionName, what: str) -> Assumption:
    return Assumption(
        name=name,
        value=None,
        unit=AssumptionUnit.TASKS_PER_MONTH,
        low=None,
        high=None,
        source="entered by the provider",
        note=f"{what}, as you run them.",
    )


ASSUMPTIONS: Mapping[AssumptionName, Assumption] = _registry()
"""Every assumption, by name."""


@dataclass(frozen=True, slots=True)
class ResolvedAssumption:
    """The value used for one assumption, and where it came from.

    Attributes:
        name: The assumption.
        value: The value used (``None``: not entered and no default).
        basis: Entered, default or not entered.
    """

    name: AssumptionName
    value: Decimal | None
    basis: AssumptionBasis


def assumption(name: str) -> Assumption:
    """Return the registry entry called ``name``.

    Raises:
        AssumptionError: If there is none.
    """
    try:
        return ASSUMPTIONS[AssumptionName(name)]
    except ValueError:
        raise AssumptionError(f"There is no assumption called {name!r}.") from None


def check_value(*, name: str, value: object) -> Decimal | None:
    """Return ``value`` as it would be stored for ``name``, or ``None`` (blank: clear it).

    Text may carry thousands separators and a leading ``£``.

    Raises:
        AssumptionError: If the name is unknown, or the value is not a number within the
            unit's limits (:data:`ENTRY_LIMITS`).
    """
    entry = assumption(name)
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    number = _decimal(value)
    lowest, highest = ENTRY_LIMITS[entry.unit]
    if not lowest <= number <= highest:
        raise AssumptionError(
            f"Enter a number from {lowest:,} to {highest:,} ({UNIT_LABELS[entry.unit]})."
        )
    return number


def _decimal(value: object) -> Decimal:
    problem = "Enter a number, or leave it blank to clear it."
    if isinstance(value, bool):
        raise AssumptionError(problem)
    if isinstance(value, Decimal | int):
        number = Decimal(value)
    elif isinstance(value, float):
        number = Decimal(repr(value))
    elif isinstance(value, str):
        try:
            number = Decimal(value.strip().removeprefix("£").replace(",", ""))
        except InvalidOperation:
            raise AssumptionError(problem) from None
    else:
        raise AssumptionError(problem)
    if not number.is_finite():
        raise AssumptionError(problem)
    return number


def resolve_assumptions(
    *, entered: Mapping[str, Decimal | None]
) -> dict[AssumptionName, ResolvedAssumption]:
    """Return the value to use for every assumption: the entered one, else the default.

    Args:
        entered: The provider's values in force, by name; ``None`` (cleared) counts as not
            entered. Names this version does not know are ignored.

    Returns:
        One entry per registry name.
    """
    resolved = {}
    for name, entry in ASSUMPTIONS.items():
        value = entered.get(name.value)
        if value is not None:
            resolved[name] = ResolvedAssumption(name, value, AssumptionBasis.ENTERED)
        elif entry.value is not None:
            resolved[name] = ResolvedAssumption(name, entry.value, AssumptionBasis.DEFAULT)
        else:
            resolved[name] = ResolvedAssumption(name, None, AssumptionBasis.NOT_ENTERED)
    return resolved
