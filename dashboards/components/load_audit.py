"""Layout pieces of the load audit: the load history, the run picker and one run's details."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import polars as pl
from dash import html

from dashboards.components.tables import Column, ColumnKind, html_table, sortable_table
from dashboards.data_docs import data_docs_href
from dashboards.dates import format_instant

RUN_STATUS_LABELS = {
    "clean": "Clean",
    "quarantined": "Loaded with quarantined rows",
    "rejected": "Loaded; some files rejected",
    "failed": "Failed",
}
FILE_STATUS_LABELS = {
    "loaded": "Loaded",
    "partial": "Partly loaded",
    "rejected": "Rejected",
    "skipped_already_loaded": "Skipped (already loaded)",
}

PROVIDER_HISTORY_COLUMNS = (
    Column("started_at", "Started", ColumnKind.INSTANT, href_key="details_href"),
    Column("status", "Status"),
    Column("packages_loaded", "Packages loaded", ColumnKind.COUNT),
    Column("packages_skipped", "Packages skipped", ColumnKind.COUNT),
    Column("packages_rejected", "Packages rejected", ColumnKind.COUNT),
    Column("rows_read", "Rows read", ColumnKind.COUNT),
    Column("rows_loaded", "Rows loaded", ColumnKind.COUNT),
    Column("duplicates_skipped", "Duplicates skipped", ColumnKind.COUNT),
    Column("rows_quarantined", "Rows quarantined", ColumnKind.COUNT),
)
"""The load history of one provider: its own packages and rows in each run."""
HISTORY_COLUMNS = (
    *PROVIDER_HISTORY_COLUMNS,
    Column("checks_passed", "Checks passed", ColumnKind.YES_NO),
)
"""The install-wide load history, with whether the table-level checks passed."""
FILE_COLUMNS = (
    Column("export_id", "Export"),
    Column("file_name", "File"),
    Column("status", "Status"),
    Column("rows_read", "Rows read", ColumnKind.COUNT),
    Column("rows_loaded", "Rows loaded", ColumnKind.COUNT),
    Column("duplicates_skipped", "Duplicates skipped", ColumnKind.COUNT),
    Column("rows_quarantined", "Rows quarantined", ColumnKind.COUNT),
    Column("rejection_reason", "Why rejected"),
)
OPERATIONS_FILE_COLUMNS = (Column("provider_id", "Provider"), *FILE_COLUMNS)
REASON_COLUMNS = (
    Column("rule", "Rule"),
    Column("export_id", "Export"),
    Column("file_name", "File"),
    Column("rows_count", "Rows quarantined", ColumnKind.COUNT),
)
QUARANTINE_COLUMNS = (
    Column("export_id", "Export"),
    Column("file_name", "File"),
    Column("line_number", "Line", ColumnKind.COUNT),
    Column("location_id", "Location"),
    Column("rule", "Rule"),
    Column("reason", "Reason"),
)
WARNING_COLUMNS = (
    Column("export_id", "Export"),
    Column("file_name", "File"),
    Column("line_number", "Line", ColumnKind.COUNT),
    Column("rule", "Rule"),
    Column("message", "Warning"),
)
CHECK_COLUMNS = (
    Column("suite", "Suite"),
    Column("expectation", "Expectation"),
    Column("target", "Table or column"),
    Column("severity", "Severity"),
    Column("success", "Passed", ColumnKind.YES_NO),
    Column("observed", "Observed"),
)


@dataclass(frozen=True, slots=True)
class RunAudit:
    """What one view of the audit tables shows about one run.

    A section that is ``None`` is not part of the view: the provider view has no table-level
    checks (they cover every provider), and the operations view has no quarantined rows,
    reasons or warnings (they quote values from care records).
    """

    run: Mapping[str, Any]
    files: pl.DataFrame
    file_columns: tuple[Column, ...] = FILE_COLUMNS
    reasons: pl.DataFrame | None = None
    quarantined_rows: pl.DataFrame | None = None
    quarantined_total: int = 0
    warnings: pl.DataFrame | None = None
    checks: pl.DataFrame | None = None


def _with_labels(frame: pl.DataFrame, labels: Mapping[str, str]) -> pl.DataFrame:
    return frame.with_columns(pl.col("status").replace(dict(labels)))


def load_history_table(
    runs: pl.DataFrame,
    *,
    table_id: str,
    current_run_id: str,
    details_anchor: str,
    columns: tuple[Column, ...] = HISTORY_COLUMNS,
) -> html.Div:
    """Return the table of every run, newest first; each start time links to that run's details.

    Args:
        runs: Load history rows (one per run) with the columns of ``columns`` and ``run_id``.
        table_id: The component id of the table.
        current_run_id: The run whose details the page shows; its row is marked current.
        details_anchor: Element id of the run details, where each link jumps to.
        columns: :data:`HISTORY_COLUMNS` (install-wide) or :data:`PROVIDER_HISTORY_COLUMNS`.
    """
    linked = _with_labels(runs, RUN_STATUS_LABELS).with_columns(
        (pl.lit("?run=") + pl.col("run_id") + pl.lit(f"#{details_anchor}")).alias("details_href")
    )
    run_ids = runs["run_id"].to_list()
    return html_table(
        linked,
        columns=columns,
        caption="Load history: one row per run of carelens load, newest first. "
        "Select a start time to see that run's details.",
        table_id=table_id,
        current_row=run_ids.index(current_run_id) if current_run_id in run_ids else None,
    )


def _section(heading: str, *children: Any) -> html.Section:
    return html.Section([html.H3(heading), *children], className="run-section")


def _note(text: str) -> html.P:
    return html.P(text, className="note")


def run_summary(run: Mapping[str, Any]) -> html.Div:
    """Return which run this is and, when the view has them, its message and Data Docs link.

    Only the install-wide (operations) history has a ``message`` and a ``data_docs_path``: both
    cover every provider of the run.
    """
    status = RUN_STATUS_LABELS.get(run["status"], run["status"])
    heading: list[Any] = [
        html.Strong(f"Run started {format_instant(run['started_at'])}"),
        f" ({status}).",
    ]
    if "message" in run:
        heading.append(" " + (run["message"] or "This run recorded no summary."))
    children: list[Any] = [
        html.P(heading),
        html.P(["Run id: ", html.Code(run["run_id"])], className="note"),
    ]
    if "data_docs_path" not in run:
        return html.Div(children, className="run-summary")
    if run["data_docs_path"]:
        children.append(
            html.P(
                html.A(
                    "Open the Great Expectations Data Docs for this run",
                    href=data_docs_href(run["run_id"]),
                )
            )
        )
    else:
        children.append(_note("No Great Expectations Data Docs were written for this run."))
    return html.Div(children, className="run-summary")


def _quarantine_sections(audit: RunAudit, *, download_button_id: str) -> list[Any]:
    if audit.reasons is None or audit.quarantined_rows is None:
        return []
    total = audit.quarantined_total
    shown = audit.quarantined_rows.height
    quarantine_children: list[Any] = [_note("No rows were quarantined in this run.")]
    if total:
        quarantine_children = [
            _note(
                f"Showing the first {shown:,} of {total:,} quarantined rows; download the CSV "
                "file for all of them."
                if shown < total
                else f"All {total:,} quarantined rows, by file and line."
            ),
            html.Button(
                "Download quarantined rows (CSV)",
                id=download_button_id,
                className="button",
                type="button",
            ),
            html_table(
                audit.quarantined_rows,
                columns=QUARANTINE_COLUMNS,
                caption="Quarantined rows: file, line in the file (header is line 1), "
                "location and reason",
            ),
        ]
    return [
        _section(
            "Why rows were quarantined",
            html_table(
                audit.reasons,
                columns=REASON_COLUMNS,
                caption="Quarantined rows by rule and file, most first",
            )
            if audit.reasons.height
            else _note("No rows were quarantined in this run."),
        ),
        _section("Quarantined rows", *quarantine_children),
    ]


def run_details(audit: RunAudit, *, files_table_id: str, download_button_id: str) -> list[Any]:
    """Return the sections of one run that the view has: files, quarantine, warnings, checks."""
    sections: list[Any] = [
        run_summary(audit.run),
        _section(
            "Rows per file",
            sortable_table(
                _with_labels(audit.files, FILE_STATUS_LABELS),
                columns=audit.file_columns,
                caption="Rows read, loaded, skipped as duplicates and quarantined, per file",
                table_id=files_table_id,
            )
            if audit.files.height
            else _note("No files were applied in this run."),
        ),
        *_quarantine_sections(audit, download_button_id=download_button_id),
    ]
    if audit.warnings is not None:
        sections.append(
            _section(
                "Warnings",
                html_table(
                    audit.warnings,
                    columns=WARNING_COLUMNS,
                    caption="Warnings: these rows were loaded, with something to note",
                )
                if audit.warnings.height
                else _note("No warnings were raised in this run."),
            )
        )
    if audit.checks is not None:
        sections.append(
            _section(
                "Table-level checks",
                html_table(
                    audit.checks,
                    columns=CHECK_COLUMNS,
                    caption="Great Expectations checks on the loaded tables, failures first",
                )
                if audit.checks.height
                else _note("No table-level checks were recorded for this run."),
            )
        )
    return sections
