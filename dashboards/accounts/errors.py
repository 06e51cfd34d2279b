"""Errors of the account store; every message is one line a user may read."""

from __future__ import annotations

from dashboards.errors import DashboardError


class AccountError(DashboardError):
    """An account operation was refused (the message says why, in one line)."""


class PasswordRuleError(AccountError):
    """A new password breaks the password rules.

    Attributes:
        reasons: Every rule the password breaks, one short sentence each.
    """

    def __init__(self, reasons: list[str]) -> None:
        super().__init__("password refused: " + "; ".join(reasons))
        self.reasons = reasons


class AccountExistsError(AccountError):
    """An account with this username already exists."""


class UnknownAccountError(AccountError):
    """No account has this username."""
