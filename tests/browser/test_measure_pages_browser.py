"""The Falls, Medication and Pressure ulcers pages in headless Chromium, per role.

The dashboard serves the three-provider sample warehouse of the unit tests
(``tests/unit/dashboards/audit_sample.py`` with ``measure_sample.py``): provider A's Alder House
(A1, care home, live 13 Feb 2025, 24 months from March 2024) and Ash Court (A2, home care);
providers B and C elsewhere. Each role's view is checked for scope, with axe-core (no serious or
critical violations) and a screenshot in ``tests/artifacts/``.
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

sample = load_unit_sample("audit_sample")

ACCOUNTS: dict[str, tuple[frozenset[Role], Scope]] = {
    "owner-a": (frozenset({Role.OWNER}), Scope(provider_id=sample.PROVIDER_A)),
    "lead-a1": (
        frozenset({Role.QUALITY_LEAD}),
        Scope(provider_id=sample.PROVIDER_A, location_ids=frozenset({sample.LOCATION_A1})),
    ),
    "inspector-a": (
        frozenset({Role.INSPECTOR}),
        Scope(provider_id=sample.PROVIDER_A),
    ),
    "icb-qaa": (frozenset({Role.ICB_LEAD}), Scope(icb_code=sample.ICB_A)),
}
OTHER_PROVIDERS = {
    sample.PROVIDER_B,
    sample.PROVIDER_C,
    sample.LOCATION_B1,
    sample.LOCATION_C1,
    "Birch Lodge",
    "Cedar View",
    "PB-0001",
    "PC-0001",
    "I-B1-",
    "I-C1-",
}
OUT_OF_SCOPE: dict[str, set[str]] = {
    "owner-a": OTHER_PROVIDERS,
    "inspector-a": OTHER_PROVIDERS,
    "lead-a1": OTHER_PROVIDERS | {sample.LOCATION_A2, "Ash Court", "PA2-0001", "I-A2-"},
}
PAGES = {
    "falls": ("/falls", "Falls"),
    "medication": ("/medication", "Medication"),
    "pressure-ulcers": ("/pressure-ulcers", "Pressure ulcers"),
}


@pytest.fixture(scope="module")
def measures(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServedDashboard]:
    """The dashboard serving the sample warehouse, with one account per role."""
    root = tmp_path_factory.mktemp("measures")
    warehouse = sample.write_audit_warehouse(root / "carelens.duckdb")
    yield from serve_with_accounts(warehouse_path=warehouse, accounts=ACCOUNTS)


def _open(page: Page, served: ServedDashboard, username: str, path: str) -> None:
    served.open_as(page, username=username, path=path)


def _check(page: Page, *, username: str, artifacts_dir: Path, name: str) -> None:
    content = page.content()
    assert [value for value in OUT_OF_SCOPE[username] if value in content] == []
    assert "DESCRIPTION-SECRET" not in content
    page.screenshot(path=str(artifacts_dir / f"{name}.png"), full_page=True)
    assert serious_axe_violations(page) == []


@pytest.mark.parametrize("username", ["owner-a", "lead-a1", "inspector-a"])
@pytest.mark.parametrize("page_key", list(PAGES))
def test_each_role_sees_its_own_locations_only(
    page: Page,
    measures: ServedDashboard,
    artifacts_dir: Path,
    request_log: RequestLog,
    username: str,
    page_key: str,
) -> None:
    # When the role opens the page
    path, heading = PAGES[page_key]
    _open(page, measures, username, path)

    # Then Alder House is charted, the estimate and the incidents show, nothing out of scope
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    expect(page.locator(f"#{page_key}-chart .main-svg").first).to_be_visible()
    expect(page.get_by_role("heading", name="Before and after the DSCR went live")).to_be_visible()
    expect(page.locator(f"#{page_key}-incidents table")).to_be_visible()
    _check(
        page,
        username=username,
        artifacts_dir=artifacts_dir,
        name=f"measure_{page_key.replace('-', '_')}_{username.split('-')[0]}",
    )
    assert request_log.off_host == []


def _click_point(page: Page, graph: str, *, month: str, value: float) -> None:
    """Click the chart where the point of ``month`` (``2026-01-01``) at ``value`` is drawn.

    The chart is found, scrolled into view and measured in one step, once Plotly has drawn it
    (Dash may mount the graph again just after the page settles).
    """
    page.wait_for_function(
        "graph => !!document.querySelector(`#${graph} .js-plotly-plot`)?._fullLayout",
        arg=graph,
    )
    box = page.evaluate(
        """([graph, month, value]) => {
            const gd = document.querySelector(`#${graph} .js-plotly-plot`);
            gd.scrollIntoView({block: "center"});
            const xa = gd._fullLayout.xaxis, ya = gd._fullLayout.yaxis;
            const rect = gd.getBoundingClientRect();
            return {x: rect.left + xa._offset + xa.l2p(xa.d2l(month)),
                    y: rect.top + ya._offset + ya.l2p(value)};
        }""",
        [graph, month, value],
    )
    page.mouse.move(box["x"], box["y"])
    page.mouse.click(box["x"], box["y"])


def test_selecting_a_point_lists_its_falls_and_filters_narrow_them(
    page: Page, measures: ServedDashboard, artifacts_dir: Path
) -> None:
    # Given the owner on the falls page
    _open(page, measures, "owner-a", "/falls")
    found = page.locator("#falls-incidents .measure-found")
    expect(found).to_have_text(
        "132 falls at Alder House over the whole period, newest first. The newest 50 are "
        "listed; download the table for all of them."
    )

    # When they select January 2026's point (4 falls in 868 bed days: 4.61 per 1,000)
    with page.expect_navigation():
        _click_point(page, "falls-chart", month="2026-01-01", value=4 / 868 * 1000)
    page.wait_for_load_state("networkidle")

    # Then the page lists January's four falls, with January chosen in the period filter
    expect(found).to_have_text(
        "4 falls at Alder House in January 2026, newest first.", timeout=20_000
    )
    expect(page.locator("#falls-incidents tbody tr")).to_have_count(4)
    expect(page.get_by_label("Period", exact=True)).to_have_value("2026-01-01")
    assert page.url.endswith("period=2026-01-01#falls-incidents-section")

    # and choosing severe harm leaves one
    page.get_by_label("Harm").select_option("severe")
    with page.expect_navigation():
        page.get_by_role("button", name="List incidents").click()
    expect(found).to_have_text(
        "1 fall at Alder House in January 2026 with harm severe, newest first.", timeout=20_000
    )
    page.wait_for_load_state("networkidle")
    page.screenshot(path=str(artifacts_dir / "measure_falls_selected_point.png"), full_page=True)
    assert serious_axe_violations(page) == []


def test_weeks_falls_with_harm_and_a_home_care_location(
    page: Page, measures: ServedDashboard, artifacts_dir: Path
) -> None:
    _open(page, measures, "owner-a", "/falls")

    # When the owner switches to weeks, then to falls with harm
    heading = page.locator("#falls-chart-section h2")
    page.get_by_role("link", name="Weeks").click()
    expect(heading).to_have_text(
        "Falls per 1,000 occupied bed days at Alder House, by week", timeout=20_000
    )
    page.get_by_role("link", name="Falls with harm (moderate, severe or fatal)").click()
    expect(heading).to_have_text(
        "Falls with harm per 1,000 occupied bed days at Alder House, by week", timeout=20_000
    )
    expect(page.locator("#falls-estimate")).to_contain_text("could not be fitted reliably")

    # and then to Ash Court, a home-care service
    page.get_by_label("Location", exact=True).first.select_option(label="Ash Court")
    page.get_by_role("button", name="Show").click()
    expect(page.locator("#falls-chart-section")).to_contain_text(
        "Ash Court is a home-care service: it has no occupied bed days", timeout=20_000
    )
    expect(page.locator("#falls-chart")).to_have_count(0)
    expect(page.locator("#falls-incidents .measure-found")).to_contain_text("at Ash Court")
    assert "grain=week&measure=falls_with_harm" in page.url
    page.wait_for_load_state("networkidle")
    page.screenshot(path=str(artifacts_dir / "measure_falls_home_care.png"), full_page=True)
    assert serious_axe_violations(page) == []


def test_the_query_string_preselects_a_location(page: Page, measures: ServedDashboard) -> None:
    _open(page, measures, "owner-a", f"/medication?location={sample.LOCATION_A2}")

    expect(page.locator("#medication-chart-section h2")).to_have_text(
        "Medication errors per 1,000 scheduled doses at Ash Court, by month"
    )


def test_downloads_as_csv_and_xlsx(page: Page, measures: ServedDashboard) -> None:
    _open(page, measures, "owner-a", "/falls")

    with page.expect_download() as csv_info:
        page.get_by_role("button", name="Download these incidents (CSV)").click()
    with page.expect_download() as xlsx_info:
        page.get_by_role("button", name="Download the chart's values (XLSX)").click()

    csv = Path(csv_info.value.path()).read_text().splitlines()
    assert csv_info.value.suggested_filename == (
        f"falls-incidents-{sample.LOCATION_A1}-whole-period.csv"
    )
    assert len(csv) == 1 + 132
    workbook = load_workbook(io.BytesIO(Path(xlsx_info.value.path()).read_bytes()))
    sheet = workbook.active
    assert sheet is not None
    assert sheet.max_row == 1 + 24


def test_a_quality_lead_cannot_choose_another_location(
    page: Page, measures: ServedDashboard
) -> None:
    _open(page, measures, "lead-a1", f"/falls?location={sample.LOCATION_A2}")

    expect(page.get_by_text("The location asked for is not one of yours")).to_be_visible()
    expect(page.locator("#falls-location option")).to_have_count(1)
    expect(page.locator("#falls-incident-location option")).to_have_text(
        ["All your locations", "Alder House"]
    )


def test_an_icb_lead_may_not_open_the_measure_pages(page: Page, measures: ServedDashboard) -> None:
    measures.sign_in(page, "icb-qaa")

    response = page.goto(f"{measures.base_url}/falls", wait_until="domcontentloaded")

    assert response is not None
    assert response.status == 403
    expect(page.get_by_role("link", name="Falls")).to_have_count(0)
