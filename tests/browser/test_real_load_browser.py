"""The Data quality page after a real load of a generated ICB, in headless Chromium.

The other browser tests serve a hand-written sample warehouse; this one serves what
``run_nightly`` wrote for a small synthetic ICB, so the page is checked against real audit
rows, real quarantine reasons and real Data Docs.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest
from playwright.sync_api import Page, expect
from served_dashboard import ServedDashboard, serve_dashboard

from dashboards.roles import Role, Scope
from pipelines.config import PipelineConfig
from pipelines.runner import RunSummary, run_nightly
from pipelines.synthetic import generate_icb

pytestmark = pytest.mark.browser

HISTORY_ROWS = "#data-quality-history tbody tr"
FILES_TABLE = "#data-quality-files"
SCREENSHOT = "data_quality_real_load.png"


@dataclass(frozen=True)
class RealLoad:
    """A warehouse written by one nightly load of a generated inbox."""

    warehouse: Path
    summary: RunSummary

    def rows(self, sql: str) -> list[tuple]:
        """Rows of ``sql`` against the published warehouse."""
        with duckdb.connect(str(self.warehouse), read_only=True) as con:
            return con.execute(sql).fetchall()


@pytest.fixture(scope="module")
def real_load(tmp_path_factory: pytest.TempPathFactory) -> RealLoad:
    """Three providers over three months (seed 11), loaded once by the real runner."""
    root = tmp_path_factory.mktemp("real-load")
    generate_icb(out_dir=root / "inbox", seed=11, providers=3, months=3, fault_rate=0.005)
    warehouse = root / "carelens.duckdb"
    config = PipelineConfig(
        warehouse_path=warehouse,
        pseudonym_key=b"browser-test-key-0123456789",
        data_docs_dir=root / "data_docs",
        show_progress=False,
    )
    summary = run_nightly(inbox=root / "inbox", config=config)
    assert summary.failure is None, summary.failure
    return RealLoad(warehouse=warehouse, summary=summary)


@pytest.fixture(scope="module")
def dashboard_warehouse(real_load: RealLoad) -> Path:
    """Serve the warehouse of the real load instead of the sample one."""
    return real_load.warehouse


@pytest.fixture(scope="module")
def dashboard(dashboard_warehouse: Path) -> Iterator[ServedDashboard]:
    """The dashboard serving the real load (module scope: not the session's sample one)."""
    yield from serve_dashboard(warehouse_path=dashboard_warehouse)


def _open_data_quality(page: Page, dashboard: ServedDashboard, *, provider: str = "") -> None:
    """Sign in (an administrator, or the owner of ``provider``) and open Data quality."""
    if provider:
        username = f"owner-{provider}"
        dashboard.add_account(
            username, roles=frozenset({Role.OWNER}), scope=Scope(provider_id=provider)
        )
        dashboard.sign_in(page, username)
    else:
        dashboard.sign_in_as(page, "admin")
    page.goto(f"{dashboard.base_url}/data-quality", wait_until="networkidle")
    expect(page.locator(HISTORY_ROWS).first).to_be_visible(timeout=30_000)
    expect(page.locator(FILES_TABLE)).to_be_visible(timeout=30_000)
    page.wait_for_load_state("networkidle")


def test_data_quality_page_shows_the_real_run(
    page: Page, dashboard: ServedDashboard, real_load: RealLoad, artifacts_dir: Path
) -> None:
    # Given a warehouse written by one real load with faults
    summary = real_load.summary
    assert summary.total("rows_quarantined") > 0

    # When the Data quality page is opened
    page.set_viewport_size({"width": 1280, "height": 2600})
    _open_data_quality(page, dashboard)
    page.screenshot(path=str(artifacts_dir / SCREENSHOT))

    # Then the history shows that one run with its status and row counts
    history = page.locator(HISTORY_ROWS)
    expect(history).to_have_count(1)
    expect(history.first).to_contain_text(f"{summary.total('rows_read'):,}")
    expect(history.first).to_contain_text(f"{summary.total('rows_loaded'):,}")
    expect(page.locator("code", has_text=summary.run_id)).to_be_visible()


def _file_table_rows(page: Page) -> list[list[str]]:
    """The cells of every data row of the per-file table, over all its pages."""
    rows: list[list[str]] = []
    next_page = page.locator(f"{FILES_TABLE} button.next-page")
    for _ in range(100):
        body = page.locator(f"{FILES_TABLE} tbody tr:has(td)")
        rows += [
            [cell.strip() for cell in row.locator("td").all_inner_texts()] for row in body.all()
        ]
        if not next_page.count() or next_page.is_disabled():
            break
        first = body.first.inner_text()
        next_page.click()
        expect(body.first).not_to_have_text(first)
    return rows


def test_rows_per_file_show_what_each_file_quarantined(
    page: Page, dashboard: ServedDashboard, real_load: RealLoad
) -> None:
    # Given what the load recorded for each file
    audited = real_load.rows(
        "select provider_id, export_id, file_name, rows_read, rows_loaded, duplicates_skipped, "
        "rows_quarantined from audit.load_files"
    )
    assert any(row[6] > 0 for row in audited)

    # When an administrator opens the Data quality page and reads the per-file table
    _open_data_quality(page, dashboard)
    shown = _file_table_rows(page)

    # Then every file is listed once, under its provider, with the counts the audit holds
    assert len(shown) == len(audited)
    by_file = {(cells[1], cells[2]): cells for cells in shown}
    for provider, export_id, file_name, read, loaded, duplicates, quarantined in audited:
        cells = by_file[(export_id, file_name)]
        assert cells[0] == (provider or ""), cells
        numbers = [int(c.replace(",", "")) for c in cells[3:] if re.fullmatch(r"[\d,]+", c)]
        assert numbers[:4] == [read, loaded, duplicates, quarantined], cells


def test_quarantine_reasons_name_the_rules(
    page: Page, dashboard: ServedDashboard, real_load: RealLoad
) -> None:
    # Given a provider with rows quarantined for unresolved references, and its other rules
    [(provider,)] = real_load.rows(
        "select provider_id from audit.quarantine where rule = 'unresolved_reference'"
        " group by provider_id order by count(*) desc limit 1"
    )
    rules = {
        rule
        for (rule,) in real_load.rows(
            f"select distinct rule from audit.quarantine where provider_id = '{provider}'"
        )
    }

    # When its owner opens the Data quality page (quarantine reasons are the provider's own)
    _open_data_quality(page, dashboard, provider=provider)

    # Then the reasons section names each rule
    reasons = page.get_by_role("table", name=re.compile("Quarantined rows by rule"))
    expect(reasons).to_be_visible()
    for rule in sorted(rules):
        expect(reasons).to_contain_text(rule)


def test_data_docs_link_opens_the_runs_data_docs(
    page: Page, dashboard: ServedDashboard, real_load: RealLoad
) -> None:
    # Given the Data quality page of the real run
    _open_data_quality(page, dashboard)
    run_id = real_load.summary.run_id

    # When its Data Docs link is followed
    page.get_by_role("link", name=re.compile("Open the Great Expectations Data Docs")).click()
    page.wait_for_load_state("networkidle")

    # Then the run's Data Docs come from the same server and name the run
    assert page.url == f"{dashboard.base_url}/data-docs/{run_id}/index.html"
    expect(page.locator("body")).to_contain_text(run_id)
    expect(page.get_by_role("heading", level=1)).to_contain_text(run_id)

    # And every link inside it to another Data Docs page loads
    hrefs = {
        href
        for href in page.locator("a[href]").evaluate_all("links => links.map(a => a.href)")
        if href.startswith(f"{dashboard.base_url}/data-docs/")
    }
    assert hrefs
    for href in sorted(hrefs):
        response = page.request.get(href)
        assert response.status == 200, href
