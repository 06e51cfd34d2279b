"""Browser-test fixtures: the real dashboard served on a free local port, and headless Chromium.

Override ``dashboard_warehouse`` (in a test module or a nearer conftest) to serve another
warehouse, for example one written by a real ``carelens load`` of a generated inbox; Data Docs
are served from ``data_docs/`` beside it, as ``carelens serve`` does.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Page, Route, sync_playwright
from sample_warehouse import write_sample_warehouse
from served_dashboard import (
    ARTIFACTS_DIR,
    CHROMIUM,
    CHROMIUM_ARGS,
    LOCAL_HOST,
    ConsoleLog,
    RequestLog,
    ServedDashboard,
    serve_dashboard,
)


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


@pytest.fixture
def console_log(page: Page) -> ConsoleLog:
    """The console messages of the current test's page, recorded from now on."""
    log = ConsoleLog()
    page.on("console", log.keep)
    return log


@pytest.fixture(scope="session")
def artifacts_dir() -> Path:
    """Where browser tests save screenshots (git-ignored)."""
    ARTIFACTS_DIR.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS_DIR
