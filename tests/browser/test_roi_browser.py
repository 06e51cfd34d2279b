"""The Return on investment page in a real browser, per role: the owner's appraisal, a what-if,
a download and axe-core; everyone else is refused (403).

The dashboard serves the unit tests' ROI warehouse (``tests/unit/dashboards/roi_sample.py``):
The Caring Hands (provider A), figures worked by hand there.
"""

from __future__ import annotations

import re
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

sample = load_unit_sample("roi_sample")

OWNER = "owner-a"
LEAD = "lead-a"
INSPECTOR = "inspector-a"
ICB_LEAD = "icb-qaa"
ACCOUNTS: dict[str, tuple[frozenset[Role], Scope]] = {
    OWNER: (frozenset({Role.OWNER}), Scope(provider_id=sample.PROVIDER_A)),
    LEAD: (frozenset({Role.QUALITY_LEAD}), Scope(provider_id=sample.PROVIDER_A)),
    INSPECTOR: (frozenset({Role.INSPECTOR}), Scope(provider_id=sample.PROVIDER_A)),
    ICB_LEAD: (frozenset({Role.ICB_LEAD}), Scope(icb_code="QAA")),
}


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServedDashboard]:
    """The dashboard over the ROI warehouse, with an owner, lead, inspector and ICB lead."""
    root = tmp_path_factory.mktemp("roi-browser")
    warehouse = sample.write_roi_warehouse(root / "carelens.duckdb")
    yield from serve_with_accounts(warehouse_path=warehouse, accounts=ACCOUNTS)


def test_owner_sees_the_appraisal_changes_a_what_if_and_downloads(
    page: Page,
    served: ServedDashboard,
    artifacts_dir: Path,
    request_log: RequestLog,
    console_log: ConsoleLog,
) -> None:
    # Given A's owner on the page
    served.open_as(page, username=OWNER, path="/roi", heading="Return on investment")
    headline = page.locator("#roi-headline")
    expect(headline).to_contain_text(sample.NPV)
    expect(headline).to_contain_text("month 5 (August 2025)")
    for chart in ("costs", "cumulative", "realised"):
        expect(page.locator(f"#roi-{chart}-chart .main-svg").first).to_be_visible()
    page.screenshot(path=str(artifacts_dir / "roi_owner.png"), full_page=True)
    assert serious_axe_violations(page) == []

    # When they ask for 3 years at no discount and recalculate
    page.get_by_label("Horizon (years)").fill("3")
    page.get_by_label("Discount rate (% a year)").fill("0")
    page.get_by_role("button", name="Recalculate").click()
    page.wait_for_load_state("networkidle")

    # Then the address holds the what-if and the appraisal is worked out again
    assert "horizon=3" in page.url
    assert "rate=0" in page.url
    expect(page.locator("#roi-headline")).to_contain_text("£8,260.00", timeout=20_000)
    expect(page.locator("#roi-headline")).to_contain_text("£15,140.00")
    page.screenshot(path=str(artifacts_dir / "roi_owner_what_if.png"), full_page=True)
    assert serious_axe_violations(page) == []

    # and the appraisal by year downloads with the what-if applied (three years)
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download the appraisal by year (CSV)").click()
    download = download_info.value
    assert download.suggested_filename == f"roi-years-{sample.PROVIDER_A}.csv"
    assert len(Path(download.path()).read_text().splitlines()) == 1 + 3
    assert console_log.refused == []
    assert request_log.off_host == []


@pytest.mark.parametrize("username", [LEAD, INSPECTOR, ICB_LEAD])
def test_everyone_else_is_refused(
    page: Page, served: ServedDashboard, artifacts_dir: Path, username: str
) -> None:
    served.sign_in(page, username)

    response = page.goto(f"{served.base_url}/roi", wait_until="domcontentloaded")

    assert response is not None
    assert response.status == 403
    expect(page.get_by_text("You do not have access")).to_be_visible()
    assert sample.NPV not in page.content()
    page.screenshot(path=str(artifacts_dir / f"roi_{username}.png"), full_page=True)
    assert serious_axe_violations(page) == []


def test_owner_compares_another_way_of_buying(
    page: Page, served: ServedDashboard, artifacts_dir: Path
) -> None:
    # Given A's owner on the page with a what-if of 3 years at no discount
    served.sign_in(page, OWNER)
    page.goto(f"{served.base_url}/roi?horizon=3&rate=0", wait_until="networkidle")
    expect(page.get_by_role("heading", name="Compare another way of buying")).to_be_visible(
        timeout=20_000
    )

    # When they enter another supplier's software at £300 a month and compare
    form = page.locator("#roi-scenario-form")
    form.get_by_label("Scenario name").fill("Supplier B")
    form.get_by_label("Cost category it replaces").select_option("software")
    form.get_by_label("Cost (£ per unit)").fill("300")
    form.get_by_label("Paid").select_option("month")
    form.get_by_label("Quantity (units)").fill("1")
    form.get_by_role("button", name="Compare").click()
    page.wait_for_load_state("networkidle")

    # Then the address holds both the what-if and the scenario
    for part in ("horizon=3", "rate=0", "scenario=Supplier+B", "category=software", "cost=300"):
        assert part in page.url
    # and the table shows it beside the case: 1,100 + 36 × 300 = £11,900 against £15,140,
    # NPV £3,240 higher, the same both ways (no capital in either subscription)
    table = page.locator("#roi-scenarios-table")
    row = table.get_by_role("row", name="Supplier B (replaces Software)")
    expect(row).to_contain_text("£11,900.00", timeout=20_000)
    expect(row).to_contain_text("£3,240.00")
    base = table.get_by_role("row", name=re.compile(r"^As estimated "))
    expect(base).to_contain_text("£15,140.00")
    expect(page.locator("#roi-scenario-verdict")).to_contain_text("“Supplier B” has the higher NPV")
    expect(page.locator("#roi-scenario-verdict")).to_contain_text("it still does")
    # and the headline is still the case as estimated, with the what-if
    expect(page.locator("#roi-headline")).to_contain_text("£15,140.00")
    page.locator("#roi-scenarios").screenshot(path=str(artifacts_dir / "roi_owner_scenario.png"))
    page.screenshot(path=str(artifacts_dir / "roi_owner_scenario_page.png"), full_page=True)
    assert serious_axe_violations(page) == []

    # And recalculating the what-if keeps the scenario
    page.get_by_label("Horizon (years)").fill("2")
    page.get_by_role("button", name="Recalculate").click()
    page.wait_for_load_state("networkidle")
    assert "scenario=Supplier+B" in page.url
    # 1,100 + 24 × 300 = £8,300
    expect(page.locator("#roi-scenarios-table")).to_contain_text("£8,300.00", timeout=20_000)
