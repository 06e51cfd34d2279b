"""Audit log (admins): every sign-in, page view, data query and download, with filters.

The page reads the trail; nothing in the app can edit it (the store refuses updates and
deletes, and chains each event to the one before with a hash, which the page verifies).
"""

from __future__ import annotations

from typing import Any

import dash
from dash import Input, Output, State, callback, dcc, html

from dashboards import queries
from dashboards.access import current_identity
from dashboards.accounts import AccessEventKind
from dashboards.components.access_log import (
    chain_status,
    event_filter_form,
    events_table,
    filter_problems,
)
from dashboards.context import current_services, record_access
from dashboards.downloads import download_file_name, to_safe_csv
from dashboards.roles import Role

PATH = "/audit-log"
dash.register_page(
    __name__,
    path=PATH,
    name="Audit log",
    title="Audit log - carelens",
    description="Who signed in, what they opened, queried and downloaded.",
    order=90,
    roles=frozenset({Role.ADMIN}),
)

FORM = "audit-log-form"
EVENTS = "audit-log-events"
FILTERS = "audit-log-filters"
DOWNLOAD_BUTTON = "audit-log-download-button"
DOWNLOAD = "audit-log-download"

HEADING = "Audit log"
SHOWN_EVENTS = 500
DOWNLOAD_LIMIT = 100_000


def layout(
    username: str | None = None,
    kind: str | None = None,
    since: str | None = None,
    until: str | None = None,
    **_query: str,
) -> html.Div:
    """Lay out the events matching the query string's filters, newest first."""
    identity = current_identity()
    store = current_services().accounts
    filters = queries.EventFilters.from_values(
        username=username, kind=kind, since=since, until=until
    )
    events = queries.filtered_access_events(
        store=store, identity=identity, filters=filters, limit=SHOWN_EVENTS + 1
    )
    more = events.height > SHOWN_EVENTS
    note = (
        f"Showing the newest {SHOWN_EVENTS:,} matching events; download the CSV file for all."
        if more
        else f"{events.height:,} matching events."
    )
    return html.Div(
        [
            html.H1(HEADING),
            html.P(
                "Every sign-in, failed sign-in, page view, data query and download, with the "
                "user, role, scope, time (UK time) and request id.",
                className="lead",
            ),
            chain_status(queries.first_broken_link(store=store, identity=identity)),
            html.Section(
                [
                    html.H2("Filter"),
                    *filter_problems(filters.problems),
                    event_filter_form(
                        filters.as_values(),
                        kinds=[str(kind) for kind in AccessEventKind],
                        action=PATH,
                        id_prefix=FORM,
                    ),
                ],
                className="page-section",
            ),
            html.Section(
                [
                    html.H2("Events"),
                    dcc.Store(id=FILTERS, data=filters.as_values()),
                    dcc.Download(id=DOWNLOAD),
                    html.Button(
                        "Download these events (CSV)",
                        id=DOWNLOAD_BUTTON,
                        className="button",
                        type="button",
                    ),
                    events_table(events, table_id=EVENTS, shown=SHOWN_EVENTS, total_note=note),
                ],
                className="page-section",
            ),
        ]
    )


@callback(
    Output(DOWNLOAD, "data"),
    Input(DOWNLOAD_BUTTON, "n_clicks"),
    State(FILTERS, "data"),
    prevent_initial_call=True,
)
def download_events(n_clicks: int | None, filters: Any) -> dict[str, Any] | None:
    """Send the events matching the page's filters as a CSV file; the download is audited."""
    identity = current_identity()
    if not n_clicks:
        return None
    values = filters if isinstance(filters, dict) else {}
    checked = queries.EventFilters.from_values(
        username=values.get("username"),
        kind=values.get("kind"),
        since=values.get("since"),
        until=values.get("until"),
    )
    events = queries.filtered_access_events(
        store=current_services().accounts,
        identity=identity,
        filters=checked,
        limit=DOWNLOAD_LIMIT,
    )
    filename = download_file_name("audit-log", *checked.as_values().values())
    record_access(AccessEventKind.DOWNLOAD, detail=filename, row_count=events.height)
    return dcc.send_string(to_safe_csv(events), filename=filename, type="text/csv")
