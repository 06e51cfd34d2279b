"""The identity of the request being served, and the errors raised when access is refused.

The sign-in layer (``dashboards.auth``) resolves the session cookie before every request and
stores the :class:`~dashboards.roles.Identity` on ``flask.g``; layouts, callbacks and queries
read it from here. Nothing else decides who the caller is.
"""

from __future__ import annotations

import flask

from dashboards.errors import DashboardError
from dashboards.roles import Identity

_IDENTITY_KEY = "carelens_identity"


class AccessDeniedError(DashboardError):
    """The caller may not read this (answered with 403 and no detail)."""


class NotSignedInError(AccessDeniedError):
    """There is no signed-in user for this request (answered with 401 or a sign-in redirect)."""


def set_current_identity(identity: Identity | None) -> None:
    """Record who is making the current request (``None``: nobody is signed in)."""
    setattr(flask.g, _IDENTITY_KEY, identity)


def optional_identity() -> Identity | None:
    """The signed-in user of the current request, or ``None``."""
    if not flask.has_request_context():
        return None
    identity: Identity | None = getattr(flask.g, _IDENTITY_KEY, None)
    return identity


def current_identity() -> Identity:
    """The signed-in user of the current request.

    Raises:
        NotSignedInError: If nobody is signed in (or there is no request).
    """
    identity = optional_identity()
    if identity is None:
        raise NotSignedInError("not signed in")
    return identity
