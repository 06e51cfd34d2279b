"""Browser-test fixtures: the real dashboard served on a free local port, and headless Chromium.

Override ``dashboard_warehouse`` (in a test module or a nearer conftest) to serve another
warehouse, for example one written by a real ``carelens load`` of a generated inbox; Data Docs
are served from ``data_docs/`` beside it, as ``carelens serve`` does.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Page, Route, sync_playwright
from sample_warehouse import write_sample_warehouse

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
ARTIFACTS_DIR = REPO_ROOT / "tests" / "artifacts"
LOCAL_HOST = "127.0.0.1"
START_TIMEOUT_SECONDS = 60


@dataclass(frozen=True, slots=True)
class ServedDashboard:
    """A dashboard process serving one warehouse."""

    base_url: str
    warehouse_path: Path


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
    """Run ``carelens serve`` on a free port for ``warehouse_path``; stop it afterwards."""
    port = _free_port()
    command = [sys.executable, "-m", "carelens", "serve", "--warehouse", str(warehouse_path)]
    command += ["--port", str(port), "--host", LOCAL_HOST]
    process = subprocess.Popen(  # noqa: S603 (our own CLI, fixed arguments)
        command, cwd=REPO_ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    base_url = f"http://{LOCAL_HOST}:{port}"
    try:
        _wait_until_serving(f"{base_url}/", process)
        yield ServedDashboard(base_url=base_url, warehouse_path=warehouse_path)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="session")
def dashboard_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The warehouse the dashboard serves: five synthetic runs, with Data Docs beside it."""
    return write_sample_warehouse(tmp_path_factory.mktemp("browser") / "carelens.duckdb")


@pytest.fixture(scope="session")
def dashboard(dashboard_warehouse: Path) -> Iterator[ServedDashboard]:
    """The real dashboard, served by ``carelens serve`` from ``dashboard_warehouse``."""
    yield from serve_dashboard(warehouse_path=dashboard_warehouse)


@pytest.fixture(scope="session")
def chromium() -> Iterator[Browser]:
    """Debian's headless Chromium driven by Playwright (Playwright downloads no browser)."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is not installed (make chromium installs it)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def request_log() -> RequestLog:
    """The requests made by the page of the current test."""
    return RequestLog()


@pytest.fixture
def page(chromium: Browser, request_log: RequestLog) -> Iterator[Page]:
    """A fresh browser page that logs every request and refuses any to another host."""
    context = chromium.new_context(
        viewport={"width": 1280, "height": 900}, locale="en-GB", timezone_id="Europe/London"
    )
    browser_page = context.new_page()
    browser_page.on("request", lambda request: request_log.urls.append(request.url))

    def guard(route: Route) -> None:
        url = route.request.url
        if urlsplit(url).scheme in ("http", "https") and urlsplit(url).hostname != LOCAL_HOST:
            request_log.blocked.append(url)
            route.abort()
        else:
            route.continue_()

    browser_page.route("**/*", guard)
    yield browser_page
    context.close()


@pytest.fixture(scope="session")
def artifacts_dir() -> Path:
    """Where browser tests save screenshots (git-ignored)."""
    ARTIFACTS_DIR.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS_DIR
