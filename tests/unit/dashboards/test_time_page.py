"""The Time page and its callbacks as plain functions, per role, on a hand-made warehouse
(``time_sample``): measured figures, assumptions, hours released, refusals, downloads, audit.

Hand-worked figures (Oak House, care home, live from 10 January 2026, so February and March
count): care-worker shifts and the carers' minutes only (the managers' shifts and minutes in
the spec columns are left out): with a paper-era baseline of 40 minutes per care-worker shift,
February released
(40 x 50 - 1,000) / 60 = 16.67 hours (range (40 - 26) x 50 / 60 = 11.67 to
(40 - 15) x 50 / 60 = 20.83) and March (40 x 60 - 900) / 60 = 25.00 hours (22.00 to 28.00).
An hour costs £12.00 x 1.2775 = £15.33 (defaults), so March is worth 25 x 15.33 = £383.25 and
the two months 16.67 + 25.00 = 41.67 hours, £255.50 + £383.25 = £638.75.
"""

from __future__ import annotations

import base64
import importlib
import io
from pathlib import Path
from types import ModuleType
from typing import Any

import dash
import pytest
from audit_sample import identity_for, serving
from dash.exceptions import PreventUpdate
from layout_walk import components, layout_text
from openpyxl import load_workbook
from time_sample import CEDAR, ELM, OAK, PINE, PROVIDER_A, PROVIDER_B, write_time_warehouse

from dashboards.accounts import AccessEventKind
from dashboards.roles import Role

OWNER_A = identity_for(Role.OWNER, code=PROVIDER_A)
LEAD_ELM = identity_for(Role.QUALITY_LEAD, code=PROVIDER_A, location_ids=frozenset({ELM}))
INSPECTOR_A = identity_for(Role.INSPECTOR, code=PROVIDER_A)
ICB_LEAD_A = identity_for(Role.ICB_LEAD, code="QAA")
BASELINE = "baseline_documentation_minutes_per_shift"


@pytest.fixture(scope="module")
def time_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The Time sample warehouse (never modified)."""
    return write_time_warehouse(tmp_path_factory.mktemp("time-page") / "carelens.duckdb")


@pytest.fixture(scope="module")
def time_page(dash_app: dash.Dash) -> ModuleType:
    """The Time page module as registered by the app."""
    return importlib.import_module("dashboards.pages.time")


@pytest.fixture
def accounts(tmp_path: Path) -> Path:
    """A fresh accounts file (assumptions and audit trail) for one test."""
    return tmp_path / "accounts.sqlite3"


def _links(root: Any) -> list[str]:
    return [getattr(c, "href", "") for c in components(root) if type(c).__name__ == "A"]


def _figure(root: Any, graph_id: str) -> dict[str, Any]:
    graph = next(c for c in components(root) if getattr(c, "id", None) == graph_id)
    figure: dict[str, Any] = getattr(graph, "figure", {})
    return figure


def _save(time_page: ModuleType, value: str, *, name: str = BASELINE, location: str = OAK) -> Any:
    return time_page.save_assumption(
        1, {"name": name, "value": value, "note": "timed 20 shifts in 2025", "location": location}
    )


class TestMeasured:
    def test_owner_sees_oak_minutes_per_shift_and_shares_since_go_live(
        self, time_page: ModuleType, time_warehouse: Path, accounts: Path
    ) -> None:
        # When A's owner opens Oak House
        with serving(time_warehouse, identity=OWNER_A, accounts_path=accounts):
            page = time_page.layout(location=OAK)

        # Then the documentation chart draws 30, 20 and 15 minutes per care-worker shift (not
        # all shifts: January's 620 minutes over 24 shifts would be 25.8) with the days' P10
        # to P90 band, and its description says so
        figure = _figure(page, "time-documentation-chart")
        high, low, line = figure["data"]
        assert line["y"] == [30.0, 20.0, 15.0]
        assert low["y"] == [25.0, 15.0, 12.0]
        assert high["y"] == [35.0, 26.0, 18.0]
        text = layout_text(page)
        assert (
            "Recording minutes per care-worker shift: 30.0 minutes per care-worker shift in "
            "Jan 2026, 15.0 minutes per care-worker shift in Mar 2026 (3 months charted)."
        ) in text
        assert "Documentation time per care-worker shift at Oak House" in text
        # notes within 15 minutes 50%, 75%, 80%; offline 5%, 5%, 10%
        shares = _figure(page, "time-shares-chart")["data"]
        assert [trace["y"] for trace in shares] == [[0.5, 0.75, 0.8], [0.05, 0.05, 0.1]]
        # care-plan reviews on time 50%, 60%, 90%; no visits section in a care home
        reviews = _figure(page, "time-reviews-chart")["data"]
        assert reviews[0]["y"] == [0.5, 0.6, 0.9]
        assert "Visits on time and missed" not in text
        assert "Due in Mar 2026: 10 reviews, 9 on time, 0 late, 1 not done yet." in text

    def test_home_care_shows_minutes_per_visit_and_punctuality(
        self, time_page: ModuleType, time_warehouse: Path, accounts: Path
    ) -> None:
        with serving(time_warehouse, identity=OWNER_A, accounts_path=accounts):
            page = time_page.layout(location=ELM)

        text = layout_text(page)
        assert "Documentation time per visit at Elm Care" in text
        visits = _figure(page, "time-visits-chart")["data"]
        assert [trace["y"] for trace in visits] == [[0.8, 0.9], [5 / 155, 2 / 112]]
        assert (
            "In Jan 2026: 115 visits scheduled, 110 completed, 2 missed and 11 checked in late "
            "(median 18.0 minutes late)."
        ) in text

    def test_quality_lead_sees_only_their_location_and_a_note_for_another(
        self, time_page: ModuleType, time_warehouse: Path, accounts: Path
    ) -> None:
        with serving(time_warehouse, identity=LEAD_ELM, accounts_path=accounts):
            page = time_page.layout(location=OAK)

        text = layout_text(page)
        assert "The location asked for is not one of yours, so Elm Care is shown." in text
        assert "Oak House" not in text
        assert OAK not in str(page.to_plotly_json())


class TestAssumptionsAndResult:
    def test_without_a_baseline_the_page_says_so_and_how_to_enter_it(
        self, time_page: ModuleType, time_warehouse: Path, accounts: Path
    ) -> None:
        with serving(time_warehouse, identity=OWNER_A, accounts_path=accounts):
            page = time_page.layout(location=OAK)

        text = layout_text(page)
        assert "No paper-era baseline entered" in text
        assert "so there is no figure (not zero)" in text
        assert "/time?location=1-201000001&edit=baseline_documentation_minutes_per_shift" in (
            "".join(_links(page))
        )
        # the government's claim is a reference beside it, never a value
        assert "Reference, not used: 20 minutes per shift." in text
        assert "Not entered: there is no default" in text
        assert "carelens default. Source: Skills for Care, median care-worker pay, March 2025" in (
            text
        )
        assert "Care workers' hours released at Oak House" in text
        assert not any(getattr(c, "id", None) == "time-released-chart" for c in components(page))

    def test_owner_enters_a_baseline_and_the_hours_show_at_once(
        self, time_page: ModuleType, time_warehouse: Path, accounts: Path
    ) -> None:
        # Given A's owner with the baseline's form open
        with serving(time_warehouse, identity=OWNER_A, accounts_path=accounts) as services:
            form_page = time_page.layout(location=OAK, edit=BASELINE)
            assert "Change: Paper-era recording time per care-worker shift (care homes)" in (
                layout_text(form_page)
            )

            # When they save 40 minutes per shift
            status, status_class, hint, table, results = _save(time_page, "40")
            events = services.accounts.access_events(kind=AccessEventKind.ASSUMPTION_CHANGED)

        # Then it is saved, audited, and the hours released are worked out at once
        assert (
            status == "Paper-era recording time per care-worker shift (care homes): "
            "saved as 40 minutes per shift."
        )
        assert status_class == "quality-status"
        assert "Now: 40 minutes per shift (Entered by owner-user on" in hint
        assert "40 minutes per shift" in layout_text(table)
        released = layout_text(results)
        assert (
            "In Mar 2026: 25.00 hours released (range 22.00 to 28.00 hours), worth £383.25 "
            "(range £337.26 to £429.24). Over the latest 2 months: 41.67 hours released, worth "
            "£638.75."
        ) in released
        assert (
            "Valued at £12.00 an hour (carelens default) plus on-costs of 27.75% (carelens "
            "default) = £15.33 an hour." in released
        )
        assert "takes the change at the next load" in released
        chart = _figure(results, "time-released-chart")["data"]
        assert chart[2]["y"] == [16.67, 25.0]
        assert chart[1]["y"] == [11.67, 22.0]
        assert chart[0]["y"] == [20.83, 28.0]
        assert [event.detail for event in events] == [f"{PROVIDER_A} {BASELINE}: none -> 40"]

    def test_managers_hours_use_measured_reviews_and_entered_minutes(
        self, time_page: ModuleType, time_warehouse: Path, accounts: Path
    ) -> None:
        # Given care-plan reviews of 240 minutes on paper and 30 digitally
        with serving(time_warehouse, identity=OWNER_A, accounts_path=accounts):
            _save(time_page, "240", name="care_plan_review_minutes_before")
            *_rest, results = _save(time_page, "30", name="care_plan_review_minutes_after")

        # Then each month counts the reviews completed after go-live at A's locations:
        # December (Elm) 5, February 9, March 12 (Oak's January is before its go-live), at
        # 210 minutes each: 17.50, 31.50 and 42.00 hours at £18.50 x 1.2775 = £23.63375
        text = layout_text(results)
        assert "Mar 2026Care-plan reviews12 (measured)240 → 3042.00 hours released£992.62" in text
        assert "Feb 2026Care-plan reviews9 (measured)240 → 3031.50 hours released£744.46" in text
        assert "Dec 2025Care-plan reviews5 (measured)240 → 3017.50 hours released£413.59" in text

    def test_a_baseline_above_the_measured_time_shows_more_time_than_on_paper(
        self, time_page: ModuleType, time_warehouse: Path, accounts: Path
    ) -> None:
        with serving(time_warehouse, identity=OWNER_A, accounts_path=accounts):
            *_rest, results = _save(time_page, "10")

        # March: (10 x 60 - 900) / 60 = -5 hours
        assert "In Mar 2026: 5.00 hours more than on paper" in layout_text(results)

    @pytest.mark.parametrize(
        ("identity", "form", "message"),
        [
            (
                LEAD_ELM,
                {"name": BASELINE, "value": "40", "location": ELM},
                "Only your organisation's owners can change assumptions.",
            ),
            (
                INSPECTOR_A,
                {"name": BASELINE, "value": "40", "location": OAK},
                "Only your organisation's owners can change assumptions.",
            ),
            (
                OWNER_A,
                {"name": BASELINE, "value": "40", "location": PINE},
                "Choose Change in a row of the assumptions first.",
            ),
            (
                OWNER_A,
                {"name": "no_such_thing", "value": "40", "location": OAK},
                "Choose Change in a row of the assumptions first.",
            ),
            (
                OWNER_A,
                {"name": BASELINE, "value": "721", "location": OAK},
                "Enter a number from 0 to 720 (minutes per shift).",
            ),
            (
                OWNER_A,
                {"name": BASELINE, "value": "=1+1", "location": OAK},
                "Enter a number, or leave it blank to clear it.",
            ),
            (OWNER_A, None, "Choose Change in a row of the assumptions first."),
        ],
        ids=["lead", "inspector", "other-provider", "unknown-name", "too-large", "formula", "none"],
    )
    def test_refused_writes_store_nothing(
        self,
        time_page: ModuleType,
        time_warehouse: Path,
        accounts: Path,
        identity: Any,
        form: Any,
        message: str,
    ) -> None:
        with serving(time_warehouse, identity=identity, accounts_path=accounts) as services:
            status, status_class, hint, table, results = time_page.save_assumption(1, form)
            events = services.accounts.access_events(kind=AccessEventKind.ASSUMPTION_CHANGED)
            stored = services.accounts.current_assumptions(PROVIDER_A)

        assert (status, status_class) == (message, "quality-status is-error")
        assert (hint, table, results) == (dash.no_update,) * 3
        assert events == []
        assert stored == {}

    def test_quality_lead_and_inspector_read_assumptions_without_change_links(
        self, time_page: ModuleType, time_warehouse: Path, accounts: Path
    ) -> None:
        for identity in (LEAD_ELM, INSPECTOR_A):
            with serving(time_warehouse, identity=identity, accounts_path=accounts):
                page = time_page.layout(edit=BASELINE)
            text = layout_text(page)
            assert "you can see them but not change them" in text
            assert not any("edit=" in href for href in _links(page))
            assert "Change:" not in text


class TestIcb:
    def test_icb_lead_sees_measured_figures_per_provider_under_disclosure_control(
        self, time_page: ModuleType, time_warehouse: Path, accounts: Path
    ) -> None:
        with serving(time_warehouse, identity=ICB_LEAD_A, accounts_path=accounts):
            page = time_page.layout()

        body = next(c for c in components(page) if type(c).__name__ == "Tbody")
        rows = [[layout_text(cell) for cell in row.children] for row in body.children]
        # A's care home: Oak's February and March (January is before go-live), 110 care-worker
        # shifts (not the 132 with the managers'), 800 notes, the carers' 1,900 minutes / 110 =
        # 17.3 a care-worker shift, 300 + 320 of 800 = 77.5% within 15 minutes; A's home care:
        # Elm's January, 3.0 a visit, 95.0%; B's Pine: 5 care-worker shifts and 6 notes
        # suppressed, and its rates with them; C (another ICB) absent
        per_care_shift = "Care homes (per care-worker shift)"
        assert rows == [
            [PROVIDER_A, per_care_shift, "110", "800", "17.3", "77.5%"],
            [PROVIDER_A, "Home care (per completed visit)", "110", "200", "3.0", "95.0%"],
            [PROVIDER_B, per_care_shift, "[c]", "[c]", "[c]", "[c]"],
        ]
        text = layout_text(page)
        assert "Jan 2026 to Mar 2026" in text
        assert "Assumptions" not in text
        assert CEDAR not in str(page.to_plotly_json())


class TestDownloads:
    def test_released_csv_is_worked_out_now_and_audited(
        self, time_page: ModuleType, time_warehouse: Path, accounts: Path
    ) -> None:
        with serving(time_warehouse, identity=OWNER_A, accounts_path=accounts) as services:
            _save(time_page, "40")
            sent = time_page.download_table({"table": "released", "format": "csv", "location": OAK})
            events = services.accounts.access_events(kind=AccessEventKind.DOWNLOAD)

        lines = sent["content"].splitlines()
        header = lines[0].split(",")
        march = dict(zip(header, lines[2].split(","), strict=True))
        assert sent["filename"] == f"time-released-{OAK}.csv"
        assert (march["month"], march["hours_released"], march["value_gbp"]) == (
            "2026-03-01",
            "25.00",
            "383.25",
        )
        assert march["baseline_basis"] == "entered"
        assert [(e.detail, e.row_count) for e in events] == [(f"time-released-{OAK}.csv", 2)]

    def test_icb_xlsx_marks_suppressed_cells(
        self, time_page: ModuleType, time_warehouse: Path, accounts: Path
    ) -> None:
        with serving(time_warehouse, identity=ICB_LEAD_A, accounts_path=accounts):
            sent = time_page.download_table({"table": "icb", "format": "xlsx"})

        sheet = load_workbook(io.BytesIO(base64.b64decode(sent["content"]))).active
        assert sheet is not None
        rows = list(sheet.iter_rows(values_only=True))
        assert rows[0][:6] == (
            "provider_id",
            "shift_basis",
            "period_start",
            "period_end",
            "shifts",
            "care_notes",
        )
        assert rows[3][:6] == (PROVIDER_B, "shifts", "2026-01-01", "2026-03-01", "[c]", "[c]")

    @pytest.mark.parametrize(
        ("identity", "request_"),
        [
            (OWNER_A, {"table": "released", "format": "csv", "location": PINE}),
            (OWNER_A, {"table": "icb", "format": "csv"}),
            (ICB_LEAD_A, {"table": "documentation", "format": "csv", "location": OAK}),
            (LEAD_ELM, {"table": "documentation", "format": "csv", "location": OAK}),
            (OWNER_A, {"table": "released", "format": "exe", "location": OAK}),
            (OWNER_A, "junk"),
        ],
        ids=[
            "other-provider",
            "icb-table",
            "icb-lead-provider-table",
            "lead-other",
            "format",
            "junk",
        ],
    )
    def test_refused_downloads_send_nothing(
        self,
        time_page: ModuleType,
        time_warehouse: Path,
        accounts: Path,
        identity: Any,
        request_: Any,
    ) -> None:
        with serving(time_warehouse, identity=identity, accounts_path=accounts) as services:
            with pytest.raises(PreventUpdate):
                time_page.download_table(request_)
            assert services.accounts.access_events(kind=AccessEventKind.DOWNLOAD) == []
