"""Audit events of the sign-in layer, about an account that may not be signed in yet."""

from __future__ import annotations

import flask

from dashboards.accounts import AccessEvent, AccessEventKind, Account
from dashboards.context import client_address, current_services, request_id, utc_now


def record_event(
    kind: AccessEventKind, *, account: Account | None, detail: str | None = None
) -> None:
    """Write a sign-in event to the access audit trail.

    Args:
        kind: ``SIGN_IN``, ``SIGN_IN_FAILED``, ``LOCKED_OUT``, ``SIGN_OUT`` or ``SESSION_ENDED``.
        account: The account concerned, if it exists (a name typed for an account that does
            not exist is not recorded: it may be a password typed into the wrong box).
        detail: Why, in a few words (never a password or a code).
    """
    identity = account.identity(auth_method="", request_id=request_id()) if account else None
    current_services().accounts.record(
        AccessEvent(
            kind=kind,
            at=utc_now(),
            request_id=request_id(),
            username=identity.username if identity else None,
            role=identity.role_label if identity else None,
            path=flask.request.path if flask.has_request_context() else None,
            scope=identity.scope.describe() if identity else None,
            detail=detail,
            client=client_address(),
        )
    )
