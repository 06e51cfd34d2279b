"""Single sign-on with OpenID Connect (authorisation code flow with PKCE, nonce checked).

The identity provider proves who the user is (and enforces its own multi-factor
authentication); roles and scope stay with the local account whose name matches the ID token's
``username_claim``. The provider's metadata and keys are fetched when first needed, so the
dashboard starts even while the provider is unreachable.
"""

from __future__ import annotations

from typing import Any

import flask
from authlib.integrations.flask_client import OAuth

from dashboards.config import OidcConfig

CLIENT_NAME = "carelens_sso"
SCOPES = "openid email profile"


def discovery_url(issuer: str) -> str:
    """The provider's OpenID Connect discovery document (``/.well-known/openid-configuration``)."""
    return issuer.rstrip("/") + "/.well-known/openid-configuration"


def register_oidc_client(server: flask.Flask, *, config: OidcConfig) -> Any:
    """Register the identity provider with authlib and return its Flask client.

    The client asks for an authorisation code with an S256 PKCE challenge and a nonce; authlib
    checks the ID token's signature against the provider's published keys, its issuer, audience,
    expiry and nonce.
    """
    oauth = OAuth(server)
    return oauth.register(
        name=CLIENT_NAME,
        client_id=config.client_id,
        client_secret=config.client_secret,
        server_metadata_url=discovery_url(config.issuer),
        client_kwargs={"scope": SCOPES, "code_challenge_method": "S256"},
    )
