"""Data quality: what each nightly load read, loaded, quarantined and checked."""

from __future__ import annotations

from typing import Any

import dash
import polars as pl
from dash import Input, Output, State, callback, dcc, html

from dashboards import figures, queries
from dashboards.components.empty_state import empty_state
from dashboards.components.load_audit import RunAudit, load_history_table, run_details
from dashboards.context import current_reader
from dashboards.downloads import to_safe_csv
from dashboards.errors import WarehouseUnavailableError
from dashboards.roles import Role

dash.register_page(
    __name__,
    path="/data-quality",
    name="Data quality",
    title="Data quality - carelens",
    description="Load history, quarantined rows, warnings and checks of each nightly load.",
    order=1,
    roles=frozenset({Role.OWNER, Role.QUALITY_LEAD, Role.ADMIN}),
)

HISTORY = "data-quality-history"
CHART = "data-quality-chart"
DETAILS = "data-quality-details"
FILES = "data-quality-files"
DOWNLOAD_BUTTON = "data-quality-download-button"
DOWNLOAD = "data-quality-download"
RUN = "data-quality-run"

HEADING = "Data quality"


def layout(run: str | None = None, **_query: str) -> html.Div:
    """Lay out the page; ``?run=<run_id>`` shows that run's details (else the latest run's)."""
    try:
        runs = queries.load_runs(reader=current_reader())
        if runs.is_empty():
            return html.Div([html.H1(HEADING), empty_state(queries.NOT_LOADED_MESSAGE)])
        run_id = run if run and run in runs["run_id"].to_list() else str(runs.item(0, "run_id"))
        audit = _read_run_audit(runs=runs, run_id=run_id)
    except WarehouseUnavailableError as error:
        return html.Div([html.H1(HEADING), empty_state(error.user_message)])
    return html.Div(
        [
            html.H1(HEADING),
            html.P(
                "What each nightly load read, loaded, skipped as a duplicate and quarantined, "
                "and whether the checks on the loaded tables passed.",
                className="lead",
            ),
            html.Section(
                [
                    html.H2("Load history"),
                    load_history_table(
                        runs, table_id=HISTORY, current_run_id=run_id, details_anchor=DETAILS
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
                    dcc.Store(id=RUN, data=run_id),
                    dcc.Download(id=DOWNLOAD),
                    *run_details(audit, files_table_id=FILES, download_button_id=DOWNLOAD_BUTTON),
                ],
                id=DETAILS,
                className="page-section",
                tabIndex="-1",
            ),
        ]
    )


def _read_run_audit(*, runs: pl.DataFrame, run_id: str) -> RunAudit:
    reader = current_reader()
    return RunAudit(
        run=runs.filter(run_id=run_id).row(0, named=True),
        files=queries.load_files(reader=reader, run_id=run_id),
        reasons=queries.quarantine_reasons(reader=reader, run_id=run_id),
        quarantined_rows=queries.quarantine_rows(reader=reader, run_id=run_id),
        quarantined_total=queries.quarantine_count(reader=reader, run_id=run_id),
        warnings=queries.load_warnings(reader=reader, run_id=run_id),
        checks=queries.validation_results(reader=reader, run_id=run_id),
    )


@callback(
    Output(DOWNLOAD, "data"),
    Input(DOWNLOAD_BUTTON, "n_clicks"),
    State(RUN, "data"),
    prevent_initial_call=True,
)
def download_quarantine(n_clicks: int | None, run_id: str | None) -> dict[str, Any] | None:
    """Send every quarantined row of the chosen run as a CSV file safe for spreadsheets."""
    if not n_clicks or not run_id:
        return None
    rows = queries.quarantine_rows(reader=current_reader(), run_id=run_id, row_limit=None)
    return dcc.send_string(to_safe_csv(rows), filename=f"quarantine-{run_id}.csv", type="text/csv")
