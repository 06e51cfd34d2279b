"""Reading the files of ODE-1 packages: manifest row counts, file-level column rules, text."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace

import polars as pl

from data_contracts.ode1 import Entity, entity_for_file
from data_contracts.ode1.contracts import INDEX
from pipelines.accounting import FileOutcome, LoadWarning, QuarantinedRow
from pipelines.errors import FileRejectedError
from pipelines.packages import Package, check_row_counts
from pipelines.textfile import FILE_KEY, LINE, PreparedFile, parse_many, prepare

FILE = FILE_KEY


@dataclass(frozen=True, slots=True)
class ParsedFile:
    """A package file read as text, waiting for its entity's turn."""

    package: Package
    sequence: int
    entity: Entity
    prepared: PreparedFile
    outcome: FileOutcome


def parse_package(package: Package, *, sequence: int) -> tuple[list[ParsedFile], list[FileOutcome]]:
    """Read every CSV of a package as text and check the manifest's row counts.

    Returns:
        The parsed entity files, and the outcome of every file (rejected ones included).

    Raises:
        PackageRejectedError: a row count disagrees with the manifest.
    """
    provider = package.manifest.provider_id
    parsed: list[ParsedFile] = []
    outcomes: list[FileOutcome] = []
    records: dict[str, int] = {}
    for name, data in sorted(package.files.items()):
        if not name.endswith(".csv"):
            continue
        entity = entity_for_file(name)
        outcome = FileOutcome(
            export_id=package.export_id,
            file_name=name,
            entity=entity.name if entity else None,
            provider_id=provider,
            sha256=hashlib.sha256(data).hexdigest(),
        )
        outcomes.append(outcome)
        try:
            prepared = prepare(data, file_name=name)
        except FileRejectedError as error:
            outcome.reject(f"{error.reason} [{error.rule}]")
            continue
        records[name] = prepared.records
        outcome.encoding = prepared.encoding
        if entity is None:
            outcome.reject("not an ODE-1 entity file; loaded nowhere [unknown_file]")
            continue
        outcome.rows_read = prepared.records
        parsed.append(ParsedFile(package, sequence, entity, prepared, outcome))
    check_row_counts(package, records)
    return parsed, outcomes


def accept_columns(item: ParsedFile) -> bool:
    """File-level column rules: reject on a missing required column, warn on extra ones."""
    entity, columns, outcome = item.entity, item.prepared.columns, item.outcome
    missing = [c for c in entity.required_columns if c not in columns]
    if missing:
        outcome.reject(f"missing required column(s): {', '.join(missing)} [missing_column]")
        return False
    extra = [c for c in columns if c not in entity.column_names]
    if extra:
        outcome.warnings.append(
            LoadWarning(
                export_id=outcome.export_id,
                file_name=outcome.file_name,
                rule="unknown_column",
                message=f"unknown column(s) ignored: {', '.join(extra)}",
            )
        )
    return True


def combined_text(items: list[ParsedFile], entity: Entity) -> pl.DataFrame:
    """All records of ``items`` as one text frame, with file, package and row metadata.

    Records with the wrong number of fields are quarantined here (rule ``field_count``).
    """
    frame, malformed = parse_many([replace(item.prepared, key=i) for i, item in enumerate(items)])
    for index, records in malformed.items():
        outcome = items[index].outcome
        for record in records:
            outcome.quarantine.append(
                QuarantinedRow(
                    export_id=outcome.export_id,
                    file_name=outcome.file_name,
                    line_number=record.line,
                    rule="field_count",
                    reason=f"record has {record.fields} fields; the header has {record.expected}",
                    entity=entity.name,
                    provider_id=outcome.provider_id,
                )
            )
    files = frame.get_column(FILE)
    manifests = [item.package.manifest for item in items]
    keep = [c for c in frame.columns if c in entity.column_names]
    return frame.select(
        *keep,
        LINE,
        FILE,
        pl.Series([m.provider_id for m in manifests], dtype=pl.String)
        .gather(files)
        .alias("provider_id"),
        pl.Series([item.sequence for item in items], dtype=pl.Int64)
        .gather(files)
        .alias("export_sequence"),
        pl.Series([m.generated_at for m in manifests], dtype=pl.Datetime("us", "UTC"))
        .gather(files)
        .alias("generated_at"),
        pl.int_range(pl.len(), dtype=pl.Int64).alias(INDEX),
    )
