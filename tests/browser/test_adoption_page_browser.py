"""The DSCR adoption page in headless Chromium: an ICB lead and an owner, screenshots, axe-core.

Served over the unit tests' hand-made adoption warehouse (``adoption_page_sample``), whose
docstring works the figures by hand: QAA's December 2025 is about 25 of about 40 locations,
60.0%, 63.3% by beds, no return [c]; the curve reaches 80% in October 2026.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from served_dashboard import (
    ConsoleLog,
    RequestLog,
    ServedDashboard,
    load_unit_sample,
    serious_axe_violations,
    serve_with_accounts,
)

from dashboards.roles import Role, Scope

pytestmark = pytest.mark.browser

sample = load_unit_sample("adoption_page_sample")

OWNER = "owner-a"
ICB_LEAD = "icb-qaa"
ACCOUNTS: dict[str, tuple[frozenset[Role], Scope]] = {
    OWNER: (frozenset({Role.OWNER}), Scope(provider_id=sample.PROVIDER_A)),
    ICB_LEAD: (frozenset({Role.ICB_LEAD}), Scope(icb_code=sample.ICB_A)),
}


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServedDashboard]:
    """The dashboard over the adoption warehouse, with an owner and an ICB lead."""
    root = tmp_path_factory.mktemp("adoption-browser")
    warehouse = sample.write_adoption_warehouse(root / "carelens.duckdb")
    yield from serve_with_accounts(warehouse_path=warehouse, accounts=ACCOUNTS)


def _open(page: Page, served: ServedDashboard, username: str) -> None:
    """Sign in and open the page."""
    served.open_as(page, username=username, path="/adoption", heading="DSCR adoption")


def test_icb_lead_sees_rate_trajectory_gaps_and_risks(
    page: Page,
    served: ServedDashboard,
    artifacts_dir: Path,
    request_log: RequestLog,
    console_log: ConsoleLog,
) -> None:
    # Given QAA's lead on the page
    _open(page, served, ICB_LEAD)

    # Then the headline is controlled, the charts draw, and the answer is in words
    headline = page.locator("#adoption-headline")
    expect(headline).to_contain_text("about 25")
    expect(headline).to_contain_text("60.0%")
    expect(headline).to_contain_text("[c]")
    expect(page.locator("#adoption-rate-chart .main-svg").first).to_be_visible()
    expect(page.locator("#adoption-breakdown-chart-size_band .main-svg").first).to_be_visible()
    expect(page.locator("#adoption-funnel-chart-falls .main-svg").first).to_be_visible()
    expect(page.locator("#adoption-trajectory")).to_contain_text(
        "At the current pace adoption would reach 80% in Oct 2026"
    )
    expect(page.locator("#adoption-at-risk")).to_contain_text("Exports stopped")
    page.screenshot(path=str(artifacts_dir / "adoption_icb_lead.png"), full_page=True)
    assert serious_axe_violations(page) == []

    # When they ask about June 2026 with the form
    page.get_by_label("Reach 80% by").fill("2026-06")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url("**/adoption?by=2026-06")
    expect(page.locator("#adoption-trajectory")).to_contain_text(
        "At the current pace about 29 would by Jun 2026, 3 short.", timeout=20_000
    )

    # Then the breakdown downloads as CSV with the hidden cells marked
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download the breakdowns (CSV)").click()
    download = download_info.value
    assert download.suggested_filename == "adoption-breakdown-QAA.csv"
    text = Path(download.path()).read_text()
    assert "10-24 beds,10,[c],[c]" in text
    assert console_log.refused == []
    assert request_log.off_host == []


def test_owner_sees_own_locations_and_the_icb_headline(
    page: Page, served: ServedDashboard, artifacts_dir: Path
) -> None:
    _open(page, served, OWNER)

    expect(page.get_by_role("heading", level=2, name="Your locations")).to_be_visible()
    expect(page.locator("#adoption-locations-table")).to_contain_text("Oak House")
    expect(page.get_by_text("Where the gaps are")).to_have_count(0)
    expect(page.locator("#adoption-rate-chart-qaa .main-svg").first).to_be_visible()
    page.screenshot(path=str(artifacts_dir / "adoption_owner.png"), full_page=True)
    assert serious_axe_violations(page) == []
