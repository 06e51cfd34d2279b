"""Sign-in, sessions and the guards around every request of the dashboard.

:func:`install_auth` wires it all into a Dash app: the sign-in pages, session resolution before
each request, CSRF checks, rate limits, the page and callback guards, security headers, request
ids and plain error responses.
"""

from __future__ import annotations

import uuid
from urllib.parse import urlencode

import dash
import flask
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from werkzeug.wrappers import Response

from dashboards.access import optional_identity
from dashboards.accounts import AccessEventKind
from dashboards.auth.errors import error_response, register_error_handlers
from dashboards.auth.guards import (
    callback_is_allowed,
    guard_page_layouts,
    has_malformed_location,
    page_for_path,
)
from dashboards.auth.headers import STATIC_PREFIXES, apply_security_headers, content_security_policy
from dashboards.auth.oidc import register_oidc_client
from dashboards.auth.sessions import (
    CSRF_COOKIE_NAME,
    CSRF_FIELD,
    CSRF_HEADER,
    SESSION_COOKIE_NAME,
    SESSION_TOKEN_KEY,
    configure_session_cookie,
    header_csrf_is_valid,
    resolve_session,
    session_csrf_token,
    session_ended,
    set_csrf_cookie,
)
from dashboards.auth.throttle import UnknownNameLockout
from dashboards.auth.views import (
    CODE_PATH,
    LOGIN_PATH,
    LOGOUT_PATH,
    OIDC_CALLBACK_PATH,
    OIDC_LOGIN_PATH,
    AuthState,
    safe_next_path,
    sign_in_blueprint,
)
from dashboards.config import DashboardConfig
from dashboards.context import record_access, request_id, set_request_id

__all__ = [
    "CODE_PATH",
    "CSRF_COOKIE_NAME",
    "CSRF_FIELD",
    "CSRF_HEADER",
    "HEALTH_PATH",
    "LOGIN_PATH",
    "LOGOUT_PATH",
    "OIDC_CALLBACK_PATH",
    "OIDC_LOGIN_PATH",
    "SESSION_COOKIE_NAME",
    "SESSION_TOKEN_KEY",
    "guard_page_layouts",
    "install_auth",
    "session_csrf_token",
]

HEALTH_PATH = "/healthz"
"""Answers ``{"status": "ok"}`` to anyone: for load balancers and start-up checks."""
PUBLIC_PATHS = frozenset(
    {LOGIN_PATH, CODE_PATH, LOGOUT_PATH, OIDC_LOGIN_PATH, OIDC_CALLBACK_PATH, HEALTH_PATH}
)
"""Paths served to anyone (the sign-in pages check their own CSRF tokens)."""
UNTRACKED_PATHS = frozenset({"/_favicon.ico"})
"""Files served to anyone without looking at the session (with :data:`STATIC_PREFIXES`)."""
DASH_INDEX_ENDPOINTS = frozenset({"/", "/<path:path>"})
"""The endpoints through which Dash serves its page for any path."""
CALLBACK_PATH = "/_dash-update-component"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_AUTH_EXTENSION_KEY = "carelens_auth"


def install_auth(app: dash.Dash, *, config: DashboardConfig) -> None:
    """Put sign-in and the guards in front of every request of ``app``.

    Call once, after the app's services are attached and before it serves.
    """
    server = app.server
    configure_session_cookie(server, config=config)
    register_error_handlers(server)
    limiter = Limiter(
        get_remote_address,
        app=server,
        storage_uri="memory://",
        headers_enabled=True,
        default_limits=[],
    )
    state = AuthState(
        config=config,
        limiter=limiter,
        unknown_names=UnknownNameLockout(
            attempts=config.lockout_attempts, minutes=config.lockout_minutes
        ),
        oidc_client=register_oidc_client(server, config=config.oidc) if config.oidc else None,
    )
    server.extensions[_AUTH_EXTENSION_KEY] = state
    server.register_blueprint(sign_in_blueprint(state))

    @server.route(HEALTH_PATH)
    def healthz() -> Response:
        return flask.jsonify(status="ok")

    def check_request() -> Response | None:
        set_request_id(uuid.uuid4().hex)
        path = flask.request.path
        if path.startswith(STATIC_PREFIXES) or path in UNTRACKED_PATHS:
            return None
        identity = resolve_session()
        if path in PUBLIC_PATHS:
            return None
        if identity is None:
            return _refuse_unsigned(path)
        if flask.request.method not in SAFE_METHODS and not header_csrf_is_valid():
            record_access(AccessEventKind.ACCESS_DENIED, detail="missing or wrong CSRF token")
            return error_response(403)
        if path == CALLBACK_PATH:
            return _check_callback(app)
        if flask.request.endpoint in DASH_INDEX_ENDPOINTS:
            return _check_page(path)
        return None

    def finish_response(response: flask.Response) -> Response:
        response.headers["X-Request-ID"] = request_id()
        set_csrf_cookie(response, config=config)
        policy = content_security_policy(script_hashes=app.csp_hashes())
        apply_security_headers(response, policy=policy, path=flask.request.path)
        return response

    server.before_request(check_request)
    server.after_request(finish_response)


def _refuse_unsigned(path: str) -> Response:
    """Nobody is signed in: send a person to the sign-in page, a program a 401."""
    if flask.request.method in ("GET", "HEAD") and not path.startswith("/_"):
        query: dict[str, str] = {}
        wanted = safe_next_path(flask.request.full_path.rstrip("?"))
        if wanted != "/":
            query["next"] = wanted
        if session_ended():
            query["ended"] = "1"
        target = LOGIN_PATH + (f"?{urlencode(query)}" if query else "")
        return flask.redirect(target, code=302)
    return error_response(401)


def _check_callback(app: dash.Dash) -> Response | None:
    """The callback guard: refuse a callback of a page the caller may not open."""
    body = flask.request.get_json(silent=True)
    output = body.get("output") if isinstance(body, dict) else None
    allowed = callback_is_allowed(app, output) if isinstance(output, str) else None
    if allowed is None:
        return error_response(400)
    if not allowed:
        record_access(AccessEventKind.ACCESS_DENIED, detail=f"callback {output}"[:200])
        return error_response(403)
    if isinstance(body, dict) and has_malformed_location(body):
        return error_response(400)
    return None


def _check_page(path: str) -> Response | None:
    """The page guard: 404 for no such page, 403 for a page outside the caller's roles."""
    page = page_for_path(dash.page_registry, path)
    if page is None:
        return error_response(404)
    identity = optional_identity()
    if identity is None or not identity.may_open(page.get("roles", frozenset())):
        record_access(AccessEventKind.ACCESS_DENIED, path=path, detail="page")
        return error_response(403)
    return None
