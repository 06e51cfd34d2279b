"""Data quality: what each nightly load read, loaded, quarantined and checked, per role.

Owners and quality leads see their provider's runs, files, quarantined rows and warnings; ICB
leads see one disclosure-controlled row per provider in their ICB; admins see the
install-wide runs, per-file counts and table checks, without quarantined rows or warnings.
"""

from __future__ import annotations

from typing import Any

import dash
import polars as pl
from dash import Input, Output, State, callback, dcc, html

from dashboards import figures, queries
from dashboards.access import current_identity
from dashboards.accounts import AccessEventKind
from dashboards.components.empty_state import empty_state
from dashboards.components.icb_loads import provider_loads_table, share_text
from dashboards.components.load_audit import (
    OPERATIONS_FILE_COLUMNS,
    PROVIDER_HISTORY_COLUMNS,
    RunAudit,
    load_history_table,
    run_details,
)
from dashboards.context import current_reader, record_access
from dashboards.downloads import download_file_name, to_safe_csv
from dashboards.errors import WarehouseUnavailableError
from dashboards.roles import PROVIDER_ROLES, Identity, Role

dash.register_page(
    __name__,
    path="/data-quality",
    name="Data quality",
    title="Data quality - carelens",
    description="Load history, quarantined rows, warnings and checks of each nightly load.",
    order=1,
    roles=frozenset({Role.OWNER, Role.QUALITY_LEAD, Role.ICB_LEAD, Role.ADMIN}),
)

HISTORY = "data-quality-history"
CHART = "data-quality-chart"
DETAILS = "data-quality-details"
FILES = "data-quality-files"
DOWNLOAD_BUTTON = "data-quality-download-button"
DOWNLOAD = "data-quality-download"
RUN = "data-quality-run"
PROVIDERS = "data-quality-providers"
ICB_DOWNLOAD_BUTTON = "data-quality-icb-download-button"
ICB_DOWNLOAD = "data-quality-icb-download"

HEADING = "Data quality"
LEAD = {
    "provider": "What each nightly load read, loaded, skipped as a duplicate and quarantined "
    "from your provider's exports, and why rows were set aside.",
    "operations": "What each nightly load read, loaded, skipped as a duplicate and quarantined, "
    "and whether the checks on the loaded tables passed.",
    "icb": "How the providers in your ICB are sending their records: packages loaded and the "
    "share of rows set aside, per provider.",
}


def _view(identity: Identity) -> str:
    """Which view of the load audit the identity gets: its data role's, else operations."""
    if identity.data_role in PROVIDER_ROLES:
        return "provider"
    if identity.data_role is Role.ICB_LEAD:
        return "icb"
    return "operations"


def layout(run: str | None = None, **_query: str) -> html.Div:
    """Lay out the caller's view; ``?run=<run_id>`` picks a run of theirs (else the latest)."""
    identity = current_identity()
    view = _view(identity)
    try:
        if view == "icb":
            body = _icb_sections(identity)
        else:
            body = _run_sections(identity, view=view, run=run)
    except WarehouseUnavailableError as error:
        return html.Div([html.H1(HEADING), empty_state(error.user_message)])
    return html.Div([html.H1(HEADING), html.P(LEAD[view], className="lead"), *body])


def _read_runs(identity: Identity, *, view: str) -> pl.DataFrame:
    reader = current_reader()
    if view == "provider":
        return queries.provider_load_runs(reader=reader, identity=identity)
    return queries.operations_load_runs(reader=reader, identity=identity)


def _run_sections(identity: Identity, *, view: str, run: str | None) -> list[Any]:
    runs = _read_runs(identity, view=view)
    if runs.is_empty():
        return [empty_state(queries.NOT_LOADED_MESSAGE)]
    run_id = run if run and run in runs["run_id"].to_list() else str(runs.item(0, "run_id"))
    audit = _read_run_audit(identity, view=view, runs=runs, run_id=run_id)
    return [
        html.Section(
            [
                html.H2("Load history"),
                load_history_table(
                    runs,
                    table_id=HISTORY,
                    current_run_id=run_id,
                    details_anchor=DETAILS,
                    **({"columns": PROVIDER_HISTORY_COLUMNS} if view == "provider" else {}),
                ),
            ],
            className="page-section",
        ),
        html.Section(
            [
                html.H2("Rows loaded and quarantined per run"),
                html.Figure(
                    [
                        html.Figcaption(figures.describe_rows_per_run(runs)),
                        dcc.Graph(
                            id=CHART,
                            figure=figures.rows_per_run_figure(runs),
                            config={"displaylogo": False, "responsive": True},
                        ),
                    ],
                    className="chart",
                ),
            ],
            className="page-section",
        ),
        html.Section(
            [
                html.H2("Run details"),
                *_scope_notes(identity, view=view),
                dcc.Store(id=RUN, data=run_id),
                dcc.Download(id=DOWNLOAD),
                *run_details(audit, files_table_id=FILES, download_button_id=DOWNLOAD_BUTTON),
            ],
            id=DETAILS,
            className="page-section",
            tabIndex="-1",
        ),
    ]


def _scope_notes(identity: Identity, *, view: str) -> list[html.P]:
    if view == "operations":
        return [
            html.P(
                "Quarantined rows and warnings quote values from care records, so only the "
                "provider's own users see them; counts per file are below.",
                className="note",
            )
        ]
    if identity.scope.location_ids:
        return [
            html.P(
                "Quarantined rows and warnings are those of your locations only; the load "
                "history and the counts per file cover the whole provider.",
                className="note",
            )
        ]
    return []


def _read_run_audit(identity: Identity, *, view: str, runs: pl.DataFrame, run_id: str) -> RunAudit:
    reader = current_reader()
    run_row = runs.filter(run_id=run_id).row(0, named=True)
    if view == "operations":
        return RunAudit(
            run=run_row,
            files=queries.operations_load_files(reader=reader, identity=identity, run_id=run_id),
            file_columns=OPERATIONS_FILE_COLUMNS,
            checks=queries.table_checks(reader=reader, identity=identity, run_id=run_id),
        )
    return RunAudit(
        run=run_row,
        files=queries.provider_load_files(reader=reader, identity=identity, run_id=run_id),
        reasons=queries.quarantine_reasons(reader=reader, identity=identity, run_id=run_id),
        quarantined_rows=queries.quarantine_rows(reader=reader, identity=identity, run_id=run_id),
        quarantined_total=queries.quarantine_count(reader=reader, identity=identity, run_id=run_id),
        warnings=queries.load_warnings(reader=reader, identity=identity, run_id=run_id),
    )


def _icb_sections(identity: Identity) -> list[Any]:
    providers = queries.icb_provider_loads(reader=current_reader(), identity=identity)
    if providers.is_empty():
        return [
            empty_state(
                "No provider with a location in your ICB has sent an export yet.",
                heading="No providers yet",
            )
        ]
    return [
        html.Section(
            [
                html.H2("Providers in your ICB"),
                dcc.Download(id=ICB_DOWNLOAD),
                html.Button(
                    "Download this table (CSV)",
                    id=ICB_DOWNLOAD_BUTTON,
                    className="button",
                    type="button",
                ),
                provider_loads_table(providers, table_id=PROVIDERS),
            ],
            className="page-section",
        )
    ]


@callback(
    Output(DOWNLOAD, "data"),
    Input(DOWNLOAD_BUTTON, "n_clicks"),
    State(RUN, "data"),
    prevent_initial_call=True,
)
def download_quarantine(n_clicks: int | None, run_id: str | None) -> dict[str, Any] | None:
    """Send every quarantined row of one of the caller's runs as a spreadsheet-safe CSV file."""
    identity = current_identity()
    reader = current_reader()
    if not n_clicks or not isinstance(run_id, str):
        return None
    runs = queries.provider_load_runs(reader=reader, identity=identity)
    if run_id not in runs["run_id"].to_list():
        return None
    rows = queries.quarantine_rows(reader=reader, identity=identity, run_id=run_id, row_limit=None)
    filename = download_file_name("quarantine", run_id)
    record_access(AccessEventKind.DOWNLOAD, detail=filename, row_count=rows.height)
    return dcc.send_string(to_safe_csv(rows), filename=filename, type="text/csv")


@callback(
    Output(ICB_DOWNLOAD, "data"),
    Input(ICB_DOWNLOAD_BUTTON, "n_clicks"),
    prevent_initial_call=True,
)
def download_icb_providers(n_clicks: int | None) -> dict[str, Any] | None:
    """Send the caller's ICB table, as controlled as on screen, as a CSV file."""
    identity = current_identity()
    if not n_clicks:
        return None
    reader = current_reader()
    providers = queries.icb_provider_loads(reader=reader, identity=identity)
    shown = providers.with_columns(
        share_text(
            providers,
            share="share_quarantined",
            numerator="rows_quarantined",
            denominator="rows_read",
        ).alias("share_quarantined")
    )
    filename = download_file_name("icb-providers", identity.scope.icb_code or "")
    record_access(AccessEventKind.DOWNLOAD, detail=filename, row_count=providers.height)
    csv = to_safe_csv(shown, suppressed=queries.icb_provider_load_counts(reader=reader))
    return dcc.send_string(csv, filename=filename, type="text/csv")
