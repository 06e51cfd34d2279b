"""The alerts page in headless Chromium, per role: owner, quality lead, inspector, ICB lead.

The dashboard serves the hand-made warehouse of the unit tests
(``tests/unit/dashboards/alerts_sample.py``): provider A's Alder House and Ash Court, provider B's
Birch Lodge (same ICB) and provider C's Cedar View (another ICB). Each view is checked for scope,
with axe-core (no serious or critical violations) and a screenshot in ``tests/artifacts/``.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Page, expect
from served_dashboard import (
    RequestLog,
    ServedDashboard,
    load_unit_sample,
    serious_axe_violations,
    serve_with_accounts,
)

from dashboards.roles import Role, Scope

pytestmark = pytest.mark.browser

sample = load_unit_sample("alerts_sample")

ACCOUNTS: dict[str, tuple[frozenset[Role], Scope]] = {
    "owner-a": (frozenset({Role.OWNER}), Scope(provider_id=sample.PROVIDER_A)),
    "lead-ash": (
        frozenset({Role.QUALITY_LEAD}),
        Scope(provider_id=sample.PROVIDER_A, location_ids=frozenset({sample.ASH})),
    ),
    "inspector-a": (
        frozenset({Role.INSPECTOR}),
        Scope(provider_id=sample.PROVIDER_A),
    ),
    "icb-qaa": (frozenset({Role.ICB_LEAD}), Scope(icb_code=sample.ICB_A)),
}
OTHERS = {sample.BIRCH, sample.CEDAR, "Birch Lodge", "Cedar View", "BI-", "CE-1"}
OUT_OF_SCOPE: dict[str, set[str]] = {
    "owner-a": OTHERS,
    "inspector-a": OTHERS,
    "lead-ash": OTHERS | {sample.ALDER, "Alder House", "AL-"},
    "icb-qaa": OTHERS
    | {sample.ALDER, sample.ASH, "Alder House", "Ash Court", "AL-", "AS-", sample.PROVIDER_C},
}


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServedDashboard]:
    """The dashboard serving the alerts sample warehouse, with one account per role."""
    root = tmp_path_factory.mktemp("alerts")
    warehouse = sample.write_alerts_warehouse(root / "carelens.duckdb")
    yield from serve_with_accounts(warehouse_path=warehouse, accounts=ACCOUNTS)


def _open(page: Page, served: ServedDashboard, username: str) -> None:
    served.open_as(page, username=username, path="/alerts")
    expect(page.get_by_role("heading", level=1)).to_have_text("Alerts")


def _check(page: Page, *, username: str, artifacts_dir: Path, name: str) -> None:
    content = page.content()
    assert [value for value in OUT_OF_SCOPE[username] if value in content] == []
    page.screenshot(path=str(artifacts_dir / f"{name}.png"), full_page=True)
    assert serious_axe_violations(page) == []


@pytest.mark.parametrize("username", ["owner-a", "lead-ash", "inspector-a"])
def test_provider_roles_see_their_alerts(
    page: Page,
    served: ServedDashboard,
    artifacts_dir: Path,
    request_log: RequestLog,
    username: str,
) -> None:
    # When the role opens the alerts page
    _open(page, served, username)

    # Then the charts are drawn, the sections are there, and nothing out of scope shows
    expect(page.locator("#alerts-volumes .main-svg").first).to_be_visible()
    expect(page.locator("#alerts-spc .main-svg").first).to_be_visible()
    for heading in ("Response times", "Rules worth re-tuning", "How good the triage model is"):
        expect(page.get_by_role("heading", name=heading)).to_be_visible()
    _check(page, username=username, artifacts_dir=artifacts_dir, name=f"alerts_{username}")
    assert request_log.off_host == []


def test_owner_sees_open_alerts_ranked_and_chooses_a_location(
    page: Page, served: ServedDashboard
) -> None:
    _open(page, served, "owner-a")
    rows = page.locator("#alerts-open tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text("90%")
    expect(rows.first).to_contain_text("AL-6")

    # When the owner chooses Ash Court and the last 52 weeks with the plain form
    page.get_by_label("Location", exact=True).select_option(sample.ASH)
    page.get_by_label("Period", exact=True).select_option("52w")
    with page.expect_navigation():
        page.get_by_role("button", name="Show").click()
    page.wait_for_load_state("networkidle")

    # Then the address holds the view and Ash's figures show (two alerts, none open)
    assert page.url.endswith(f"/alerts?location={sample.ASH}&period=52w")
    expect(page.get_by_text("No alert is open at Ash Court in the latest export.")).to_be_visible()
    expect(page.locator("#alerts-times tbody tr").first).to_contain_text("Ash Court")


def test_downloads_as_csv_and_xlsx(page: Page, served: ServedDashboard) -> None:
    _open(page, served, "owner-a")

    with page.expect_download() as csv_info:
        page.get_by_role("button", name="Download response times (CSV)").click()
    with page.expect_download() as xlsx_info:
        page.get_by_role("button", name="Download the open alerts (XLSX)").click()

    csv = Path(csv_info.value.path()).read_text().splitlines()
    assert csv_info.value.suggested_filename == (
        "alerts-times-all-locations-2025-12-01-2026-03-01.csv"
    )
    assert len(csv) == 1 + 3
    sheet = load_workbook(io.BytesIO(Path(xlsx_info.value.path()).read_bytes())).active
    assert sheet is not None
    assert [row[0] for row in sheet.iter_rows(values_only=True)] == ["record_uid", "AL-6", "AL-5"]


def test_icb_lead_sees_one_controlled_row_per_provider(
    page: Page, served: ServedDashboard, artifacts_dir: Path, request_log: RequestLog
) -> None:
    _open(page, served, "icb-qaa")

    rows = page.locator("table tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_have_text(f"{sample.PROVIDER_A}10[c][c][c]")
    expect(rows.nth(1)).to_have_text(f"{sample.PROVIDER_B}10101066.7%")
    expect(page.get_by_label("Location", exact=True)).to_have_count(0)
    with page.expect_download() as csv_info:
        page.get_by_role("button", name="Download this table (CSV)").click()
    csv = Path(csv_info.value.path()).read_text().splitlines()
    assert csv[1] == f"2025-12-01,2026-03-01,{sample.PROVIDER_A},10,[c],[c],"
    _check(page, username="icb-qaa", artifacts_dir=artifacts_dir, name="alerts_icb_lead")
    assert request_log.off_host == []
