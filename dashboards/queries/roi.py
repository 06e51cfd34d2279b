"""Typed queries for the Return on investment page: one provider's appraisal inputs.

The provider's cost lines (``reference.cost_lines``), its measured benefit streams
(``marts.benefit_streams`` summed over its locations), the assumption values its owners entered
(``reference.provider_assumptions``) and the last day its exports cover, read with the same
SQL as `carelens roi` and turned into :class:`cost_model.case.CaseInputs` by the same row
converters, so the page and the command appraise the same case. The reader binds the scope.
"""

from __future__ import annotations

from datetime import date

import polars as pl

from cost_model.case import (
    CaseInputs,
    cost_line_from_row,
    entered_from_row,
    last_complete_month,
    stream_month_from_row,
)
from dashboards.errors import WarehouseNotReadyError
from dashboards.queries.reader import WarehouseReader
from dashboards.roles import Identity


def _optional(reader: WarehouseReader, name: str, *, identity: Identity) -> pl.DataFrame | None:
    """The query's rows, or ``None`` when a table it reads is not in this warehouse yet."""
    try:
        return reader.query(name, identity=identity)
    except WarehouseNotReadyError:
        if not reader.warehouse_path.is_file():
            raise
        return None


def roi_case_inputs(*, reader: WarehouseReader, identity: Identity) -> CaseInputs | None:
    """Return the caller's provider's appraisal inputs, or ``None`` with no cost lines.

    A warehouse from before benefit streams or entered assumptions existed gives none of them
    rather than an error.

    Raises:
        WarehouseUnavailableError: The warehouse cannot be read (or has not been loaded).
    """
    provider_id = identity.scope.provider_id or ""
    costs = reader.query("roi_cost_lines", identity=identity)
    if costs.is_empty():
        return None
    streams = _optional(reader, "roi_benefit_streams", identity=identity)
    entered = _optional(reader, "roi_assumptions", identity=identity)
    exports = _optional(reader, "roi_last_export", identity=identity)
    extract_to = exports["extract_to"][0] if exports is not None and exports.height else None
    return CaseInputs(
        provider_id=provider_id,
        costs=tuple(
            cost_line_from_row(row, line=row["source_line"]) for row in costs.iter_rows(named=True)
        ),
        measured=tuple(
            stream_month_from_row(row)
            for row in (streams.iter_rows(named=True) if streams is not None else ())
        ),
        entered={
            str(row["name"]): entered_from_row(row)
            for row in (entered.iter_rows(named=True) if entered is not None else ())
        },
        last_complete_month=last_complete_month(extract_to),
    )


def roi_report_facts(*, reader: WarehouseReader, identity: Identity) -> tuple[str, date | None]:
    """Return the provider's name and the last day its exports cover, for the report.

    The name is the provider's ID if the CQC directory has none; the day is ``None`` if
    unknown.

    Raises:
        WarehouseUnavailableError: The warehouse cannot be read.
    """
    provider_id = identity.scope.provider_id or ""
    names = _optional(reader, "roi_provider_name", identity=identity)
    exports = _optional(reader, "roi_last_export", identity=identity)
    name = names["provider_name"][0] if names is not None and names.height else None
    extract_to = exports["extract_to"][0] if exports is not None and exports.height else None
    return (str(name) if name else provider_id), extract_to
