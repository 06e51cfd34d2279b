"""The page guard, the layout guard and the callback guard, discovered from the real app."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import dash
import pytest
from auth_testkit import ADMIN, ICB_LEAD, INSPECTOR, OWNER, QUALITY_LEAD, TestApp, build_app
from auth_testkit import components as layout_components
from flask.testing import FlaskClient
from signed_in import dash_update, signed_in_client

from dashboards.accounts import AccessEventKind
from dashboards.auth.guards import DENIED_HEADING, callback_module
from dashboards.roles import Role, Scope

ROLES: dict[str, tuple[frozenset[Role], Scope]] = {
    "owner": OWNER,
    "quality_lead": QUALITY_LEAD,
    "icb_lead": ICB_LEAD,
    "inspector": INSPECTOR,
    "admin": ADMIN,
}
ROUTER_OUTPUT = "..\\_pages_content.children...\\_pages_store.data.."
ROUTER_OUTPUT_ID = ".._pages_content.children..._pages_store.data.."


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> TestApp:
    """One app for the module."""
    return build_app(tmp_path_factory.mktemp("guards"))


@pytest.fixture(scope="module")
def clients(site: TestApp) -> dict[str, tuple[FlaskClient, str]]:
    """A signed-in client (and its CSRF token) per role."""
    signed: dict[str, tuple[FlaskClient, str]] = {}
    for name, (roles, scope) in ROLES.items():
        expires_on = site.clock.now.date() if Role.INSPECTOR in roles else None
        signed[name] = signed_in_client(
            site.app, username=f"{name}-user", roles=roles, scope=scope, expires_on=expires_on
        )
    return signed


def _pages() -> list[Mapping[str, Any]]:
    return list(dash.page_registry.values())


def _router_payload(pathname: str) -> dict[str, Any]:
    return {
        "output": ROUTER_OUTPUT_ID,
        "outputs": [
            {"id": "_pages_content", "property": "children"},
            {"id": "_pages_store", "property": "data"},
        ],
        "inputs": [
            {"id": "_pages_location", "property": "pathname", "value": pathname},
            {"id": "_pages_location", "property": "search", "value": ""},
        ],
        "changedPropIds": ["_pages_location.pathname"],
        "state": [],
    }


def _callback_payload(output: str) -> dict[str, Any]:
    """The smallest body naming a callback (the guard decides on ``output`` alone)."""
    return {"output": output, "outputs": [], "inputs": [], "changedPropIds": [], "state": []}


class TestNobodySignedIn:
    def test_every_page_redirects_to_sign_in(self, site: TestApp) -> None:
        client = site.client()

        for page in _pages():
            response = client.get(page["relative_path"])

            assert response.status_code == 302, page["relative_path"]
            assert response.headers["Location"].startswith("/login")
            assert b"<table" not in response.data

    def test_dash_endpoints_answer_401_with_no_data(self, site: TestApp) -> None:
        client = site.client()

        for path in ("/_dash-layout", "/_dash-dependencies", "/data-docs/x/index.html"):
            response = client.get(path)
            assert response.status_code in (302, 401), path
        for output in site.app.callback_map:
            response = client.post("/_dash-update-component", json=_callback_payload(output))
            assert response.status_code == 401, output
            assert response.get_json() == {"error": "sign in"}

    def test_every_callback_is_refused_even_with_a_forged_csrf_cookie(self, site: TestApp) -> None:
        client = site.client()
        client.set_cookie("_csrf_token", "forged")

        for output in site.app.callback_map:
            response = dash_update(client, "forged", _router_payload("/") | {"output": output})

            assert response.status_code == 401, output
            assert response.get_json() == {"error": "sign in"}

    def test_public_files_are_served(self, site: TestApp) -> None:
        client = site.client()

        assert client.get("/login").status_code == 200
        assert client.get("/assets/carelens.css").status_code == 200
        assert client.get("/healthz").get_json() == {"status": "ok"}


class TestPageGuard:
    @pytest.mark.parametrize("role", sorted(ROLES))
    def test_each_role_opens_exactly_its_pages(
        self, clients: dict[str, tuple[FlaskClient, str]], role: str
    ) -> None:
        client, _ = clients[role]
        roles = ROLES[role][0]

        for page in _pages():
            response = client.get(page["relative_path"])

            expected = 200 if not roles.isdisjoint(page["roles"]) else 403
            assert response.status_code == expected, (role, page["relative_path"])

    def test_refused_page_is_plain_html_and_audited(
        self, site: TestApp, clients: dict[str, tuple[FlaskClient, str]]
    ) -> None:
        refused = [
            (role, page)
            for role in ROLES
            for page in _pages()
            if ROLES[role][0].isdisjoint(page["roles"])
        ]
        assert refused, "every role may open every page: nothing to test"
        role, page = refused[0]
        client, _ = clients[role]

        response = client.get(page["relative_path"])

        assert response.status_code == 403
        assert response.headers["Content-Type"].startswith("text/html")
        assert "You do not have access" in response.text
        denied = site.store.access_events(kind=AccessEventKind.ACCESS_DENIED, limit=1)[0]
        assert (denied.username, denied.path) == (f"{role}-user", page["relative_path"])

    def test_unknown_page_is_404(self, clients: dict[str, tuple[FlaskClient, str]]) -> None:
        client, _ = clients["owner"]

        response = client.get("/no-such-page")

        assert response.status_code == 404
        assert "Page not found" in response.text


class TestLayoutGuard:
    @pytest.mark.parametrize("role", sorted(ROLES))
    def test_navigation_in_the_browser_renders_only_allowed_pages(
        self, site: TestApp, clients: dict[str, tuple[FlaskClient, str]], role: str
    ) -> None:
        client, csrf = clients[role]
        roles = ROLES[role][0]

        for page in _pages():
            response = dash_update(client, csrf, _router_payload(page["relative_path"]))

            assert response.status_code == 200
            denied = DENIED_HEADING in response.text
            assert denied == roles.isdisjoint(page["roles"]), (role, page["relative_path"])

    def test_views_and_refusals_are_audited(
        self, site: TestApp, clients: dict[str, tuple[FlaskClient, str]]
    ) -> None:
        client, csrf = clients["admin"]

        dash_update(client, csrf, _router_payload("/"))

        [view] = site.store.access_events(kind=AccessEventKind.PAGE_VIEW, limit=1)
        assert (view.username, view.role, view.path) == ("admin-user", "admin", "/")
        assert view.request_id
        refused = [
            (role, page)
            for role in ROLES
            for page in _pages()
            if ROLES[role][0].isdisjoint(page["roles"])
        ]
        role, page = refused[0]
        client, csrf = clients[role]
        dash_update(client, csrf, _router_payload(page["relative_path"]))
        [denied] = site.store.access_events(kind=AccessEventKind.ACCESS_DENIED, limit=1)
        assert (denied.username, denied.path) == (f"{role}-user", page["relative_path"])


class TestCallbackGuard:
    def test_every_callback_is_traced_to_its_module(self, site: TestApp) -> None:
        modules = {
            output: callback_module(site.app, output)
            for output, entry in site.app.callback_map.items()
            if "callback" in entry
        }

        assert modules["shell-nav.children"] == "dashboards.app"
        assert modules[ROUTER_OUTPUT_ID] == "dash.dash"
        page_modules = {page["module"] for page in _pages()}
        assert any(module in page_modules for module in modules.values())

    @pytest.mark.parametrize("role", sorted(ROLES))
    def test_callbacks_of_pages_outside_the_role_are_refused(
        self, site: TestApp, clients: dict[str, tuple[FlaskClient, str]], role: str
    ) -> None:
        client, csrf = clients[role]
        roles = ROLES[role][0]
        pages = {page["module"]: page for page in _pages()}

        for output in site.app.callback_map:
            module = callback_module(site.app, output)
            if module not in pages or not roles.isdisjoint(pages[module]["roles"]):
                continue
            response = dash_update(client, csrf, _callback_payload(output))

            assert response.status_code == 403, (role, output)
            assert response.get_json() == {"error": "forbidden"}

    def test_unknown_callback_is_refused(self, clients: dict[str, tuple[FlaskClient, str]]) -> None:
        client, csrf = clients["owner"]

        response = dash_update(client, csrf, _callback_payload("nothing.children"))

        assert response.status_code == 400
        assert response.get_json() == {"error": "bad request"}


class TestNavigation:
    @pytest.mark.parametrize("role", sorted(ROLES))
    def test_header_lists_only_allowed_pages_and_names_the_user(
        self, clients: dict[str, tuple[FlaskClient, str]], role: str
    ) -> None:
        client, _ = clients[role]
        roles = ROLES[role][0]

        layout = client.get("/_dash-layout").get_json()

        links = {
            component["props"]["children"]
            for component in layout_components(layout)
            if component["type"] == "A"
            and "shell-nav-link" in component["props"].get("className", "")
        }
        expected = {page["name"] for page in _pages() if not roles.isdisjoint(page["roles"])}
        assert links == expected
        names = [
            component["props"]["children"]
            for component in layout_components(layout)
            if component["props"].get("className") == "shell-account-name"
        ]
        assert len(names) == 1
        assert names[0].startswith(f"Signed in as {role}-user (")


class TestDataDocs:
    def test_only_operations_readers_open_data_docs(
        self, site: TestApp, clients: dict[str, tuple[FlaskClient, str]]
    ) -> None:
        run_id = "20261122T020000Z-9c0d"
        docs: Path = site.app.server.extensions["carelens"].config.data_docs_dir / run_id
        docs.mkdir(parents=True, exist_ok=True)
        (docs / "index.html").write_text("<h1>Data Docs</h1>")

        statuses = {
            role: clients[role][0].get(f"/data-docs/{run_id}/index.html").status_code
            for role in ROLES
        }

        assert statuses == {
            "owner": 403,
            "quality_lead": 403,
            "icb_lead": 403,
            "inspector": 403,
            "admin": 200,
        }
