"""Signing in, out and being refused, in headless Chromium against the served dashboard."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import dash
import pytest
from playwright.sync_api import Page, expect
from served_dashboard import (
    PASSWORD,
    ROLE_ACCOUNTS,
    ConsoleLog,
    ServedDashboard,
    assert_no_axe_violations,
)

from dashboards.app import create_app
from dashboards.config import DashboardConfig
from dashboards.roles import Role, Scope

pytestmark = pytest.mark.browser

WRONG = "The username or password is not right. Check them and try again."
LOCKED = "Too many failed sign-in attempts. Try again later."
INACTIVE = "This account can no longer sign in. Ask your administrator if you still need access."
OWNER_SCOPE = Scope(provider_id="1-101641521")


@pytest.fixture(scope="module")
def pages_by_role(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[str]]:
    """The navigation each role should see, from the page registry the served app also builds."""
    root = tmp_path_factory.mktemp("registry")
    create_app(
        DashboardConfig(
            warehouse_path=root / "w.duckdb",
            data_docs_dir=root,
            accounts_path=root / "accounts.sqlite3",
            secret_key=b"x" * 32,
        )
    )
    pages = sorted(
        (page for page in dash.page_registry.values() if not page.get("hide_from_navigation")),
        key=lambda page: (page.get("order") or 0, page["name"]),
    )
    return {
        role: [page["name"] for page in pages if not roles.isdisjoint(page["roles"])]
        for role, (roles, _) in ROLE_ACCOUNTS.items()
    }


def _error(page: Page) -> str:
    return page.locator(".sign-in-error p").inner_text()


def test_sign_in_page_has_no_axe_violations(
    page: Page, dashboard: ServedDashboard, artifacts_dir: Path
) -> None:
    # Given the sign-in page
    page.goto(f"{dashboard.base_url}/login", wait_until="networkidle")
    page.screenshot(path=str(artifacts_dir / "sign_in.png"), full_page=True)

    # When axe-core checks it, then it finds nothing to fix
    assert_no_axe_violations(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")


def test_sign_in_page_with_an_error_has_no_axe_violations(
    page: Page, dashboard: ServedDashboard, artifacts_dir: Path
) -> None:
    dashboard.submit_sign_in(page, "nobody-at-all", "wrong password here")
    page.screenshot(path=str(artifacts_dir / "sign_in_error.png"), full_page=True)

    assert_no_axe_violations(page)


def test_wrong_password_shows_the_general_message(page: Page, dashboard: ServedDashboard) -> None:
    # Given an account
    dashboard.add_account("wanda", roles=frozenset({Role.OWNER}), scope=OWNER_SCOPE)

    # When it is signed in with a wrong password, and a made-up name is tried
    dashboard.submit_sign_in(page, "wanda", "not the right password")
    wrong_password = _error(page)
    dashboard.submit_sign_in(page, "no-such-person", "not the right password")
    unknown_name = _error(page)

    # Then both get the same message, and the page stays the sign-in page
    assert wrong_password == unknown_name == WRONG
    expect(page.get_by_role("alert")).to_contain_text(WRONG)
    assert page.url.startswith(f"{dashboard.base_url}/login")


def test_five_failures_lock_the_account(
    page: Page, dashboard: ServedDashboard, artifacts_dir: Path
) -> None:
    # Given an account and five wrong passwords
    dashboard.add_account("lara", roles=frozenset({Role.OWNER}), scope=OWNER_SCOPE)
    messages = []
    for attempt in range(5):
        dashboard.submit_sign_in(page, "lara", f"wrong password number {attempt}")
        messages.append(_error(page))

    # When the right password is given
    dashboard.submit_sign_in(page, "lara", PASSWORD)
    page.screenshot(path=str(artifacts_dir / "sign_in_locked.png"), full_page=True)

    # Then the account is locked, and the message says no more than "try again later"
    assert messages == [WRONG] * 4 + [LOCKED]
    assert _error(page) == LOCKED
    expect(page.get_by_role("button", name="Sign out")).to_have_count(0)


def test_sign_out_ends_the_session(page: Page, dashboard: ServedDashboard) -> None:
    # Given a signed-in owner on the Data quality page
    dashboard.add_account("sam", roles=frozenset({Role.OWNER}), scope=OWNER_SCOPE)
    dashboard.sign_in(page, "sam")

    # When they sign out
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state("domcontentloaded")

    # Then they are on the sign-in page, and pages ask them to sign in again
    expect(page.get_by_role("status")).to_have_text("You have signed out.")
    assert page.url == f"{dashboard.base_url}/login?signed_out=1"
    page.goto(f"{dashboard.base_url}/data-quality", wait_until="domcontentloaded")
    assert page.url == f"{dashboard.base_url}/login?next=%2Fdata-quality"
    response = page.request.get(f"{dashboard.base_url}/_dash-layout")
    assert response.status == 401


def test_expired_inspector_cannot_sign_in(page: Page, dashboard: ServedDashboard) -> None:
    # Given an inspector whose access ended on 1 March 2026
    dashboard.add_account(
        "ivy",
        roles=frozenset({Role.INSPECTOR}),
        scope=OWNER_SCOPE,
        expires_on=date(2026, 3, 1),
    )

    # When they sign in with the right password
    dashboard.submit_sign_in(page, "ivy", PASSWORD)

    # Then they are told the account can no longer sign in
    assert _error(page) == INACTIVE
    expect(page.get_by_role("button", name="Sign out")).to_have_count(0)


@pytest.mark.parametrize("role", sorted(ROLE_ACCOUNTS))
def test_sign_in_lands_on_home_with_the_roles_pages(
    page: Page,
    dashboard: ServedDashboard,
    pages_by_role: dict[str, list[str]],
    artifacts_dir: Path,
    role: str,
) -> None:
    # When each role signs in from the sign-in page
    dashboard.sign_in_as(page, role)

    # Then they land on Home, named in the header, with exactly their pages in the navigation
    assert page.url == f"{dashboard.base_url}/"
    expect(page.get_by_role("heading", level=1)).to_have_text("carelens")
    navigation = page.get_by_role("navigation", name="Main").get_by_role("link")
    expect(navigation).to_have_text(pages_by_role[role])
    expect(page.get_by_text(re.compile(rf"^Signed in as {role} \("))).to_be_visible()
    page.screenshot(path=str(artifacts_dir / f"home_{role}.png"), full_page=True)
    # and the signed-in frame has nothing for axe-core to fix
    assert_no_axe_violations(page)


def test_a_page_outside_the_role_is_refused(page: Page, dashboard: ServedDashboard) -> None:
    # Given a signed-in inspector (quality pages only)
    dashboard.sign_in_as(page, "inspector")

    # When they open Data quality by its address
    response = page.goto(f"{dashboard.base_url}/data-quality")

    # Then the answer is 403 with a plain page
    assert response is not None
    assert response.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text("You do not have access")


def test_sign_in_returns_to_the_page_asked_for(page: Page, dashboard: ServedDashboard) -> None:
    # Given a signed-out visitor sent to sign in from Data quality
    page.goto(f"{dashboard.base_url}/data-quality", wait_until="domcontentloaded")
    assert page.url == f"{dashboard.base_url}/login?next=%2Fdata-quality"
    dashboard.add_account("admin", roles=frozenset({Role.ADMIN}), scope=Scope())

    # When they sign in
    page.get_by_label("Username").fill("admin")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    # Then they are on Data quality
    expect(page.get_by_role("heading", level=1)).to_have_text("Data quality", timeout=20_000)
    assert page.url == f"{dashboard.base_url}/data-quality"


def test_dash_and_plotly_run_under_the_content_security_policy(
    page: Page, dashboard: ServedDashboard, console_log: ConsoleLog
) -> None:
    # Given a record of every console message (console_log) and script error
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))

    # When an administrator signs in, opens Data quality (a Plotly chart) and goes back Home
    # through the navigation (Dash's client-side routing)
    dashboard.sign_in_as(page, "admin")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Data quality").click()
    expect(page.locator(".js-plotly-plot").first).to_be_visible(timeout=20_000)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Home").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("carelens")
    page.wait_for_load_state("networkidle")

    # Then the browser refused nothing, and no script failed
    assert console_log.refused == []
    assert errors == []
    policy = page.request.get(f"{dashboard.base_url}/").headers["content-security-policy"]
    assert "script-src 'self' 'sha256-" in policy
