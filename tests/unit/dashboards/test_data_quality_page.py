from __future__ import annotations

from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from audit_sample import (
    ADMIN,
    ALL_PROVIDERS,
    EXPORT_A2,
    ICB_LEAD_A,
    ICB_LEAD_B,
    OWNER_A,
    PROVIDER_A,
    PROVIDER_C,
    QUALITY_LEAD_A1,
    RUN_1,
    RUN_2,
    RUN_3,
    serving,
)
from dash.development.base_component import Component
from layout_walk import by_id, components, has_id, layout_text

from dashboards.accounts import AccessEventKind
from dashboards.roles import Identity


def _table_rows(table: Component) -> list[list[str]]:
    body = next(c for c in components(table) if type(c).__name__ == "Tbody")
    return [[layout_text(cell) for cell in row.children] for row in body.children]


def _headings(root: Any, level: str) -> list[str]:
    return [layout_text(c) for c in components(root) if type(c).__name__ == level]


def _layout(page: ModuleType, warehouse_path: Path, identity: Identity, **query: str) -> Any:
    with serving(warehouse_path, identity=identity):
        return page.layout(**query)


class TestProviderView:
    def test_history_is_the_providers_runs_with_its_own_counts(
        self, data_quality_page: ModuleType, warehouse_path: Path
    ) -> None:
        # When owner A opens the page with no run chosen
        page = _layout(data_quality_page, warehouse_path, OWNER_A)

        # Then the history lists the two runs with A's files, newest first, A's counts only
        rows = _table_rows(by_id(page, data_quality_page.HISTORY))
        assert [row[:2] for row in rows] == [
            ["22 Nov 2026 02:00", "Loaded with quarantined rows"],
            ["21 Nov 2026 02:00", "Clean"],
        ]
        assert rows[0][5:9] == ["26", "11", "2", "13"]
        # and the details are of the latest of A's runs, without table checks or Data Docs
        assert by_id(page, data_quality_page.RUN).data == RUN_2
        details = by_id(page, data_quality_page.DETAILS)
        assert _headings(details, "H3") == [
            "Rows per file",
            "Why rows were quarantined",
            "Quarantined rows",
            "Warnings",
        ]
        assert "All 13 quarantined rows" in layout_text(details)
        assert "unknown column(s) ignored: a_col" in layout_text(details)
        assert not [c for c in components(details) if type(c).__name__ == "A"]

    def test_shows_nothing_of_other_providers(
        self, data_quality_page: ModuleType, warehouse_path: Path
    ) -> None:
        page = str(_layout(data_quality_page, warehouse_path, OWNER_A))

        for provider, identifiers in ALL_PROVIDERS.items():
            if provider != PROVIDER_A:
                for value in [provider, *identifiers["exports"], *identifiers["people"]]:
                    assert value not in page
        assert RUN_3 not in page

    def test_another_providers_run_falls_back_to_the_latest_of_ones_own(
        self, data_quality_page: ModuleType, warehouse_path: Path
    ) -> None:
        page = _layout(data_quality_page, warehouse_path, OWNER_A, run=RUN_3)

        assert by_id(page, data_quality_page.RUN).data == RUN_2

    def test_an_earlier_run_chosen_in_the_query_string(
        self, data_quality_page: ModuleType, warehouse_path: Path
    ) -> None:
        page = _layout(data_quality_page, warehouse_path, OWNER_A, run=RUN_1)

        details = layout_text(by_id(page, data_quality_page.DETAILS))
        assert by_id(page, data_quality_page.RUN).data == RUN_1
        assert "No rows were quarantined in this run." in details

    def test_a_quality_lead_limited_to_a_location_sees_its_rows(
        self, data_quality_page: ModuleType, warehouse_path: Path
    ) -> None:
        page = _layout(data_quality_page, warehouse_path, QUALITY_LEAD_A1)

        details = layout_text(by_id(page, data_quality_page.DETAILS))
        assert "are those of your locations only" in details
        assert "All 8 quarantined rows" in details
        assert "PA1-0001" in details
        assert "PA2-0001" not in details
        assert "1-201000002" not in details

    def test_chart_has_a_text_summary_of_the_providers_rows(
        self, data_quality_page: ModuleType, warehouse_path: Path
    ) -> None:
        page = _layout(data_quality_page, warehouse_path, OWNER_A)

        figure = next(c for c in components(page) if type(c).__name__ == "Figure")
        assert layout_text(figure).startswith(
            "In 2 runs from 21 Nov 2026 02:00 to 22 Nov 2026 02:00, 1,013 rows were loaded and "
            "13 were quarantined"
        )

    def test_missing_warehouse_shows_how_to_load(
        self, data_quality_page: ModuleType, tmp_path: Path
    ) -> None:
        page = _layout(data_quality_page, tmp_path / "carelens.duckdb", OWNER_A)

        assert layout_text(page) == (
            "Data qualityNothing to show yetNo load has run yet: run carelens load INBOX."
        )


class TestOperationsView:
    def test_admin_sees_every_run_with_checks_but_no_quarantined_rows(
        self, data_quality_page: ModuleType, warehouse_path: Path
    ) -> None:
        page = _layout(data_quality_page, warehouse_path, ADMIN, run=RUN_2)

        rows = _table_rows(by_id(page, data_quality_page.HISTORY))
        assert [row[1] for row in rows] == [
            "Loaded; some files rejected",
            "Loaded with quarantined rows",
            "Clean",
        ]
        assert [row[-1] for row in rows] == ["Yes", "No", "Yes"]
        details = by_id(page, data_quality_page.DETAILS)
        assert _headings(details, "H3") == ["Rows per file", "Table-level checks"]
        text = layout_text(details)
        assert "257 rows loaded, 18 quarantined" in text
        assert "quote values from care records" in text
        for identifiers in ALL_PROVIDERS.values():
            for person in identifiers["people"]:
                assert person not in str(page)
        assert "a_col" not in str(page)

    def test_files_name_their_providers(
        self, data_quality_page: ModuleType, warehouse_path: Path
    ) -> None:
        page = _layout(data_quality_page, warehouse_path, ADMIN, run=RUN_2)

        files = by_id(page, data_quality_page.FILES)
        assert [row["provider_id"] for row in files.data] == [
            PROVIDER_A,
            PROVIDER_A,
            "1-102000002",
            PROVIDER_C,
            PROVIDER_C,
            "",
        ]

    def test_data_docs_link_for_a_run_that_wrote_them(
        self, data_quality_page: ModuleType, warehouse_path: Path
    ) -> None:
        page = _layout(data_quality_page, warehouse_path, ADMIN, run=RUN_1)

        details = by_id(page, data_quality_page.DETAILS)
        links = [getattr(c, "href", None) for c in components(details) if type(c).__name__ == "A"]
        assert links == [f"/data-docs/{RUN_1}/index.html"]


class TestIcbView:
    def test_one_controlled_row_per_provider_in_the_icb(
        self, data_quality_page: ModuleType, warehouse_path: Path
    ) -> None:
        # When the lead of ICB A opens the page
        page = _layout(data_quality_page, warehouse_path, ICB_LEAD_A)

        # Then (hand-worked in test_dashboard_queries) A and C, counts rounded or suppressed
        assert _table_rows(by_id(page, data_quality_page.PROVIDERS)) == [
            [PROVIDER_A, "[c]", "21 Nov 2026", "1,030", "1,015", "15", "1.3%"],
            [PROVIDER_C, "[c]", "21 Nov 2026", "[c]", "[c]", "[c]", "[c]"],
        ]
        assert not has_id(page, data_quality_page.HISTORY)
        assert "1-102000002" not in str(page)
        assert EXPORT_A2 not in str(page)


class TestDownloadQuarantine:
    def test_sends_every_row_of_the_callers_run_and_audits_it(
        self, data_quality_page: ModuleType, warehouse_path: Path, tmp_path: Path
    ) -> None:
        # Given owner A signed in
        with serving(
            warehouse_path, identity=OWNER_A, accounts_path=tmp_path / "a.sqlite3"
        ) as services:
            # When they download the quarantined rows of their latest run
            download = data_quality_page.download_quarantine(1, RUN_2)
            events = services.accounts.access_events(kind=AccessEventKind.DOWNLOAD)

        # Then all 13 of A's rows come, and the download is in the audit trail
        lines = download["content"].splitlines()
        assert download["filename"] == f"quarantine-{RUN_2}.csv"
        assert lines[0] == "export_id,file_name,line_number,location_id,rule,reason"
        assert len(lines) == 1 + 13
        assert all(line.startswith(EXPORT_A2) for line in lines[1:])
        assert [(e.username, e.detail, e.row_count) for e in events] == [
            (OWNER_A.username, f"quarantine-{RUN_2}.csv", 13)
        ]

    def test_a_run_that_is_not_the_callers_sends_nothing(
        self, data_quality_page: ModuleType, warehouse_path: Path
    ) -> None:
        with serving(warehouse_path, identity=OWNER_A):
            assert data_quality_page.download_quarantine(1, RUN_3) is None
            assert data_quality_page.download_quarantine(1, ["junk"]) is None

    def test_does_nothing_before_a_click(
        self, data_quality_page: ModuleType, warehouse_path: Path
    ) -> None:
        with serving(warehouse_path, identity=OWNER_A):
            assert data_quality_page.download_quarantine(None, RUN_2) is None


class TestDownloadIcbProviders:
    def test_sends_the_controlled_table_with_suppression_marks(
        self, data_quality_page: ModuleType, warehouse_path: Path
    ) -> None:
        with serving(warehouse_path, identity=ICB_LEAD_B):
            download = data_quality_page.download_icb_providers(1)

        assert download["filename"] == "icb-providers-QBB.csv"
        assert download["content"].splitlines() == [
            "provider_id,packages_loaded,latest_extract_to,rows_read,rows_loaded,"
            "rows_quarantined,share_quarantined",
            "1-102000002,[c],2026-11-21,2270,2210,[c],[c]",
        ]

    @pytest.mark.parametrize("identity", [OWNER_A, ADMIN])
    def test_is_refused_to_other_roles(
        self, data_quality_page: ModuleType, warehouse_path: Path, identity: Identity
    ) -> None:
        from dashboards.access import AccessDeniedError

        with serving(warehouse_path, identity=identity), pytest.raises(AccessDeniedError):
            data_quality_page.download_icb_providers(1)
