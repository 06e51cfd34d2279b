"""Local accounts, sign-in checks, sessions and the access audit trail (one SQLite file).

The web app (``dashboards.auth``) and the ``carelens users`` commands both use
:class:`AccountStore`; nothing else touches the file.
"""

from __future__ import annotations

from dashboards.accounts.assumptions import (
    AssumptionChange,
    AssumptionEntryError,
    ProviderAssumption,
)
from dashboards.accounts.errors import (
    AccountError,
    AccountExistsError,
    PasswordRuleError,
    UnknownAccountError,
)
from dashboards.accounts.models import (
    AccessEvent,
    AccessEventKind,
    Account,
    AccountStatus,
    SessionInfo,
    SignInOutcome,
    SignInResult,
    uk_date,
)
from dashboards.accounts.passwords import password_problems
from dashboards.accounts.store import AccountStore

__all__ = [
    "AccessEvent",
    "AccessEventKind",
    "Account",
    "AccountError",
    "AccountExistsError",
    "AccountStatus",
    "AccountStore",
    "AssumptionChange",
    "AssumptionEntryError",
    "PasswordRuleError",
    "ProviderAssumption",
    "SessionInfo",
    "SignInOutcome",
    "SignInResult",
    "UnknownAccountError",
    "password_problems",
    "uk_date",
]
