"""The Dash app: ``create_app`` builds the shell, registers the pages, sign-in and the guards."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import dash
import flask
from dash import Input, Output, html
from werkzeug.middleware.proxy_fix import ProxyFix

from dashboards.access import optional_identity
from dashboards.accounts import AccessEventKind, AccountStore
from dashboards.auth import HEALTH_PATH, guard_page_layouts, install_auth, session_csrf_token
from dashboards.components.shell import (
    NAV_ID,
    URL_ID,
    navigation_items,
    pages_for_navigation,
    shell,
)
from dashboards.config import DashboardConfig
from dashboards.context import AppServices, attach_services, record_access
from dashboards.data_docs import register_data_docs_route
from dashboards.queries import QueryAudit, WarehouseReader

PACKAGE_DIR = Path(__file__).parent
PAGES_DIR = PACKAGE_DIR / "pages"
ASSETS_DIR = PACKAGE_DIR / "assets"

# Dash's default page wraps its scripts in a <footer> (a second contentinfo landmark) and sets
# no language; this one declares UK English and keeps the scripts outside any landmark.
INDEX_STRING = """<!DOCTYPE html>
<html lang="en-GB">
    <head>
        {%metas%}
        <title>{%title%}</title>
        {%favicon%}
        {%css%}
    </head>
    <body>
        {%app_entry%}
        {%config%}
        {%scripts%}
        {%renderer%}
    </body>
</html>"""


def record_query(audit: QueryAudit) -> None:
    """Write a ``QUERY`` event for a query the warehouse reader ran (its name and row count)."""
    record_access(
        AccessEventKind.QUERY,
        detail=f"{audit.query_name} ({audit.audience})",
        row_count=audit.row_count,
    )


def serve_layout() -> html.Div:
    """The frame of every page for the signed-in identity: its pages, its name, Sign out."""
    identity = optional_identity()
    return shell(
        pages=pages_for_navigation(dash.page_registry, identity=identity),
        content=dash.page_container,
        identity=identity,
        csrf_token=session_csrf_token() if identity else None,
    )


def create_app(config: DashboardConfig, *, accounts: AccountStore | None = None) -> dash.Dash:
    """Build the dashboard app; serving it is up to the caller (``app.run`` or a WSGI server).

    Every script and stylesheet is served by the app itself: no CDN, no web fonts. Nothing but
    the sign-in pages and static files is served to anyone not signed in.

    Args:
        config: Where the data lives and how sign-in behaves.
        accounts: The account store (by default the one at ``config.accounts_path``).
    """
    app = dash.Dash(
        "dashboards",
        use_pages=True,
        pages_folder=str(PAGES_DIR),
        assets_folder=str(ASSETS_DIR),
        serve_locally=True,
        title="carelens",
        update_title="",
        # Pages build their layouts per request, so callback targets appear only on their page.
        suppress_callback_exceptions=True,
        meta_tags=[{"name": "viewport", "content": "width=device-width, initial-scale=1"}],
    )
    app.index_string = INDEX_STRING
    reader = WarehouseReader(config.warehouse_path, on_query=record_query)
    store = accounts or AccountStore(config.accounts_path)
    attach_services(app.server, services=AppServices(config=config, reader=reader, accounts=store))
    # One warehouse connection per request, shared by its queries (opening costs more than
    # most queries); closed when the request ends, so the next one sees a new publish.
    app.server.before_request(reader.hold_connection)
    app.server.teardown_request(lambda _error: reader.release_connection())
    _write_audit_events_per_request(app, store=store)
    install_auth(app, config=config)
    register_data_docs_route(app.server, data_docs_dir=config.data_docs_dir)
    guard_page_layouts(dash.page_registry)
    app.layout = serve_layout

    @app.callback(Output(NAV_ID, "children"), Input(URL_ID, "pathname"))
    def mark_current_page(pathname: str | None) -> list[Any]:
        """Mark the navigation link of the page being shown."""
        pages = pages_for_navigation(dash.page_registry, identity=optional_identity())
        return navigation_items(pages, current_path=pathname)

    if config.trusted_proxies:
        # Outermost, so that sign-in throttling, the audit trail and OIDC redirects all see the
        # client's address and scheme as the trusted proxies report them.
        app.server.wsgi_app = ProxyFix(
            app.server.wsgi_app,
            x_for=config.trusted_proxies,
            x_proto=config.trusted_proxies,
            x_host=config.trusted_proxies,
        )
    _finish_dash_setup(app)
    return app


def _write_audit_events_per_request(app: dash.Dash, *, store: AccountStore) -> None:
    """Write each request's audit events in one transaction, not one each.

    The events are held from the request's start (before the sign-in layer's checks, which
    may record a refusal). They are written before the response leaves, so that a response is
    never sent whose access was not recorded (a failed write turns it into an error), and
    again at teardown for whatever an error cut short or a later hook recorded.
    """

    def write_before_sending(response: flask.Response) -> flask.Response:
        store.write_held_events()
        store.hold_events()  # for anything a later hook records (written at teardown)
        return response

    app.server.before_request(store.hold_events)
    app.server.after_request(write_before_sending)
    app.server.teardown_request(lambda _error: store.write_held_events())


def _finish_dash_setup(app: dash.Dash) -> None:
    """Run Dash's first-request set-up now, with one request nobody needs to be signed in for.

    Dash moves the callbacks that page modules declare with ``dash.callback`` into an app's
    ``callback_map`` (and adds the page router) only on the app's first request. Doing it here
    makes ``app.callback_map`` complete as soon as ``create_app`` returns, for the callback
    guard and for tests that go through every callback, and ties the callbacks to this app even
    when another app is built in the same process.
    """
    app.server.test_client().get(HEALTH_PATH)
