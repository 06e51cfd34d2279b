"""The measure pages' incident lists and downloads, called as plain functions.

Incidents are ``measure_sample``'s: Alder House (A1) had 4 falls in January 2026 (5 Jan at
14:50 severe, 14:10 moderate, 11:15 and 2 Jan 08:15), Ash Court (A2) 2 falls in January 2026.
"""

from __future__ import annotations

import base64
import io
from pathlib import Path
from types import ModuleType
from typing import Any

import dash
import pytest
from audit_sample import (
    LOCATION_A1,
    LOCATION_A2,
    LOCATION_B1,
    OWNER_A,
    OWNER_B,
    QUALITY_LEAD_A1,
    serving,
)
from dash.exceptions import PreventUpdate
from measure_pages_kit import by_id, of_type, page_module, table_rows, text
from measure_sample import DESCRIPTION_MARK
from openpyxl import load_workbook

from dashboards.accounts import AccessEventKind, AccountStore
from dashboards.roles import Identity

A2, B1 = LOCATION_A2, LOCATION_B1
JANUARY = {"location": LOCATION_A1, "grain": "month", "measure": "falls"}


def _query(**changes: object) -> dict[str, Any]:
    query: dict[str, Any] = {
        "view": JANUARY,
        "period": "2026-01-01",
        "harm": "all",
        "subtype": "all",
        "location": LOCATION_A1,
    }
    query.update(changes)
    return query


@pytest.fixture(scope="module")
def falls(dash_app: dash.Dash) -> ModuleType:
    return page_module("falls")


@pytest.fixture(scope="module")
def medication(dash_app: dash.Dash) -> ModuleType:
    return page_module("medication")


def _incidents(page: ModuleType, warehouse_path: Path, identity: Identity, **query: str) -> Any:
    """The incident list of ``page`` laid out for ``identity`` with ``query``."""
    with serving(warehouse_path, identity=identity):
        layout = page.layout(**query)
    key = page.PAGE.key
    return by_id(layout, f"{key}-incidents")


class TestIncidentList:
    def test_lists_the_falls_of_the_selected_month(
        self, falls: ModuleType, warehouse_path: Path
    ) -> None:
        listed = _incidents(falls, warehouse_path, OWNER_A, period="2026-01-01")

        assert text(of_type(listed, "P")[0]) == (
            "4 falls at Alder House in January 2026, newest first."
        )
        assert table_rows(listed) == [
            ["5 Jan 2026 14:50", "Alder House", "Severe", "PA1-0008", "I-A1-E8"],
            ["5 Jan 2026 14:10", "Alder House", "Moderate", "PA1-0007", "I-A1-E7"],
            ["5 Jan 2026 11:15", "Alder House", "Low", "PA1-0003", "I-A1-F26011"],
            ["2 Jan 2026 08:15", "Alder House", "No harm", "PA1-0002", "I-A1-F26010"],
        ]

    def test_the_filters_show_what_is_chosen(self, falls: ModuleType, warehouse_path: Path) -> None:
        with serving(warehouse_path, identity=OWNER_A):
            page = falls.layout(period="2026-01-01", harm="severe", where="all")

        def chosen(control_id: str) -> str:
            return next(o.value for o in by_id(page, control_id).children if o.selected)

        assert chosen("falls-period") == "2026-01-01"
        assert chosen("falls-harm") == "severe"
        assert chosen("falls-incident-location") == "all"

    def test_filters_by_harm(self, falls: ModuleType, warehouse_path: Path) -> None:
        listed = _incidents(falls, warehouse_path, OWNER_A, period="2026-01-01", harm="severe")

        assert text(of_type(listed, "P")[0]) == (
            "1 fall at Alder House in January 2026 with harm severe, newest first."
        )
        assert len(table_rows(listed)) == 1

    def test_lists_every_location_in_scope(self, falls: ModuleType, warehouse_path: Path) -> None:
        # When A's owner and A1's quality lead list January's falls at all their locations
        owner = _incidents(falls, warehouse_path, OWNER_A, period="2026-01-01", where="all")
        lead = _incidents(falls, warehouse_path, QUALITY_LEAD_A1, period="2026-01-01", where="all")

        # Then the owner gets A1's 4 and A2's 2; the lead A1's only
        assert text(of_type(owner, "P")[0]) == (
            "6 falls at all your locations in January 2026, newest first."
        )
        assert {row[1] for row in table_rows(owner)} == {"Alder House", "Ash Court"}
        assert text(of_type(lead, "P")[0]) == (
            "4 falls at all your locations in January 2026, newest first."
        )
        assert "Ash Court" not in str(lead)

    def test_a_week_and_a_period_that_is_not_one(
        self, falls: ModuleType, warehouse_path: Path
    ) -> None:
        # Given the week of Monday 24 March 2025, whose only falls are the two on its Sunday,
        # the day of the spring clock change, and a "period" that is not a Monday
        week = _incidents(falls, warehouse_path, OWNER_A, grain="week", period="2025-03-24")
        not_a_monday = _incidents(falls, warehouse_path, OWNER_A, grain="week", period="2025-03-25")

        assert text(of_type(week, "P")[0]).startswith(
            "2 falls at Alder House in the week commencing 24 Mar 2025"
        )
        assert [row[-1] for row in table_rows(week)] == ["I-A1-E2", "I-A1-E1"]
        assert text(of_type(not_a_monday, "P")[0]).startswith(
            "132 falls at Alder House over the whole period"
        )

    def test_filters_medication_errors_by_subtype(
        self, medication: ModuleType, warehouse_path: Path
    ) -> None:
        # Given March 2024's two medication errors at A1: documentation, then omission
        listed = _incidents(
            medication, warehouse_path, OWNER_A, period="2024-03-01", subtype="omission"
        )

        assert text(of_type(listed, "P")[0]) == (
            "1 medication error at Alder House in March 2024 with subtype omission, newest first."
        )
        assert table_rows(listed)[0][2] == "Omission"

    def test_says_when_nothing_matches(self, falls: ModuleType, warehouse_path: Path) -> None:
        listed = _incidents(falls, warehouse_path, OWNER_A, period="2026-01-01", harm="fatal")

        assert text(listed) == "No falls at Alder House in January 2026 with harm fatal."
        assert of_type(listed, "Table") == []

    @pytest.mark.parametrize(
        ("identity", "query"),
        [
            (OWNER_A, {"period": "2026-01-01", "where": LOCATION_B1}),
            (QUALITY_LEAD_A1, {"period": "2026-01-01", "where": LOCATION_A2}),
            (QUALITY_LEAD_A1, {"period": "2026-01-01", "location": LOCATION_A2}),
            (OWNER_B, {"period": "2026-01-01", "location": LOCATION_A1, "where": "all"}),
        ],
        ids=["other-provider", "other-location-filter", "other-location", "other-owner"],
    )
    def test_nothing_is_listed_outside_the_callers_scope(
        self, falls: ModuleType, warehouse_path: Path, identity: Identity, query: dict[str, str]
    ) -> None:
        listed = _incidents(falls, warehouse_path, identity, **query)

        # Then only the caller's own come back: B's owner gets Birch Lodge's two falls
        own = "Birch Lodge" if identity is OWNER_B else "Alder House"
        assert text(of_type(listed, "P")[0]).split(" in January 2026")[0] in (
            "4 falls at Alder House",
            "2 falls at all your locations",
        )
        assert {row[1] for row in table_rows(listed)} == {own}


class TestHeatmapPeriod:
    @pytest.mark.parametrize(
        ("query", "heading", "cells"),
        [
            (
                {"period": "2026-01-01"},
                "When falls happen at Alder House in January 2026",
                {("Monday", 11): 1, ("Monday", 14): 2, ("Friday", 8): 1},
            ),
            (
                {"grain": "week", "period": "2026-01-05"},
                "When falls happen at Alder House in the week commencing 5 Jan 2026",
                {("Monday", 11): 1, ("Monday", 14): 2},
            ),
        ],
        ids=["month", "week"],
    )
    def test_counts_only_the_falls_of_the_listed_period(
        self,
        falls: ModuleType,
        warehouse_path: Path,
        query: dict[str, str],
        heading: str,
        cells: dict[tuple[str, int], int],
    ) -> None:
        # Given Alder House's January 2026 falls: Friday 2 Jan 08:15, Monday 5 Jan 11:15,
        # 14:10 and 14:50 (the week of Monday 5 January holds the last three)
        # When the page lists a period's incidents
        with serving(warehouse_path, identity=OWNER_A):
            page = falls.layout(location=LOCATION_A1, **query)

        # Then the heatmap says which period it counts, and counts only its falls
        extra = by_id(page, "falls-extra")
        assert text(of_type(extra, "H2")[0]) == heading
        counts = {
            (row[0], hour): int(value)
            for row in table_rows(extra)
            for hour, value in enumerate(row[1:])
            if value != "0"
        }
        assert counts == cells

    def test_without_a_period_it_counts_every_fall(
        self, falls: ModuleType, warehouse_path: Path
    ) -> None:
        with serving(warehouse_path, identity=OWNER_A):
            page = falls.layout(location=LOCATION_A1)

        extra = by_id(page, "falls-extra")
        assert text(of_type(extra, "H2")[0]) == (
            "When falls happen at Alder House over the whole period"
        )
        assert sum(int(value) for row in table_rows(extra) for value in row[1:]) == 132


class TestDownloads:
    def test_incidents_as_csv_every_row_no_description_and_audited(
        self, falls: ModuleType, warehouse_path: Path, tmp_path: Path
    ) -> None:
        # When the owner downloads every fall at A1 as CSV
        accounts = tmp_path / "accounts.sqlite3"
        request = {"table": "incidents", "format": "csv", "query": _query(period="all")}
        with serving(warehouse_path, identity=OWNER_A, accounts_path=accounts):
            sent = falls.download_table(request)

        # Then all 132 come (not just the 50 shown), with UK time, and never the description;
        # the download is in the audit trail with its file name and row count
        lines = sent["content"].splitlines()
        assert sent["filename"] == f"falls-incidents-{LOCATION_A1}-whole-period.csv"
        assert lines[0] == (
            "record_uid,occurred_uk_time,occurred_at,location_id,location_name,incident_type,"
            "subtype,harm,person_id"
        )
        assert len(lines) == 1 + 132
        assert lines[1].startswith("I-A1-F26021,2026-02-05T11:15:00.000000,")
        assert DESCRIPTION_MARK not in sent["content"]
        events = AccountStore(accounts).access_events(kind=AccessEventKind.DOWNLOAD)
        assert [(e.detail, e.row_count) for e in events] == [(sent["filename"], 132)]

    def test_the_chart_as_xlsx_holds_the_values_and_the_counterfactual(
        self, falls: ModuleType, warehouse_path: Path
    ) -> None:
        request = {"table": "chart", "format": "xlsx", "view": JANUARY}
        with serving(warehouse_path, identity=OWNER_A):
            sent = falls.download_table(request)

        # Then one row per month: March 2024 had 7 falls in 868 bed days; March 2025, the
        # first month after go-live, 5 observed against 5.5 expected without the DSCR
        assert sent["filename"] == f"falls-chart-{LOCATION_A1}-month.xlsx"
        assert sent["base64"] is True
        sheet = load_workbook(io.BytesIO(base64.b64decode(sent["content"]))).active
        assert sheet is not None
        rows = list(sheet.iter_rows(values_only=True))
        header = rows[0]
        assert header[:5] == (
            "location_id",
            "period",
            "falls",
            "occupied_bed_days",
            "falls_per_1000_bed_days",
        )
        first = dict(zip(header, rows[1], strict=True))
        assert first["falls"] == 7
        assert first["occupied_bed_days"] == 868
        assert first["falls_per_1000_bed_days"] == pytest.approx(7 / 868 * 1000)
        march_2025 = dict(zip(header, rows[13], strict=True))
        assert (march_2025["falls"], march_2025["expected_without_dscr"]) == (5, 5.5)
        assert len(rows) == 1 + 24

    def test_the_heatmap_and_doses(
        self, falls: ModuleType, medication: ModuleType, warehouse_path: Path
    ) -> None:
        with serving(warehouse_path, identity=OWNER_A):
            heatmap = falls.download_table({"table": "heatmap", "format": "csv", "view": JANUARY})
            doses = medication.download_table(
                {"table": "doses", "format": "csv", "view": {"location": LOCATION_A1}}
            )

        heat = heatmap["content"].splitlines()
        assert heat[0] == "location_id,weekday,day,hour,falls"
        assert len(heat) == 1 + 168
        assert f"{LOCATION_A1},7,Sunday,1,2" in heat  # 01:30 BST and 01:30 GMT, 26 Oct 2025
        rows = doses["content"].splitlines()
        assert rows[0].endswith("missed_share,late_share")
        assert rows[1].startswith(f"{LOCATION_A1},2024-03-01,3720,15,31,2,")
        assert doses["filename"] == f"medication_errors-doses-{LOCATION_A1}-month.csv"

    def test_the_heatmap_of_the_period_the_page_shows(
        self, falls: ModuleType, warehouse_path: Path
    ) -> None:
        # Given the page's incident query for January 2026 at Alder House (4 falls: Friday 2
        # Jan 08:15, Monday 5 Jan 11:15, 14:10 and 14:50)
        with serving(warehouse_path, identity=OWNER_A):
            sent = falls.download_table(
                {"table": "heatmap", "format": "csv", "view": JANUARY, "query": _query()}
            )

        # Then the file counts those four falls only, and its name says the month
        rows = [line.split(",") for line in sent["content"].splitlines()[1:]]
        counted = {(row[2], row[3]): int(row[4]) for row in rows if row[4] != "0"}
        assert counted == {("Friday", "8"): 1, ("Monday", "11"): 1, ("Monday", "14"): 2}
        assert sent["filename"] == f"falls-heatmap-{LOCATION_A1}-2026-01-01.csv"

    def test_the_estimate_lists_the_pages_measures(
        self, falls: ModuleType, warehouse_path: Path
    ) -> None:
        with serving(warehouse_path, identity=OWNER_A):
            sent = falls.download_table({"table": "estimate", "format": "csv", "view": JANUARY})

        lines = sent["content"].splitlines()
        assert [line.split(",")[1] for line in lines[1:]] == ["falls", "falls_with_harm"]

    @pytest.mark.parametrize(
        ("identity", "request_"),
        [
            (OWNER_A, {"table": "chart", "format": "csv", "view": {"location": LOCATION_B1}}),
            (
                QUALITY_LEAD_A1,
                {"table": "heatmap", "format": "csv", "view": {"location": LOCATION_A2}},
            ),
            (
                OWNER_A,
                {"table": "incidents", "format": "csv", "query": _query(location=LOCATION_B1)},
            ),
            (OWNER_A, {"table": "doses", "format": "csv", "view": JANUARY}),
            (OWNER_A, {"table": "chart", "format": "exe", "view": JANUARY}),
            (OWNER_A, {"table": "chart", "format": "csv"}),
            (OWNER_A, "chart"),
        ],
        ids=[
            "other-provider",
            "other-location",
            "other-provider-incidents",
            "table-of-another-page",
            "unknown-format",
            "no-view",
            "junk",
        ],
    )
    def test_nothing_is_sent_outside_the_callers_scope(
        self, falls: ModuleType, warehouse_path: Path, identity: Identity, request_: object
    ) -> None:
        with serving(warehouse_path, identity=identity), pytest.raises(PreventUpdate):
            falls.download_table(request_)
