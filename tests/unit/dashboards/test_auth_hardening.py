"""Security headers on every response, request size limits, and errors that say nothing."""

from __future__ import annotations

import dash
import pytest
from auth_testkit import ADMIN, OWNER, TestApp, build_app
from flask.testing import FlaskClient
from signed_in import dash_update, signed_in_client
from werkzeug.test import TestResponse

SECRET_SQL = "select nhs_number from staging.people -- secret"
NAV_PAYLOAD = {
    "output": "shell-nav.children",
    "outputs": {"id": "shell-nav", "property": "children"},
    "inputs": [{"id": "shell-url", "property": "pathname", "value": "/"}],
    "changedPropIds": ["shell-url.pathname"],
    "state": [],
}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> TestApp:
    """One app for the module, with an owner signed in."""
    return build_app(tmp_path_factory.mktemp("hardening"))


@pytest.fixture(scope="module")
def owner(site: TestApp) -> tuple[FlaskClient, str]:
    """A signed-in owner and the session's CSRF token."""
    roles, scope = OWNER
    return signed_in_client(site.app, username="olive", roles=roles, scope=scope)


def _responses(site: TestApp, owner: tuple[FlaskClient, str]) -> dict[str, TestResponse]:
    client, csrf = owner
    anonymous = site.client()
    return {
        "sign-in page": anonymous.get("/login"),
        "redirect to sign in": anonymous.get("/data-quality"),
        "401 json": anonymous.get("/_dash-layout"),
        "page": client.get("/"),
        "layout": client.get("/_dash-layout"),
        "callback": dash_update(client, csrf, NAV_PAYLOAD),
        "403 csrf": client.post("/_dash-update-component", json=NAV_PAYLOAD),
        "404": client.get("/no-such-page"),
        "405": client.get("/logout"),
        "stylesheet": anonymous.get("/assets/carelens.css"),
        "health": anonymous.get("/healthz"),
    }


def test_every_response_carries_the_security_headers(
    site: TestApp, owner: tuple[FlaskClient, str]
) -> None:
    for name, response in _responses(site, owner).items():
        headers = response.headers
        assert headers["X-Frame-Options"] == "DENY", name
        assert headers["X-Content-Type-Options"] == "nosniff", name
        assert headers["Referrer-Policy"] == "same-origin", name
        assert "frame-ancestors 'none'" in headers["Content-Security-Policy"], name
        assert len(headers["X-Request-ID"]) == 32, name


def test_pages_and_callbacks_are_never_cached(
    site: TestApp, owner: tuple[FlaskClient, str]
) -> None:
    responses = _responses(site, owner)

    for name in ("sign-in page", "page", "layout", "callback", "401 json", "404"):
        assert responses[name].headers["Cache-Control"] == "no-store", name
    assert responses["stylesheet"].headers.get("Cache-Control") != "no-store"


def test_policy_allows_scripts_from_the_app_and_dash_inline_scripts_only(
    site: TestApp, owner: tuple[FlaskClient, str]
) -> None:
    policy = _responses(site, owner)["page"].headers["Content-Security-Policy"]

    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    hashes = site.app.csp_hashes()
    assert directives["script-src"] == " ".join(["'self'", *hashes])
    assert len(hashes) == 2
    assert all(source.startswith("'sha256-") for source in hashes)
    assert directives["default-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["base-uri"] == "'none'"
    assert directives["form-action"] == "'self'"
    assert "unsafe-eval" not in policy
    assert "http" not in policy


def test_request_ids_differ_per_request(site: TestApp) -> None:
    client = site.client()

    ids = {client.get("/login").headers["X-Request-ID"] for _ in range(3)}

    assert len(ids) == 3


class TestSizeLimit:
    def test_oversized_callback_is_refused_with_413(
        self, site: TestApp, owner: tuple[FlaskClient, str]
    ) -> None:
        client, csrf = owner
        body = {**NAV_PAYLOAD, "padding": "x" * (1024 * 1024)}

        response = dash_update(client, csrf, body)

        assert response.status_code == 413
        assert response.get_json() == {"error": "too large"}

    def test_oversized_sign_in_form_is_refused_with_413(self, site: TestApp) -> None:
        response = site.client().post("/login", data={"username": "x" * (1024 * 1024 + 1)})

        assert response.status_code == 413
        assert "Request too large" in response.text


class TestErrorsSayNothing:
    def test_exception_in_a_callback_gives_a_small_json_500(
        self, site: TestApp, owner: tuple[FlaskClient, str], monkeypatch: pytest.MonkeyPatch
    ) -> None:
        def broken(*_args: object, **_kwargs: object) -> None:
            raise RuntimeError(SECRET_SQL)

        monkeypatch.setattr("dashboards.app.navigation_items", broken)
        client, csrf = owner

        response = dash_update(client, csrf, NAV_PAYLOAD)

        assert response.status_code == 500
        assert response.get_json() == {"error": "server error"}
        assert "nhs_number" not in response.text

    def test_exception_in_the_app_layout_gives_a_small_json_500(
        self, site: TestApp, owner: tuple[FlaskClient, str], monkeypatch: pytest.MonkeyPatch
    ) -> None:
        def broken(**_kwargs: object) -> None:
            raise RuntimeError(SECRET_SQL)

        monkeypatch.setattr("dashboards.app.shell", broken)
        client, _ = owner

        response = client.get("/_dash-layout")

        assert response.status_code == 500
        assert response.get_json() == {"error": "server error"}

    def test_exception_in_a_page_layout_gives_a_small_json_500(
        self, site: TestApp, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        def broken() -> None:
            raise RuntimeError(SECRET_SQL)

        home = dash.page_registry["dashboards.pages.home"]
        guarded = home["layout"]

        def broken_after_guard(**kwargs: object) -> None:
            guarded(**kwargs)
            broken()

        monkeypatch.setitem(home, "layout", broken_after_guard)
        roles, scope = ADMIN
        client, csrf = signed_in_client(site.app, username="adam", roles=roles, scope=scope)

        response = dash_update(
            client,
            csrf,
            {
                "output": ".._pages_content.children..._pages_store.data..",
                "outputs": [
                    {"id": "_pages_content", "property": "children"},
                    {"id": "_pages_store", "property": "data"},
                ],
                "inputs": [
                    {"id": "_pages_location", "property": "pathname", "value": "/"},
                    {"id": "_pages_location", "property": "search", "value": ""},
                ],
                "changedPropIds": ["_pages_location.pathname"],
                "state": [],
            },
        )

        assert response.status_code == 500
        assert response.get_json() == {"error": "server error"}
        assert "nhs_number" not in response.text

    def test_exception_behind_a_page_address_gives_a_plain_page(
        self, site: TestApp, owner: tuple[FlaskClient, str], monkeypatch: pytest.MonkeyPatch
    ) -> None:
        def broken(*_args: object, **_kwargs: object) -> None:
            raise RuntimeError(SECRET_SQL)

        monkeypatch.setattr(site.app, "index", broken)
        client, _ = owner

        response = client.get("/")

        assert response.status_code == 500
        assert response.headers["Content-Type"].startswith("text/html")
        assert "Something went wrong" in response.text
        assert "nhs_number" not in response.text
        assert "Traceback" not in response.text
        assert response.headers["X-Request-ID"] in response.text
