"""The business-case report: one provider's appraisal for its board or bank, as HTML and PDF.

:func:`business_case_document` lays the report out once, as headings, paragraphs, tables and
charts (:mod:`dashboards.reports.drawing`) with every figure already written as text; the HTML
(:func:`business_case_html`) and the PDF (:func:`business_case_pdf`) render that same layout,
so the two files say the same thing to the penny. The headline figures are rounded exactly as
``carelens roi --json`` rounds them: pounds to the penny and ratios to four places, half up.

The report holds provider-level figures only: costs, benefit streams, assumptions. No
resident or member of staff appears in it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from cost_model.appraisal import Appraisal
from cost_model.assumptions import AssumptionName
from cost_model.case import CaseResult
from cost_model.lines import CostLine
from cost_model.register import RegisterRow
from cost_model.streams import StreamBasis
from cost_model.uncertainty import MonteCarloResult
from dashboards.reports.drawing import (
    CATEGORY_LABELS,
    Chart,
    costs_by_year_chart,
    cumulative_chart,
    npv_histogram_chart,
    tornado_chart,
)
from data_contracts.enums import CostCategory, CostType, Frequency

PENNY = Decimal("0.01")
RATIO_PLACES = Decimal("0.0001")
MINUS = "\u2212"
DASH = "\u2013"
TITLE = "Business case: the return on the digital social care record"

ASSUMPTION_LABELS: Mapping[str, str] = {
    AssumptionName.CARE_WORKER_HOURLY_PAY_GBP.value: "Care worker's hourly pay",
    AssumptionName.MANAGER_HOURLY_PAY_GBP.value: "Manager's hourly pay",
    AssumptionName.ON_COST_SHARE.value: "Employer on-costs (share of pay)",
    AssumptionName.BASELINE_DOCUMENTATION_MINUTES_PER_SHIFT.value: (
        "Paper-era recording time per care-worker shift"
    ),
    AssumptionName.BASELINE_DOCUMENTATION_MINUTES_PER_VISIT.value: (
        "Paper-era recording time per visit"
    ),
    AssumptionName.CARE_PLAN_REVIEW_MINUTES_BEFORE.value: "Care-plan review, on paper",
    AssumptionName.CARE_PLAN_REVIEW_MINUTES_AFTER.value: "Care-plan review, digital",
    AssumptionName.AUDIT_MINUTES_BEFORE.value: "Audit, on paper",
    AssumptionName.AUDIT_MINUTES_AFTER.value: "Audit, digital",
    AssumptionName.AUDITS_PER_MONTH.value: "Audits a month",
    AssumptionName.HANDOVER_MINUTES_BEFORE.value: "Handover, on paper",
    AssumptionName.HANDOVER_MINUTES_AFTER.value: "Handover, digital",
    AssumptionName.HANDOVERS_PER_MONTH.value: "Handovers a month",
    AssumptionName.DOCUMENTATION_MINUTES_SAVED_PER_SHIFT.value: (
        "Recording minutes saved per shift"
    ),
    AssumptionName.CARE_WORKER_SHIFTS_PER_MONTH.value: "Care-worker shifts a month",
    AssumptionName.PAPER_COSTS_SAVED_GBP_PER_MONTH.value: "Paper, printing and storage saved",
    AssumptionName.SENIOR_TRAVEL_SAVED_GBP_PER_MONTH.value: "Senior staff travel saved",
    AssumptionName.FALLS_WITH_HARM_AVOIDED_PER_YEAR.value: "Falls with harm avoided",
    AssumptionName.FALL_WITH_HARM_UNIT_COST_GBP.value: "Cost of a fall with harm",
    AssumptionName.MEDICATION_ERRORS_AVOIDED_PER_YEAR.value: "Medication errors avoided",
    AssumptionName.MEDICATION_ERROR_UNIT_COST_GBP.value: "Cost of a medication error",
    AssumptionName.BENEFIT_RAMP_MONTHS.value: "Months for benefits to reach full value",
    AssumptionName.DISCOUNT_RATE.value: "Discount rate",
    AssumptionName.OPTIMISM_BIAS_CAPITAL.value: "Optimism bias on capital costs",
}
"""How each assumption is named in the report."""

BASIS_LABELS: Mapping[StreamBasis, str] = {
    StreamBasis.MEASURED: "measured",
    StreamBasis.ASSUMED: "assumed",
    StreamBasis.MEASURED_AND_ASSUMED: "measured and assumed",
}
FREQUENCY_LABELS: Mapping[Frequency, str] = {
    Frequency.ONE_OFF: "one-off",
    Frequency.MONTHLY: "monthly",
    Frequency.ANNUAL: "annual",
}


@dataclass(frozen=True, slots=True)
class BusinessCase:
    """What the report is about and who asked for it.

    Attributes:
        provider_id: The provider's CQC ID.
        provider_name: Its name.
        prepared_on: The day the report is prepared.
        prepared_by: Who asked for it (the signed-in owner's name or role).
        result: The case (:func:`cost_model.case.run_case`): appraisal, Monte Carlo,
            tornado, scenarios and the assumptions used.
        register: The benefits register (:func:`cost_model.register.benefits_register`).
        data_as_of: The last day of data the measured streams rest on (``None``: no
            measured data; the case rests on stated costs and assumptions).
    """

    provider_id: str
    provider_name: str
    prepared_on: date
    prepared_by: str
    result: CaseResult
    register: Sequence[RegisterRow]
    data_as_of: date | None = None


# The layout both renderers draw


@dataclass(frozen=True, slots=True)
class Heading:
    """A section heading (level 2) or sub-heading (level 3)."""

    text: str
    level: int = 2


@dataclass(frozen=True, slots=True)
class Paragraph:
    """A paragraph of plain text."""

    text: str


@dataclass(frozen=True, slots=True)
class Bullets:
    """A bulleted list."""

    items: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Table:
    """A table of text cells.

    Attributes:
        caption: What the table shows.
        headers: Column headings.
        rows: The cells, already written as text.
        numeric: Per column, whether it holds figures (aligned right).
        widths: Per column, its share of the width (``None``: equal shares).
        row_headers: Whether the first column names each row (``<th scope="row">``).
    """

    caption: str
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    numeric: tuple[bool, ...]
    widths: tuple[float, ...] | None = None
    row_headers: bool = True


Block = Heading | Paragraph | Bullets | Table | Chart


@dataclass(frozen=True, slots=True)
class Document:
    """The report laid out: a title block, the blocks in order, and the footer line.

    Attributes:
        title: The report's title.
        subtitle: The provider it is about.
        prepared: "Prepared by carelens on … for … from …".
        blocks: Everything else, in reading order.
    """

    title: str
    subtitle: str
    prepared: str
    blocks: tuple[Block, ...] = field(default_factory=tuple)


# Figures as text


def money(value: Decimal | None) -> str:
    """``£1,234.56`` to the penny (half up), ``−£12.00`` when negative, ``–`` when null."""
    if value is None:
        return DASH
    rounded = value.quantize(PENNY, rounding=ROUND_HALF_UP)
    return f"{MINUS}£{-rounded:,.2f}" if rounded < 0 else f"£{rounded:,.2f}"


def ratio(value: Decimal | None) -> str:
    """A ratio to four places as ``carelens roi --json`` gives it (``1.2345``); ``–`` when null."""
    if value is None:
        return DASH
    rounded = value.quantize(RATIO_PLACES, rounding=ROUND_HALF_UP)
    return f"{MINUS}{-rounded}" if rounded < 0 else f"{rounded}"


def percent(value: Decimal | None) -> str:
    """A ratio rounded to four places, written as a percentage (``0.1234`` → ``12.34%``)."""
    if value is None:
        return DASH
    rounded = value.quantize(RATIO_PLACES, rounding=ROUND_HALF_UP) * 100
    text = f"{abs(rounded):.2f}%"
    return f"{MINUS}{text}" if rounded < 0 else text


def quantity(value: Decimal | None, unit: str | None = None) -> str:
    """``1,234.50 hours`` to two places; ``–`` when null."""
    if value is None:
        return DASH
    rounded = value.quantize(PENNY, rounding=ROUND_HALF_UP)
    return f"{rounded:,.2f} {unit}".strip() if unit else f"{rounded:,.2f}"


def plain(value: object) -> str:
    """A value as entered (``12``, ``0.035``), without trailing zeros."""
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    return str(value)


def uk_date(day: date) -> str:
    """``1 April 2025``."""
    return f"{day.day} {day:%B %Y}"


def uk_month(day: date | None) -> str:
    """``April 2025``; ``–`` when null."""
    return DASH if day is None else f"{day:%B %Y}"


def _month_of(appraisal: Appraisal, month: int) -> date:
    """The first day of appraisal month ``month`` (1-based)."""
    start = appraisal.settings.start
    index = start.year * 12 + start.month - 1 + month - 1
    return date(index // 12, index % 12 + 1, 1)


def payback_text(appraisal: Appraisal) -> str:
    """``month 14 (May 2026)``, or ``not within the horizon``."""
    month = appraisal.discounted_payback_month
    if month is None:
        return "not within the horizon"
    return f"month {month} ({uk_month(_month_of(appraisal, month))})"


# The report's content


def business_case_document(case: BusinessCase) -> Document:
    """Lay the report out: every section, figure, table and chart, in reading order.

    Args:
        case: The business case.

    Returns:
        The document both renderers draw.
    """
    result = case.result
    appraisal = result.appraisal
    blocks: list[Block] = []
    blocks += _scope(case)
    blocks += _headline(case)
    blocks += _costs(result.costs, appraisal)
    blocks += _net_over_time(appraisal)
    blocks += _benefits(appraisal)
    blocks += _uncertainty(result)
    blocks += _register(case.register)
    blocks += _assumptions(result)
    blocks += _method(appraisal)
    if result.notes:
        blocks += [Heading("Notes on the inputs"), Bullets(tuple(result.notes))]
    data = (
        f"data to {uk_date(case.data_as_of)}"
        if case.data_as_of is not None
        else "the stated costs and assumptions (no measured data)"
    )
    return Document(
        title=TITLE,
        subtitle=f"{case.provider_name} (CQC provider {case.provider_id})",
        prepared=(
            f"Prepared by carelens on {uk_date(case.prepared_on)} for {case.prepared_by} "
            f"from {data}."
        ),
        blocks=tuple(blocks),
    )


def _scope(case: BusinessCase) -> list[Block]:
    appraisal = case.result.appraisal
    settings = appraisal.settings
    end = _month_of(appraisal, 12 * settings.horizon_years)
    return [
        Heading("Purpose and scope"),
        Paragraph(
            f"This report appraises what the digital social care record (DSCR) costs "
            f"{case.provider_name} and what it returns, following HM Treasury's Green Book. "
            f"It covers {len(case.result.costs)} cost line(s) in the five DSCR cost "
            f"categories and {len(appraisal.benefits)} benefit stream(s), over "
            f"{settings.horizon_years} year(s) from {uk_date(settings.start)} to the end of "
            f"{uk_month(end)}, discounted at {percent(settings.discount_rate)} a year."
        ),
        Paragraph(
            "Each figure says whether it is measured (from the provider's own records), "
            "assumed (entered by the provider or a published default, with its source) or "
            "projected (measured months carried forward at their recent mean). Costs are as "
            "the provider stated them."
        ),
    ]


def _benefits_basis(appraisal: Appraisal) -> str:
    if not appraisal.benefits:
        return "no benefits stated or measured"
    parts = []
    if any(b.basis is not StreamBasis.ASSUMED for b in appraisal.benefits):
        parts.append("measured")
    if any(b.projected_from is not None for b in appraisal.benefits):
        parts.append("projected")
    if any(b.basis is not StreamBasis.MEASURED for b in appraisal.benefits):
        parts.append("assumed")
    return " and ".join([", ".join(parts[:-1]), parts[-1]] if len(parts) > 1 else parts)


def _headline(case: BusinessCase) -> list[Block]:
    result = case.result
    appraisal = result.appraisal
    settings = appraisal.settings
    costs, benefits = "stated costs", _benefits_basis(appraisal)
    both = f"{costs}; benefits {benefits}"
    bias = f"+{percent(settings.optimism_bias_capital).removesuffix('.00%')}%"
    rows = [
        ("Present value of costs", money(appraisal.pv_costs_gbp), costs),
        (
            f"Present value of costs with optimism bias ({bias} on capital)",
            money(appraisal.pv_costs_optimism_adjusted_gbp),
            f"{costs}; Green Book upper bound",
        ),
        ("Present value of benefits", money(appraisal.pv_benefits_gbp), benefits),
        ("Net present value (NPV)", money(appraisal.npv_gbp), both),
        ("NPV with optimism bias", money(appraisal.npv_optimism_adjusted_gbp), both),
        ("Benefit-cost ratio", ratio(appraisal.bcr), both),
        ("Benefit-cost ratio with optimism bias", ratio(appraisal.bcr_optimism_adjusted), both),
        ("Return on investment (NPV ÷ present value of costs)", percent(appraisal.roi), both),
        ("Discounted payback", payback_text(appraisal), both),
    ]
    simulation = result.monte_carlo
    if simulation is not None:
        rows += [
            (
                f"Chance the NPV is above zero ({simulation.draws:,} draws)",
                percent(simulation.npv.probability_positive),
                "simulated over the assumptions' ranges",
            ),
            ("NPV, 10th percentile (P10)", money(simulation.npv.p10_gbp), "simulated"),
            ("NPV, median (P50)", money(simulation.npv.p50_gbp), "simulated"),
            ("NPV, 90th percentile (P90)", money(simulation.npv.p90_gbp), "simulated"),
        ]
    return [
        Heading("The appraisal at a glance"),
        Table(
            caption="Headline figures (present values in pounds, discounted to year 0)",
            headers=("Figure", "Value", "Basis"),
            rows=tuple(rows),
            numeric=(False, True, False),
            widths=(0.45, 0.2, 0.35),
        ),
    ]


def _costs(costs: Sequence[CostLine], appraisal: Appraisal) -> list[Block]:
    total = appraisal.pv_costs_gbp
    by_category = tuple(
        (
            CATEGORY_LABELS[category],
            money(appraisal.pv_costs_by_category_gbp.get(category, Decimal(0))),
            percent(
                None
                if total == 0
                else appraisal.pv_costs_by_category_gbp.get(category, Decimal(0)) / total
            ),
        )
        for category in CostCategory
    )
    lines = tuple(
        (
            line.item,
            CATEGORY_LABELS[line.category],
            "upfront" if line.cost_type is CostType.UPFRONT else "recurrent",
            money(line.unit_cost_gbp),
            plain(line.quantity),
            FREQUENCY_LABELS.get(line.frequency, line.frequency.value),
            f"{line.start_date.day} {line.start_date:%b %Y}",
            DASH if line.end_date is None else f"{line.end_date.day} {line.end_date:%b %Y}",
            _line_extras(line),
        )
        for line in costs
    )
    years = tuple(
        (
            f"Year {row.year}",
            f"{row.starts_on:%b %Y}",
            *(money(row.costs_by_category_gbp.get(c, Decimal(0))) for c in CostCategory),
            money(row.upfront_gbp),
            money(row.recurrent_gbp),
            money(row.costs_gbp),
        )
        for row in appraisal.years
    )
    return [
        Heading("Costs"),
        Paragraph(
            f"Present value of costs {money(total)} ({money(appraisal.pv_costs_upfront_gbp)} "
            f"upfront, {money(appraisal.pv_costs_recurrent_gbp)} recurrent); "
            f"{money(appraisal.undiscounted_costs_gbp)} before discounting."
            + (
                f" Costs paid before the start ({money(appraisal.sunk_costs_gbp)}) are sunk "
                "and left out."
                if appraisal.sunk_costs_gbp
                else ""
            )
        ),
        Table(
            caption="Present value of costs by category",
            headers=("Category", "Present value", "Share"),
            rows=(*by_category, ("Total", money(total), percent(Decimal(1) if total else None))),
            numeric=(False, True, True),
            widths=(0.5, 0.3, 0.2),
        ),
        Table(
            caption="Cost lines as stated",
            headers=(
                "Item",
                "Category",
                "Type",
                "Unit cost",
                "Units",
                "Paid",
                "From",
                "To",
                "Replacement and loss",
            ),
            rows=lines,
            numeric=(False, False, False, True, True, False, False, False, False),
            widths=(0.17, 0.14, 0.08, 0.1, 0.06, 0.07, 0.1, 0.1, 0.18),
        ),
        Table(
            caption="Costs by appraisal year and category (not discounted)",
            headers=(
                "Year",
                "From",
                "Hardware",
                "Software",
                "Infra\u00adstructure",
                "Training",
                "Management",
                "Upfront",
                "Recurrent",
                "Total",
            ),
            rows=years,
            numeric=(False, False, *([True] * 8)),
            widths=(0.07, 0.08, *([0.106] * 8)),
        ),
        costs_by_year_chart(appraisal),
    ]


def _line_extras(line: CostLine) -> str:
    parts = []
    if line.replacement_years is not None:
        parts.append(f"replaced every {plain(line.replacement_years)} years")
    if line.annual_loss_rate is not None:
        parts.append(f"{percent(line.annual_loss_rate)} lost or broken a year")
    return "; ".join(parts) or DASH


def _net_over_time(appraisal: Appraisal) -> list[Block]:
    rows = tuple(
        (
            f"Year {row.year}",
            f"{row.starts_on:%b %Y}",
            money(row.costs_gbp),
            money(row.benefits_gbp),
            money(row.net_gbp),
            f"{row.discount_factor.quantize(Decimal('0.0001'), rounding=ROUND_HALF_UP)}",
            money(row.discounted_net_gbp),
            money(row.cumulative_discounted_net_gbp),
        )
        for row in appraisal.years
    )
    return [
        Heading("Net benefit over time"),
        Paragraph(
            f"Discounted payback: {payback_text(appraisal)}. The cumulative discounted net "
            "benefit is the benefits less the costs of every month so far, each divided by "
            "its year's discount factor."
        ),
        Table(
            caption="Appraisal by year",
            headers=(
                "Year",
                "From",
                "Costs",
                "Benefits",
                "Net",
                "Discount factor",
                "Discounted net",
                "Cumulative",
            ),
            rows=rows,
            numeric=(False, False, True, True, True, True, True, True),
            widths=(0.08, 0.1, 0.14, 0.14, 0.14, 0.12, 0.14, 0.14),
        ),
        cumulative_chart(appraisal),
    ]


def _benefits(appraisal: Appraisal) -> list[Block]:
    if not appraisal.benefits:
        return [
            Heading("Benefits"),
            Paragraph(
                "No benefits: none measured in the provider's records and none stated. The "
                "appraisal shows the costs alone."
            ),
        ]
    rows = tuple(
        (
            benefit.description,
            BASIS_LABELS[benefit.basis]
            + (
                f"; projected from {uk_month(benefit.projected_from)}"
                if benefit.projected_from is not None
                else ""
            ),
            "yes" if benefit.cash_releasing else "no",
            money(benefit.pv_gbp) if benefit.monetised else "not monetised",
            money(benefit.undiscounted_gbp) if benefit.monetised else DASH,
            quantity(benefit.quantity, benefit.quantity_unit),
        )
        for benefit in appraisal.benefits
    )
    return [
        Heading("Benefits"),
        Paragraph(
            f"Present value of benefits {money(appraisal.pv_benefits_gbp)}. Time released is "
            "valued at pay plus employer on-costs but is not cash-releasing unless hours are "
            "actually cut; streams without a unit cost are reported as quantities and left "
            "out of the present value."
        ),
        Table(
            caption="Benefits by stream over the horizon",
            headers=(
                "Stream",
                "Basis",
                "Cash-releasing",
                "Present value",
                "Not discounted",
                "Quantity",
            ),
            rows=rows,
            numeric=(False, False, False, True, True, True),
            widths=(0.29, 0.16, 0.13, 0.14, 0.14, 0.14),
        ),
    ]


def _uncertainty(result: CaseResult) -> list[Block]:
    blocks: list[Block] = [Heading("How sure this is")]
    simulation = result.monte_carlo
    if simulation is None:
        blocks.append(Paragraph("The uncertainty was not simulated for this report."))
    else:
        labels = {bar.name: bar.label for bar in result.tornado}
        inputs = (
            ", ".join(labels.get(n, ASSUMPTION_LABELS.get(n, n)) for n in simulation.inputs)
            or "none"
        )
        blocks += [
            Paragraph(
                f"Monte Carlo simulation: {simulation.draws:,} draws (seed {simulation.seed}) "
                "of the uncertain assumptions, each from a triangular distribution over its "
                f"low, value and high. Inputs drawn: {inputs}."
            ),
            Table(
                caption="Net present value over the draws",
                headers=("", "As estimated", "With optimism bias"),
                rows=(
                    ("10th percentile (P10)", *_pair(simulation, "p10_gbp")),
                    ("Median (P50)", *_pair(simulation, "p50_gbp")),
                    ("90th percentile (P90)", *_pair(simulation, "p90_gbp")),
                    ("Mean", *_pair(simulation, "mean_gbp")),
                    (
                        "Chance the NPV is above zero",
                        percent(simulation.npv.probability_positive),
                        percent(simulation.npv_optimism_adjusted.probability_positive),
                    ),
                ),
                numeric=(False, True, True),
                widths=(0.4, 0.3, 0.3),
            ),
            npv_histogram_chart(simulation),
        ]
    if result.tornado:
        blocks += [
            Heading("Sensitivity: one input at a time", level=3),
            Table(
                caption=(
                    "NPV with each input at its low and at its high, the others at their values"
                ),
                headers=("Input", "Low", "Value", "High", "NPV at low", "NPV at high", "Swing"),
                rows=tuple(
                    (
                        bar.label,
                        plain(bar.low),
                        plain(bar.value),
                        plain(bar.high),
                        money(bar.npv_at_low_gbp),
                        money(bar.npv_at_high_gbp),
                        money(bar.swing_gbp),
                    )
                    for bar in result.tornado
                ),
                numeric=(False, True, True, True, True, True, True),
                widths=(0.28, 0.09, 0.09, 0.09, 0.15, 0.15, 0.15),
            ),
            tornado_chart(result.tornado, centre_gbp=result.appraisal.npv_gbp),
        ]
    if result.scenarios:
        blocks += [
            Heading("Scenarios", level=3),
            Table(
                caption="Scenarios side by side",
                headers=(
                    "Scenario",
                    "PV of costs",
                    "With optimism bias",
                    "PV of benefits",
                    "NPV",
                    "NPV with optimism bias",
                    "Chance NPV above zero",
                    "Payback month",
                ),
                rows=tuple(
                    (
                        scenario.name,
                        money(scenario.pv_costs_gbp),
                        money(scenario.pv_costs_optimism_adjusted_gbp),
                        money(scenario.pv_benefits_gbp),
                        money(scenario.npv_gbp),
                        money(scenario.npv_optimism_adjusted_gbp),
                        DASH
                        if scenario.monte_carlo is None
                        else percent(scenario.monte_carlo.npv.probability_positive),
                        DASH
                        if scenario.discounted_payback_month is None
                        else str(scenario.discounted_payback_month),
                    )
                    for scenario in result.scenarios
                ),
                numeric=(False, True, True, True, True, True, True, True),
                widths=(0.22, 0.12, 0.12, 0.12, 0.11, 0.12, 0.10, 0.09),
            ),
        ]
    return blocks


def _pair(simulation: MonteCarloResult, name: str) -> tuple[str, str]:
    return (
        money(getattr(simulation.npv, name)),
        money(getattr(simulation.npv_optimism_adjusted, name)),
    )


def _register(register: Sequence[RegisterRow]) -> list[Block]:
    blocks: list[Block] = [Heading("Benefits register")]
    if not register:
        return [*blocks, Paragraph("No benefits to register.")]
    rows = tuple(
        (
            str(row.number),
            f"{row.category_label}. {row.class_label}",
            f"{row.description} ({BASIS_LABELS[row.basis]})",
            row.measure,
            _in_measure(row, row.baseline),
            _in_measure(row, row.target),
            money(row.full_year_value_gbp)
            if row.full_year_value_gbp is not None
            else f"not monetised ({quantity(row.full_year_quantity, row.quantity_unit)})",
            _timescale(row),
            row.owner,
        )
        for row in register
    )
    return [
        *blocks,
        Paragraph(
            "In the Green Book's columns. Each benefit is a saving against paper records, so "
            "its baseline is nothing saved; the target is the monthly run rate the appraisal "
            "reaches, and the full-year value is twelve months at that rate."
        ),
        Table(
            caption="Benefits register",
            headers=(
                "No.",
                "Category and class",
                "Description",
                "Measure",
                "Baseline",
                "Target",
                "Full-year value",
                "Timescale",
                "Owner",
            ),
            rows=rows,
            numeric=(False, False, False, False, True, True, True, False, False),
            widths=(0.04, 0.15, 0.2, 0.1, 0.07, 0.08, 0.11, 0.15, 0.1),
        ),
    ]


def _in_measure(row: RegisterRow, value: Decimal | None) -> str:
    if value is None:
        return DASH
    if row.quantity_unit is None:
        return money(value)
    return quantity(value)


def _timescale(row: RegisterRow) -> str:
    if row.starts is None:
        return f"nothing in the horizon (to {row.ends:%b %Y})"
    parts = [f"from {row.starts:%b %Y}"]
    if row.full_from is not None and row.full_from != row.starts:
        parts.append(f"full from {row.full_from:%b %Y}")
    if row.projected_from is not None:
        parts.append(f"projected from {row.projected_from:%b %Y}")
    parts.append(f"to {row.ends:%b %Y}")
    text = "; ".join(parts)
    if row.realised_to_date_gbp is not None:
        text += f"; {money(row.realised_to_date_gbp)} realised to date"
    return text


def _assumptions(result: CaseResult) -> list[Block]:
    rows = tuple(
        (
            ASSUMPTION_LABELS.get(str(item["name"]), str(item["name"])),
            plain(item["value"]),
            str(item["unit_label"]),
            str(item["basis"]),
            str(item["source"]),
        )
        for item in result.assumptions
    )
    return [
        Heading("Assumptions"),
        Paragraph(
            "Every assumption the figures rest on, with its value and where it comes from: "
            "entered by the provider, or the registry's published default."
        ),
        Table(
            caption="Assumptions used",
            headers=("Assumption", "Value", "Unit", "Basis", "Source"),
            rows=rows,
            numeric=(False, True, False, False, False),
            widths=(0.25, 0.09, 0.18, 0.09, 0.39),
        ),
    ]


def _method(appraisal: Appraisal) -> list[Block]:
    settings = appraisal.settings
    return [
        Heading("Method"),
        Bullets(
            (
                "HM Treasury Green Book appraisal. Appraisal year 0 is the first 12 months from "
                f"the start ({uk_date(settings.start)}) and is not discounted; an amount in "
                f"year y is divided by (1 + {plain(settings.discount_rate)})^y, with no "
                "discounting within a year.",
                f"Discount rate {percent(settings.discount_rate)} a year (the Green Book's real "
                "rate for years 0 to 30).",
                f"Horizon {settings.horizon_years} year(s): only flows in months 1 to "
                f"{12 * settings.horizon_years} count.",
                "NPV = present value of benefits less present value of costs; benefit-cost "
                "ratio = PV benefits ÷ PV costs; return on investment = NPV ÷ PV costs.",
                "Discounted payback: the first month at whose end the cumulative discounted net "
                "benefit is zero or more, with some cost paid.",
                "Optimism bias: the Green Book's upper bound for equipment and development "
                f"projects, +{percent(settings.optimism_bias_capital).removesuffix('.00%')}% on "
                "capital (upfront) costs; figures are shown with and without it.",
                "Measured benefit streams are carried forward from the last complete month at "
                "the mean of the last three complete months; stated streams are taken as "
                "entered.",
                "Pounds are computed exactly and rounded to the penny, half up, only when "
                "shown; ratios to four places, as `carelens roi --json` gives them.",
            )
        ),
    ]


# The two files


def business_case_html(case: BusinessCase) -> str:
    """The report as one self-contained HTML file: inline CSS and SVG, no script or font.

    Args:
        case: The business case.

    Returns:
        The HTML document, UK English, printable on A4.
    """
    from dashboards.reports.html import render_html

    return render_html(business_case_document(case))


def business_case_pdf(case: BusinessCase, *, compress: bool = True) -> bytes:
    """The report as a PDF drawn with fpdf2 (core fonts, vector charts), A4 portrait.

    Args:
        case: The business case.
        compress: Whether to compress the page streams (off only to read them in tests).

    Returns:
        The PDF file's bytes.
    """
    from dashboards.reports.pdf import render_pdf

    return render_pdf(business_case_document(case), compress=compress)
