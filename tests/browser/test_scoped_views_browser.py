"""Each role's Data quality page, and the admin pages, in a real browser: scope, axe, screenshots.

The dashboard serves the three-provider, two-ICB warehouse of the unit tests
(``tests/unit/dashboards/audit_sample.py``): providers A and C in ICB QAA, B in QBB.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from served_dashboard import (
    RequestLog,
    ServedDashboard,
    assert_no_axe_violations,
    load_unit_sample,
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
    "icb-qaa": (frozenset({Role.ICB_LEAD}), Scope(icb_code=sample.ICB_A)),
    "admin-1": (frozenset({Role.ADMIN}), Scope()),
}
OUT_OF_SCOPE: dict[str, set[str]] = {
    "owner-a": {sample.PROVIDER_B, sample.PROVIDER_C, sample.EXPORT_B2, "PB-0001", "PC-0001"},
    "lead-a1": {sample.PROVIDER_B, sample.LOCATION_A2, "PA2-0001", "PB-0001"},
    "icb-qaa": {sample.PROVIDER_B, sample.EXPORT_A2, "PA1-0001", "1,028", "1,013"},
    "admin-1": {"PA1-0001", "PB-0001", "ISO 8601", "a_col"},
}


@pytest.fixture(scope="module")
def scoped(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServedDashboard]:
    """The dashboard serving the three-provider warehouse, with one account per role."""
    root = tmp_path_factory.mktemp("scoped")
    warehouse = sample.write_audit_warehouse(root / "carelens.duckdb")
    yield from serve_with_accounts(warehouse_path=warehouse, accounts=ACCOUNTS)


def _open(page: Page, served: ServedDashboard, username: str, path: str) -> None:
    served.open_as(page, username=username, path=path)


def _check_page(page: Page, *, username: str, artifacts_dir: Path, name: str) -> None:
    text = page.content()
    assert [value for value in OUT_OF_SCOPE[username] if value in text] == []
    page.screenshot(path=str(artifacts_dir / f"{name}.png"), full_page=True)
    assert_no_axe_violations(page)


def test_owner_sees_its_provider_in_full(
    page: Page, scoped: ServedDashboard, artifacts_dir: Path, request_log: RequestLog
) -> None:
    # When owner A opens Data quality
    _open(page, scoped, "owner-a", "/data-quality")

    # Then A's two runs, A's 13 quarantined rows and A's warnings show, and nothing of B or C
    expect(page.locator("#data-quality-history tbody tr")).to_have_count(2)
    expect(page.get_by_text("All 13 quarantined rows, by file and line.")).to_be_visible()
    expect(page.get_by_role("heading", name="Warnings")).to_be_visible()
    expect(page.get_by_role("heading", name="Table-level checks")).to_have_count(0)
    _check_page(page, username="owner-a", artifacts_dir=artifacts_dir, name="data_quality_owner")
    assert request_log.off_host == []


def test_owner_downloads_its_quarantined_rows(page: Page, scoped: ServedDashboard) -> None:
    _open(page, scoped, "owner-a", "/data-quality")

    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download quarantined rows (CSV)").click()

    download = download_info.value
    lines = Path(download.path()).read_text().splitlines()
    assert download.suggested_filename == f"quarantine-{sample.RUN_2}.csv"
    assert len(lines) == 1 + 13
    assert all(line.startswith(sample.EXPORT_A2) for line in lines[1:])


def test_quality_lead_sees_its_location_only(
    page: Page, scoped: ServedDashboard, artifacts_dir: Path
) -> None:
    _open(page, scoped, "lead-a1", "/data-quality")

    expect(page.get_by_text("All 8 quarantined rows, by file and line.")).to_be_visible()
    expect(page.get_by_text("are those of your locations only")).to_be_visible()
    _check_page(
        page, username="lead-a1", artifacts_dir=artifacts_dir, name="data_quality_quality_lead"
    )


def test_icb_lead_sees_controlled_aggregates(
    page: Page, scoped: ServedDashboard, artifacts_dir: Path
) -> None:
    # When the lead of ICB QAA opens Data quality
    _open(page, scoped, "icb-qaa", "/data-quality")

    # Then providers A and C show with rounded or suppressed counts (hand-worked in unit tests)
    rows = page.locator("#data-quality-providers tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0).locator("td")).to_have_text(
        [sample.PROVIDER_A, "[c]", "21 Nov 2026", "1,030", "1,015", "15", "1.3%"]
    )
    expect(rows.nth(1).locator("td")).to_have_text(
        [sample.PROVIDER_C, "[c]", "21 Nov 2026", "[c]", "[c]", "[c]", "[c]"]
    )
    expect(page.locator("#data-quality-history")).to_have_count(0)
    _check_page(page, username="icb-qaa", artifacts_dir=artifacts_dir, name="data_quality_icb_lead")


def test_icb_lead_download_is_controlled(page: Page, scoped: ServedDashboard) -> None:
    _open(page, scoped, "icb-qaa", "/data-quality")

    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download this table (CSV)").click()

    lines = Path(download_info.value.path()).read_text().splitlines()
    assert lines[1:] == [
        f"{sample.PROVIDER_A},[c],2026-11-21,1030,1015,15,1.3%",
        f"{sample.PROVIDER_C},[c],2026-11-21,[c],[c],[c],[c]",
    ]


def test_admin_sees_the_operations_view(
    page: Page, scoped: ServedDashboard, artifacts_dir: Path
) -> None:
    _open(page, scoped, "admin-1", f"/data-quality?run={sample.RUN_2}")

    expect(page.locator("#data-quality-history tbody tr")).to_have_count(3)
    expect(page.get_by_role("heading", name="Table-level checks")).to_be_visible()
    expect(page.get_by_role("heading", name="Quarantined rows")).to_have_count(0)
    _check_page(page, username="admin-1", artifacts_dir=artifacts_dir, name="data_quality_admin")


def test_admin_audit_log_lists_filters_and_downloads(
    page: Page, scoped: ServedDashboard, artifacts_dir: Path
) -> None:
    # Given owner A has signed in and opened Data quality (in another browser context)
    other = page.context.browser.new_context() if page.context.browser else None
    assert other is not None
    owner_page = other.new_page()
    _open(owner_page, scoped, "owner-a", "/data-quality")
    other.close()

    # When the admin opens the audit log filtered to owner A's queries
    _open(page, scoped, "admin-1", "/audit-log")
    expect(page.get_by_text("The audit trail is intact.")).to_be_visible()
    page.get_by_label("User", exact=True).fill("owner-a")
    page.get_by_label("Event", exact=True).select_option("QUERY")
    page.get_by_role("button", name="Show events").click()
    page.wait_for_load_state("networkidle")

    # Then only owner A's data queries show, with their query names and row counts
    rows = page.locator("#audit-log-events tbody tr")
    expect(rows.first).to_be_visible(timeout=20_000)
    assert "username=owner-a" in page.url
    for cells in rows.evaluate_all("rows => rows.map(r => r.innerText)"):
        assert "Data query" in cells
        assert "owner-a" in cells
    expect(page.locator("#audit-log-events")).to_contain_text("provider_quarantine_rows (person)")
    page.screenshot(path=str(artifacts_dir / "audit_log_admin.png"), full_page=True)
    assert_no_axe_violations(page)

    # and the CSV download holds the same events and is itself audited
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download these events (CSV)").click()
    lines = Path(download_info.value.path()).read_text().splitlines()
    assert lines[0].startswith("at,kind,username")
    assert all(",QUERY,owner-a," in line for line in lines[1:])
    page.goto(f"{scoped.base_url}/audit-log?kind=DOWNLOAD", wait_until="networkidle")
    expect(page.locator("#audit-log-events tbody tr").first).to_contain_text("admin-1")


def test_admin_users_page(page: Page, scoped: ServedDashboard, artifacts_dir: Path) -> None:
    _open(page, scoped, "admin-1", "/users")

    rows = page.locator("#users-accounts tbody tr")
    expect(rows).to_have_count(len(ACCOUNTS))
    expect(rows.first).to_contain_text("admin-1")
    page.screenshot(path=str(artifacts_dir / "users_admin.png"), full_page=True)
    assert "argon2" not in page.content()
    assert_no_axe_violations(page)


def test_forbidden_page_for_an_icb_lead(page: Page, scoped: ServedDashboard) -> None:
    scoped.sign_in(page, "icb-qaa")

    response = page.goto(f"{scoped.base_url}/audit-log", wait_until="domcontentloaded")

    assert response is not None
    assert response.status == 403
