"""The DSCR adoption page as plain functions, per role, on a hand-made warehouse
(``adoption_page_sample``: its docstring works every figure by hand).

December 2025 in ICB QAA: 24 of 40 locations adopted → "about 25" of "about 40", 60.0% (from
the unrounded counts), 380 of 600 beds → 63.3%, Yes ÷ (Yes + No) = 24 / 34 = 70.6%; 6 with no
return → [c]. Size band 10-24 beds: 5 adopted of 12 → adopted [c], active 10, rate hidden.
The curve logit(rate) = -0.7 + 0.1 t crosses 80% at t = 20.86: October 2026. By June 2026
(t = 17) the curve gives 1 / (1 + e^-1.0) = 73.1% of 40 = 29.2 → 29, against 32 required: 3
short; 32 - 25 = 7 more must adopt.
"""

from __future__ import annotations

import base64
import importlib
import io
from pathlib import Path
from types import ModuleType
from typing import Any

import dash
import duckdb
import polars as pl
import pytest
from adoption_page_sample import (
    CEDAR,
    ICB_B,
    PROVIDER_A,
    crossing_month,
    write_adoption_warehouse,
)
from audit_sample import identity_for, serving
from dash.exceptions import PreventUpdate
from layout_walk import components, layout_text
from openpyxl import load_workbook

from dashboards.accounts import AccessEventKind
from dashboards.roles import Role

ICB_LEAD = identity_for(Role.ICB_LEAD, code="QAA")
ICB_LEAD_B = identity_for(Role.ICB_LEAD, code=ICB_B)
OWNER_A = identity_for(Role.OWNER, code=PROVIDER_A)
QUALITY_LEAD_A = identity_for(Role.QUALITY_LEAD, code=PROVIDER_A)


@pytest.fixture(scope="module")
def adoption_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The adoption sample warehouse (never modified)."""
    return write_adoption_warehouse(tmp_path_factory.mktemp("adoption") / "carelens.duckdb")


@pytest.fixture(scope="module")
def adoption_page(dash_app: dash.Dash) -> ModuleType:
    """The DSCR adoption page module as registered by the app."""
    return importlib.import_module("dashboards.pages.adoption")


@pytest.fixture
def accounts(tmp_path: Path) -> Path:
    """A fresh accounts file (the audit trail) for one test."""
    return tmp_path / "accounts.sqlite3"


def _by_id(root: Any, component_id: str) -> Any:
    return next(c for c in components(root) if getattr(c, "id", None) == component_id)


def _figure(root: Any, graph_id: str) -> dict[str, Any]:
    figure: dict[str, Any] = _by_id(root, graph_id).figure
    return figure


def _button(table: str, fmt: str) -> dict[str, str]:
    return {"type": "adoption-download-button", "table": table, "format": fmt}


class TestIcbHeadline:
    def test_latest_month_is_controlled_and_rates_come_from_exact_counts(
        self, adoption_page: ModuleType, adoption_warehouse: Path, accounts: Path
    ) -> None:
        # Given QAA's 24 adopted of 40, 6 with no return and 10 saying No in December 2025
        # When its ICB lead opens the page
        with serving(adoption_warehouse, identity=ICB_LEAD, accounts_path=accounts):
            page = adoption_page.layout()

        # Then counts are rounded or hidden and the rates are the exact ones
        headline = layout_text(_by_id(page, "adoption-headline"))
        assert "Aire and Dale ICB, Dec 2025" in headline
        assert "Active adult social care locationsabout 40" in headline
        assert "Using a DSCR (latest return says Yes)about 25" in headline
        assert "Latest return says Noabout 10" in headline
        assert "No return yet[c]" in headline
        assert "Adoption rate by locations60.0%" in headline
        assert "Adoption rate by care-home beds63.3%" in headline
        assert "Yes ÷ (Yes + No)70.6%" in headline

    def test_rate_chart_draws_both_rates_the_target_and_the_projection(
        self, adoption_page: ModuleType, adoption_warehouse: Path, accounts: Path
    ) -> None:
        with serving(adoption_warehouse, identity=ICB_LEAD, accounts_path=accounts):
            page = adoption_page.layout()

        figure = _figure(page, "adoption-rate-chart")
        traces = {trace["name"]: trace for trace in figure["data"]}
        assert traces["By locations"]["y"][0] == pytest.approx(13 / 40)
        assert traces["By locations"]["y"][-1] == pytest.approx(0.6)
        assert traces["By care-home beds"]["y"][-1] == pytest.approx(380 / 600)
        assert figure["layout"]["shapes"][0]["y0"] == 0.8
        projection = traces["Projection at the current pace"]
        # drawn from the latest month: t = 11, logit -0.7 + 1.1 = 0.4, rate 59.9%
        assert projection["x"][0] == "2025-12-01"
        assert projection["y"][0] == pytest.approx(1 / (1 + 2.718281828459045**-0.4))


class TestTrajectory:
    def test_when_it_reaches_80_percent_and_how_many_more_by_default(
        self, adoption_page: ModuleType, adoption_warehouse: Path, accounts: Path
    ) -> None:
        with serving(adoption_warehouse, identity=ICB_LEAD, accounts_path=accounts):
            page = adoption_page.layout()

        text = layout_text(_by_id(page, "adoption-trajectory"))
        assert crossing_month().isoformat() == "2026-10-01"
        assert "At the current pace adoption would reach 80% in Oct 2026 (80% interval:" in text
        # default: the first March at least 6 months after December 2025
        assert "To reach 80% by Mar 2027, about 7 more location(s) must adopt" in text
        assert "80% of the about 40 active locations is 32" in text

    def test_a_chosen_month_gives_the_shortfall_at_the_current_pace(
        self, adoption_page: ModuleType, adoption_warehouse: Path, accounts: Path
    ) -> None:
        with serving(adoption_warehouse, identity=ICB_LEAD, accounts_path=accounts):
            page = adoption_page.layout(by="2026-06")

        text = layout_text(_by_id(page, "adoption-trajectory"))
        assert "To reach 80% by Jun 2026, about 7 more location(s) must adopt" in text
        assert "At the current pace about 29 would by Jun 2026, 3 short." in text
        assert _by_id(page, "adoption-by").value == "2026-06"

    @pytest.mark.parametrize("typed", ["2020-01", "2026-13", "next year", "2040-01"])
    def test_a_month_out_of_range_or_malformed_falls_back_with_a_message(
        self, adoption_page: ModuleType, adoption_warehouse: Path, accounts: Path, typed: str
    ) -> None:
        with serving(adoption_warehouse, identity=ICB_LEAD, accounts_path=accounts):
            page = adoption_page.layout(by=typed)

        text = layout_text(page)
        assert "Give the date as a year and month, like 2027-03" in text
        assert "Mar 2027 is shown." in text
        assert "To reach 80% by Mar 2027" in text

    def test_too_few_months_says_so_and_draws_no_projection(
        self, adoption_page: ModuleType, adoption_warehouse: Path, accounts: Path
    ) -> None:
        with serving(adoption_warehouse, identity=ICB_LEAD_B, accounts_path=accounts):
            page = adoption_page.layout()

        text = layout_text(page)
        assert "Only 3 month(s) of figures so far: at least 6 are needed" in text
        names = [trace["name"] for trace in _figure(page, "adoption-rate-chart")["data"]]
        assert names == ["By locations", "By care-home beds"]

    def test_a_fit_stopped_by_separation_says_adoption_began_too_recently(self) -> None:
        # Given eight months fitted in which every Yes came after months of none (no curve)
        from datetime import date

        from dashboards.components.adoption_view import ChosenDate, trajectory_view

        row = {
            "status": "too_few_months",
            "origin_month": date(2025, 5, 1),
            "months_fitted": 8,
            "target_rate": 0.8,
            "latest_month": date(2025, 12, 1),
            "latest_rate": 0.3,
        }

        # When the page words the trajectory
        view = trajectory_view(
            row,
            latest={"active_locations": 40, "adopted_locations": 10},
            chosen=ChosenDate(month=date(2027, 3, 1), typed="2027-03"),
        )

        # Then it does not claim too few months (there are eight), and draws no projection
        text = " ".join(view.sentences)
        assert "Adoption began too recently to set a pace" in text
        assert "Only 8 month(s)" not in text


class TestBreakdownsAndLists:
    def test_five_adopted_of_twelve_is_hidden_with_its_rate(
        self, adoption_page: ModuleType, adoption_warehouse: Path, accounts: Path
    ) -> None:
        with serving(adoption_warehouse, identity=ICB_LEAD, accounts_path=accounts):
            page = adoption_page.layout()

        table = layout_text(_by_id(page, "adoption-breakdown-table"))
        # 10-24 beds: active 12 → 10, adopted 5 → [c], no return 1 → [c], rate hidden,
        # beds 80 / 200 = 40.0% (bed counts 200 and 80 are not small)
        assert "Size (care-home beds)10-24 beds10[c][c][c]40.0%" in table
        assert "Size (care-home beds)25-49 beds1510[c]92.3%75.0%" in table
        bars = _figure(page, "adoption-breakdown-chart-size_band")["data"][0]
        assert bars["y"] == ["25-49 beds"]
        assert bars["x"] == [pytest.approx(12 / 13)]
        assert "Not shown, as the counts are small ([c]): 10-24 beds, Community (no beds)." in (
            layout_text(page)
        )
        suppliers = _figure(page, "adoption-breakdown-chart-supplier")["data"][0]
        assert suppliers["y"] == ["Not known", "Carebook"]
        assert suppliers["x"] == [10, 15]

    def test_at_risk_and_no_return_lists_are_the_icbs_own(
        self, adoption_page: ModuleType, adoption_warehouse: Path, accounts: Path
    ) -> None:
        with serving(adoption_warehouse, identity=ICB_LEAD, accounts_path=accounts):
            page = adoption_page.layout()

        at_risk = layout_text(_by_id(page, "adoption-at-risk"))
        assert "Birch ViewMoor HomesExports stoppedLatest ODE-1 export covers to 6 Nov 2025" in (
            at_risk
        )
        assert "Elm CareDale Care LtdLatest return says No after Yes" in at_risk
        no_return = layout_text(_by_id(page, "adoption-no-return"))
        assert no_return.count("Moor Homes") == 6
        assert "Cedar Court" not in layout_text(page)
        assert CEDAR not in str(page.to_plotly_json())


class TestOwner:
    def test_owner_sees_own_locations_own_risks_and_the_controlled_icb_headline(
        self, adoption_page: ModuleType, adoption_warehouse: Path, accounts: Path
    ) -> None:
        with serving(adoption_warehouse, identity=OWNER_A, accounts_path=accounts):
            page = adoption_page.layout()

        text = layout_text(page)
        assert "Elm CareAire and Dale ICBCommunityNo31 Dec 2025abandoned" in text
        assert "Oak HouseAire and Dale ICBCare homeYes3 Nov 2025liveCarebook" in text
        assert "1 location at risk, as at" in text
        assert "Birch View" not in text
        assert "Using a DSCR (latest return says Yes)about 25" in text
        assert "No return yet[c]" in text
        assert "Adoption rate by locations60.0%" in text
        assert "Where the gaps are" not in text

    def test_a_quality_lead_is_told_the_page_is_not_theirs(
        self, adoption_page: ModuleType, adoption_warehouse: Path, accounts: Path
    ) -> None:
        with serving(adoption_warehouse, identity=QUALITY_LEAD_A, accounts_path=accounts):
            page = adoption_page.layout()

        assert "Only ICB leads and providers' owners see this page." in layout_text(page)
        assert "Oak House" not in layout_text(page)

    def test_the_page_is_registered_for_icb_leads_and_owners_only(
        self, adoption_page: ModuleType
    ) -> None:
        entry = dash.page_registry["dashboards.pages.adoption"]
        assert entry["path"] == "/adoption"
        assert entry["name"] == "DSCR adoption"
        assert entry["roles"] == frozenset({Role.ICB_LEAD, Role.OWNER})


class TestDownloads:
    def test_monthly_csv_writes_hidden_counts_as_c_and_is_audited(
        self, adoption_page: ModuleType, adoption_warehouse: Path, accounts: Path
    ) -> None:
        with serving(adoption_warehouse, identity=ICB_LEAD, accounts_path=accounts) as services:
            sent = adoption_page.send_table(button_id=_button("monthly", "csv"), stored={})
            events = services.accounts.access_events(kind=AccessEventKind.DOWNLOAD)

        frame = pl.read_csv(io.StringIO(sent["content"]), infer_schema=False)
        december = frame.row(frame.height - 1, named=True)
        assert december["active_locations"] == "40"
        assert december["adopted_locations"] == "25"
        assert december["no_return_locations"] == "[c]"
        assert float(december["adoption_rate"]) == pytest.approx(0.6)
        assert frame.height == 12
        assert sent["filename"] == "adoption-monthly-QAA.csv"
        assert [(event.detail, event.row_count) for event in events] == [
            ("adoption-monthly-QAA.csv", 12)
        ]

    def test_breakdown_xlsx_marks_the_hidden_cells(
        self, adoption_page: ModuleType, adoption_warehouse: Path, accounts: Path
    ) -> None:
        with serving(adoption_warehouse, identity=ICB_LEAD, accounts_path=accounts):
            sent = adoption_page.send_table(button_id=_button("breakdown", "xlsx"), stored={})

        sheet = load_workbook(io.BytesIO(base64.b64decode(sent["content"]))).active
        assert sheet is not None
        rows = list(sheet.iter_rows(values_only=True))
        header = list(rows[0])
        band = next(row for row in rows if row[2] == "10-24 beds")
        assert band[header.index("active_locations")] == 10
        assert band[header.index("adopted_locations")] == "[c]"
        assert band[header.index("adoption_rate")] == "[c]"

    def test_projection_follows_the_chosen_month(
        self, adoption_page: ModuleType, adoption_warehouse: Path, accounts: Path
    ) -> None:
        with serving(adoption_warehouse, identity=ICB_LEAD, accounts_path=accounts):
            sent = adoption_page.send_table(
                button_id=_button("projection", "csv"), stored={"by": "2026-06"}
            )

        frame = pl.read_csv(io.StringIO(sent["content"]))
        assert frame["month"].to_list()[0] == "2025-12-01"
        assert frame["month"].to_list()[-1] == "2026-10-01"  # through the month reaching 80%

    def test_an_owner_cannot_download_the_icb_breakdowns(
        self, adoption_page: ModuleType, adoption_warehouse: Path, accounts: Path
    ) -> None:
        with serving(adoption_warehouse, identity=OWNER_A, accounts_path=accounts) as services:
            with pytest.raises(PreventUpdate):
                adoption_page.send_table(button_id=_button("breakdown", "csv"), stored={})
            assert services.accounts.access_events(kind=AccessEventKind.DOWNLOAD) == []

    def test_owner_downloads_own_locations(
        self, adoption_page: ModuleType, adoption_warehouse: Path, accounts: Path
    ) -> None:
        with serving(adoption_warehouse, identity=OWNER_A, accounts_path=accounts):
            sent = adoption_page.send_table(button_id=_button("locations", "csv"), stored={})

        frame = pl.read_csv(io.StringIO(sent["content"]))
        assert frame["location_name"].to_list() == ["Elm Care", "Oak House"]
        assert sent["filename"] == f"adoption-locations-{PROVIDER_A}.csv"


def test_a_warehouse_without_adoption_marts_says_the_next_load_builds_them(
    adoption_page: ModuleType, tmp_path: Path
) -> None:
    # Given a warehouse built before the adoption tables existed
    path = write_adoption_warehouse(tmp_path / "old.duckdb")
    with duckdb.connect(str(path)) as con:
        con.execute("drop table marts.adoption_monthly")

    with serving(path, identity=ICB_LEAD, accounts_path=tmp_path / "accounts.sqlite3"):
        page = adoption_page.layout()

    text = layout_text(page)
    assert "The adoption figures have not been built in this warehouse yet" in text
    assert "select" not in text.lower()


class TestFunnel:
    def test_falls_plot_only_unsuppressed_providers_and_medication_pools_both(
        self, adoption_page: ModuleType, adoption_warehouse: Path, accounts: Path
    ) -> None:
        # Given A's 40 falls over 8,000 bed days and B's 5 over 2,000 (suppressed), and
        # medication errors 30 of 20,000 (A) and 12 of 10,000 (B)
        with serving(adoption_warehouse, identity=ICB_LEAD, accounts_path=accounts):
            page = adoption_page.layout()

        # Then falls show A alone at 5.00 per 1,000, B counted as not shown
        falls = _by_id(page, "adoption-funnel-chart-falls").figure
        points = [trace for trace in falls["data"] if trace.get("mode") == "markers"]
        assert [label for trace in points for label in trace["text"]] == ["Dale Care Ltd"]
        assert [y for trace in points for y in trace["y"]] == [pytest.approx(5.0)]
        text = layout_text(page)
        assert "1 provider is not shown: a count of 1 to 7 is suppressed." in text
        # And medication errors pool both providers: 42 / 30,000 = 1.40 per 1,000
        assert (
            "Medication errors per 1,000 scheduled doses, 2 providers against an average of 1.40"
        ) in text
        assert "Beck Care" not in text

    def test_funnel_download_writes_the_suppressed_falls_as_c(
        self, adoption_page: ModuleType, adoption_warehouse: Path, accounts: Path
    ) -> None:
        with serving(adoption_warehouse, identity=ICB_LEAD, accounts_path=accounts):
            sent = adoption_page.send_table(button_id=_button("funnel", "csv"), stored={})

        frame = pl.read_csv(io.StringIO(sent["content"]), infer_schema=False)
        moor = frame.filter(pl.col("provider_name") == "Moor Homes").row(0, named=True)
        assert moor["falls"] == "[c]"
        assert moor["falls_per_1000_bed_days"] == "[c]"
        assert moor["medication_errors"] == "10"
        assert float(moor["medication_errors_per_1000_doses"]) == pytest.approx(1.2)
        assert moor["month_from"] == "2025-01-01"
        assert frame.height == 2


def test_the_at_risk_caption_counts_locations_and_their_reasons() -> None:
    # Given one location at risk for two reasons and another for one
    from datetime import date

    from dashboards.components.adoption_view import _at_risk_caption

    frame = pl.DataFrame(
        {
            "location_id": ["1-100000001", "1-100000001", "1-100000002"],
            "as_of": [date(2026, 11, 22)] * 3,
        }
    )

    # When the list is captioned, Then it counts two locations and three reasons
    assert _at_risk_caption(frame) == "2 locations at risk (3 reasons), as at 22 Nov 2026"
