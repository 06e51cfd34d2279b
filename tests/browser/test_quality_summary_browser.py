"""The Quality summary in a real browser, per role: rows, target editing, downloads, axe.

The dashboard serves the unit tests' quality warehouse (``tests/unit/dashboards/
quality_sample.py``): provider A with Alder House (care home, four months) and Ash Court (home
care), provider B with Birch Lodge.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Page, expect
from served_dashboard import (
    ConsoleLog,
    RequestLog,
    ServedDashboard,
    load_unit_sample,
    serious_axe_violations,
    serve_with_accounts,
)

from dashboards.roles import Identity, Role, Scope
from dashboards.targets import TargetStore

pytestmark = pytest.mark.browser

sample = load_unit_sample("quality_sample")

OWNER = "owner-a"
LEAD = "lead-alder"
INSPECTOR = "inspector-a"
ACCOUNTS: dict[str, tuple[frozenset[Role], Scope]] = {
    OWNER: (frozenset({Role.OWNER}), Scope(provider_id=sample.PROVIDER_A)),
    LEAD: (
        frozenset({Role.QUALITY_LEAD}),
        Scope(provider_id=sample.PROVIDER_A, location_ids=frozenset({sample.ALDER})),
    ),
    INSPECTOR: (frozenset({Role.INSPECTOR}), Scope(provider_id=sample.PROVIDER_A)),
}
PASSING = "The process will consistently meet the target"
NO_ASSURANCE = "No assurance icon: no target, or the measure has no better direction"
HIT_AND_MISS = "The process will hit and miss the target at random"


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServedDashboard]:
    """The dashboard over the quality warehouse, with an owner, a lead and an inspector of A.

    Alder's pressure ulcers target is 2 (set by the owner before anyone opens the page): its
    rates since go-live, 0 and 2.5, give limits -5.40 to 7.90, so it hits and misses.
    """
    root = tmp_path_factory.mktemp("quality-browser")
    warehouse = sample.write_quality_warehouse(root / "carelens.duckdb")
    for dashboard in serve_with_accounts(warehouse_path=warehouse, accounts=ACCOUNTS):
        TargetStore(dashboard.accounts_path).set_target(
            identity=Identity(username=OWNER, roles=ACCOUNTS[OWNER][0], scope=ACCOUNTS[OWNER][1]),
            location_id=sample.ALDER,
            measure="pressure_ulcers",
            target_rate=2.0,
            note=None,
            locations=(sample.ALDER, sample.ASH),
            now=datetime.now(UTC),
        )
        yield dashboard


def _open(page: Page, served: ServedDashboard, username: str) -> None:
    """Sign in and open the summary."""
    served.open_as(page, username=username, path="/quality", heading="Quality summary")


def _row(page: Page, location_id: str, measure: str):  # noqa: ANN202 - a Playwright Locator
    return page.locator(
        f'#quality-table tr[data-location="{location_id}"][data-measure="{measure}"]'
    )


def test_owner_sets_a_target_and_the_assurance_icon_changes(
    page: Page,
    served: ServedDashboard,
    artifacts_dir: Path,
    request_log: RequestLog,
    console_log: ConsoleLog,
) -> None:
    # Given A's owner on the summary: five rows, Alder's falls with no target
    _open(page, served, OWNER)
    expect(page.locator("#quality-table tbody tr")).to_have_count(5)
    falls = _row(page, sample.ALDER, "falls")
    expect(falls.get_by_role("img", name=NO_ASSURANCE)).to_be_visible()
    expect(page.get_by_text("Ash Court is a home-care service")).to_be_visible()
    assert sample.BIRCH not in page.content()
    page.screenshot(path=str(artifacts_dir / "quality_summary_owner.png"), full_page=True)
    assert serious_axe_violations(page) == []

    # When they choose Set target in Alder's falls row, type 20 and save
    falls.get_by_role("link", name="Set target for falls at Alder House").click()
    expect(page.get_by_role("heading", name="Set the falls target of Alder House")).to_be_visible()
    expect(page.locator("#quality-target-hint")).to_contain_text("No target is set.")
    target = page.get_by_label("Target (per 1,000 occupied bed days)")
    expect(target).to_be_focused()
    target.fill("20")
    page.get_by_label("Note (optional)").fill('=HYPERLINK("http://example.com")')
    page.screenshot(path=str(artifacts_dir / "quality_summary_owner_form.png"), full_page=True)
    assert serious_axe_violations(page) == []
    page.get_by_role("button", name="Save target").click()

    # Then the status says so and the row shows the target with a passing assurance icon
    expect(page.locator("#quality-target-status")).to_have_text(
        "Target saved for Alder House, falls: 20 per 1,000 occupied bed days."
    )
    expect(falls.locator("td").nth(3)).to_contain_text("20Change target")
    expect(falls.get_by_role("img", name=PASSING)).to_be_visible()
    page.screenshot(path=str(artifacts_dir / "quality_summary_owner_saved.png"), full_page=True)
    assert serious_axe_violations(page) == []

    # and a target within the limits hits and misses
    target.fill("3")
    page.get_by_role("button", name="Save target").click()
    expect(falls.get_by_role("img", name=HIT_AND_MISS)).to_be_visible()
    assert console_log.refused == []
    assert request_log.off_host == []


def test_owner_downloads_the_table_as_xlsx(page: Page, served: ServedDashboard) -> None:
    _open(page, served, OWNER)

    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download this table (XLSX)").click()

    download = download_info.value
    sheet = load_workbook(io.BytesIO(Path(download.path()).read_bytes())).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert download.suggested_filename == f"quality-summary-{sample.PROVIDER_A}.xlsx"
    assert rows[0][:3] == ("location_id", "location_name", "measure")
    assert len(rows) == 1 + 5
    assert {row[0] for row in rows[1:]} == {sample.ALDER, sample.ASH}


def test_inspector_sees_targets_but_cannot_edit(
    page: Page, served: ServedDashboard, artifacts_dir: Path
) -> None:
    # When A's inspector opens the summary
    _open(page, served, INSPECTOR)

    # Then the owner's pressure ulcers target (2, within the limits) shows, and no form
    errors = _row(page, sample.ALDER, "pressure_ulcers")
    expect(errors.locator("td").nth(3)).to_have_text("2")
    expect(page.get_by_role("link", name="Change target")).to_have_count(0)
    expect(errors.get_by_role("img", name=HIT_AND_MISS)).to_be_visible()
    expect(page.get_by_role("button", name="Save target")).to_have_count(0)
    expect(
        page.get_by_text("You can see them in the table above but not change them")
    ).to_be_visible()
    page.screenshot(path=str(artifacts_dir / "quality_summary_inspector.png"), full_page=True)
    assert serious_axe_violations(page) == []


def test_quality_lead_sees_their_location_only(
    page: Page, served: ServedDashboard, artifacts_dir: Path
) -> None:
    _open(page, served, LEAD)

    expect(page.locator("#quality-table tbody tr")).to_have_count(4)
    assert sample.ASH not in page.content()
    harm = page.get_by_role("link", name="Set target for falls with harm at Alder House")
    expect(harm).to_be_visible()
    page.screenshot(path=str(artifacts_dir / "quality_summary_quality_lead.png"), full_page=True)
    assert serious_axe_violations(page) == []
