"""The per-app objects that layouts and callbacks reach through Flask's application context.

Besides the configuration, the warehouse reader and the account store, this module holds the
two things every part of a request agrees on: the clock (so that tests can move time) and the
request id (so that every audit event of one request carries the same id).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal
from urllib.parse import urlsplit

import flask

from dashboards.access import optional_identity
from dashboards.accounts import AccessEvent, AccessEventKind, AccountStore
from dashboards.config import DashboardConfig
from dashboards.queries import WarehouseReader
from dashboards.roles import Identity

DASH_PREFIX = "/_dash-"
"""Paths of Dash's own endpoints (layout, dependencies, callbacks)."""

_EXTENSION_KEY = "carelens"
_REQUEST_ID_KEY = "carelens_request_id"

CLOCK_CONFIG_KEY = "CARELENS_CLOCK"
"""Flask config key of a callable returning the current UTC time (tests set it to move time)."""


@dataclass(frozen=True, slots=True)
class AppServices:
    """What ``create_app`` injects for the pages: configuration, reader and account store."""

    config: DashboardConfig
    reader: WarehouseReader
    accounts: AccountStore


def attach_services(server: flask.Flask, *, services: AppServices) -> None:
    """Make ``services`` available to every request served by ``server``."""
    server.extensions[_EXTENSION_KEY] = services


def current_services() -> AppServices:
    """Return the services of the app serving the current request (or app context)."""
    services: AppServices = flask.current_app.extensions[_EXTENSION_KEY]
    return services


def current_reader() -> WarehouseReader:
    """Return the warehouse reader of the app serving the current request."""
    return current_services().reader


def system_clock() -> datetime:
    """The current time in UTC, from the system clock."""
    return datetime.now(UTC)


def utc_now() -> datetime:
    """The current time in UTC as the app sees it (``CARELENS_CLOCK`` if a test set one)."""
    if not flask.has_app_context():
        return system_clock()
    clock: Callable[[], datetime] = flask.current_app.config.get(CLOCK_CONFIG_KEY, system_clock)
    return clock()


def set_request_id(request_id: str) -> None:
    """Record the id of the request being served (the sign-in layer does, first thing)."""
    setattr(flask.g, _REQUEST_ID_KEY, request_id)


def request_id() -> str:
    """The id of the request being served, or ``""`` outside a request."""
    if not flask.has_request_context():
        return ""
    value: str = getattr(flask.g, _REQUEST_ID_KEY, "")
    return value


def client_address() -> str | None:
    """The address of the client making the current request, if there is one."""
    if not flask.has_request_context():
        return None
    return flask.request.remote_addr


def page_path_of_request() -> str:
    """The page a request is for: its own path, or for a Dash callback the page that sent it.

    dash-renderer posts every callback to ``/_dash-update-component``; the browser names the
    page it was on in the ``Referer`` header (sent for same-origin requests only, see
    ``Referrer-Policy: same-origin``). A referrer from another host, or none, leaves the
    request path. The referrer is what the browser says: good for reading the audit trail,
    not for deciding access (the guards never use it).
    """
    request = flask.request
    if request.path.startswith(DASH_PREFIX) and request.referrer:
        referrer = urlsplit(request.referrer)
        if referrer.netloc == request.host and referrer.path:
            return f"{referrer.path}?{referrer.query}" if referrer.query else referrer.path
    return request.path


def record_access(
    kind: AccessEventKind,
    *,
    detail: str | None = None,
    row_count: int | None = None,
    path: str | None = None,
    subject: Identity | None | Literal["signed-in"] = "signed-in",
) -> None:
    """Write one event about the current request to the access audit trail.

    The user, role and scope come from the signed-in identity (none if nobody is), the request
    id, path and client address from the request.

    Args:
        kind: What happened (``DOWNLOAD`` for a file sent to the user, for example).
        detail: A short description (a file name, a query name); never care data.
        row_count: How many rows were read or sent, when that applies.
        path: The page the event is about, when it is not the request path (a Dash callback
            is posted to ``/_dash-update-component`` on behalf of a page).
        subject: Whom the event is about: by default the signed-in identity; the sign-in layer
            names the account signing in, failing to or signing out (``None``: no account).
    """
    identity = optional_identity() if subject == "signed-in" else subject
    if path is None and flask.has_request_context():
        path = page_path_of_request()
    current_services().accounts.record(
        AccessEvent(
            kind=kind,
            at=utc_now(),
            request_id=request_id(),
            username=identity.username if identity else None,
            role=identity.role_label if identity else None,
            path=path,
            scope=identity.scope.describe() if identity else None,
            detail=detail,
            row_count=row_count,
            client=client_address(),
        )
    )
