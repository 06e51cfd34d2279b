"""Benefit streams stated by the provider, and measured streams projected to the horizon."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from cost_model import (
    AppraisalError,
    AppraisalSettings,
    MeasuredMonth,
    appraise,
    benefits_from_assumptions,
    project_benefits,
)
from cost_model.streams import StreamBasis

START = date(2025, 4, 1)


def test_stated_figures_become_monthly_streams() -> None:
    # Given 10 minutes saved per shift over 300 shifts a month, £120 of paper a month, 6
    # falls with harm avoided a year (no unit cost) and 12 medication errors a year at £250
    values = {
        "documentation_minutes_saved_per_shift": Decimal(10),
        "care_worker_shifts_per_month": Decimal(300),
        "paper_costs_saved_gbp_per_month": Decimal(120),
        "falls_with_harm_avoided_per_year": Decimal(6),
        "medication_errors_avoided_per_year": Decimal(12),
        "medication_error_unit_cost_gbp": Decimal(250),
    }

    # When built for one year and appraised with no costs
    benefits = benefits_from_assumptions(values, start=START, horizon_years=1)
    result = appraise(
        costs=[], benefits=benefits, settings=AppraisalSettings(start=START, horizon_years=1)
    )

    # Then, by hand (year 0, not discounted):
    #   time: 10 × 300 / 60 = 50 hours a month at the default £12.00 × 1.2775 = £15.33 an
    #     hour = £766.50 a month, £9,198 a year; 600 hours
    #   paper: 12 × £120 = £1,440 (cash-releasing)
    #   falls: 6 a year as a quantity, no pounds
    #   medication errors: 1 a month × £250 = £3,000
    #   PV benefits 9,198 + 1,440 + 3,000 = £13,638
    by_stream = {b.stream: b for b in result.benefits}
    assert by_stream["care_worker_documentation_time"].pv_gbp == Decimal(9198)
    assert by_stream["care_worker_documentation_time"].quantity == Decimal(600)
    assert by_stream["care_worker_documentation_time"].cash_releasing is False
    assert by_stream["paper_printing_storage"].pv_gbp == Decimal(1440)
    assert by_stream["paper_printing_storage"].cash_releasing is True
    assert by_stream["falls_with_harm_avoided"].pv_gbp is None
    assert by_stream["falls_with_harm_avoided"].quantity == Decimal(6)
    assert by_stream["medication_errors_avoided"].pv_gbp == Decimal(3000)
    assert result.pv_benefits_gbp == Decimal(13638)
    assert {b.basis for b in benefits} == {StreamBasis.ASSUMED}


def test_nothing_stated_gives_no_streams() -> None:
    # Given no entered values (only the registry's defaults: pay, on-costs, ramp 0)
    # When built, Then there is no stream: none can be stated without the provider's figures
    assert benefits_from_assumptions({}, start=START, horizon_years=5) == []


def test_a_ramp_builds_the_benefit_up_in_a_straight_line() -> None:
    # Given £120 of paper a month reached over a 12-month ramp, over 2 years
    values = {"paper_costs_saved_gbp_per_month": Decimal(120), "benefit_ramp_months": Decimal(12)}

    # When built and appraised
    benefits = benefits_from_assumptions(values, start=START, horizon_years=2)
    result = appraise(
        costs=[], benefits=benefits, settings=AppraisalSettings(start=START, horizon_years=2)
    )

    # Then month m (0-based) takes m/12: year 0 = 120 × (0 + 1 + … + 11)/12 = 120 × 5.5 = £660;
    # year 1 in full = £1,440, discounted 1,440 / 1.035 = £1,391.3043; PV £2,051.3043
    assert result.years[0].benefits_gbp == Decimal(660)
    assert result.years[1].benefits_gbp == Decimal(1440)
    assert result.pv_benefits_gbp.quantize(Decimal("0.01")) == Decimal("2051.30")


def test_measured_months_are_projected_flat_at_the_last_three_months_mean() -> None:
    # Given a measured stream: £100, £200, £300, £400 for January to April 2025, and £50 for
    # May, which is not complete yet
    rows = [
        MeasuredMonth(
            "care_worker_documentation_time", date(2025, m, 1), Decimal(v), Decimal(h), "hours"
        )
        for m, v, h in ((1, 100, 10), (2, 200, 20), (3, 300, 30), (4, 400, 40), (5, 50, 5))
    ]
    streams = {
        "care_worker_documentation_time": ("Recording time", StreamBasis.MEASURED, False),
    }

    # When projected over one year from 1 January 2025, April being the last complete month
    [benefit] = project_benefits(
        rows,
        streams=streams,
        start=date(2025, 1, 1),
        horizon_years=1,
        last_complete_month=date(2025, 4, 1),
    )

    # Then May's partial figure is dropped; May to December (8 months) take the mean of
    # February to April, (200 + 300 + 400) / 3 = £300 (30 hours); total 1,000 + 2,400 = £3,400
    assert benefit.projected_from == date(2025, 5, 1)
    assert benefit.monthly_gbp[date(2025, 5, 1)] == Decimal(300)
    assert sum(benefit.monthly_gbp.values()) == Decimal(3400)
    assert sum(benefit.monthly_quantity.values()) == Decimal(340)
    assert benefit.quantity_unit == "hours"
    result = appraise(
        costs=[],
        benefits=[benefit],
        settings=AppraisalSettings(start=date(2025, 1, 1), horizon_years=1),
    )
    assert result.pv_benefits_gbp == Decimal(3400)


def test_a_measured_stream_with_two_rows_in_a_month_is_refused() -> None:
    # Given two rows for the same stream and month (for example, two locations)
    rows = [
        MeasuredMonth("paper", date(2025, 1, 1), Decimal(1), None, None),
        MeasuredMonth("paper", date(2025, 1, 1), Decimal(2), None, None),
    ]

    # Then projecting them is refused: one provider-wide row a month is expected
    with pytest.raises(AppraisalError, match="two rows"):
        project_benefits(
            rows,
            streams={"paper": ("Paper", StreamBasis.MEASURED, True)},
            start=date(2025, 1, 1),
            horizon_years=1,
            last_complete_month=date(2025, 1, 1),
        )
