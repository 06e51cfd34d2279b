"""Layout pieces of the admin pages: the audit log's filters, its table and chain check, users."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import polars as pl
from dash import dcc, html

from dashboards.accounts import AccessEventKind
from dashboards.components.tables import Column, ColumnKind, aria, html_table

EVENT_KIND_LABELS: dict[str, str] = {
    AccessEventKind.SIGN_IN: "Signed in",
    AccessEventKind.SIGN_IN_FAILED: "Sign-in failed",
    AccessEventKind.SIGN_OUT: "Signed out",
    AccessEventKind.LOCKED_OUT: "Locked out",
    AccessEventKind.SESSION_ENDED: "Session ended",
    AccessEventKind.PAGE_VIEW: "Page viewed",
    AccessEventKind.ACCESS_DENIED: "Access denied",
    AccessEventKind.QUERY: "Data query",
    AccessEventKind.DOWNLOAD: "Download",
    AccessEventKind.ACCOUNT_CHANGED: "Account changed",
}
EVENT_COLUMNS = (
    Column("at", "When", ColumnKind.INSTANT),
    Column("kind", "Event"),
    Column("username", "User"),
    Column("role", "Role"),
    Column("scope", "Scope"),
    Column("path", "Page"),
    Column("detail", "Detail"),
    Column("row_count", "Rows", ColumnKind.COUNT),
    Column("request_id", "Request id"),
)
USER_COLUMNS = (
    Column("username", "User"),
    Column("roles", "Roles"),
    Column("scope", "Scope"),
    Column("expires_on", "Expires", ColumnKind.DATE),
    Column("status", "Status"),
    Column("sign_in", "Signs in with"),
    Column("has_totp", "Second factor (TOTP)", ColumnKind.YES_NO),
    Column("failed_attempts", "Failed attempts", ColumnKind.COUNT),
    Column("last_sign_in_at", "Last sign-in", ColumnKind.INSTANT),
)
USER_STATUS_LABELS = {
    "active": "Active",
    "disabled": "Disabled",
    "expired": "Expired",
    "locked": "Locked",
}


def _day_input(control_id: str, *, name: str, value: str) -> dcc.Input:
    return dcc.Input(
        id=control_id,
        name=name,
        type="text",
        value=value,
        placeholder="YYYY-MM-DD",
        pattern=r"\d{4}-\d{2}-\d{2}",
        maxLength=10,
        className="filter-input filter-day",
    )


def _field(label: str, control: Any, *, control_id: str) -> html.Div:
    return html.Div(
        [html.Label(label, htmlFor=control_id, className="label"), control],
        className="filter-field",
    )


def event_filter_form(
    values: Mapping[str, str], *, kinds: Iterable[str], action: str, id_prefix: str
) -> html.Form:
    """Return the audit log's filter form: a plain GET form, so every filter is in the URL.

    Args:
        values: Current filter values (``username``, ``kind``, ``since``, ``until``).
        kinds: The event kinds to offer.
        action: The page path the form submits to.
        id_prefix: Prefix of the form controls' element ids.
    """
    chosen = values.get("kind", "")
    kind_options = [html.Option("Any event", value="", selected=not chosen)] + [
        html.Option(EVENT_KIND_LABELS.get(kind, kind), value=kind, selected=kind == chosen)
        for kind in kinds
    ]
    return html.Form(
        [
            _field(
                "User",
                dcc.Input(
                    id=f"{id_prefix}-username",
                    name="username",
                    type="text",
                    value=values.get("username", ""),
                    spellCheck=False,
                    maxLength=254,
                    className="filter-input",
                ),
                control_id=f"{id_prefix}-username",
            ),
            _field(
                "Event",
                html.Select(
                    kind_options,
                    id=f"{id_prefix}-kind",
                    name="kind",
                ),
                control_id=f"{id_prefix}-kind",
            ),
            _field(
                "From date",
                _day_input(f"{id_prefix}-since", name="since", value=values.get("since", "")),
                control_id=f"{id_prefix}-since",
            ),
            _field(
                "To date",
                _day_input(f"{id_prefix}-until", name="until", value=values.get("until", "")),
                control_id=f"{id_prefix}-until",
            ),
            html.P(
                "Dates are UK days, written YYYY-MM-DD; events on both days are included.",
                className="note filter-hint",
            ),
            html.Div(
                [
                    html.Button("Show events", type="submit", className="button"),
                    html.A("Clear filters", href=action, className="filter-clear"),
                ],
                className="filter-actions",
            ),
        ],
        action=action,
        method="GET",
        className="filter-form",
        role="search",
        **aria(label="Filter the audit log"),
    )


def filter_problems(problems: Iterable[str]) -> list[html.Div]:
    """Return an alert listing filters that could not be read (nothing if there are none)."""
    listed = list(problems)
    if not listed:
        return []
    return [
        html.Div(
            [
                html.P("Some filters were left out:", className="problem-heading"),
                html.Ul([html.Li(problem) for problem in listed]),
            ],
            className="problem",
            role="alert",
        )
    ]


def chain_status(first_broken: int | None) -> html.Div:
    """Return whether the audit trail's hash chain verifies, in words."""
    if first_broken is None:
        return html.Div(
            html.P(
                [
                    html.Strong("The audit trail is intact. "),
                    "Each event's hash chains to the one before, and the chain verifies: no "
                    "event has been changed or removed.",
                ]
            ),
            className="chain-status is-intact",
            role="status",
        )
    return html.Div(
        html.P(
            [
                html.Strong("The audit trail has been tampered with. "),
                f"The hash chain breaks at event {first_broken:,}: that event was changed, or "
                "an event before it was removed, outside the app.",
            ]
        ),
        className="chain-status is-broken",
        role="alert",
    )


def events_table(events: pl.DataFrame, *, table_id: str, shown: int, total_note: str) -> html.Div:
    """Return the table of access events, newest first.

    Args:
        events: ``access_events`` rows.
        table_id: The component id of the table.
        shown: How many rows to show (the rest are in the download).
        total_note: A sentence saying how many events matched.
    """
    labelled = events.head(shown).with_columns(
        pl.col("kind").replace({str(k): v for k, v in EVENT_KIND_LABELS.items()}),
        pl.col("path").fill_null(""),
    )
    return html.Div(
        [
            html.P(total_note, className="note"),
            html_table(
                labelled,
                columns=EVENT_COLUMNS,
                caption="Access events, newest first: who did what, when, with which role "
                "and scope, and how many rows were read or sent",
                table_id=table_id,
            ),
        ]
    )


def users_table(users: pl.DataFrame, *, table_id: str) -> html.Div:
    """Return the table of accounts (no secrets: the frame holds none)."""
    labelled = users.with_columns(pl.col("status").replace(USER_STATUS_LABELS))
    return html_table(
        labelled,
        columns=USER_COLUMNS,
        caption="Accounts: roles, scope, expiry, status and sign-in, by user name",
        table_id=table_id,
    )
