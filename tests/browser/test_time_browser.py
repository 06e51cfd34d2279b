"""The Time page in a real browser, per role: measured charts, entering a baseline, downloads, axe.

The dashboard serves the unit tests' Time warehouse (``tests/unit/dashboards/time_sample.py``):
provider A with Oak House (care home, live from 10 January 2026) and Elm Care (home care),
provider B with Pine Lodge (same ICB, suppressed), provider C in another ICB.
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

sample = load_unit_sample("time_sample")

OWNER = "owner-a"
LEAD = "lead-a"
INSPECTOR = "inspector-a"
ICB_LEAD = "icb-qaa"
ACCOUNTS: dict[str, tuple[frozenset[Role], Scope]] = {
    OWNER: (frozenset({Role.OWNER}), Scope(provider_id=sample.PROVIDER_A)),
    LEAD: (frozenset({Role.QUALITY_LEAD}), Scope(provider_id=sample.PROVIDER_A)),
    INSPECTOR: (frozenset({Role.INSPECTOR}), Scope(provider_id=sample.PROVIDER_A)),
    ICB_LEAD: (frozenset({Role.ICB_LEAD}), Scope(icb_code=sample.ICB_A)),
}


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServedDashboard]:
    """The dashboard over the Time warehouse, with an owner, lead, inspector and ICB lead."""
    root = tmp_path_factory.mktemp("time-browser")
    warehouse = sample.write_time_warehouse(root / "carelens.duckdb")
    yield from serve_with_accounts(warehouse_path=warehouse, accounts=ACCOUNTS)


def _open(page: Page, served: ServedDashboard, username: str, query: str = "") -> None:
    """Sign in and open the page."""
    served.open_as(page, username=username, path=f"/time{query}", heading="Staff time")


def test_owner_enters_a_baseline_and_sees_hours_released(
    page: Page,
    served: ServedDashboard,
    artifacts_dir: Path,
    request_log: RequestLog,
    console_log: ConsoleLog,
) -> None:
    # Given A's owner on Oak House: measured charts, and no baseline yet
    _open(page, served, OWNER, f"?location={sample.OAK}")
    expect(page.locator("#time-documentation-chart .main-svg").first).to_be_visible()
    expect(page.get_by_text("No paper-era baseline entered")).to_be_visible()
    page.screenshot(path=str(artifacts_dir / "time_owner_no_baseline.png"), full_page=True)
    assert serious_axe_violations(page) == []

    # When they follow the link to enter it, type 40 and save
    page.get_by_role(
        "link", name="enter your paper-era recording time per care-worker shift (care homes)"
    ).click()
    value = page.get_by_label("Your figure (minutes per shift)")
    expect(value).to_be_visible(timeout=20_000)
    value.fill("40")
    page.get_by_label("How you measured it (optional)").fill('=HYPERLINK("http://example.com")')
    page.get_by_role("button", name="Save").click()

    # Then the status says so and the hours released show at once, with their chart
    expect(page.locator("#time-status")).to_have_text(
        "Paper-era recording time per care-worker shift (care homes): "
        "saved as 40 minutes per shift."
    )
    expect(page.get_by_text("In Mar 2026: 25.00 hours released")).to_be_visible()
    expect(page.locator("#time-released-chart .main-svg").first).to_be_visible()
    page.screenshot(path=str(artifacts_dir / "time_owner_saved.png"), full_page=True)
    assert serious_axe_violations(page) == []

    # and the hours download as CSV
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download the hours released (CSV)").click()
    download = download_info.value
    assert download.suggested_filename == f"time-released-{sample.OAK}.csv"
    lines = Path(download.path()).read_text().splitlines()
    assert len(lines) == 1 + 2
    assert console_log.refused == []
    assert request_log.off_host == []


@pytest.mark.parametrize("username", [LEAD, INSPECTOR])
def test_lead_and_inspector_read_but_cannot_change(
    page: Page, served: ServedDashboard, artifacts_dir: Path, username: str
) -> None:
    _open(
        page,
        served,
        username,
        f"?location={sample.ELM}&edit=baseline_documentation_minutes_per_visit",
    )

    expect(page.get_by_text("Documentation time per visit at Elm Care")).to_be_visible()
    expect(page.locator("#time-visits-chart .main-svg").first).to_be_visible()
    expect(page.get_by_text("you can see them but not change them")).to_be_visible()
    expect(page.get_by_role("button", name="Save")).to_have_count(0)
    page.screenshot(path=str(artifacts_dir / f"time_{username}.png"), full_page=True)
    assert serious_axe_violations(page) == []


def test_icb_lead_sees_the_controlled_summary(
    page: Page, served: ServedDashboard, artifacts_dir: Path
) -> None:
    _open(page, served, ICB_LEAD)

    rows = page.locator("table.data-table tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.nth(0)).to_contain_text("17.3")
    expect(rows.nth(2)).to_contain_text("[c]")
    assert sample.PROVIDER_C not in page.content()
    assert "Assumptions" not in page.content()
    page.screenshot(path=str(artifacts_dir / "time_icb_lead.png"), full_page=True)
    assert serious_axe_violations(page) == []
