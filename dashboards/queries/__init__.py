"""The only way the web app reads the warehouse: read-only, named SQL, polars frames out."""

from __future__ import annotations

from dashboards.queries.audit import (
    DISPLAY_ROW_LIMIT,
    load_files,
    load_runs,
    load_warnings,
    quarantine_count,
    quarantine_reasons,
    quarantine_rows,
    validation_results,
)
from dashboards.queries.reader import (
    NOT_LOADED_MESSAGE,
    DisclosureError,
    QueryAudit,
    QueryDeclarationError,
    WarehouseReader,
)

__all__ = [
    "DISPLAY_ROW_LIMIT",
    "NOT_LOADED_MESSAGE",
    "DisclosureError",
    "QueryAudit",
    "QueryDeclarationError",
    "WarehouseReader",
    "load_files",
    "load_runs",
    "load_warnings",
    "quarantine_count",
    "quarantine_reasons",
    "quarantine_rows",
    "validation_results",
]
