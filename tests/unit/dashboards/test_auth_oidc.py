"""Single sign-on end to end against a stub OpenID Connect provider served on localhost.

The stub publishes discovery metadata and a JWKS, answers the authorisation request with a
code, and swaps the code (after checking the PKCE verifier and the client secret) for an ID
token signed with its RSA key. The dashboard's side is driven with Flask's test client; the
browser's trip to the provider is made with ``requests``.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import flask
import pytest
import requests
from auth_testkit import INSPECTOR, OWNER, TestApp, build_app, error_text
from flask.testing import FlaskClient
from joserfc import jwt
from joserfc.jwk import RSAKey
from werkzeug.serving import BaseWSGIServer, make_server
from werkzeug.test import TestResponse

from dashboards.accounts import AccessEventKind
from dashboards.config import OidcConfig

CLIENT_ID = "carelens-test"
CLIENT_SECRET = "stub-client-secret-0123456789"
SSO_FAILED = "Single sign-on did not sign you in. Try again, or ask your administrator."
INACTIVE = "This account can no longer sign in. Ask your administrator if you still need access."


@dataclass
class StubProvider:
    """A minimal OpenID Connect provider; tests change ``email`` or ``tamper`` per case."""

    issuer: str = ""
    key: RSAKey = field(default_factory=lambda: RSAKey.generate_key(2048, parameters={"kid": "k1"}))
    email: str = "olive@example.nhs.uk"
    tamper: str | None = None
    """``nonce``, ``audience``, ``signature``, ``issuer`` or ``expired``: break the ID token."""
    authorisations: list[dict[str, str]] = field(default_factory=list)
    token_requests: list[dict[str, str]] = field(default_factory=list)
    _codes: dict[str, dict[str, str]] = field(default_factory=dict)

    def wsgi(self) -> flask.Flask:
        """The provider's web app."""
        app = flask.Flask("stub-idp")

        @app.get("/.well-known/openid-configuration")
        def discovery() -> Any:
            return {
                "issuer": self.issuer,
                "authorization_endpoint": f"{self.issuer}/authorize",
                "token_endpoint": f"{self.issuer}/token",
                "jwks_uri": f"{self.issuer}/jwks",
                "response_types_supported": ["code"],
                "subject_types_supported": ["public"],
                "id_token_signing_alg_values_supported": ["RS256"],
                "code_challenge_methods_supported": ["S256"],
                "token_endpoint_auth_methods_supported": ["client_secret_basic"],
            }

        @app.get("/jwks")
        def jwks() -> Any:
            return {"keys": [self.key.as_dict(private=False)]}

        @app.get("/authorize")
        def authorize() -> Any:
            request = dict(flask.request.args)
            self.authorisations.append(request)
            code = secrets.token_urlsafe(16)
            self._codes[code] = request
            return flask.redirect(
                f"{request['redirect_uri']}?code={code}&state={request['state']}", code=302
            )

        @app.post("/token")
        def token() -> Any:
            form = dict(flask.request.form)
            self.token_requests.append(form)
            auth = flask.request.authorization
            if auth is None or (auth.username, auth.password) != (CLIENT_ID, CLIENT_SECRET):
                return {"error": "invalid_client"}, 401
            request = self._codes.pop(form.get("code", ""), None)
            if request is None:
                return {"error": "invalid_grant"}, 400
            verifier = form.get("code_verifier", "")
            challenge = (
                base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest())
                .rstrip(b"=")
                .decode()
            )
            if challenge != request.get("code_challenge"):
                return {"error": "invalid_grant", "error_description": "PKCE"}, 400
            return {
                "access_token": secrets.token_urlsafe(16),
                "token_type": "Bearer",
                "expires_in": 300,
                "id_token": self._id_token(request),
            }

        return app

    def _id_token(self, request: dict[str, str]) -> str:
        now = int(time.time())
        claims = {
            "iss": self.issuer,
            "sub": "subject-1",
            "aud": CLIENT_ID,
            "iat": now,
            "exp": now + 300,
            "nonce": request.get("nonce"),
            "email": self.email,
        }
        key = self.key
        if self.tamper == "nonce":
            claims["nonce"] = "another-nonce"
        elif self.tamper == "audience":
            claims["aud"] = "another-client"
        elif self.tamper == "issuer":
            claims["iss"] = "https://elsewhere.example"
        elif self.tamper == "expired":
            claims["iat"], claims["exp"] = now - 3600, now - 1800
        elif self.tamper == "signature":
            key = RSAKey.generate_key(2048, parameters={"kid": "k1"})
        return jwt.encode({"alg": "RS256", "kid": "k1"}, claims, key)


@pytest.fixture(scope="module")
def provider() -> Iterator[StubProvider]:
    """The stub provider, serving on a free localhost port for the module."""
    stub = StubProvider()
    server: BaseWSGIServer = make_server("127.0.0.1", 0, stub.wsgi(), threaded=True)
    stub.issuer = f"http://127.0.0.1:{server.server_port}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield stub
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture
def stub(provider: StubProvider) -> StubProvider:
    """The provider, reset to honest behaviour for each test."""
    provider.email, provider.tamper = "olive@example.nhs.uk", None
    provider.authorisations.clear()
    provider.token_requests.clear()
    return provider


@pytest.fixture
def site(tmp_path: Path, provider: StubProvider) -> TestApp:
    """An app using the stub for single sign-on, with an SSO-only owner ``olive@...``."""
    site = build_app(
        tmp_path,
        oidc=OidcConfig(
            issuer=provider.issuer,
            client_id=CLIENT_ID,
            client_secret=CLIENT_SECRET,
            display_name="Stub ID",
        ),
    )
    site.add_account("olive@example.nhs.uk", OWNER, password=None)
    return site


def _sign_in_with_sso(client: FlaskClient, *, next_path: str = "") -> TestResponse:
    """Start single sign-on, let the 'browser' visit the provider, and come back."""
    start = client.get(f"/oidc/login{'?next=' + next_path if next_path else ''}")
    assert start.status_code == 302, start.text
    at_provider = requests.get(start.headers["Location"], allow_redirects=False, timeout=10)
    assert at_provider.status_code == 302
    back = urlsplit(at_provider.headers["Location"])
    assert back.path == "/oidc/callback"
    return client.get(f"{back.path}?{back.query}")


def _is_signed_in(client: FlaskClient) -> bool:
    response = client.get("/_dash-layout")
    return response.status_code == 200 and "Signed in as" in response.text


def test_sign_in_page_offers_single_sign_on(site: TestApp) -> None:
    page = site.client().get("/login")

    assert 'href="/oidc/login"' in page.text
    assert "sign in with Stub ID" in page.text


def test_known_account_signs_in_with_pkce_and_a_nonce(site: TestApp, stub: StubProvider) -> None:
    client = site.client()

    response = _sign_in_with_sso(client, next_path="/data-quality")

    assert response.status_code == 303
    assert response.headers["Location"] == "/data-quality"
    assert _is_signed_in(client)
    [request] = stub.authorisations
    assert request["code_challenge_method"] == "S256"
    assert len(request["code_challenge"]) == 43
    assert request["nonce"]
    assert request["scope"] == "openid email profile"
    assert stub.token_requests[0]["code_verifier"]
    [event] = site.events(AccessEventKind.SIGN_IN)
    assert (event.username, event.detail) == ("olive@example.nhs.uk", "oidc")


def test_claim_matches_the_account_whatever_its_case(site: TestApp, stub: StubProvider) -> None:
    stub.email = "Olive@Example.NHS.uk"
    client = site.client()

    response = _sign_in_with_sso(client)

    assert response.status_code == 303
    assert _is_signed_in(client)


def test_unknown_account_is_refused_with_the_general_message(
    site: TestApp, stub: StubProvider
) -> None:
    stub.email = "stranger@example.nhs.uk"
    client = site.client()

    response = _sign_in_with_sso(client)

    assert error_text(response) == SSO_FAILED
    assert not _is_signed_in(client)
    [failed] = site.events(AccessEventKind.SIGN_IN_FAILED)
    assert (failed.username, failed.detail) == (None, "single sign-on: no matching account")


@pytest.mark.parametrize("tamper", ["nonce", "audience", "issuer", "expired", "signature"])
def test_id_token_that_fails_validation_is_refused(
    site: TestApp, stub: StubProvider, tamper: str
) -> None:
    stub.tamper = tamper
    client = site.client()

    response = _sign_in_with_sso(client)

    assert error_text(response) == SSO_FAILED
    assert not _is_signed_in(client)
    [failed] = site.events(AccessEventKind.SIGN_IN_FAILED)
    assert failed.detail is not None
    assert failed.detail.startswith("single sign-on refused")


def test_callback_with_a_state_this_browser_did_not_start_is_refused(
    site: TestApp, stub: StubProvider
) -> None:
    # Given a flow started in one browser
    victim = site.client()
    start = victim.get("/oidc/login")
    at_provider = requests.get(start.headers["Location"], allow_redirects=False, timeout=10)
    back = urlsplit(at_provider.headers["Location"])

    # When another browser (the attacker's) brings the code back
    attacker = site.client(address="192.0.2.66")
    response = attacker.get(f"{back.path}?{back.query}")

    # Then nobody is signed in
    assert error_text(response) == SSO_FAILED
    assert not _is_signed_in(attacker)


def test_expired_account_cannot_sign_in_with_sso(site: TestApp, stub: StubProvider) -> None:
    site.add_account("ines@example.nhs.uk", INSPECTOR, password=None, expires_on=date(2026, 3, 1))
    stub.email = "ines@example.nhs.uk"
    client = site.client()

    response = _sign_in_with_sso(client)

    assert error_text(response) == INACTIVE
    assert not _is_signed_in(client)


def test_without_oidc_settings_the_routes_do_not_exist(tmp_path: Path) -> None:
    site = build_app(tmp_path)
    client = site.client()

    assert client.get("/oidc/login").status_code == 404
    assert client.get("/oidc/callback?code=x&state=y").status_code == 404
    assert "/oidc/login" not in client.get("/login").text
