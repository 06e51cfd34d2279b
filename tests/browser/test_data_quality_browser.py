"""The Data quality page in a real browser: content, no off-site requests, no axe violations.

The sample warehouse's exports are not from a CQC-registered provider, so these tests sign in
as an administrator, whose operations view covers every run.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from sample_warehouse import LATEST_RUN
from served_dashboard import (
    RequestLog,
    ServedDashboard,
    assert_no_axe_violations,
    serve_dashboard,
)

pytestmark = pytest.mark.browser

HISTORY_ROWS = "#data-quality-history tbody tr"


def _open_data_quality(page: Page, dashboard: ServedDashboard) -> None:
    dashboard.sign_in_as(page, "admin")
    page.goto(f"{dashboard.base_url}/data-quality", wait_until="networkidle")
    expect(page.locator(HISTORY_ROWS).first).to_be_visible(timeout=20_000)
    expect(page.locator("#data-quality-files")).to_be_visible(timeout=20_000)
    page.wait_for_load_state("networkidle")


def test_load_history_lists_every_run_newest_first(
    page: Page, dashboard: ServedDashboard, request_log: RequestLog, artifacts_dir: Path
) -> None:
    # Given the dashboard serves a warehouse with five runs
    # When the Data quality page is opened
    _open_data_quality(page, dashboard)

    # Then the history shows the runs, newest first, in London time
    rows = page.locator(HISTORY_ROWS)
    expect(rows).to_have_count(5)
    expect(rows.nth(0).locator("td").nth(0)).to_have_text("22 Nov 2026 02:00")
    expect(rows.nth(0).locator("td").nth(1)).to_have_text("Loaded with quarantined rows")
    expect(rows.nth(1).locator("td").nth(1)).to_have_text("Failed")
    expect(rows.nth(4).locator("td").nth(6)).to_have_text("48,210")
    expect(page.get_by_role("heading", level=1)).to_have_text("Data quality")
    expect(page.locator("figcaption")).to_contain_text("5 runs from 18 Nov 2026 02:00")
    expect(
        page.get_by_role("link", name="Open the Great Expectations Data Docs")
    ).to_have_attribute("href", f"/data-docs/{LATEST_RUN}/index.html")
    page.screenshot(path=str(artifacts_dir / "data_quality.png"), full_page=True)
    # and nothing was fetched from anywhere but the local server
    assert request_log.urls, "no requests were recorded"
    assert request_log.off_host == []


def test_page_has_no_axe_violations(page: Page, dashboard: ServedDashboard) -> None:
    # Given the Data quality page, fully rendered
    _open_data_quality(page, dashboard)

    # When axe-core checks it, then it finds nothing to fix
    assert_no_axe_violations(page)


def test_data_docs_link_is_served_by_the_app(page: Page, dashboard: ServedDashboard) -> None:
    # Given the Data quality page
    _open_data_quality(page, dashboard)

    # When the Data Docs link is followed
    page.get_by_role("link", name="Open the Great Expectations Data Docs").click()

    # Then the run's Data Docs come from the same server
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Data Docs for {LATEST_RUN}")
    assert page.url == f"{dashboard.base_url}/data-docs/{LATEST_RUN}/index.html"


def test_empty_warehouse_shows_how_to_load(page: Page, tmp_path: Path) -> None:
    # Given a dashboard whose warehouse does not exist yet
    for served in serve_dashboard(warehouse_path=tmp_path / "carelens.duckdb"):
        # When the Data quality page is opened
        served.sign_in_as(page, "admin")
        page.goto(f"{served.base_url}/data-quality", wait_until="networkidle")

        # Then it explains how to run a load, and shows no error
        expect(page.get_by_role("status")).to_contain_text("No load has run yet")
        expect(page.locator("code")).to_have_text("carelens load INBOX")
