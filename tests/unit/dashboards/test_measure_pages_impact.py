"""The measure pages' pure parts: the before/after wording, checking stores, rebasing."""

from __future__ import annotations

from datetime import date
from typing import Any

import polars as pl
import pytest

from dashboards.components.impact_panel import (
    estimate_sentence,
    impact_panel,
    no_estimate_sentence,
)
from dashboards.components.measure_chart import rebase_index
from dashboards.components.measure_data import (
    IncidentSelection,
    MeasurePage,
    parse_incident_query,
    parse_view,
)
from dashboards.measures import QualityMeasure, measure_spec

FALLS = measure_spec(QualityMeasure.FALLS)
ERRORS = measure_spec(QualityMeasure.MEDICATION_ERRORS)
GO_LIVE = date(2025, 2, 13)


def _estimated(**changes: object) -> dict[str, Any]:
    row: dict[str, Any] = {
        "status": "estimated",
        "go_live_date": GO_LIVE,
        "months_before": 11,
        "months_after": 12,
        "model": "poisson",
        "has_seasonal_term": True,
        "level_change_ratio": 0.82,
        "level_change_lower": 0.71,
        "level_change_upper": 0.95,
        "slope_change_ratio": 0.99,
        "slope_change_lower": 0.97,
        "slope_change_upper": 1.01,
        "observed_since_go_live": 50.0,
        "expected_since_go_live": 61.0,
        "avoided_since_go_live": 11.0,
        "avoided_lower": 3.0,
        "avoided_upper": 20.0,
    }
    row.update(changes)
    return row


class TestEstimateSentence:
    def test_a_reduction(self) -> None:
        # 11 of 61 expected falls avoided: 18%; 3 and 20 of 61: 5% and 33%
        assert estimate_sentence(_estimated(), spec=FALLS) == (
            "In the 12 full months since the DSCR went live on 13 Feb 2025, falls were 18% "
            "lower than expected without it (95% interval 5% to 33% lower); about 11 falls "
            "avoided (95% interval 3 to 20 avoided)."
        )

    def test_an_increase(self) -> None:
        # 10 more than 40 expected: 25% higher; the interval −18 to −2 is 45% to 5% higher
        row = _estimated(
            expected_since_go_live=40.0,
            avoided_since_go_live=-10.0,
            avoided_lower=-18.0,
            avoided_upper=-2.0,
        )

        assert estimate_sentence(row, spec=FALLS) == (
            "In the 12 full months since the DSCR went live on 13 Feb 2025, falls were 25% "
            "higher than expected without it (95% interval 5% to 45% higher); about 10 falls "
            "more than expected (95% interval −18 to −2 avoided)."
        )
        panel = impact_panel(row, spec=FALLS, location_name="Alder House")
        assert panel[1].children == (
            "The whole interval is above what was expected: a real increase is likely."
        )

    def test_no_change_and_one_month(self) -> None:
        row = _estimated(
            months_after=1,
            expected_since_go_live=4.0,
            avoided_since_go_live=0.01,
            avoided_lower=-1.2,
            avoided_upper=1.4,
        )

        assert estimate_sentence(row, spec=ERRORS) == (
            "In the full month since the DSCR went live on 13 Feb 2025, medication errors were "
            "about the same as expected without it (95% interval 30% higher to 35% lower); "
            "about as many medication errors as expected (95% interval −1 to 1 avoided)."
        )

    def test_the_details_name_the_model_and_the_changes(self) -> None:
        panel = impact_panel(_estimated(), spec=FALLS, location_name="Alder House")

        details = panel[2]
        terms = [item.children for item in details.children]
        assert terms[0:2] == [
            "Events",
            "50 falls recorded since go-live; 61.0 expected without the DSCR.",
        ]
        assert terms[3] == (
            "×0.82 (95% interval 0.71 to 0.95): the rate per 1,000 occupied bed days stepped "
            "18% lower (a ratio below 1 is a fall)."
        )
        assert terms[7] == (
            "Interrupted time series: Poisson regression of monthly falls per 1,000 occupied "
            "bed days, with a seasonal term, fitted on 11 full months before go-live and 12 "
            "after."
        )


@pytest.mark.parametrize(
    ("status", "spec", "sentence"),
    [
        (
            "no_go_live",
            FALLS,
            "There is no before/after estimate: Alder House has no DSCR go-live date in its "
            "exports, so there is no before and after to compare.",
        ),
        (
            "too_few_months_before",
            FALLS,
            "There is no before/after estimate: Alder House has too few full months of data "
            "before the DSCR went live on 13 Feb 2025 (3) to estimate a change.",
        ),
        (
            "too_few_months_after",
            FALLS,
            "There is no before/after estimate: too few full months have passed since the DSCR "
            "went live on 13 Feb 2025 at Alder House (2 so far) to estimate a change.",
        ),
        (
            "no_exposure",
            ERRORS,
            "There is no before/after estimate: Alder House has no scheduled doses recorded, "
            "so there is no rate of medication errors to compare.",
        ),
        (
            "no_events",
            FALLS,
            "There is no before/after estimate: no falls were recorded at Alder House, before "
            "or after go-live.",
        ),
        (
            "something_new",
            FALLS,
            "There is no before/after estimate of falls at Alder House.",
        ),
    ],
)
def test_why_there_is_no_estimate(status: str, spec: Any, sentence: str) -> None:
    row = {"status": status, "go_live_date": GO_LIVE, "months_before": 3, "months_after": 2}

    assert no_estimate_sentence(row, spec=spec, location_name="Alder House") == sentence


def test_no_row_yet() -> None:
    assert no_estimate_sentence(None, spec=FALLS, location_name="Alder House") == (
        "There is no before/after estimate of falls at Alder House yet: the nightly load works "
        "one out for each location and measure."
    )


PAGE = MeasurePage(
    key="falls",
    path="/falls",
    heading="Falls",
    lead="",
    measures=(QualityMeasure.FALLS, QualityMeasure.FALLS_WITH_HARM),
    measure_labels=("All falls", "Falls with harm"),
)
LOCATIONS = pl.DataFrame(
    {
        "location_id": ["1-201000001", "1-201000002"],
        "location_name": ["Alder House", "Ash Court"],
        "service_type": ["care_home", "home_care"],
        "dscr_go_live_date": [GO_LIVE, None],
    }
)


class TestParseView:
    def test_an_unknown_grain_or_measure_falls_back_to_the_pages_defaults(self) -> None:
        view = parse_view(
            PAGE,
            data={"location": "1-201000001", "grain": "day", "measure": "pressure_ulcers"},
            locations=LOCATIONS,
        )

        assert view is not None
        assert view.data() == {"location": "1-201000001", "grain": "month", "measure": "falls"}
        assert view.has_rate

    def test_a_home_care_location_has_no_bed_day_rate(self) -> None:
        view = parse_view(PAGE, data={"location": "1-201000002"}, locations=LOCATIONS)

        assert view is not None
        assert not view.has_rate

    @pytest.mark.parametrize(
        "data", [None, "1-201000001", {"location": "1-202000001"}, {"location": 5}, []]
    )
    def test_anything_but_a_location_of_the_callers_is_refused(self, data: object) -> None:
        assert parse_view(PAGE, data=data, locations=LOCATIONS) is None


class TestParseIncidentQuery:
    def test_checks_every_filter(self) -> None:
        query = {
            "view": {"location": "1-201000001", "grain": "month", "measure": "falls"},
            "period": "2025-12-01",
            "harm": "catastrophic",
            "subtype": "omission",
            "location": "all",
        }

        selection = parse_incident_query(PAGE, data=query, locations=LOCATIONS)

        # Then December 2025 runs to 1 January 2026; an unknown harm and a subtype falls do
        # not have are no filter; "all" is every location in scope
        assert selection is not None
        chosen = selection.incident_filter()
        assert (chosen.period_start, chosen.period_end) == (date(2025, 12, 1), date(2026, 1, 1))
        assert (chosen.harm, chosen.subtype, chosen.location_id) == (None, None, None)

    def test_a_week_runs_seven_days_from_its_monday(self) -> None:
        query = {"view": {"location": "1-201000001", "grain": "week"}, "period": "2025-03-24"}

        selection = parse_incident_query(PAGE, data=query, locations=LOCATIONS)

        assert isinstance(selection, IncidentSelection)
        chosen = selection.incident_filter()
        assert (chosen.period_start, chosen.period_end) == (date(2025, 3, 24), date(2025, 3, 31))

    @pytest.mark.parametrize("period", ["2025-03-25", "2025-13-01", "yesterday", ""])
    def test_a_period_that_is_not_a_period_start_means_the_whole_period(self, period: str) -> None:
        query = {"view": {"location": "1-201000001", "grain": "week"}, "period": period}

        selection = parse_incident_query(PAGE, data=query, locations=LOCATIONS)

        assert selection is not None
        assert selection.period is None

    def test_a_location_filter_out_of_scope_is_refused(self) -> None:
        query = {"view": {"location": "1-201000001"}, "location": "1-202000001"}

        assert parse_incident_query(PAGE, data=query, locations=LOCATIONS) is None


@pytest.mark.parametrize(
    ("periods", "go_live", "grain", "index"),
    [
        ([date(2025, 1, 1), date(2025, 2, 1), date(2025, 3, 1)], GO_LIVE, "month", 1),
        # 13 Feb 2025 is a Thursday: its week starts on Monday 10 February
        ([date(2025, 2, 3), date(2025, 2, 10), date(2025, 2, 17)], GO_LIVE, "week", 1),
        ([date(2025, 2, 1), date(2025, 3, 1)], GO_LIVE, "month", None),
        ([date(2024, 1, 1), date(2024, 2, 1)], GO_LIVE, "month", None),
        ([date(2025, 1, 1), date(2025, 2, 1)], None, "month", None),
    ],
    ids=["month", "week", "go-live-in-first-period", "go-live-after-the-series", "no-go-live"],
)
def test_rebase_index(
    periods: list[date], go_live: date | None, grain: str, index: int | None
) -> None:
    assert rebase_index(periods, go_live=go_live, grain=grain) == index  # type: ignore[arg-type]
