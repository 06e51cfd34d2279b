"""Audit events of the sign-in layer, about an account that may not be signed in yet."""

from __future__ import annotations

import flask

from dashboards.accounts import AccessEventKind, Account
from dashboards.context import record_access, request_id


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
    subject = account.identity(auth_method="", request_id=request_id()) if account else None
    record_access(kind, detail=detail, subject=subject, path=flask.request.path)
