"""Users (admins): every account with its roles, scope, expiry, status and sign-in method.

Accounts are managed with ``carelens users``; this page only lists them, without secrets.
"""

from __future__ import annotations

import dash
from dash import html

from dashboards import queries
from dashboards.access import current_identity
from dashboards.components.access_log import users_table
from dashboards.components.empty_state import empty_state
from dashboards.context import current_services, utc_now
from dashboards.roles import Role

dash.register_page(
    __name__,
    path="/users",
    name="Users",
    title="Users - carelens",
    description="Accounts, their roles and scope, expiry and status.",
    order=91,
    roles=frozenset({Role.ADMIN}),
)

ACCOUNTS = "users-accounts"
HEADING = "Users"


def layout(**_query: str) -> html.Div:
    """Lay out the list of accounts, by user name."""
    users = queries.user_accounts(
        store=current_services().accounts, identity=current_identity(), now=utc_now()
    )
    body = (
        users_table(users, table_id=ACCOUNTS)
        if users.height
        else empty_state("Add the first account with `carelens users add USERNAME`.")
    )
    return html.Div(
        [
            html.H1(HEADING),
            html.P(
                [
                    "Every account that can sign in, or could. Add, disable and unlock "
                    "accounts with ",
                    html.Code("carelens users"),
                    " on the server; changes show here at once.",
                ],
                className="lead",
            ),
            html.Section(body, className="page-section"),
        ]
    )
