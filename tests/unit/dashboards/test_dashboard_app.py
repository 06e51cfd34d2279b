from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import dash
import pytest
from flask.testing import FlaskClient
from signed_in import app_accounts, app_config, signed_in_client

from dashboards.access import set_current_identity
from dashboards.accounts import AccessEventKind
from dashboards.app import create_app
from dashboards.context import current_services
from dashboards.queries import QueryAudit
from dashboards.roles import Audience, Identity, Role, Scope

RUN_ID = "20261122T020000Z-9c0d"


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> dash.Dash:
    root = tmp_path_factory.mktemp("served")
    docs = root / "data_docs" / RUN_ID
    (docs / "static").mkdir(parents=True)
    (docs / "index.html").write_text("<h1>Data Docs</h1>")
    (docs / "static" / "style.css").write_text("h1 {}")
    (root / "secret.txt").write_text("not for the web")
    return create_app(app_config(root), accounts=app_accounts(root))


@pytest.fixture(scope="module")
def client(served: dash.Dash) -> FlaskClient:
    """An administrator: the role that may open every page of this app and the Data Docs."""
    client, _ = signed_in_client(
        served, username="adam", roles=frozenset({Role.ADMIN}), scope=Scope()
    )
    return client


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
    layout = client.get("/_dash-layout").get_json()

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
    forms = [component for component in components if component["type"] == "Form"]
    assert [(form["props"]["action"], form["props"]["method"]) for form in forms] == [
        ("/logout", "post")
    ]


def test_queries_are_recorded_in_the_access_audit(served: dash.Dash) -> None:
    # Given the reader's audit hook, as create_app wires it
    identity = Identity(
        username="olive", roles=frozenset({Role.OWNER}), scope=Scope(provider_id="1-101641521")
    )
    with served.server.test_request_context("/data-quality"):
        services = current_services()
        set_current_identity(identity)
        assert services.reader.on_query is not None

        # When it reports a query of 42 rows
        services.reader.on_query(
            QueryAudit(
                identity=identity, query_name="load_runs", audience=Audience.PROVIDER, row_count=42
            )
        )

        # Then a QUERY event names the query, its audience, the row count and the scope
        [event] = services.accounts.access_events(kind=AccessEventKind.QUERY, limit=1)
    assert (event.username, event.detail, event.row_count, event.scope) == (
        "olive",
        "load_runs (provider)",
        42,
        "provider 1-101641521",
    )
    assert event.path == "/data-quality"


class TestDataDocsRoute:
    def test_serves_the_index_and_files_of_a_run(self, client: FlaskClient) -> None:
        index = client.get(f"/data-docs/{RUN_ID}/index.html")
        folder = client.get(f"/data-docs/{RUN_ID}/")
        style = client.get(f"/data-docs/{RUN_ID}/static/style.css")

        assert index.status_code == 200
        assert b"Data Docs" in index.data
        assert "default-src 'self'" in index.headers["Content-Security-Policy"]
        assert "frame-ancestors 'none'" in index.headers["Content-Security-Policy"]
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

    def test_refuses_everyone_without_operations_access(self, served: dash.Dash) -> None:
        owner, _ = signed_in_client(
            served,
            username="olive",
            roles=frozenset({Role.OWNER}),
            scope=Scope(provider_id="1-101641521"),
        )

        response = owner.get(f"/data-docs/{RUN_ID}/index.html")

        assert response.status_code == 403
        assert b"Data Docs" not in response.data


def test_a_second_app_serves_its_own_warehouse(tmp_path: Path) -> None:
    # Given an app built for a warehouse that does not exist
    app = create_app(app_config(tmp_path), accounts=app_accounts(tmp_path))
    client, _ = signed_in_client(app, username="adam", roles=frozenset({Role.ADMIN}), scope=Scope())

    # When the Data quality page is routed
    response = client.get("/data-quality")

    # Then it is served (the empty state is rendered by the page layout, not an error)
    assert response.status_code == 200
    # And its callbacks belong to it, even though another app was built before it
    assert "data-quality-download.data" in app.callback_map
