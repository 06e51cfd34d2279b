"""The Dash app: ``create_app`` builds the shell, registers the pages and the Data Docs route."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import dash
from dash import Input, Output

from dashboards.components.shell import (
    NAV_ID,
    URL_ID,
    navigation_items,
    pages_for_navigation,
    shell,
)
from dashboards.config import DashboardConfig
from dashboards.context import AppServices, attach_services
from dashboards.data_docs import register_data_docs_route
from dashboards.queries import WarehouseReader

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


def create_app(config: DashboardConfig) -> dash.Dash:
    """Build the dashboard app; serving it is up to the caller (``app.run`` or a WSGI server).

    Every script and stylesheet is served by the app itself: no CDN, no web fonts.
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
    attach_services(
        app.server,
        services=AppServices(config=config, reader=WarehouseReader(config.warehouse_path)),
    )
    register_data_docs_route(app.server, data_docs_dir=config.data_docs_dir)
    app.layout = shell(pages=pages_for_navigation(dash.page_registry), content=dash.page_container)

    @app.callback(Output(NAV_ID, "children"), Input(URL_ID, "pathname"))
    def mark_current_page(pathname: str | None) -> list[Any]:
        """Mark the navigation link of the page being shown."""
        return navigation_items(pages_for_navigation(dash.page_registry), current_path=pathname)

    return app
