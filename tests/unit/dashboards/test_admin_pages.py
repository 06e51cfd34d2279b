"""The admin pages: Audit log (filters, chain check, audited download) and Users."""

from __future__ import annotations

import importlib
import sqlite3
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from types import ModuleType
from typing import Any

import dash
import pytest
from audit_sample import ADMIN, OWNER_A, serving
from layout_walk import components, layout_text

from dashboards.access import AccessDeniedError
from dashboards.accounts import AccessEvent, AccessEventKind
from dashboards.context import AppServices
from dashboards.roles import Role, Scope


def _table_rows(root: Any, table_id: str) -> list[list[str]]:
    table = next(c for c in components(root) if getattr(c, "id", None) == table_id)
    body = next(c for c in components(table) if type(c).__name__ == "Tbody")
    return [[layout_text(cell) for cell in row.children] for row in body.children]


@pytest.fixture(scope="session")
def audit_log_page(dash_app: dash.Dash) -> ModuleType:
    return importlib.import_module("dashboards.pages.audit_log")


@pytest.fixture(scope="session")
def users_page(dash_app: dash.Dash) -> ModuleType:
    return importlib.import_module("dashboards.pages.users")


# Three days of events; 1 and 2 March are in winter, so UK time is UTC
EVENTS = [
    AccessEvent(AccessEventKind.SIGN_IN, datetime(2026, 3, 1, 9, 0, tzinfo=UTC), "r1", "alice"),
    AccessEvent(
        AccessEventKind.PAGE_VIEW,
        datetime(2026, 3, 1, 9, 1, tzinfo=UTC),
        "r2",
        "alice",
        role="owner",
        path="/data-quality",
        scope="provider 1-101000001",
    ),
    AccessEvent(
        AccessEventKind.QUERY,
        datetime(2026, 3, 2, 23, 59, tzinfo=UTC),
        "r3",
        "alice",
        role="owner",
        path="/data-quality",
        scope="provider 1-101000001",
        detail="provider_load_runs (provider)",
        row_count=2,
    ),
    AccessEvent(
        AccessEventKind.SIGN_IN_FAILED,
        datetime(2026, 3, 3, 0, 0, tzinfo=UTC),
        "r4",
        "bob",
        detail="=HYPERLINK(wrong password)",
    ),
]


@pytest.fixture
def served(warehouse_path: Path, tmp_path: Path) -> Iterator[AppServices]:
    """An admin's request, with a store holding the four events and two accounts."""
    with serving(
        warehouse_path, identity=ADMIN, accounts_path=tmp_path / "accounts.sqlite3"
    ) as services:
        for event in EVENTS:
            services.accounts.record(event)
        now = datetime(2026, 3, 1, tzinfo=UTC)
        services.accounts.add_user(
            "alice",
            roles=frozenset({Role.OWNER}),
            scope=Scope(provider_id="1-101000001"),
            password="a long enough passphrase",
            now=now,
        )
        services.accounts.add_user(
            "ines",
            roles=frozenset({Role.INSPECTOR}),
            scope=Scope(provider_id="1-101000001"),
            password=None,
            expires_on=date(2026, 2, 28),
            now=now,
        )
        yield services


class TestAuditLog:
    def test_lists_every_event_newest_first_and_the_chain_verifies(
        self, audit_log_page: ModuleType, served: AppServices
    ) -> None:
        page = audit_log_page.layout()

        rows = _table_rows(page, audit_log_page.EVENTS)
        assert [row[:3] for row in rows] == [
            ["3 Mar 2026 00:00", "Sign-in failed", "bob"],
            ["2 Mar 2026 23:59", "Data query", "alice"],
            ["1 Mar 2026 09:01", "Page viewed", "alice"],
            ["1 Mar 2026 09:00", "Signed in", "alice"],
        ]
        assert rows[1][5:8] == ["/data-quality", "provider_load_runs (provider)", "2"]
        assert "The audit trail is intact." in layout_text(page)
        assert "4 matching events." in layout_text(page)

    def test_filters_by_user_kind_and_uk_days(
        self, audit_log_page: ModuleType, served: AppServices
    ) -> None:
        # When filtering alice's events on 2 March (UK), then page views, then bob
        on_the_2nd = audit_log_page.layout(username="Alice", since="2026-03-02", until="2026-03-02")
        views = audit_log_page.layout(kind="page_view")
        bob = audit_log_page.layout(username="bob", since="2026-03-03")

        # Then the to-date includes its whole day (23:59) and excludes the next
        assert [row[1] for row in _table_rows(on_the_2nd, audit_log_page.EVENTS)] == ["Data query"]
        assert [row[0] for row in _table_rows(views, audit_log_page.EVENTS)] == ["1 Mar 2026 09:01"]
        assert [row[1] for row in _table_rows(bob, audit_log_page.EVENTS)] == ["Sign-in failed"]

    def test_unreadable_filters_are_named_and_left_out(
        self, audit_log_page: ModuleType, served: AppServices
    ) -> None:
        page = audit_log_page.layout(kind="delete_everything", since="yesterday")

        text = layout_text(page)
        assert "That event kind is not one the audit log records." in text
        assert "From date: enter a date as YYYY-MM-DD." in text
        assert len(_table_rows(page, audit_log_page.EVENTS)) == 4

    def test_download_sends_the_filtered_events_and_is_itself_audited(
        self, audit_log_page: ModuleType, served: AppServices
    ) -> None:
        # When the admin downloads alice's events
        download = audit_log_page.download_events(1, {"username": "alice", "kind": ""})

        # Then the three events come, newest first, and the download is the newest event
        lines = download["content"].splitlines()
        assert download["filename"] == "audit-log-alice.csv"
        assert lines[0] == "at,kind,username,role,scope,path,detail,row_count,request_id,client"
        assert [line.split(",")[1] for line in lines[1:]] == ["QUERY", "PAGE_VIEW", "SIGN_IN"]
        latest = served.accounts.access_events(limit=1)[0]
        assert (latest.kind, latest.username, latest.detail, latest.row_count) == (
            AccessEventKind.DOWNLOAD,
            ADMIN.username,
            "audit-log-alice.csv",
            3,
        )

    def test_download_neutralises_formulas(
        self, audit_log_page: ModuleType, served: AppServices
    ) -> None:
        download = audit_log_page.download_events(1, {"username": "bob"})

        assert "'=HYPERLINK(wrong password)" in download["content"]

    def test_forged_filters_are_read_as_no_filter(
        self, audit_log_page: ModuleType, served: AppServices
    ) -> None:
        download = audit_log_page.download_events(1, ["not", "a", "dict"])

        assert len(download["content"].splitlines()) == 1 + 4

    def test_a_changed_event_breaks_the_chain(
        self, audit_log_page: ModuleType, served: AppServices
    ) -> None:
        # Given someone with the file edits event 2 behind the app's back
        with sqlite3.connect(served.accounts.path) as connection:
            connection.execute("drop trigger access_log_no_update")
            connection.execute("update access_log set username = 'mallory' where id = 2")

        # When the admin opens the page
        page = audit_log_page.layout()

        # Then the page says where the chain breaks
        assert "The hash chain breaks at event 2" in layout_text(page)

    def test_is_refused_to_a_data_role(
        self, audit_log_page: ModuleType, warehouse_path: Path, tmp_path: Path
    ) -> None:
        with (
            serving(warehouse_path, identity=OWNER_A, accounts_path=tmp_path / "a.sqlite3"),
            pytest.raises(AccessDeniedError),
        ):
            audit_log_page.layout()


class TestUsers:
    def test_lists_accounts_with_status_and_no_secrets(
        self, users_page: ModuleType, served: AppServices
    ) -> None:
        page = users_page.layout()

        assert _table_rows(page, users_page.ACCOUNTS) == [
            [
                "alice",
                "owner",
                "provider 1-101000001",
                "",
                "Active",
                "password",
                "No",
                "0",
                "",
            ],
            [
                "ines",
                "inspector",
                "provider 1-101000001",
                "28 Feb 2026",
                "Expired",
                "single sign-on",
                "No",
                "0",
                "",
            ],
        ]
        assert "argon2" not in str(page)

    def test_is_refused_to_a_data_role(
        self, users_page: ModuleType, warehouse_path: Path, tmp_path: Path
    ) -> None:
        with (
            serving(warehouse_path, identity=OWNER_A, accounts_path=tmp_path / "a.sqlite3"),
            pytest.raises(AccessDeniedError),
        ):
            users_page.layout()
