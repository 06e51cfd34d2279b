"""What happens to single rows: quarantine records, warnings and NHS-number pseudonyms."""

from __future__ import annotations

import hashlib
import hmac

import polars as pl

from data_contracts.ode1 import Entity
from data_contracts.ode1.contracts import INDEX, SENSITIVE_COLUMNS, raw
from data_contracts.ode1.entities import ColumnKind
from pipelines.accounting import LoadWarning, QuarantinedRow
from pipelines.exports.reading import FILE, ParsedFile
from pipelines.textfile import LINE

_REDACTED = "[redacted]"


def _record_json(entity: Entity) -> pl.Expr:
    fields = []
    for column in entity.columns:
        text = pl.col(raw(column.name))
        if column.kind is ColumnKind.NHS_NUMBER:
            text = pl.when(text.is_not_null()).then(pl.lit(_REDACTED))
        fields.append(text.alias(column.name))
    return pl.struct(fields).struct.json_encode()


def violation_rows(typed: pl.DataFrame, violations: pl.DataFrame) -> pl.DataFrame:
    """One row per quarantined row: file, line, rule codes, readable reasons, record JSON."""
    values = []
    for column in violations.get_column("column").unique().to_list():
        subset = violations.filter(pl.col("column") == column)
        found = subset.join(
            typed.select(INDEX, pl.col(raw(column)).alias("found")), on=INDEX, how="left"
        )
        values.append(found)
    merged = pl.concat(values, how="vertical_relaxed")
    shown = pl.col("found").is_not_null() & ~pl.col("column").is_in(list(SENSITIVE_COLUMNS))
    reason = pl.concat_str(
        pl.col("column"),
        pl.lit(": "),
        pl.col("message"),
        pl.when(shown).then(pl.concat_str(pl.lit(" (found '"), pl.col("found"), pl.lit("')"))),
        ignore_nulls=True,
    )
    return (
        merged.with_columns(reason.alias("reason"))
        .sort(INDEX, "column")
        .group_by(INDEX, maintain_order=True)
        .agg(
            pl.col("rule").unique(maintain_order=True).str.join(","),
            pl.col("reason").str.join("; "),
        )
    )


def quarantine(
    items: list[ParsedFile],
    typed: pl.DataFrame,
    rows: pl.DataFrame,
    entity: Entity,
) -> None:
    """Record quarantined rows (``_row``, ``rule``, ``reason``) against their files."""
    if rows.is_empty():
        return
    detail = rows.join(
        typed.select(INDEX, FILE, LINE, _record_json(entity).alias("record_json")),
        on=INDEX,
        how="left",
    )
    for file_index, line, rule, reason, record in detail.select(
        FILE, LINE, "rule", "reason", "record_json"
    ).iter_rows():
        outcome = items[file_index].outcome
        outcome.quarantine.append(
            QuarantinedRow(
                export_id=outcome.export_id,
                file_name=outcome.file_name,
                line_number=line,
                rule=rule,
                reason=reason,
                entity=entity.name,
                provider_id=outcome.provider_id,
                record_json=record,
            )
        )


def row_warnings(items: list[ParsedFile], accepted: pl.DataFrame, entity: Entity) -> None:
    """Warn, per row that loads, of discarded NHS numbers and fall-back-hour local times."""
    checks: list[tuple[pl.Expr, str, str]] = []
    for column in entity.columns:
        if column.kind is ColumnKind.NHS_NUMBER:
            checks.append(
                (
                    pl.col(raw(column.name)).is_not_null() & pl.col(column.name).is_null(),
                    "nhs_number_invalid",
                    f"{column.name} is not 10 digits passing the Modulus 11 check; discarded, "
                    "row loaded",
                )
            )
        elif column.kind is ColumnKind.TIMESTAMP:
            checks.append(
                (
                    pl.col(f"{column.name}__ambiguous"),
                    "ambiguous_local_time",
                    f"{column.name} falls in the autumn fall-back hour; read as the first "
                    "occurrence (BST)",
                )
            )
    for condition, rule, message in checks:
        for file_index, line in accepted.filter(condition).select(FILE, LINE).iter_rows():
            outcome = items[file_index].outcome
            outcome.warnings.append(
                LoadWarning(
                    export_id=outcome.export_id,
                    file_name=outcome.file_name,
                    rule=rule,
                    message=message,
                    line_number=line,
                )
            )


def pseudonymise(frame: pl.DataFrame, *, key: bytes) -> pl.DataFrame:
    """Replace valid NHS numbers by HMAC-SHA256 under the settings key; drop the text."""
    unique = frame.get_column("nhs_number").drop_nulls().unique().to_list()
    mapping = {n: hmac.new(key, n.encode(), hashlib.sha256).hexdigest() for n in unique}
    hashed = pl.col("nhs_number").replace_strict(mapping, default=None, return_dtype=pl.String)
    return frame.with_columns(hashed.alias("nhs_number_hash")).drop("nhs_number", raw("nhs_number"))
