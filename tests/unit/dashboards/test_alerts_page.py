"""The alerts page and its download callback as plain functions, per role, on the hand-made
warehouse of ``alerts_sample``: what each role sees, the views in the address, empty states,
downloads and their audit events. Expected figures are worked out by hand there and below."""

from __future__ import annotations

import base64
import importlib
import io
from pathlib import Path
from types import ModuleType
from typing import Any

import dash
import pytest
from alerts_sample import ALDER, ASH, BIRCH, CEDAR, PROVIDER_A, PROVIDER_C, write_alerts_warehouse
from audit_sample import identity_for, serving
from dash.exceptions import PreventUpdate
from layout_walk import components, layout_text
from openpyxl import load_workbook
from quality_sample import write_quality_warehouse

from dashboards.accounts import AccessEventKind
from dashboards.components import alerts_sections
from dashboards.roles import Role

OWNER_A = identity_for(Role.OWNER, code=PROVIDER_A)
LEAD_ASH = identity_for(Role.QUALITY_LEAD, code=PROVIDER_A, location_ids=frozenset({ASH}))
INSPECTOR_A = identity_for(Role.INSPECTOR, code=PROVIDER_A)
ICB_LEAD = identity_for(Role.ICB_LEAD, code="QAA")
ADMIN = identity_for(Role.ADMIN)


@pytest.fixture(scope="module")
def alerts_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The alerts sample warehouse (never modified)."""
    return write_alerts_warehouse(tmp_path_factory.mktemp("alerts-page") / "carelens.duckdb")


@pytest.fixture(scope="module")
def alerts_page(dash_app: dash.Dash) -> ModuleType:
    """The alerts page module as registered by the app."""
    return importlib.import_module("dashboards.pages.alerts")


@pytest.fixture
def accounts(tmp_path: Path) -> Path:
    """A fresh accounts file (audit trail) for one test."""
    return tmp_path / "accounts.sqlite3"


def _spaced_text(root: Any) -> str:
    return layout_text(root, separator=" ")


def _section(root: Any, name: str) -> Any:
    return next(c for c in components(root) if getattr(c, "id", None) == f"alerts-{name}")


def _tables(root: Any) -> list[list[list[str]]]:
    """Every table's body rows as cell texts."""
    return [
        [[_spaced_text(cell) for cell in row.children] for row in body.children]
        for body in (c for c in components(root) if type(c).__name__ == "Tbody")
    ]


def _layout(page: ModuleType, warehouse: Path, accounts: Path, identity: Any, **query: str) -> Any:
    with serving(warehouse, identity=identity, accounts_path=accounts):
        return page.layout(**query)


class TestProviderView:
    def test_owner_sees_the_headline_response_times(
        self, alerts_page: ModuleType, alerts_warehouse: Path, accounts: Path
    ) -> None:
        # When A's owner opens the page (all locations, the last 13 weeks)
        page = _layout(alerts_page, alerts_warehouse, accounts, OWNER_A)

        # Then the headline gives the figures worked out in test_alerts_queries: medians 22.5
        # (shown 22) and 120 minutes (2.0 hours), 90th percentiles 43 and 960 minutes (16.0
        # hours), 6 of 9 resolved within 24 hours, 1 of 2 open alerts over 24 hours
        times = _spaced_text(_section(page, "times"))
        assert "from 1 Dec 2025 to 1 Mar 2026" in times
        assert "median 22 min, 90th percentile 43 min" in times
        assert "median 2.0 hours, 90th percentile 16.0 hours" in times
        assert "66.7% (6 of 9)" in times
        assert "1 of 2 open" in times
        assert [row[0] for row in _tables(_section(page, "times"))[0]] == [
            "Alder House",
            "Ash Court",
            "All locations shown",
        ]
        assert BIRCH not in str(page)
        assert CEDAR not in str(page)

    def test_rules_worth_retuning_rank_categories_and_locations(
        self, alerts_page: ModuleType, alerts_warehouse: Path, accounts: Path
    ) -> None:
        page = _layout(alerts_page, alerts_warehouse, accounts, OWNER_A)

        # Then missed care tasks (2 false alarms of 2 closed) lead, then other (1 of 2); the
        # categories without false alarms follow by name; Alder (3 of 6) leads Ash (0 of 1)
        categories, locations = _tables(_section(page, "retune"))
        assert [row[:3] + row[5:] for row in categories] == [
            ["1", "Missed care task", "2", "100.0%"],
            ["2", "Other", "1", "50.0%"],
            ["3", "Incident reported", "0", "0.0%"],
            ["4", "Low fluid intake", "0", "0.0%"],
            ["5", "Visit not signed out", "0", "0.0%"],
        ]
        assert [row[1:3] + row[5:] for row in locations] == [
            ["Alder House", "3", "50.0%"],
            ["Ash Court", "0", "0.0%"],
        ]
        assert "Missed care task (2 false alarms, 100% of the 2 closed)" in _spaced_text(
            _section(page, "retune")
        )

    def test_open_alerts_are_listed_by_score_with_the_reason(
        self, alerts_page: ModuleType, alerts_warehouse: Path, accounts: Path
    ) -> None:
        page = _layout(alerts_page, alerts_warehouse, accounts, OWNER_A)

        rows = _tables(_section(page, "open"))[0]
        assert [row[0] for row in rows] == ["90%", "30%"]
        assert rows[0][1:] == [
            "1 Mar 2026 20:00",
            "6.0 hours",
            "Alder House",
            "Low fluid intake",
            "High",
            "Low fluid intake alerts need action more often than most.",
            "AL-6",
        ]
        assert rows[1][2] == "25.5 hours"

    def test_the_model_card_in_plain_words(
        self, alerts_page: ModuleType, alerts_warehouse: Path, accounts: Path
    ) -> None:
        page = _layout(alerts_page, alerts_warehouse, accounts, OWNER_A)

        # Then against the base rate of 0.8: 0.96 / 0.8 = 1.20 times; false alarms 0.5
        # against 0.2 = 2.5 times; AUC 75%; Brier 1 - 0.12 / 0.16 = 25% lower
        text = _spaced_text(_section(page, "model"))
        assert "80% of them needed action" in text
        assert "Of the tenth it scored highest, 96% needed action: 1.20 times the base rate" in text
        assert "average precision was 0.50 against 0.20 by chance: 2.5 times better" in text
        assert "higher 75% of the time (50% is a coin toss)" in text
        assert "(25% lower is better)" in text
        assert "within 2.0 percentage points" in text
        assert "little better than the base rate" not in text

    def test_spc_burden_and_heatmap_sections_describe_their_charts(
        self, alerts_page: ModuleType, alerts_warehouse: Path, accounts: Path
    ) -> None:
        page = _layout(alerts_page, alerts_warehouse, accounts, OWNER_A, location=ALDER)

        # Then Alder's weekly share is charted over its 8 weeks, 3 with closed alerts (1/1,
        # 0/1, 2/4); go-live (10 Jan) is in the first week, so the limits are not rebased
        spc = _spaced_text(_section(page, "spc"))
        assert spc.count("w/c ") == 8
        assert "False alarms, % of closed alerts: 3 points" in spc
        # burden: March 4 alerts over 10 care-worker shifts (0.40) and 2 manager shifts (2.00)
        burden = _spaced_text(_section(page, "burden"))
        assert (
            "In March 2026, 0.40 alerts per care-worker shift (4 alerts over 10 shifts)" in burden
        )
        assert "2.00 alerts per manager shift (2 shifts)" in burden
        # heatmap: Sunday has four of Alder's eight alerts
        heatmap = _spaced_text(_section(page, "heatmap"))
        assert "8 alerts by day of the week" in heatmap
        assert "Busiest day: Sunday (4 alerts)" in heatmap
        assert "(1 alert each)" in heatmap

    def test_a_quality_lead_sees_only_their_location(
        self, alerts_page: ModuleType, alerts_warehouse: Path, accounts: Path
    ) -> None:
        # When Ash's lead asks for Alder
        page = _layout(alerts_page, alerts_warehouse, accounts, LEAD_ASH, location=ALDER)

        # Then they are told it is not theirs, and see Ash only (AS-1 in its 13 weeks to 20 Feb)
        text = _spaced_text(page)
        assert alerts_page.NOT_YOURS in text
        assert ALDER not in str(page)
        assert "Alder House" not in text
        assert "AL-" not in text
        assert "No alert is open at all your locations in the latest export." in text
        assert _tables(_section(page, "times"))[0][0][:2] == ["Ash Court", "1"]

    def test_the_period_in_the_address_is_used_and_junk_is_the_default(
        self, alerts_page: ModuleType, alerts_warehouse: Path, accounts: Path
    ) -> None:
        four = _layout(alerts_page, alerts_warehouse, accounts, OWNER_A, period="4w")
        junk = _layout(alerts_page, alerts_warehouse, accounts, OWNER_A, period="' or 1=1")

        # 28 days to 1 March: from 2 Feb, with seven alerts (AL-7 and AL-8 of January out)
        assert "from 2 Feb 2026 to 1 Mar 2026" in _spaced_text(_section(four, "times"))
        assert "Alerts raised 7" in _spaced_text(_section(four, "times"))
        assert "from 1 Dec 2025 to 1 Mar 2026" in _spaced_text(_section(junk, "times"))

    def test_inspector_sees_the_provider_view(
        self, alerts_page: ModuleType, alerts_warehouse: Path, accounts: Path
    ) -> None:
        page = _layout(alerts_page, alerts_warehouse, accounts, INSPECTOR_A)

        assert _tables(_section(page, "open"))[0][0][-1] == "AL-6"


class TestEmptyStates:
    def test_no_alerts_yet(self, alerts_page: ModuleType, tmp_path: Path, accounts: Path) -> None:
        # Given a warehouse whose locations have sent no alerts
        warehouse = write_quality_warehouse(tmp_path / "carelens.duckdb")

        page = _layout(alerts_page, warehouse, accounts, OWNER_A)

        assert "No alerts are in your locations' exports yet." in _spaced_text(page)

    def test_model_never_trained(
        self, alerts_page: ModuleType, tmp_path: Path, accounts: Path
    ) -> None:
        warehouse = write_alerts_warehouse(tmp_path / "carelens.duckdb", with_model=False)

        page = _layout(alerts_page, warehouse, accounts, OWNER_A)

        not_trained = "The triage model has not been trained yet. Open alerts are not scored."
        assert not_trained in _spaced_text(_section(page, "open"))
        assert "The triage model has not been trained yet: the nightly load" in _spaced_text(
            _section(page, "model")
        )


class TestIcbView:
    def test_one_controlled_row_per_provider_and_no_alerts(
        self, alerts_page: ModuleType, alerts_warehouse: Path, accounts: Path
    ) -> None:
        page = _layout(alerts_page, alerts_warehouse, accounts, ICB_LEAD)

        # Then A: 9 raised -> 10, closed 7 and false alarms 3 suppressed; B: 12 -> 10 each,
        # share 8 / 12 = 66.7%; no location, alert or provider of ICB QBB
        assert _tables(page) == [
            [
                [PROVIDER_A, "10", "[c]", "[c]", "[c]"],
                ["1-102000002", "10", "10", "10", "66.7%"],
            ]
        ]
        body = str(page)
        assert PROVIDER_C not in body
        assert not any(place in body for place in (ALDER, ASH, BIRCH, CEDAR, "AL-", "Alder"))
        assert "Location" not in [
            c.children for c in components(page) if type(c).__name__ == "Label"
        ]


class TestDownloads:
    def test_owner_csv_is_read_again_and_audited(
        self, alerts_page: ModuleType, alerts_warehouse: Path, accounts: Path
    ) -> None:
        request = {"table": "times", "format": "csv", "view": {"location": "all", "period": "13w"}}
        with serving(alerts_warehouse, identity=OWNER_A, accounts_path=accounts) as services:
            download = alerts_page.download_table(request)
            events = services.accounts.access_events(kind=AccessEventKind.DOWNLOAD)

        lines = download["content"].splitlines()
        assert download["filename"] == "alerts-times-all-locations-2025-12-01-2026-03-01.csv"
        assert lines[0].startswith("period_from,period_to,location_id,alerts_raised")
        assert len(lines) == 4  # Alder, Ash, all
        assert [(e.detail, e.row_count) for e in events] == [(download["filename"], 3)]

    def test_open_alerts_xlsx_holds_every_open_alert(
        self, alerts_page: ModuleType, alerts_warehouse: Path, accounts: Path
    ) -> None:
        request = {"table": "open", "format": "xlsx", "view": {"location": ALDER, "period": "4w"}}
        with serving(alerts_warehouse, identity=OWNER_A, accounts_path=accounts):
            download = alerts_page.download_table(request)

        sheet = load_workbook(io.BytesIO(base64.b64decode(download["content"]))).active
        assert sheet is not None
        rows = list(sheet.iter_rows(values_only=True))
        assert [row[0] for row in rows] == ["record_uid", "AL-6", "AL-5"]
        assert download["filename"] == f"alerts-open-{ALDER}-2026-02-02-2026-03-01.xlsx"

    def test_a_location_not_ones_own_downloads_ones_own(
        self, alerts_page: ModuleType, alerts_warehouse: Path, accounts: Path
    ) -> None:
        request = {"table": "volumes", "format": "csv", "view": {"location": BIRCH}}
        with serving(alerts_warehouse, identity=LEAD_ASH, accounts_path=accounts):
            download = alerts_page.download_table(request)

        assert BIRCH not in download["content"]
        assert ALDER not in download["content"]
        assert download["content"].splitlines()[1].startswith(f"2026-02-20,{ASH},Ash Court,")

    def test_icb_download_is_controlled_and_alert_tables_are_refused(
        self, alerts_page: ModuleType, alerts_warehouse: Path, accounts: Path
    ) -> None:
        with serving(alerts_warehouse, identity=ICB_LEAD, accounts_path=accounts):
            download = alerts_page.download_table(
                {"table": "providers", "format": "csv", "view": {"period": "13w"}}
            )
            refused = []
            for table in ("open", "times", "volumes"):
                with pytest.raises(PreventUpdate):
                    alerts_page.download_table({"table": table, "format": "csv", "view": {}})
                refused.append(table)

        assert download["content"].splitlines()[1:] == [
            f"2025-12-01,2026-03-01,{PROVIDER_A},10,[c],[c],",
            "2025-12-01,2026-03-01,1-102000002,10,10,10,0.6666666666666666",
        ]
        assert refused == ["open", "times", "volumes"]

    @pytest.mark.parametrize(
        "request_value",
        [
            None,
            "junk",
            {"table": "providers", "format": "csv"},
            {"table": "times", "format": "exe"},
        ],
        ids=["none", "junk", "icb-table", "unknown-format"],
    )
    def test_junk_requests_send_nothing(
        self, alerts_page: ModuleType, alerts_warehouse: Path, accounts: Path, request_value: Any
    ) -> None:
        with (
            serving(alerts_warehouse, identity=OWNER_A, accounts_path=accounts),
            pytest.raises(PreventUpdate),
        ):
            alerts_page.download_table(request_value)


class TestFormatting:
    @pytest.mark.parametrize(
        ("minutes", "text"),
        [(None, "–"), (0.4, "0 min"), (119.4, "119 min"), (120, "2.0 hours"), (2880, "2.0 days")],
    )
    def test_minutes_text(self, minutes: float | None, text: str) -> None:
        assert alerts_sections.minutes_text(minutes) == text
