"""The measure pages' layouts and view callbacks, called as plain functions.

The warehouse is the three-provider sample (``audit_sample`` with ``measure_sample``): A1
(Alder House, care home, live 13 Feb 2025) has 24 months of falls from March 2024; A2 (Ash
Court) is home care. Rates below are worked out from ``measure_sample``: a month's bed days
are its days times 28 occupied beds.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from types import ModuleType

import dash
import pytest
from audit_sample import (
    LOCATION_A1,
    LOCATION_A2,
    LOCATION_B1,
    OWNER_A,
    QUALITY_LEAD_A1,
    serving,
)
from measure_pages_kit import (
    by_id,
    has_id,
    of_type,
    page_module,
    plotted,
    table_rows,
    text,
    trace,
)

from dashboards.roles import Identity
from dashboards.targets import TargetStore


@pytest.fixture(scope="module")
def falls(dash_app: dash.Dash) -> ModuleType:
    return page_module("falls")


@pytest.fixture(scope="module")
def medication(dash_app: dash.Dash) -> ModuleType:
    return page_module("medication")


@pytest.fixture(scope="module")
def pressure_ulcers(dash_app: dash.Dash) -> ModuleType:
    return page_module("pressure_ulcers")


class TestFallsLayout:
    def test_charts_the_first_care_home_by_month_rebased_at_go_live(
        self, falls: ModuleType, warehouse_path: Path
    ) -> None:
        # When A's owner opens the falls page without choosing anything
        with serving(warehouse_path, identity=OWNER_A):
            page = falls.layout()

        # Then Alder House is charted by month: March 2024 had 7 falls in 868 bed days (8.06
        # per 1,000), February 2026 3 in 784 (3.83); limits are recalculated from February
        # 2025, the month of go-live, which is drawn as a line on 13 February
        assert [(o.value, o.selected) for o in by_id(page, "falls-location").children] == [
            (LOCATION_A1, True),
            (LOCATION_A2, False),
        ]
        assert text(of_type(page, "H2")[0]) == (
            "Falls per 1,000 occupied bed days at Alder House, by month"
        )
        figure = plotted(by_id(page, "falls-chart"))
        values = trace(figure, "Value")
        assert values.x[0] == date(2024, 3, 1)
        assert values.y[0] == pytest.approx(7 / 868 * 1000)
        assert values.y[-1] == pytest.approx(3 / 784 * 1000)
        mean = trace(figure, "Mean")
        assert list(mean.x) == [
            date(2024, 3, 1),
            date(2025, 1, 1),
            None,
            date(2025, 2, 1),
            date(2026, 2, 1),
            None,
        ]
        assert figure.layout.shapes[0].x0 == date(2025, 2, 13)

    def test_draws_the_counterfactual_as_rates_after_go_live(
        self, falls: ModuleType, warehouse_path: Path
    ) -> None:
        with serving(warehouse_path, identity=OWNER_A):
            figure = plotted(by_id(falls.layout(), "falls-chart"))

        # Then March 2025's 5.5 expected falls over 868 bed days are 6.34 per 1,000, and the
        # line runs for the 12 months from March 2025 beneath the chart's own traces
        expected = trace(figure, "Expected without the DSCR")
        assert len(expected.x) == 12
        assert expected.x[0] == date(2025, 3, 1)
        assert expected.y[0] == pytest.approx(5.5 / 868 * 1000)
        assert figure.data.index(expected) < figure.data.index(trace(figure, "Value"))

    def test_says_in_words_what_the_chart_and_the_estimate_show(
        self, falls: ModuleType, warehouse_path: Path
    ) -> None:
        with serving(warehouse_path, identity=OWNER_A):
            page = falls.layout()

        caption = text(of_type(page, "Figcaption")[0])
        assert "Limits recalculated from Feb 2025." in caption
        assert "expected had the DSCR not gone live, from Mar 2025 to Feb 2026" in caption
        # 50 of 61 expected falls is 18% lower; 50 of 50 + 3 or 50 + 20 is 6% to 29% lower
        assert text(by_id(page, "falls-estimate")).startswith(
            "In the 12 full months since the DSCR went live on 13 Feb 2025, falls were 18% "
            "lower than expected without it (95% interval 6% to 29% lower); about 11 falls "
            "avoided (95% interval 3 to 20 avoided).The whole interval is below what was "
            "expected: a real reduction is likely."
        )

    def test_lists_the_whole_periods_falls_newest_first(
        self, falls: ModuleType, warehouse_path: Path
    ) -> None:
        with serving(warehouse_path, identity=OWNER_A):
            page = falls.layout()

        # Then the 132 falls of Alder House are counted and the newest 50 listed: the newest
        # is the second generic fall of February 2026 (5 Feb, 11:15 UK time, harm low)
        incidents = by_id(page, "falls-incidents")
        assert text(of_type(incidents, "P")[0]) == (
            "132 falls at Alder House over the whole period, newest first. The newest 50 are "
            "listed; download the table for all of them."
        )
        rows = table_rows(incidents)
        assert len(rows) == 50
        assert rows[0] == ["5 Feb 2026 11:15", "Alder House", "Low", "PA1-0004", "I-A1-F26021"]
        options = [(text(o), o.value) for o in by_id(page, "falls-period").children]
        assert options[:2] == [("The whole period", "all"), ("Feb 2026", "2026-02-01")]
        assert len(options) == 1 + 24
        assert not has_id(page, "falls-subtype")  # falls have no subtypes

    def test_the_query_string_picks_location_periods_and_measure(
        self, falls: ModuleType, warehouse_path: Path
    ) -> None:
        with serving(warehouse_path, identity=OWNER_A):
            page = falls.layout(location=LOCATION_A1, grain="week", measure="falls_with_harm")

        assert text(of_type(page, "H2")[0]) == (
            "Falls with harm per 1,000 occupied bed days at Alder House, by week"
        )
        assert by_id(page, "falls-state").data["view"] == {
            "location": LOCATION_A1,
            "grain": "week",
            "measure": "falls_with_harm",
        }

    def test_a_location_of_another_provider_shows_the_callers_own(
        self, falls: ModuleType, warehouse_path: Path
    ) -> None:
        with serving(warehouse_path, identity=OWNER_A):
            page = falls.layout(location=LOCATION_B1)

        assert by_id(page, "falls-state").data["view"]["location"] == LOCATION_A1
        assert "The location asked for is not one of yours, so Alder House is shown." in text(page)
        assert "Birch" not in str(page)

    def test_a_home_care_location_has_no_bed_day_rate(
        self, falls: ModuleType, warehouse_path: Path
    ) -> None:
        # When the owner opens Ash Court (home care) on the falls page
        with serving(warehouse_path, identity=OWNER_A):
            page = falls.layout(location=LOCATION_A2)

        # Then it says so instead of drawing an empty chart, and still lists Ash Court's falls
        assert not has_id(page, "falls-chart")
        assert (
            "Ash Court is a home-care service: it has no occupied bed days, so falls cannot be "
            "shown per 1,000 occupied bed days."
        ) in text(by_id(page, "falls-chart-section"))
        assert text(by_id(page, "falls-estimate")) == (
            "There is no before/after estimate: Ash Court has no occupied bed days (home "
            "care), so there is no rate of falls to compare."
        )
        assert text(of_type(by_id(page, "falls-incidents"), "P")[0]).startswith(
            "2 falls at Ash Court over the whole period"
        )

    def test_a_quality_lead_sees_only_their_location(
        self, falls: ModuleType, warehouse_path: Path
    ) -> None:
        with serving(warehouse_path, identity=QUALITY_LEAD_A1):
            page = falls.layout(location=LOCATION_A2)

        assert [o.value for o in by_id(page, "falls-location").children] == [LOCATION_A1]
        assert "Ash Court" not in str(page)
        assert "PA2-" not in str(page)


class TestViewChoices:
    def test_weeks_and_falls_with_harm(self, falls: ModuleType, warehouse_path: Path) -> None:
        # When the query string asks for weeks and falls with harm at Alder House
        with serving(warehouse_path, identity=OWNER_A):
            page = falls.layout(location=LOCATION_A1, grain="week", measure="falls_with_harm")

        # Then the chart is by week, the model's failure is explained, the heatmap counts
        # harmful falls, and the period choices are Mondays
        assert text(by_id(page, "falls-chart-section").children[0]) == (
            "Falls with harm per 1,000 occupied bed days at Alder House, by week"
        )
        assert text(by_id(page, "falls-estimate")) == (
            "There is no before/after estimate: the model could not be fitted reliably to the "
            "falls with harm at Alder House, usually because there are too few of them."
        )
        assert text(of_type(by_id(page, "falls-extra"), "H2")[0]) == (
            "When falls with harm happen at Alder House over the whole period"
        )
        periods = [option.value for option in by_id(page, "falls-period").children]
        assert periods[0] == "all"
        assert {date.fromisoformat(value).weekday() for value in periods[1:]} == {0}

    def test_links_switch_periods_and_measure_keeping_the_location(
        self, falls: ModuleType, warehouse_path: Path
    ) -> None:
        with serving(warehouse_path, identity=OWNER_A):
            page = falls.layout(location=LOCATION_A2)

        links = {text(link): link for link in of_type(page, "A") if link.href.startswith("/falls?")}
        assert links["Weeks"].href == f"/falls?location={LOCATION_A2}&grain=week&measure=falls"
        assert links["Falls with harm (moderate, severe or fatal)"].href == (
            f"/falls?location={LOCATION_A2}&grain=month&measure=falls_with_harm"
        )
        current = [
            text(link)
            for link in links.values()
            if getattr(link, "className", None) == "is-current"
        ]
        assert current == ["Months", "All falls"]

    def test_by_week_the_counterfactual_is_left_off_with_a_note(
        self, falls: ModuleType, warehouse_path: Path
    ) -> None:
        with serving(warehouse_path, identity=OWNER_A):
            page = falls.layout(grain="week")

        figure = plotted(by_id(page, "falls-chart"))
        assert "Expected without the DSCR" not in [t.name for t in figure.data]
        assert text(by_id(page, "falls-estimate")).endswith(
            "The rate expected without the DSCR is worked out by month: choose Months to see "
            "it on the chart."
        )

    @pytest.mark.parametrize(
        ("identity", "query"),
        [
            (OWNER_A, {"location": LOCATION_B1}),
            (OWNER_A, {"where": LOCATION_B1}),
            (QUALITY_LEAD_A1, {"location": LOCATION_A2}),
            (QUALITY_LEAD_A1, {"where": LOCATION_A2}),
            (OWNER_A, {"location": "' or 1=1 --", "grain": "x", "measure": "../etc"}),
        ],
        ids=[
            "other-provider",
            "other-provider-filter",
            "other-location",
            "other-location-filter",
            "junk",
        ],
    )
    def test_a_location_that_is_not_the_callers_shows_their_own(
        self, falls: ModuleType, warehouse_path: Path, identity: Identity, query: dict[str, str]
    ) -> None:
        with serving(warehouse_path, identity=identity):
            page = falls.layout(**query)

        assert by_id(page, "falls-state").data["view"] == {
            "location": LOCATION_A1,
            "grain": "month",
            "measure": "falls",
        }
        assert "The location asked for is not one of yours, so Alder House is shown." in text(page)
        assert text(by_id(page, "falls-incidents")).startswith("132 falls at Alder House")
        forbidden = ["Birch", "PB-", "I-B1-"] + (
            ["Ash Court", "PA2-"] if identity is QUALITY_LEAD_A1 else []
        )
        assert [value for value in forbidden if value in str(page)] == []

    def test_draws_the_target_and_the_assurance_icon_when_one_is_set(
        self, falls: ModuleType, warehouse_path: Path, tmp_path: Path
    ) -> None:
        # Given a target of 5 falls per 1,000 bed days at Alder House
        accounts = tmp_path / "accounts.sqlite3"
        with serving(warehouse_path, identity=OWNER_A, accounts_path=accounts):
            TargetStore(accounts).set_target(
                identity=OWNER_A,
                location_id=LOCATION_A1,
                measure="falls",
                target_rate=5.0,
                note=None,
                locations=[LOCATION_A1, LOCATION_A2],
                now=datetime(2026, 3, 1, tzinfo=UTC),
            )

            # When the chart is drawn
            chart = by_id(falls.layout(), "falls-chart-section")

        # Then the target is a line, and since go-live (limits 1.32 to 8.87) the process will
        # hit and miss it
        figure = plotted(by_id(chart, "falls-chart"))
        target = trace(figure, "Target (5)")
        assert list(target.y) == [5.0, 5.0]
        assert "Target: 5 per 1,000 occupied bed days." in text(chart)
        assert "The process will hit and miss the target at random" in text(chart)

    def test_a_selected_point_leads_to_its_period(
        self, falls: ModuleType, warehouse_path: Path
    ) -> None:
        # Given the falls page filtered to severe harm at every location
        with serving(warehouse_path, identity=OWNER_A):
            page = falls.layout(harm="severe", where="all", period="2025-03-01")

        # Then the page's state carries the address a selected point adds its period to
        state = by_id(page, "falls-state").data
        assert state["point_href"] == (
            f"/falls?location={LOCATION_A1}&grain=month&measure=falls&harm=severe&where=all"
        )
        assert state["anchor"] == "falls-incidents-section"
        assert state["query"]["period"] == "2025-03-01"
        # and the chart shades March 2025, whose incidents are listed
        band = plotted(by_id(page, "falls-chart")).layout.shapes[-1]
        assert (band.x0, band.x1) == (date(2025, 3, 1), date(2025, 4, 1))


class TestMedicationPage:
    def test_rates_errors_per_1000_doses_and_tables_doses(
        self, medication: ModuleType, warehouse_path: Path
    ) -> None:
        with serving(warehouse_path, identity=OWNER_A):
            page = medication.layout()

        # Then February 2026 (28 days of 120 scheduled doses: 3,360) leads the doses table:
        # 16 missed (0.5%), 31 late (0.9%), 1 error (0.298 per 1,000)
        assert text(of_type(page, "H2")[0]) == (
            "Medication errors per 1,000 scheduled doses at Alder House, by month"
        )
        doses = by_id(page, "medication-extra")
        assert text(of_type(doses, "H2")[0]) == "Doses at Alder House, by month"
        rows = table_rows(doses)
        assert len(rows) == 12
        assert rows[0] == ["Feb 2026", "3,360", "16", "0.5%", "31", "0.9%", "1", "0.298"]
        assert has_id(page, "medication-subtype")
        # 12 errors of 11.2 expected: 7% higher; of 12 − 5.1 or 12 + 3: 74% higher to 20% lower
        assert text(by_id(page, "medication-estimate")).startswith(
            "In the 12 full months since the DSCR went live on 13 Feb 2025, medication errors "
            "were 7% higher than expected without it (95% interval 74% higher to 20% lower); "
            "about 1 medication error more than expected (95% interval −5 to 3 avoided).The "
            "interval includes no change, so the difference may be chance."
        )

    def test_home_care_has_a_rate_per_dose(
        self, medication: ModuleType, warehouse_path: Path
    ) -> None:
        with serving(warehouse_path, identity=OWNER_A):
            page = medication.layout(location=LOCATION_A2)

        assert has_id(page, "medication-chart")
        assert text(by_id(page, "medication-estimate")).startswith(
            "There is no before/after estimate: Ash Court has too few full months of data "
            "before the DSCR went live on 1 Jun 2025 (5) to estimate a change."
        )


class TestPressureUlcersPage:
    def test_has_no_extra_section_and_explains_a_missing_estimate(
        self, pressure_ulcers: ModuleType, warehouse_path: Path
    ) -> None:
        with serving(warehouse_path, identity=OWNER_A):
            page = pressure_ulcers.layout()

        assert not has_id(page, "pressure-ulcers-extra")
        assert text(by_id(page, "pressure-ulcers-estimate")) == (
            "There is no before/after estimate: no pressure ulcers were recorded at Alder "
            "House, before or after go-live."
        )
        subtypes = [text(o) for o in by_id(page, "pressure-ulcers-subtype").children]
        assert subtypes[:3] == ["Any subtype", "Category 1", "Category 2"]
        assert subtypes[-1] == "Deep tissue injury"
