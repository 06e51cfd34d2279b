"""Writing a run's accounting to the audit tables (shared/spec/metrics-v1.md, "Load accounting")."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import duckdb
import polars as pl

from pipelines import warehouse
from pipelines.packages import Package
from pipelines.summary import RunSummary


def record_packages(
    con: duckdb.DuckDBPyConnection, applied: list[tuple[Package, int]], *, run_id: str
) -> None:
    """Remember applied packages (with their sequence) so a repeated extract_id is skipped."""
    rows = [
        {
            "provider_id": p.manifest.provider_id,
            "extract_id": p.manifest.extract_id,
            "export_id": p.export_id,
            "supplier": p.manifest.supplier,
            "extract_from": p.manifest.extract_from,
            "extract_to": p.manifest.extract_to,
            "generated_at": p.manifest.generated_at,
            "run_id": run_id,
            "sequence": sequence,
        }
        for p, sequence in applied
    ]
    if rows:
        warehouse.insert_frame(con, table="audit.packages", frame=pl.DataFrame(rows))


def _file_rows(summary: RunSummary, *, loaded_at: datetime) -> pl.DataFrame:
    return pl.DataFrame(
        [
            {
                "run_id": summary.run_id,
                "export_id": f.export_id,
                "provider_id": f.provider_id,
                "file_name": f.file_name,
                "entity": f.entity,
                "rows_read": f.rows_read,
                "rows_loaded": f.rows_loaded,
                "duplicates_skipped": f.duplicates_skipped,
                "rows_quarantined": f.rows_quarantined,
                "status": f.status.value,
                "rejection_reason": f.rejected_reason,
                "encoding": f.encoding,
                "sha256": f.sha256,
                "loaded_at": loaded_at,
            }
            for f in summary.files
        ],
        schema_overrides={"loaded_at": pl.Datetime("us", "UTC")},
        infer_schema_length=None,
    )


def write_run_audit(con: duckdb.DuckDBPyConnection, *, inbox: Path, summary: RunSummary) -> None:
    """Write the run's files, quarantined rows, warnings and run row to the audit tables."""
    finished = summary.finished_at or datetime.now(UTC)
    if summary.files:
        warehouse.insert_frame(
            con, table="audit.load_files", frame=_file_rows(summary, loaded_at=finished)
        )
    quarantine = [
        {"run_id": summary.run_id, **_fields(q)} for f in summary.files for q in f.quarantine
    ]
    if quarantine:
        warehouse.insert_frame(
            con,
            table="audit.quarantine",
            frame=pl.DataFrame(quarantine, infer_schema_length=None),
        )
    warnings = [{"run_id": summary.run_id, **_fields(w)} for f in summary.files for w in f.warnings]
    if warnings:
        warehouse.insert_frame(
            con, table="audit.warnings", frame=pl.DataFrame(warnings, infer_schema_length=None)
        )
    con.execute(
        """insert into audit.load_runs (run_id, started_at, finished_at, inbox, status,
            exit_code, packages_found, packages_loaded, packages_skipped, packages_rejected,
            files_rejected, rows_read, rows_loaded, duplicates_skipped, rows_quarantined,
            checks_passed, data_docs_path, message)
        values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        [
            summary.run_id,
            summary.started_at,
            finished,
            str(inbox),
            summary.status,
            summary.exit_code,
            summary.packages_found,
            summary.packages_loaded,
            summary.packages_skipped,
            summary.packages_rejected,
            summary.files_rejected,
            summary.total("rows_read"),
            summary.total("rows_loaded"),
            summary.total("duplicates_skipped"),
            summary.total("rows_quarantined"),
            summary.checks_passed,
            summary.data_docs_path,
            summary.message,
        ],
    )


def _fields(record: object) -> dict[str, object]:
    return {name: getattr(record, name) for name in record.__slots__}  # type: ignore[attr-defined]
