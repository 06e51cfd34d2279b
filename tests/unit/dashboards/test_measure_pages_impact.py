"""The measure pages' pure parts: the before/after wording, checking stores, rebasing."""

from __future__ import annotations

from datetime import date
from typing import Any

import polars as pl
import pytest

from dashboards.components.impact_panel import (
    estimate_sentence,
    event_ratio,
    impact_panel,
    no_estimate_sentence,
    too_few_to_tell,
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
        # 50 of 61 expected is 0.82: 18% lower; the expected count's interval is 50 + 3 = 53
        # to 50 + 20 = 70, so the ratio runs from 50/70 = 0.71 to 50/53 = 0.94: 29% to 6% lower
        assert estimate_sentence(_estimated(), spec=FALLS) == (
            "In the 12 full months since the DSCR went live on 13 Feb 2025, falls were 18% "
            "lower than expected without it (95% interval 6% to 29% lower); about 11 falls "
            "avoided (95% interval 3 to 20 avoided)."
        )

    def test_an_increase(self) -> None:
        # 50 recorded, 40 expected: 25% higher; expected 50 − 18 = 32 to 50 − 2 = 48, so the
        # ratio runs from 50/48 = 1.04 to 50/32 = 1.56: 4% to 56% higher
        row = _estimated(
            expected_since_go_live=40.0,
            avoided_since_go_live=-10.0,
            avoided_lower=-18.0,
            avoided_upper=-2.0,
        )

        assert estimate_sentence(row, spec=FALLS) == (
            "In the 12 full months since the DSCR went live on 13 Feb 2025, falls were 25% "
            "higher than expected without it (95% interval 4% to 56% higher); about 10 falls "
            "more than expected (95% interval −18 to −2 avoided)."
        )
        panel = impact_panel(row, spec=FALLS, location_name="Alder House")
        assert panel[1].children == (
            "The whole interval is above what was expected: a real increase is likely."
        )

    def test_no_change_and_one_month(self) -> None:
        # 19.99 of 20 expected: no change; expected 19.99 − 6 = 13.99 to 19.99 + 7 = 26.99,
        # so the ratio runs from 0.74 to 1.43: 43% higher to 26% lower
        row = _estimated(
            months_after=1,
            observed_since_go_live=19.99,
            expected_since_go_live=20.0,
            avoided_since_go_live=0.01,
            avoided_lower=-6.0,
            avoided_upper=7.0,
        )

        assert estimate_sentence(row, spec=ERRORS) == (
            "In the full month since the DSCR went live on 13 Feb 2025, medication errors were "
            "about the same as expected without it (95% interval 43% higher to 26% lower); "
            "about as many medication errors as expected (95% interval −6 to 7 avoided)."
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


def _with_interval(*, observed: float, expected: float, low: float, high: float) -> dict[str, Any]:
    """An estimated row whose expected count is ``expected`` with 95% interval ``low``–``high``."""
    return _estimated(
        observed_since_go_live=observed,
        expected_since_go_live=expected,
        avoided_since_go_live=expected - observed,
        avoided_lower=low - observed,
        avoided_upper=high - observed,
    )


class TestTooFewToTell:
    @pytest.mark.parametrize(
        ("expected", "too_few"),
        [(9.9, True), (10.0, False), (10.1, False)],
        ids=["below-10", "at-10", "above-10"],
    )
    def test_fewer_than_10_events_expected_is_too_few(self, expected: float, too_few: bool) -> None:
        # Given 8 recorded against an expected count whose interval is 7 to 13: a ratio of
        # 8/13 = 0.62 to 8/7 = 1.14, narrow enough; only the expected count differs
        row = _with_interval(observed=8.0, expected=expected, low=7.0, high=13.0)

        assert too_few_to_tell(row) is too_few

    @pytest.mark.parametrize(
        ("high", "too_few"),
        [(19.5, False), (20.0, False), (20.5, True)],
        ids=["lower-end-0.513", "lower-end-0.5", "lower-end-0.488"],
    )
    def test_an_interval_from_below_a_halving_to_above_a_doubling_is_too_few(
        self, high: float, too_few: bool
    ) -> None:
        # Given 10 recorded, 12 expected, the expected count's interval from 4 (upper end of
        # the ratio 10/4 = 2.5, above a doubling) to `high` (lower end 10/high)
        row = _with_interval(observed=10.0, expected=12.0, low=4.0, high=high)

        ratio = event_ratio(row)
        assert ratio is not None
        assert ratio.upper == 2.5
        assert ratio.lower == pytest.approx(10 / high)
        assert too_few_to_tell(row) is too_few

    @pytest.mark.parametrize(
        ("low", "too_few"),
        [(5.1, False), (5.0, False), (4.9, True)],
        ids=["upper-end-1.96", "upper-end-2", "upper-end-2.04"],
    )
    def test_the_upper_end_of_the_interval_must_pass_a_doubling(
        self, low: float, too_few: bool
    ) -> None:
        # Given the lower end of the ratio at 10/25 = 0.4 (below a halving) and the upper
        # end at 10/low
        row = _with_interval(observed=10.0, expected=12.0, low=low, high=25.0)

        assert too_few_to_tell(row) is too_few

    def test_a_wide_interval_on_one_side_only_is_not_too_few(self) -> None:
        # Given a ratio from 10/40 = 0.25 to 10/8 = 1.25: a reduction is not ruled out, but
        # the data do rule out a doubling
        row = _with_interval(observed=10.0, expected=12.0, low=8.0, high=40.0)

        assert not too_few_to_tell(row)

    def test_an_interval_with_no_positive_end_is_too_few(self) -> None:
        row = _with_interval(observed=10.0, expected=12.0, low=0.0, high=25.0)

        assert event_ratio(row) is None
        assert too_few_to_tell(row)

    def test_the_panel_says_so_when_few_events_were_expected(self) -> None:
        # Given 6 recorded against 8.0 expected (interval 5 to 12): 25% lower, the ratio
        # from 6/12 = 0.5 to 6/5 = 1.2 (50% lower to 20% higher); 2 avoided (5 − 6 = −1 to
        # 12 − 6 = 6)
        row = _with_interval(observed=6.0, expected=8.0, low=5.0, high=12.0)

        panel = impact_panel(row, spec=FALLS, location_name="Alder House")

        assert [part.children for part in panel[:3]] == [
            "Too few falls since go-live to tell whether going digital changed them.",
            "Without the DSCR about 8.0 falls would have been expected at Alder House in the "
            "12 full months since go-live; with fewer than 10, chance alone moves the count "
            "too much to show a change.",
            "The estimate, for what it is worth: In the 12 full months since the DSCR went "
            "live on 13 Feb 2025, falls were 25% lower than expected without it (95% interval "
            "20% higher to 50% lower); about 2 falls avoided (95% interval −1 to 6 avoided).",
        ]
        assert panel[3].className == "impact-details"

    def test_the_panel_says_so_when_the_interval_is_too_wide(self) -> None:
        # Given 10 recorded against 12 expected (interval 4 to 25): 17% lower, the ratio
        # from 10/25 = 0.4 to 10/4 = 2.5 (60% lower to 150% higher); 2 avoided (−6 to 15)
        row = _with_interval(observed=10.0, expected=12.0, low=4.0, high=25.0)

        panel = impact_panel(row, spec=FALLS, location_name="Alder House")

        assert panel[0].children == (
            "Too few falls since go-live to tell whether going digital changed them."
        )
        assert panel[1].children == (
            "The 95% interval runs from 150% higher to 60% lower than expected: it fits falls "
            "at Alder House having doubled as well as halved."
        )
        assert panel[2].children == (
            "The estimate, for what it is worth: In the 12 full months since the DSCR went "
            "live on 13 Feb 2025, falls were 17% lower than expected without it (95% interval "
            "150% higher to 60% lower); about 2 falls avoided (95% interval −6 to 15 avoided)."
        )

    def test_an_estimate_that_can_tell_leads_with_the_estimate(self) -> None:
        # Given exactly 10 expected and the ratio from 10/20 = 0.5 to 10/5 = 2: on both edges
        row = _with_interval(observed=10.0, expected=10.0, low=5.0, high=20.0)

        panel = impact_panel(row, spec=FALLS, location_name="Alder House")

        assert str(panel[0].children).startswith("In the 12 full months since the DSCR went")
        assert panel[1].children == (
            "The interval includes no change, so the difference may be chance."
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
