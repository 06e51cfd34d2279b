"""The Quality summary page and its callbacks as plain functions, per role, on a hand-made
warehouse (``quality_sample``): rows, targets, refusals, downloads and the audit trail."""

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
from layout_walk import by_id, components, has_id, layout_text
from openpyxl import load_workbook
from quality_sample import ALDER, ASH, BIRCH, PROVIDER_B, write_quality_warehouse

from dashboards.accounts import AccessEventKind
from dashboards.roles import Role
from dashboards.targets import TargetStore

OWNER_A = identity_for(Role.OWNER)
OWNER_B = identity_for(Role.OWNER, code=PROVIDER_B, username="owner-b")
LEAD_ALDER = identity_for(Role.QUALITY_LEAD, location_ids=frozenset({ALDER}))
INSPECTOR_A = identity_for(Role.INSPECTOR)


@pytest.fixture(scope="module")
def quality_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The quality sample warehouse (never modified)."""
    return write_quality_warehouse(tmp_path_factory.mktemp("quality-page") / "carelens.duckdb")


@pytest.fixture(scope="module")
def quality_page(dash_app: dash.Dash) -> ModuleType:
    """The Quality summary page module as registered by the app."""
    return importlib.import_module("dashboards.pages.quality")


@pytest.fixture
def accounts(tmp_path: Path) -> Path:
    """A fresh accounts file (targets and audit trail) for one test."""
    return tmp_path / "accounts.sqlite3"


def _rows(root: Any) -> list[list[str]]:
    """Location, measure, month, rate and target of every table row."""
    body = next(c for c in components(root) if type(c).__name__ == "Tbody")
    return [[layout_text(cell) for cell in row.children[:5]] for row in body.children]


def _icon_labels(root: Any) -> list[str]:
    """The aria-label of every icon in the table, row by row (variation, assurance)."""
    body = next(c for c in components(root) if type(c).__name__ == "Tbody")
    return [
        " / ".join(
            getattr(c, "aria-label") for c in components(row) if getattr(c, "role", None) == "img"
        )
        for row in body.children
    ]


ALDER_ROWS = [
    ["Alder House", "Fallsper 1,000 occupied bed days", "Feb 2026", "2.50", "No target"],
    ["Alder House", "Falls with harmper 1,000 occupied bed days", "Feb 2026", "0.00", "No target"],
    ["Alder House", "Medication errorsper 1,000 scheduled doses", "Feb 2026", "0.75", "No target"],
    ["Alder House", "Pressure ulcersper 1,000 occupied bed days", "Feb 2026", "2.50", "No target"],
]
"""Alder's latest rates: falls 2/800, with harm 0/800, errors 3/4000, ulcers 2/800 (x 1,000)."""


class TestLayout:
    def test_owner_sees_every_measure_of_each_location_and_why_home_care_has_one(
        self, quality_page: ModuleType, quality_warehouse: Path, accounts: Path
    ) -> None:
        # When A's owner opens the page
        with serving(quality_warehouse, identity=OWNER_A, accounts_path=accounts):
            page = quality_page.layout()

        # Then Alder has four rows and Ash (home care) medication errors only, at 2 per 1,000
        # (1 error in 500 doses), each linking to its chart and to its target form; the note
        # says why home care has one row
        assert _rows(page) == [
            *[
                [*row[:4], f"Set target for {row[1].split('per')[0].lower()} at Alder House"]
                for row in ALDER_ROWS
            ],
            [
                "Ash Court",
                "Medication errorsper 1,000 scheduled doses",
                "Feb 2026",
                "2.00",
                "Set target for medication errors at Ash Court",
            ],
        ]
        links = [
            c.to_plotly_json()["props"]["href"]
            for c in components(page)
            if type(c).__name__ == "Link"
        ]
        assert links[:4] == [
            f"/falls?location={ALDER}&measure=falls",
            f"/quality?location={ALDER}&measure=falls",
            f"/falls?location={ALDER}&measure=falls_with_harm",
            f"/quality?location={ALDER}&measure=falls_with_harm",
        ]
        assert links[-2:] == [
            f"/medication?location={ASH}&measure=medication_errors",
            f"/quality?location={ASH}&measure=medication_errors",
        ]
        assert not has_id(page, quality_page.TARGET_SAVE)
        assert "Ash Court is a home-care service: it has no occupied bed days" in layout_text(page)
        assert set(_icon_labels(page)) == {
            "Common cause variation: no significant change / No assurance icon: no target, "
            "or the measure has no better direction"
        }
        assert BIRCH not in str(page)

    def test_quality_lead_sees_only_their_location(
        self, quality_page: ModuleType, quality_warehouse: Path, accounts: Path
    ) -> None:
        with serving(quality_warehouse, identity=LEAD_ALDER, accounts_path=accounts):
            page = quality_page.layout()

        assert [row[:4] for row in _rows(page)] == [row[:4] for row in ALDER_ROWS]
        assert ASH not in str(page)

    def test_a_row_of_ones_own_opens_the_target_form_filled_in(
        self, quality_page: ModuleType, quality_warehouse: Path, accounts: Path
    ) -> None:
        # Given a falls target of 4.5 at Alder
        with serving(quality_warehouse, identity=OWNER_A, accounts_path=accounts):
            quality_page.save_target(
                1, {"key": f"{ALDER}|falls", "target_rate": "4.5", "note": "Regional median"}
            )

        # When the lead for Alder opens its form from the table
        with serving(quality_warehouse, identity=LEAD_ALDER, accounts_path=accounts):
            page = quality_page.layout(location=ALDER, measure="falls")

        # Then the form names the row, holds the target and note, and the row says Change
        assert layout_text(by_id(page, quality_page.TARGET_SECTION)).startswith(
            "Set the falls target of Alder House"
        )
        assert by_id(page, quality_page.TARGET_KEY).data == f"{ALDER}|falls"
        assert by_id(page, quality_page.TARGET_RATE).value == "4.5"
        assert by_id(page, quality_page.TARGET_NOTE).value == "Regional median"
        hint = layout_text(by_id(page, quality_page.TARGET_HINT))
        assert "Now 4.5, set by owner-user on " in hint
        assert _rows(page)[0][4] == "4.5Change target for falls at Alder House"

    @pytest.mark.parametrize(
        ("identity", "location", "measure"),
        [
            (OWNER_A, BIRCH, "falls"),
            (OWNER_A, ASH, "falls"),
            (OWNER_A, ALDER, "bedsores"),
            (LEAD_ALDER, ASH, "medication_errors"),
            (INSPECTOR_A, ALDER, "falls"),
        ],
        ids=["other-provider", "home-care-falls", "unknown-measure", "lead-elsewhere", "inspector"],
    )
    def test_no_form_for_a_row_the_caller_may_not_set(
        self,
        quality_page: ModuleType,
        quality_warehouse: Path,
        accounts: Path,
        identity: Any,
        location: str,
        measure: str,
    ) -> None:
        with serving(quality_warehouse, identity=identity, accounts_path=accounts):
            page = quality_page.layout(location=location, measure=measure)

        assert not has_id(page, quality_page.TARGET_SAVE)
        assert BIRCH not in str(page)

    def test_inspector_sees_targets_but_no_form(
        self, quality_page: ModuleType, quality_warehouse: Path, accounts: Path
    ) -> None:
        # Given a target set by A's owner
        with serving(quality_warehouse, identity=OWNER_A, accounts_path=accounts):
            quality_page.save_target(1, {"key": f"{ALDER}|falls", "target_rate": "3"})

        # When A's inspector opens the page
        with serving(quality_warehouse, identity=INSPECTOR_A, accounts_path=accounts):
            page = quality_page.layout()

        # Then the target is in the table and there is no form or link to change it
        assert _rows(page)[0][4] == "3"
        assert "/quality?" not in str(page)
        assert not has_id(page, quality_page.TARGET_KEY)
        assert not has_id(page, quality_page.TARGET_SAVE)
        assert "You can see them in the table above but not change them" in layout_text(page)

    def test_missing_warehouse_shows_how_to_load(
        self, quality_page: ModuleType, tmp_path: Path
    ) -> None:
        with serving(tmp_path / "absent.duckdb", identity=OWNER_A):
            page = quality_page.layout()

        assert "carelens load" in layout_text(page)


class TestSaveTarget:
    def test_owner_sets_a_target_and_the_assurance_changes(
        self, quality_page: ModuleType, quality_warehouse: Path, accounts: Path
    ) -> None:
        # Given A's owner signed in
        with serving(quality_warehouse, identity=OWNER_A, accounts_path=accounts) as services:
            # When they set Alder's falls target to 20 (above the upper limit, 13.56)
            status, status_class, hint, table = quality_page.save_target(
                1, {"key": f"{ALDER}|falls", "target_rate": "20", "note": "Regional median"}
            )
            events = services.accounts.access_events(kind=AccessEventKind.TARGET_CHANGED)

        # Then it is saved, the table shows it with a passing assurance icon, and the change
        # is audited
        assert status == "Target saved for Alder House, falls: 20 per 1,000 occupied bed days."
        assert "Now 20, set by owner-user on " in hint
        assert status_class == "quality-status"
        assert _rows(table)[0] == [*ALDER_ROWS[0][:4], "20Change target for falls at Alder House"]
        assert _icon_labels(table)[0] == (
            "Common cause variation: no significant change / "
            "The process will consistently meet the target"
        )
        assert [(e.username, e.detail) for e in events] == [
            (OWNER_A.username, f"{ALDER} falls: none -> 20")
        ]

    def test_a_target_within_the_limits_hits_and_misses_then_clears(
        self, quality_page: ModuleType, quality_warehouse: Path, accounts: Path
    ) -> None:
        with serving(quality_warehouse, identity=OWNER_A, accounts_path=accounts):
            _status, _class, _hint, table = quality_page.save_target(
                1, {"key": f"{ALDER}|falls", "target_rate": "3", "note": None}
            )
            cleared, _class, cleared_hint, after = quality_page.save_target(
                2, {"key": f"{ALDER}|falls", "target_rate": "", "note": None}
            )

        assert _icon_labels(table)[0].endswith("The process will hit and miss the target at random")
        assert cleared == "Target cleared for Alder House, falls."
        assert "No target is set." in cleared_hint
        assert _rows(after)[0][4] == "Set target for falls at Alder House"

    @pytest.mark.parametrize(
        ("identity", "key", "message"),
        [
            (INSPECTOR_A, f"{ALDER}|falls", "You can see targets but not change them."),
            (
                OWNER_A,
                f"{BIRCH}|falls",
                "Choose Set target or Change target in a row of the table first.",
            ),
            (
                OWNER_A,
                f"{ASH}|falls",
                "Choose Set target or Change target in a row of the table first.",
            ),
            (
                LEAD_ALDER,
                f"{ASH}|medication_errors",
                "Choose Set target or Change target in a row of the table first.",
            ),
            (
                OWNER_B,
                f"{ALDER}|falls",
                "Choose Set target or Change target in a row of the table first.",
            ),
            (OWNER_A, None, "Choose Set target or Change target in a row of the table first."),
        ],
        ids=[
            "inspector",
            "other-provider",
            "home-care-falls",
            "lead-other-location",
            "b-owner",
            "none",
        ],
    )
    def test_refused_writes_store_nothing(
        self,
        quality_page: ModuleType,
        quality_warehouse: Path,
        accounts: Path,
        identity: Any,
        key: str | None,
        message: str,
    ) -> None:
        # When a target is posted for a location or measure the caller may not set
        with serving(quality_warehouse, identity=identity, accounts_path=accounts) as services:
            status, status_class, hint, table = quality_page.save_target(
                1, {"key": key, "target_rate": "1"}
            )
            events = services.accounts.access_events(kind=AccessEventKind.TARGET_CHANGED)

        # Then it is refused without echoing the input, and nothing is written
        assert (status, status_class) == (message, "quality-status is-error")
        assert table is dash.no_update
        assert hint is dash.no_update
        assert events == []
        owner_view = TargetStore(accounts).current_targets(identity=OWNER_A)
        b_view = TargetStore(accounts).current_targets(identity=OWNER_B)
        assert owner_view == {}
        assert b_view == {}

    @pytest.mark.parametrize(
        ("form", "message"),
        [
            ({"key": f"{ALDER}|falls", "target_rate": "lots"}, "Enter the target as a number"),
            ({"key": f"{ALDER}|falls", "target_rate": "-1"}, "from 0 to 1,000"),
            ({"key": f"{ALDER}|falls", "target_rate": "1", "note": "x" * 301}, "300 characters"),
            ("junk", "Choose Set target or Change target in a row of the table first."),
            (
                {"provider_id": PROVIDER_B, "run_id": "x"},
                "Choose Set target or Change target in a row of the table first.",
            ),
        ],
    )
    def test_bad_values_are_explained(
        self,
        quality_page: ModuleType,
        quality_warehouse: Path,
        accounts: Path,
        form: Any,
        message: str,
    ) -> None:
        with serving(quality_warehouse, identity=OWNER_A, accounts_path=accounts):
            status, status_class, hint, table = quality_page.save_target(1, form)

        assert status.startswith(message) or message in status
        assert status_class == "quality-status is-error"
        assert table is dash.no_update
        assert hint is dash.no_update


class TestDownloads:
    def test_csv_has_the_rows_in_order_and_is_audited(
        self, quality_page: ModuleType, quality_warehouse: Path, accounts: Path
    ) -> None:
        with serving(quality_warehouse, identity=OWNER_A, accounts_path=accounts) as services:
            download = quality_page.download_csv(1)
            events = services.accounts.access_events(kind=AccessEventKind.DOWNLOAD)

        lines = download["content"].splitlines()
        assert download["filename"] == "quality-summary-1-101000001.csv"
        assert lines[0] == (
            "location_id,location_name,measure,unit,latest_month,latest_rate,target_rate,"
            "variation,assurance"
        )
        assert lines[1] == (
            f'{ALDER},Alder House,Falls,"per 1,000 occupied bed days",2026-02-01,2.5,,'
            "Common cause variation: no significant change,"
        )
        assert len(lines) == 1 + 5
        assert [(e.detail, e.row_count) for e in events] == [("quality-summary-1-101000001.csv", 5)]

    def test_xlsx_holds_the_same_rows_as_values_and_is_audited(
        self, quality_page: ModuleType, quality_warehouse: Path, accounts: Path
    ) -> None:
        with serving(quality_warehouse, identity=LEAD_ALDER, accounts_path=accounts) as services:
            download = quality_page.download_xlsx(1)
            events = services.accounts.access_events(kind=AccessEventKind.DOWNLOAD)

        assert download["base64"] is True
        sheet = load_workbook(io.BytesIO(base64.b64decode(download["content"]))).active
        assert sheet is not None
        rows = list(sheet.iter_rows(values_only=True))
        assert download["filename"] == "quality-summary-1-101000001.xlsx"
        assert sheet.title == "Quality summary"
        assert [row[2] for row in rows[1:]] == [
            "Falls",
            "Falls with harm",
            "Medication errors",
            "Pressure ulcers",
        ]
        assert rows[1][5] == 2.5
        assert [(e.detail, e.row_count) for e in events] == [
            ("quality-summary-1-101000001.xlsx", 4)
        ]

    def test_nothing_is_sent_before_a_click(
        self, quality_page: ModuleType, quality_warehouse: Path, accounts: Path
    ) -> None:
        with serving(quality_warehouse, identity=OWNER_A, accounts_path=accounts):
            assert quality_page.download_csv(None) is None
            assert quality_page.download_xlsx(0) is None
