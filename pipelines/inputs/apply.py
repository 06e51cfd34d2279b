"""Recognising and applying one section 5 input file to the build warehouse."""

from __future__ import annotations

import logging
from datetime import date
from pathlib import Path

import duckdb

from data_contracts.inputs import CQC_PLAIN_DIRECTORY, InputFile, normalise_header
from pipelines.accounting import FileOutcome, LoadWarning
from pipelines.errors import FileRejectedError
from pipelines.inputs import adoption_returns, cost_lines, cqc_locations, sub_icb_lookup
from pipelines.inputs.kinds import LAYOUTS, SPREADSHEET_KINDS, InputKind, kind_of
from pipelines.inputs.reading import (
    SPREADSHEET_SUFFIXES,
    InputTable,
    find_header,
    is_readable_suffix,
    read_input_table,
    sniff_rows,
)
from pipelines.inputs.snapshot import find_snapshot_date
from pipelines.inputs.validation import ValidatedRows, validate_rows
from pipelines.inputs.writes import WriteCounts

logger = logging.getLogger(__name__)


def detect_input(path: Path) -> InputKind | None:
    """Recognise a section 5 input by its header row; None for anything else.

    A CSV is recognised by a row, among its first 30, that holds the kind's signature columns;
    a workbook (XLSX, ODS) by the same in sheet ``HSCA_Active_Locations`` or its first sheet,
    and only as a CQC directory. Never raises: an unreadable file is simply not recognised.
    """
    if not path.is_file() or not is_readable_suffix(path):
        return None
    spreadsheet = path.suffix.lower() in SPREADSHEET_SUFFIXES
    specs = [
        spec
        for kind, layouts in LAYOUTS.items()
        if not spreadsheet or kind in SPREADSHEET_KINDS
        for spec in layouts
    ]
    found = find_header(sniff_rows(path), specs=specs)
    return None if found is None else kind_of(found[0])


def apply_input(
    *,
    con: duckdb.DuckDBPyConnection,
    path: Path,
    kind: InputKind,
    run_id: str,
    sha256: str,
    today: date,
) -> FileOutcome:
    """Validate one input file and write its good rows to its reference table.

    Runs inside the runner's transaction and writes no audit table. A file that cannot be read,
    has no header row or lacks a required column is rejected through the returned outcome
    (``FileOutcome.reject``), never raised, and nothing of it is written. Bad rows are
    quarantined with their rule; for every file rows read = rows loaded + duplicates skipped +
    rows quarantined.

    Args:
        con: the private build copy of the warehouse.
        path: the input file.
        kind: what ``detect_input`` recognised it as.
        run_id: the load run, stored on every row written.
        sha256: the file's content hash, recorded on the outcome.
        today: the run date; a CQC directory with no date of its own is dated by it.
    """
    outcome = FileOutcome(
        export_id=path.name, file_name=path.name, entity=kind.value, sha256=sha256
    )
    try:
        table = read_input_table(path, specs=LAYOUTS[kind])
        _check_columns(table, file_name=path.name)
    except FileRejectedError as error:
        outcome.reject(str(error))
        logger.warning("input rejected: %s", error)
        return outcome
    outcome.encoding = table.encoding
    outcome.warnings.extend(_column_warnings(table, export_id=path.name))
    validated = validate_rows(table=table, export_id=path.name)
    counts = _write(
        con=con,
        kind=kind,
        table=table,
        validated=validated,
        run_id=run_id,
        today=today,
        outcome=outcome,
    )
    outcome.rows_read = table.records
    outcome.rows_quarantined = len(validated.quarantine)
    outcome.quarantine.extend(validated.quarantine)
    outcome.duplicates_skipped = validated.duplicates + counts.duplicates
    outcome.rows_loaded = counts.loaded
    if kind is InputKind.COSTS:
        providers = validated.rows.get_column("provider_id").unique().to_list()
        outcome.provider_id = providers[0] if len(providers) == 1 else None
    logger.info(
        "input %s (%s): %d read, %d loaded, %d duplicates, %d quarantined",
        path.name,
        kind,
        outcome.rows_read,
        outcome.rows_loaded,
        outcome.duplicates_skipped,
        outcome.rows_quarantined,
    )
    return outcome


def _check_columns(table: InputTable, *, file_name: str) -> None:
    missing = [h for h in table.spec.required_headers if h not in table.columns]
    if missing:
        raise FileRejectedError(
            file_name=file_name,
            rule="missing_column",
            reason=f"missing required column(s): {', '.join(repr(m) for m in missing)}",
            line=table.header_line,
        )


def _column_warnings(table: InputTable, *, export_id: str) -> list[LoadWarning]:
    spec: InputFile = table.spec
    warnings: list[LoadWarning] = []
    if spec.report_extra_columns:
        known = {normalise_header(c.header) for c in spec.columns}
        extra = [c for c in table.columns if c not in known and not c.startswith("_blank_")]
        if extra:
            warnings.append(
                LoadWarning(
                    export_id=export_id,
                    file_name=export_id,
                    rule="unknown_column",
                    message=f"extra column(s) ignored: {', '.join(extra)}",
                    line_number=table.header_line,
                )
            )
        if table.preamble:
            warnings.append(
                LoadWarning(
                    export_id=export_id,
                    file_name=export_id,
                    rule="preamble_skipped",
                    message=f"{table.header_line - 1} line(s) above the header skipped",
                    line_number=1,
                )
            )
    if spec is CQC_PLAIN_DIRECTORY:
        warnings.append(
            LoadWarning(
                export_id=export_id,
                file_name=export_id,
                rule="plain_directory",
                message="plain CQC directory: no dormancy, beds, inspection directorate or "
                "CCG code; those load as null, so its locations do not enter the ICB universe",
            )
        )
    return warnings


def _write(
    *,
    con: duckdb.DuckDBPyConnection,
    kind: InputKind,
    table: InputTable,
    validated: ValidatedRows,
    run_id: str,
    today: date,
    outcome: FileOutcome,
) -> WriteCounts:
    source = outcome.file_name
    rows = validated.rows
    match kind:
        case InputKind.CQC_DIRECTORY:
            snapshot = find_snapshot_date([*table.preamble, Path(source).stem])
            if snapshot is None:
                snapshot = today
                outcome.warnings.append(
                    LoadWarning(
                        export_id=source,
                        file_name=source,
                        rule="snapshot_date",
                        message=f"no date found in the preamble or file name; dated {today} "
                        "(the run date)",
                    )
                )
            frame = cqc_locations.snapshot_frame(
                rows=rows,
                spec=table.spec,
                source_file=source,
                snapshot_date=snapshot,
                run_id=run_id,
            )
            return WriteCounts(
                loaded=cqc_locations.write_snapshot(con=con, frame=frame, snapshot_date=snapshot)
            )
        case InputKind.SUB_ICB_LOOKUP:
            counts = sub_icb_lookup.write_lookup(
                con=con, rows=rows, source_file=source, run_id=run_id
            )
        case InputKind.ADOPTION_RETURNS:
            counts = adoption_returns.write_returns(
                con=con, rows=rows, source_file=source, run_id=run_id
            )
        case InputKind.COSTS:
            counts = cost_lines.write_statements(
                con=con, rows=rows, source_file=source, run_id=run_id
            )
    if counts.replaced:
        outcome.warnings.append(
            LoadWarning(
                export_id=source,
                file_name=source,
                rule="replaced_rows",
                message=f"{counts.replaced} stored row(s) replaced by this file",
            )
        )
    return counts
