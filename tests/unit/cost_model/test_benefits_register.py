"""The benefits register in the Green Book's columns, checked against figures worked by hand."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from cost_model.appraisal import AppraisalSettings
from cost_model.benefits import MeasuredMonth, benefits_from_assumptions, project_benefits
from cost_model.register import RegisterCategory, register_rows
from cost_model.streams import StreamBasis

START = date(2025, 4, 1)
PENNY = Decimal("0.01")


def pennies(value: Decimal | None) -> Decimal | None:
    """Round as the register is presented: to the penny, half up."""
    return None if value is None else value.quantize(PENNY, rounding=ROUND_HALF_UP)


def test_stated_streams_are_registered_with_their_run_rate_class_and_timescale() -> None:
    # Given 6 minutes saved on each of 400 shifts a month at the default £12.00 an hour plus
    # 27.75% on-costs, ramped up over 4 months; £50 a month of paper; 2 falls with harm
    # avoided a year with no unit cost; over 2 years from 1 April 2025
    settings = AppraisalSettings(start=START, horizon_years=2)
    benefits = benefits_from_assumptions(
        {
            "documentation_minutes_saved_per_shift": Decimal(6),
            "care_worker_shifts_per_month": Decimal(400),
            "paper_costs_saved_gbp_per_month": Decimal(50),
            "falls_with_harm_avoided_per_year": Decimal(2),
            "benefit_ramp_months": Decimal(4),
        },
        start=START,
        horizon_years=2,
    )

    # When the register is drawn up
    time, paper, falls = register_rows(benefits=benefits, settings=settings)

    # Then the time stream: 6 × 400 / 60 = 40 hours a month at 12 × 1.2775 = £15.33 an hour
    # = £613.20 a month at full value, £7,358.40 and 480 hours a full year
    assert time.number == 1
    assert time.category is RegisterCategory.STAFF_TIME
    assert time.class_label == "Non-cash-releasing, quantitative"
    assert time.measure == "hours a month"
    assert time.baseline == 0
    assert time.target == Decimal(40)
    assert pennies(time.full_year_value_gbp) == Decimal("7358.40")
    assert time.full_year_quantity == Decimal(480)
    assert time.basis is StreamBasis.ASSUMED
    # The ramp gives nothing in April, a quarter in May, full value from month 4 (August)
    assert time.starts == date(2025, 5, 1)
    assert time.full_from == date(2025, 8, 1)
    assert time.ends == date(2027, 3, 1)
    assert time.owner == "Registered manager"
    assert time.realised_to_date_gbp is None
    # Paper is cash-releasing, measured in pounds: £50 a month, £600 a full year
    assert paper.number == 2
    assert paper.category is RegisterCategory.COSTS_AVOIDED
    assert paper.class_label == "Cash-releasing, quantitative"
    assert paper.measure == "£ saved a month"
    assert paper.target == Decimal(50)
    assert paper.full_year_value_gbp == Decimal(600)
    assert paper.full_year_quantity is None
    assert paper.owner == "Owner"
    # Falls are a quantity only: 2 a year, no pounds
    assert falls.category is RegisterCategory.QUALITY_AND_SAFETY
    assert falls.measure == "falls with harm avoided a month"
    assert falls.full_year_value_gbp is None
    assert pennies(falls.full_year_quantity) == Decimal("2.00")
    assert falls.quantity_unit == "falls with harm avoided"


def test_a_measured_stream_shows_what_is_realised_to_date_and_the_projection() -> None:
    # Given recording time measured April to June 2025 at 10, 20 and 30 hours (£100, £200,
    # £300), projected flat from July at the mean of the three (20 hours, £200)
    settings = AppraisalSettings(start=START, horizon_years=1)
    measured = [
        MeasuredMonth(
            stream="care_worker_documentation_time",
            month=date(2025, month, 1),
            value_gbp=Decimal(100 * (month - 3)),
            quantity=Decimal(10 * (month - 3)),
            unit="hours",
        )
        for month in (4, 5, 6)
    ]
    benefits = project_benefits(
        measured,
        streams={
            "care_worker_documentation_time": (
                "Care workers' recording time released",
                StreamBasis.MEASURED,
                False,
            )
        },
        start=START,
        horizon_years=1,
        last_complete_month=date(2025, 6, 1),
    )

    # When the register is drawn up, the owner of recording time named by the caller
    (row,) = register_rows(
        benefits=benefits,
        settings=settings,
        owners={"care_worker_documentation_time": "Deputy manager"},
    )

    # Then £100 + £200 + £300 = £600 is realised to date; the run rate is 20 hours (£200) a
    # month, 240 hours and £2,400 a full year, reached from July when the projection starts
    assert row.basis is StreamBasis.MEASURED
    assert row.realised_to_date_gbp == Decimal(600)
    assert row.target == Decimal(20)
    assert row.full_year_quantity == Decimal(240)
    assert row.full_year_value_gbp == Decimal(2400)
    assert row.starts == date(2025, 4, 1)
    assert row.full_from == date(2025, 7, 1)
    assert row.projected_from == date(2025, 7, 1)
    assert row.ends == date(2026, 3, 1)
    assert row.owner == "Deputy manager"


def test_no_benefits_give_an_empty_register() -> None:
    # Given no benefit streams
    settings = AppraisalSettings(start=START)

    # When the register is drawn up
    rows = register_rows(benefits=[], settings=settings)

    # Then it has no rows
    assert rows == []
