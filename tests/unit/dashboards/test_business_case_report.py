"""The business-case report (HTML and PDF) on The Caring Hands, with figures worked by hand."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest

from cost_model.case import CaseInputs, CaseResult, EnteredAssumption, run_case
from cost_model.lines import CostLine
from cost_model.register import benefits_register
from dashboards.reports.business_case import (
    BusinessCase,
    business_case_html,
    business_case_pdf,
)
from dashboards.reports.drawing import money_tick, nice_ticks, spread
from dashboards.reports.pdf import latin1
from data_contracts.enums import CostCategory, CostType, Frequency

START = date(2025, 4, 1)


@pytest.fixture(scope="module")
def caring_hands() -> CaseResult:
    """£1,100 set-up and £390 a month from 1 April 2025, and £100 a month of paper saved."""
    costs = (
        CostLine(
            category=CostCategory.MANAGEMENT_ADMIN,
            item="Supplier set-up fee",
            cost_type=CostType.UPFRONT,
            unit_cost_gbp=Decimal(1100),
            quantity=Decimal(1),
            frequency=Frequency.ONE_OFF,
            start_date=START,
        ),
        CostLine(
            category=CostCategory.SOFTWARE,
            item="DSCR subscription",
            cost_type=CostType.RECURRENT,
            unit_cost_gbp=Decimal(390),
            quantity=Decimal(1),
            frequency=Frequency.MONTHLY,
            start_date=START,
        ),
    )
    paper = EnteredAssumption(
        name="paper_costs_saved_gbp_per_month", value=Decimal(100), source="assumptions.csv, line 2"
    )
    return run_case(
        CaseInputs(
            provider_id="1-101010101",
            costs=costs,
            entered={paper.name: paper},
        ),
        draws=1000,
    )


def business_case(result: CaseResult, *, name: str = "The Caring Hands Ltd") -> BusinessCase:
    """The report's inputs around ``result``."""
    return BusinessCase(
        provider_id="1-101010101",
        provider_name=name,
        prepared_on=date(2025, 7, 3),
        prepared_by="the owner",
        result=result,
        register=benefits_register(result),
    )


# Worked by hand: the five-year discount sum 1 + 1/1.035 + … + 1/1.035⁴ = 4.6730792086
#   PV costs = 1,100 + 4,680 × 4.6730792086 = 22,970.0107 → £22,970.01
#   with optimism bias +200% on the £1,100 capital: 25,170.0107 → £25,170.01
#   PV benefits = 1,200 × 4.6730792086 = 5,607.6951 → £5,607.70
#   NPV = 5,607.6951 − 22,970.0107 = −17,362.3156 → −£17,362.32; with bias −£19,562.32
#   BCR = 5,607.6951 / 22,970.0107 = 0.24413 → 0.2441; with bias / 25,170.0107 = 0.2228
#   ROI = −17,362.3156 / 22,970.0107 = −0.75587 → −75.59%
# Paper is the only benefit and no draw moves it, so every draw's NPV is −£17,362.32.
HEADLINE = (
    "£22,970.01",
    "£25,170.01",
    "£5,607.70",
    "\u2212£17,362.32",
    "\u2212£19,562.32",
    "0.2441",
    "0.2228",
    "\u221275.59%",
    "not within the horizon",
)


def test_the_html_report_holds_the_hand_worked_figures_to_the_penny(
    caring_hands: CaseResult,
) -> None:
    # Given The Caring Hands' case
    case = business_case(caring_hands)

    # When the report is written as HTML
    html = business_case_html(case)

    # Then every headline figure is there, as `carelens roi --json` rounds it
    for figure in HEADLINE:
        assert figure in html, figure
    # the categories' present values: software 4,680 × 4.6730792086, management £1,100
    assert '<td class="number nowrap">£21,870.01</td>' in html
    assert '<td class="number nowrap">£1,100.00</td>' in html
    # the uncertainty: every draw at the NPV, so none above zero
    assert html.count("\u2212£17,362.32") >= 4
    assert "0.00%" in html
    # the register: paper at £100 a month is £1,200 a full year, cash-releasing, the owner's
    register = html[html.index("<caption>Benefits register</caption>") :]
    assert "£1,200.00" in register
    assert "Costs avoided. Cash-releasing, quantitative" in register
    # the assumption entered, with its source
    assert "assumptions.csv, line 2" in html
    assert "Prepared by carelens on 3 July 2025 for the owner" in html


def test_the_html_report_is_one_self_contained_file(caring_hands: CaseResult) -> None:
    # Given a provider whose name holds markup
    case = business_case(caring_hands, name="Hands & <Hearts>")

    # When the report is written as HTML
    html = business_case_html(case)

    # Then nothing is fetched or run, the name is escaped and the charts are inline SVG
    assert html.startswith("<!DOCTYPE html>")
    assert '<html lang="en-GB">' in html
    assert "<script" not in html
    assert "<link" not in html
    assert " src=" not in html
    assert re.findall(r"https?://[^\"]+", html) == ["http://www.w3.org/2000/svg"] * 4
    assert "Hands &amp; &lt;Hearts&gt;" in html
    assert "<Hearts>" not in html
    assert html.count('<svg xmlns="http://www.w3.org/2000/svg"') == 4
    # And no person-level data: nothing shaped like an NHS number
    assert re.search(r"\b\d{3} ?\d{3} ?\d{4}\b", html) is None


def test_the_pdf_report_has_its_pages_and_the_headline_figures(caring_hands: CaseResult) -> None:
    # Given The Caring Hands' case
    case = business_case(caring_hands)

    # When the report is drawn as a PDF with its streams left uncompressed
    pdf = business_case_pdf(case, compress=False)

    # Then it is a PDF of several A4 pages, numbered
    assert pdf.startswith(b"%PDF-")
    pages = len(re.findall(rb"/Type /Page\b(?!s)", pdf))
    assert pages >= 4
    assert f"(Page 1 of ) Tj ({pages}) Tj".encode() in pdf
    assert b"/MediaBox [0 0 595.28 841.89]" in pdf
    # And the headline figures are there in Latin-1: the pound sign kept, the minus a hyphen
    for figure in HEADLINE:
        assert latin1(figure).encode("latin-1") in pdf, figure


def test_the_compressed_pdf_is_smaller_and_still_a_pdf(caring_hands: CaseResult) -> None:
    # Given The Caring Hands' case
    case = business_case(caring_hands)

    # When it is drawn compressed and uncompressed
    packed = business_case_pdf(case)
    plain = business_case_pdf(case, compress=False)

    # Then both are PDFs and compression shrinks the file
    assert packed.startswith(b"%PDF-")
    assert packed.rstrip().endswith(b"%%EOF")
    assert len(packed) < len(plain)


def test_text_outside_latin1_is_written_as_near_as_helvetica_allows() -> None:
    # Given text with a minus sign, dashes, curly quotes, an ellipsis and a Polish letter
    text = "\u2212£5 \u2013 \u2018Łódź\u2019\u2026 \u4e2d"

    # When it is made Latin-1
    written = latin1(text)

    # Then each becomes its nearest Latin-1 form (ó is Latin-1; Ł and ź lose their marks)
    assert written == "-£5 - 'Lódz'... ?"
    written.encode("latin-1")


def test_axis_ticks_are_round_and_cover_the_values() -> None:
    # Given costs from £0 to £7,540, and net values from −£514.75 to £16,694.04
    # When ticks are chosen
    # Then they step by 2,000 and 5,000, covering both ends and zero
    assert nice_ticks(0, 7540) == [0, 2000, 4000, 6000, 8000]
    assert nice_ticks(-514.75, 16694.04) == [-5000, 0, 5000, 10000, 15000, 20000]


def test_a_range_of_one_value_is_widened_before_ticks_are_chosen() -> None:
    # Given every Monte Carlo draw at −£17,362.32 (nothing uncertain moves the NPV)
    low, high = spread(-17362.32, -17362.32)

    # When ticks are chosen over the widened range, 5% either side
    ticks = nice_ticks(low, high)

    # Then they are distinct round values a reader can tell apart
    assert (low, high) == pytest.approx((-18230.436, -16494.204))
    assert [money_tick(t) for t in ticks] == [
        "\u2212£18.5k",
        "\u2212£18k",
        "\u2212£17.5k",
        "\u2212£17k",
        "\u2212£16.5k",
        "\u2212£16k",
    ]
