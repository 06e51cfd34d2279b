from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import dash
import pytest
from flask.testing import FlaskClient

from dashboards.app import create_app
from dashboards.config import DashboardConfig
from dashboards.roles import Role

RUN_ID = "20261122T020000Z-9c0d"


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> FlaskClient:
    root = tmp_path_factory.mktemp("served")
    docs = root / "data_docs" / RUN_ID
    (docs / "static").mkdir(parents=True)
    (docs / "index.html").write_text("<h1>Data Docs</h1>")
    (docs / "static" / "style.css").write_text("h1 {}")
    (root / "secret.txt").write_text("not for the web")
    app = create_app(
        DashboardConfig(warehouse_path=root / "carelens.duckdb", data_docs_dir=root / "data_docs")
    )
    return app.server.test_client()


def test_create_app_registers_pages_that_all_declare_roles(dash_app: dash.Dash) -> None:
    pages = dash.page_registry.values()

    assert {page["path"] for page in pages} >= {"/", "/data-quality"}
    for page in pages:
        assert isinstance(page.get("roles"), frozenset), page["module"]
        assert page["roles"], page["module"]
        assert all(isinstance(role, Role) for role in page["roles"]), page["module"]


def test_index_declares_uk_english_and_loads_nothing_from_elsewhere(client: FlaskClient) -> None:
    response = client.get("/data-quality")

    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert '<html lang="en-GB">' in html
    assert "http://" not in html.replace("http://localhost/", "")
    assert "https://" not in html
    assert "/assets/carelens.css" in html


def _walk(component: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield component
    children = component.get("props", {}).get("children")
    for child in children if isinstance(children, list) else [children]:
        if isinstance(child, dict):
            yield from _walk(child)


def test_layout_has_skip_link_landmarks_and_navigation_from_the_registry(
    client: FlaskClient,
) -> None:
    layout = json.loads(client.get("/_dash-layout").get_data(as_text=True))

    components = list(_walk(layout))
    types = [component["type"] for component in components]
    links = {
        component["props"]["children"]: component["props"]["href"]
        for component in components
        if component["type"] == "A"
    }
    assert {"Header", "Nav", "Main", "Footer"} <= set(types)
    assert links["Skip to main content"] == "#main-content"
    assert links["Data quality"] == "/data-quality"


class TestDataDocsRoute:
    def test_serves_the_index_and_files_of_a_run(self, client: FlaskClient) -> None:
        index = client.get(f"/data-docs/{RUN_ID}/index.html")
        folder = client.get(f"/data-docs/{RUN_ID}/")
        style = client.get(f"/data-docs/{RUN_ID}/static/style.css")

        assert index.status_code == 200
        assert b"Data Docs" in index.data
        assert "default-src 'self'" in index.headers["Content-Security-Policy"]
        assert folder.status_code == 200
        assert style.status_code == 200

    @pytest.mark.parametrize(
        "path",
        [
            f"/data-docs/{RUN_ID}/../../secret.txt",
            f"/data-docs/{RUN_ID}/%2e%2e/%2e%2e/secret.txt",
            f"/data-docs/{RUN_ID}/static/../../../secret.txt",
            f"/data-docs/{RUN_ID}//etc/passwd",
            f"/data-docs/{RUN_ID}/..%5c..%5csecret.txt",
            "/data-docs/../secret.txt",
            "/data-docs/..%2f/secret.txt",
            "/data-docs/not-a-run/index.html",
            "/data-docs/",
            f"/data-docs/{RUN_ID}/C:%5cwindows%5cwin.ini",
            f"/data-docs/{RUN_ID}/missing.html",
        ],
    )
    def test_refuses_paths_outside_a_run_folder(self, client: FlaskClient, path: str) -> None:
        response = client.get(path)

        assert response.status_code == 404
        assert b"not for the web" not in response.data


def test_a_second_app_serves_its_own_warehouse(tmp_path: Path) -> None:
    # Given an app built for a warehouse that does not exist
    app = create_app(
        DashboardConfig(warehouse_path=tmp_path / "none.duckdb", data_docs_dir=tmp_path)
    )

    # When the Data quality page is routed
    response = app.server.test_client().get("/data-quality")

    # Then it is served (the empty state is rendered by the page layout, not an error)
    assert response.status_code == 200
