"""Serving the real dashboard on a free local port, signing in, and recording what a page asks.

The served app keeps its accounts in ``accounts.sqlite3`` beside the warehouse; tests add
accounts to that file directly (as ``carelens users add`` does) and sign a Playwright page in
through the real sign-in form. The unit tests' hand-made warehouse builders are loaded with
:func:`load_unit_sample` and served with their accounts by :func:`serve_with_accounts`; pages
are checked with axe-core by :func:`serious_axe_violations` or
:func:`assert_no_axe_violations`.
"""

from __future__ import annotations

import importlib.util
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from types import ModuleType
from urllib.parse import urlsplit

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import ConsoleMessage, Page, expect

from dashboards.accounts import Account, AccountStore
from dashboards.roles import Role, Scope

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
REPO_ROOT = Path(__file__).parents[2]
UNIT_SAMPLES_DIR = REPO_ROOT / "tests" / "unit" / "dashboards"
"""Where the unit tests' hand-made warehouse builders (``*_sample.py``) live."""
ARTIFACTS_DIR = REPO_ROOT / "tests" / "artifacts"
LOCAL_HOST = "127.0.0.1"
START_TIMEOUT_SECONDS = 60
PASSWORD = "browser tests sign in here"
"""The password of every account a browser test adds (it passes the password rules)."""
SIGN_IN_RATE_LIMIT = "100 per minute"
"""Generous: every browser test signs in from 127.0.0.1 (the unit tests check the real limit)."""
INSPECTOR_EXPIRES_ON = date(2099, 12, 31)
"""When every inspector account a browser test adds expires (inspectors must have an end date)."""
PAGE_TIMEOUT_MS = 20_000
"""How long a page may take to draw its main heading after signing in."""
SERIOUS_IMPACTS = frozenset({"serious", "critical"})
"""The axe-core impacts that fail a page checked with :func:`serious_axe_violations`."""

Accounts = Mapping[str, tuple[frozenset[Role], Scope]]
"""Accounts to add, by username: each one's roles and scope."""

ROLE_ACCOUNTS: dict[str, tuple[frozenset[Role], Scope]] = {
    "owner": (frozenset({Role.OWNER}), Scope(provider_id="1-101641521")),
    "quality_lead": (frozenset({Role.QUALITY_LEAD}), Scope(provider_id="1-101641521")),
    "icb_lead": (frozenset({Role.ICB_LEAD}), Scope(icb_code="QOP")),
    "inspector": (frozenset({Role.INSPECTOR}), Scope(provider_id="1-101641521")),
    "admin": (frozenset({Role.ADMIN}), Scope()),
}
"""One account per role, named after it (``admin``, ``owner`` ...), for :meth:`sign_in_as`."""


@dataclass(frozen=True, slots=True)
class ServedDashboard:
    """A dashboard process serving one warehouse, with its accounts file."""

    base_url: str
    warehouse_path: Path
    accounts_path: Path

    def add_account(
        self,
        username: str,
        *,
        roles: frozenset[Role],
        scope: Scope,
        password: str = PASSWORD,
        expires_on: date | None = None,
    ) -> Account:
        """Add an account to the served app's accounts file (kept if it already exists)."""
        store = AccountStore(self.accounts_path)
        existing = store.get_user(username)
        if existing is not None:
            return existing
        return store.add_user(
            username,
            roles=roles,
            scope=scope,
            password=password,
            expires_on=expires_on,
            now=datetime.now(UTC),
        )

    def submit_sign_in(self, page: Page, username: str, password: str = PASSWORD) -> None:
        """Open the sign-in page and submit the form (whatever the outcome)."""
        page.goto(f"{self.base_url}/login", wait_until="domcontentloaded")
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_load_state("domcontentloaded")

    def sign_in(self, page: Page, username: str, password: str = PASSWORD) -> None:
        """Sign ``page`` in as ``username`` and wait for the signed-in header."""
        self.submit_sign_in(page, username, password)
        expect(page.get_by_text(f"Signed in as {username} (")).to_be_visible(timeout=20_000)

    def sign_in_as(self, page: Page, role: str) -> str:
        """Sign ``page`` in with the account of ``role`` (see :data:`ROLE_ACCOUNTS`); its name."""
        self.add_accounts({role: ROLE_ACCOUNTS[role]})
        self.sign_in(page, role)
        return role

    def add_accounts(self, accounts: Accounts) -> None:
        """Add each account (kept if it already exists); inspectors expire on 31 December 2099.

        Args:
            accounts: The roles and scope of each account, by username.
        """
        for username, (roles, scope) in accounts.items():
            expires_on = INSPECTOR_EXPIRES_ON if Role.INSPECTOR in roles else None
            self.add_account(username, roles=roles, scope=scope, expires_on=expires_on)

    def open_as(self, page: Page, *, username: str, path: str, heading: str | None = None) -> None:
        """Sign ``page`` in as ``username``, open ``path`` and wait until it has drawn.

        Args:
            page: The browser page to sign in and navigate.
            username: An account already added to the served app.
            path: The address to open, from the root (``/time?location=...``).
            heading: The accessible name of the page's level-1 heading; any level-1 heading
                will do when it is not given.
        """
        self.sign_in(page, username)
        page.goto(f"{self.base_url}{path}", wait_until="networkidle")
        title = page.get_by_role("heading", level=1, name=heading)
        expect(title).to_be_visible(timeout=PAGE_TIMEOUT_MS)
        page.wait_for_load_state("networkidle")


@dataclass
class RequestLog:
    """Every URL a page asked for, and those refused because they left the local server."""

    urls: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)

    @property
    def off_host(self) -> list[str]:
        """The requested URLs whose host is not the local server (data: URLs excepted)."""
        return [
            url
            for url in self.urls
            if urlsplit(url).scheme not in ("data", "blob") and urlsplit(url).hostname != LOCAL_HOST
        ]


@dataclass
class ConsoleLog:
    """Every message a page wrote to the browser console, as ``"type: text"``."""

    messages: list[str] = field(default_factory=list)

    def keep(self, message: ConsoleMessage) -> None:
        """Record ``message`` (a Playwright ``console`` event handler)."""
        self.messages.append(f"{message.type}: {message.text}")

    @property
    def refused(self) -> list[str]:
        """The messages saying the browser refused something (the Content Security Policy)."""
        return [
            line for line in self.messages if "Refused to" in line or "Content Security" in line
        ]


def load_unit_sample(name: str) -> ModuleType:
    """Load a unit-test warehouse builder by name (its folder is not on this import path).

    Args:
        name: The module's name in ``tests/unit/dashboards`` (``"time_sample"``).

    Returns:
        The module, loaded once per session as ``browser_<name>``.
    """
    module_name = f"browser_{name}"
    loaded = sys.modules.get(module_name)
    if loaded is not None:
        return loaded
    spec = importlib.util.spec_from_file_location(module_name, UNIT_SAMPLES_DIR / f"{name}.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def serious_axe_violations(page: Page) -> list[str]:
    """Run axe-core on ``page``; its serious and critical violations, one line each.

    The full report is printed when there is any violation at all, so that a failing test shows
    the lesser ones too.

    Args:
        page: The page to check, fully drawn.

    Returns:
        ``"rule (impact): help – targets"`` for each serious or critical violation.
    """
    results = Axe().run(page)
    violations = results.response["violations"]
    if violations:
        print(results.generate_report())  # noqa: T201 - shown when a test fails
    return [
        f"{v['id']} ({v['impact']}): {v['help']} – {[n['target'] for n in v['nodes']]}"
        for v in violations
        if v.get("impact") in SERIOUS_IMPACTS
    ]


def assert_no_axe_violations(page: Page) -> None:
    """Fail, with axe-core's report, if axe-core finds any violation at all on ``page``.

    Args:
        page: The page to check, fully drawn.
    """
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((LOCAL_HOST, 0))
        return int(probe.getsockname()[1])


def _wait_until_serving(url: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"dashboard exited with code {process.returncode} before serving")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 (local URL)
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.2)
    raise RuntimeError(f"dashboard did not answer on {url} within {START_TIMEOUT_SECONDS} s")


def serve_dashboard(*, warehouse_path: Path) -> Iterator[ServedDashboard]:
    """Run ``carelens serve`` on a free port for ``warehouse_path``; stop it afterwards.

    Accounts live in ``accounts.sqlite3`` beside the warehouse; the cookie-signing key is made
    up for this process only.
    """
    port = _free_port()
    accounts_path = warehouse_path.parent / "accounts.sqlite3"
    command = [sys.executable, "-m", "carelens", "serve", "--warehouse", str(warehouse_path)]
    command += ["--port", str(port), "--host", LOCAL_HOST]
    environment = {
        **os.environ,
        "CARELENS_ACCOUNTS": str(accounts_path),
        "CARELENS_SECRET_KEY": secrets.token_hex(32),
        "CARELENS_SIGN_IN_RATE_LIMIT": SIGN_IN_RATE_LIMIT,
    }
    # The server's log goes to a file beside the warehouse: a pipe nobody reads fills up after
    # a few hundred logged requests and then blocks the server.
    log = (warehouse_path.parent / "serve.log").open("wb")
    process = subprocess.Popen(  # noqa: S603 (our own CLI, fixed arguments)
        command,
        cwd=REPO_ROOT,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=log,
    )
    base_url = f"http://{LOCAL_HOST}:{port}"
    try:
        _wait_until_serving(f"{base_url}/healthz", process)
        yield ServedDashboard(
            base_url=base_url, warehouse_path=warehouse_path, accounts_path=accounts_path
        )
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


def serve_with_accounts(*, warehouse_path: Path, accounts: Accounts) -> Iterator[ServedDashboard]:
    """Serve ``warehouse_path`` as :func:`serve_dashboard` does, with ``accounts`` added.

    Args:
        warehouse_path: The warehouse to serve.
        accounts: The accounts to add before anyone signs in (see
            :meth:`ServedDashboard.add_accounts`).

    Yields:
        The served dashboard, stopped when the generator is closed.
    """
    for dashboard in serve_dashboard(warehouse_path=warehouse_path):
        dashboard.add_accounts(accounts)
        yield dashboard
