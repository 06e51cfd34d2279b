"""Helpers for the sign-in tests: a fresh app with a movable clock, accounts, form sign-in."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import dash
from flask.testing import FlaskClient
from signed_in import app_accounts, app_config
from werkzeug.test import TestResponse

from dashboards.accounts import AccessEvent, AccessEventKind, Account, AccountStore
from dashboards.app import create_app
from dashboards.context import CLOCK_CONFIG_KEY, current_services
from dashboards.roles import Role, Scope

PASSWORD = "plum trees by the river"
PROVIDER = "1-101641521"
OTHER_PROVIDER = "1-999999999"
ICB = "QOP"
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
"""A Monday morning in winter (UK time = UTC)."""

OWNER = (frozenset({Role.OWNER}), Scope(provider_id=PROVIDER))
QUALITY_LEAD = (frozenset({Role.QUALITY_LEAD}), Scope(provider_id=PROVIDER))
ICB_LEAD = (frozenset({Role.ICB_LEAD}), Scope(icb_code=ICB))
INSPECTOR = (frozenset({Role.INSPECTOR}), Scope(provider_id=PROVIDER))
ADMIN = (frozenset({Role.ADMIN}), Scope())

_CSRF_INPUT = re.compile(r'name="csrf_token" value="([^"]+)"')


@dataclass
class Clock:
    """The app's clock in a test: starts at ``T0`` and moves only when told."""

    now: datetime = T0

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        """Move the clock on by ``timedelta(**delta)``."""
        self.now += timedelta(**delta)


@dataclass
class TestApp:
    """An app built for one test, its clock and its account store."""

    __test__ = False

    app: dash.Dash
    clock: Clock
    store: AccountStore

    def client(self, *, address: str = "192.0.2.10") -> FlaskClient:
        """A new browser (cookie jar) calling from ``address``."""
        client = self.app.server.test_client()
        client.environ_base["REMOTE_ADDR"] = address
        return client

    def add_account(
        self,
        username: str,
        role: tuple[frozenset[Role], Scope],
        *,
        password: str | None = PASSWORD,
        expires_on: date | None = None,
    ) -> Account:
        """Add an account with ``role`` (one of the role constants above)."""
        roles, scope = role
        return self.store.add_user(
            username,
            roles=roles,
            scope=scope,
            password=password,
            expires_on=expires_on,
            now=self.clock.now,
        )

    def events(self, kind: AccessEventKind | None = None) -> list[AccessEvent]:
        """Audit events, oldest first."""
        return list(reversed(self.store.access_events(kind=kind)))


def build_app(root: Path, **overrides: Any) -> TestApp:
    """A fresh app (own accounts file, own rate limits) whose clock the test moves."""
    root.mkdir(parents=True, exist_ok=True)
    app = create_app(app_config(root, **overrides), accounts=app_accounts(root))
    clock = Clock()
    app.server.config[CLOCK_CONFIG_KEY] = clock
    with app.server.app_context():
        store = current_services().accounts
    return TestApp(app=app, clock=clock, store=store)


def csrf_in(html: str) -> str:
    """The CSRF token of the first form in ``html``."""
    match = _CSRF_INPUT.search(html)
    assert match, "no csrf_token field in the page"
    return match.group(1)


def sign_in(
    client: FlaskClient, username: str, password: str = PASSWORD, *, next_path: str | None = None
) -> TestResponse:
    """Open the sign-in page and post the form, as a browser does."""
    query = f"?next={next_path}" if next_path else ""
    page = client.get(f"/login{query}")
    return client.post(
        f"/login{query}",
        data={"username": username, "password": password, "csrf_token": csrf_in(page.text)},
    )


def submit_code(client: FlaskClient, code: str) -> TestResponse:
    """Open the security code page and post ``code``."""
    page = client.get("/login/code")
    return client.post("/login/code", data={"code": code, "csrf_token": csrf_in(page.text)})


def error_text(response: TestResponse) -> str:
    """The message of the sign-in page's error box ("" if none)."""
    match = re.search(r'class="sign-in-error".*?<p>(.*?)</p>', response.text, re.S)
    return match.group(1).strip() if match else ""


def components(layout: Any) -> list[dict[str, Any]]:
    """Every component of a layout as ``/_dash-layout`` serves it, depth first."""
    found: list[dict[str, Any]] = []
    if isinstance(layout, list):
        for item in layout:
            found += components(item)
    elif isinstance(layout, dict) and "type" in layout:
        found.append(layout)
        found += components(layout.get("props", {}).get("children"))
    return found


def sign_out_token(layout: Any) -> str:
    """The CSRF token carried by the Sign out button of a served layout."""
    [button] = [
        component
        for component in components(layout)
        if component["type"] == "Button" and component["props"].get("name") == "csrf_token"
    ]
    return str(button["props"]["value"])
