"""Row validation of a section 5 input: contract failures, malformed records, repeated keys.

A row breaking any rule is quarantined once, with every rule it broke in the reason. Within one
file, a repeated key with identical content is a duplicate (counted and skipped); with different
content the newcomer is quarantined (spec section 3).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import polars as pl

from data_contracts.inputs import InputFile, normalise_header
from data_contracts.inputs.contracts import INDEX, find_violations, raw, row_contract, typed_frame
from pipelines.accounting import QuarantinedRow
from pipelines.inputs.reading import InputTable
from pipelines.textfile import LINE

_VALUE_SHOWN = 60
"""Longest cell text quoted in a quarantine reason."""


@dataclass(slots=True)
class ValidatedRows:
    """The rows of one file that passed, and what was set aside."""

    rows: pl.DataFrame
    """Typed declared columns plus ``_line``; one row per key (first occurrence)."""
    duplicates: int = 0
    quarantine: list[QuarantinedRow] = field(default_factory=list)


def text_columns(table: InputTable) -> pl.DataFrame:
    """The declared columns present in the file, renamed to their warehouse names, plus _line."""
    spec = table.spec
    headers = {c.name: normalise_header(c.header) for c in spec.columns}
    present = [
        pl.col(headers[c.name]).alias(c.name)
        for c in spec.columns
        if headers[c.name] in table.columns
    ]
    return table.frame.select([*present, pl.col(LINE)])


def validate_rows(*, table: InputTable, export_id: str) -> ValidatedRows:
    """Type and check every row of ``table``; quarantine failures and conflicting repeats."""
    spec = table.spec
    file_name = export_id
    typed = typed_frame(text_columns(table), spec)
    violations = find_violations(typed, row_contract(spec))
    quarantine = [
        QuarantinedRow(
            export_id=export_id,
            file_name=file_name,
            line_number=m.line,
            rule="field_count",
            reason=f"{m.fields} fields where the header has {m.expected}",
            entity=spec.name,
        )
        for m in table.malformed
    ]
    bad_rows = violations.get_column(INDEX).unique().sort().to_list()
    for position in bad_rows:
        failures = violations.filter(pl.col(INDEX) == position)
        quarantine.append(_quarantined(typed.row(position, named=True), failures, spec, export_id))
    good = typed.with_row_index(INDEX).filter(~pl.col(INDEX).is_in(bad_rows)).drop(INDEX)
    if not spec.key:
        return ValidatedRows(rows=good.select([*spec.column_names, LINE]), quarantine=quarantine)
    return _first_per_key(good, spec=spec, export_id=export_id, quarantine=quarantine)


def _first_per_key(
    good: pl.DataFrame, *, spec: InputFile, export_id: str, quarantine: list[QuarantinedRow]
) -> ValidatedRows:
    key = list(spec.key)
    content = pl.struct(list(spec.column_names))
    marked = good.with_row_index(INDEX).with_columns(
        (pl.col(INDEX) == pl.col(INDEX).min().over(key)).alias("_first"),
        content.eq_missing(content.first().over(key)).alias("_same"),
        pl.col(LINE).first().over(key).alias("_first_line"),
    )
    conflicts = marked.filter(~pl.col("_first") & ~pl.col("_same"))
    quarantine.extend(
        QuarantinedRow(
            export_id=export_id,
            file_name=export_id,
            line_number=row[LINE],
            rule="conflicting_duplicate",
            reason=f"same {', '.join(key)} as line {row['_first_line']} with different content; "
            "the later row is set aside",
            entity=spec.name,
            record_json=_record_json(row, spec),
        )
        for row in conflicts.iter_rows(named=True)
    )
    duplicates = marked.filter(~pl.col("_first") & pl.col("_same")).height
    rows = marked.filter(pl.col("_first")).select([*spec.column_names, LINE])
    return ValidatedRows(rows=rows, duplicates=duplicates, quarantine=quarantine)


def _quarantined(
    row: dict[str, object], failures: pl.DataFrame, spec: InputFile, export_id: str
) -> QuarantinedRow:
    reasons = []
    for failure in failures.iter_rows(named=True):
        column = failure["column"]
        text = row.get(raw(column))
        shown = "empty" if text is None else repr(str(text)[:_VALUE_SHOWN])
        reasons.append(f"{spec.column(column).header} {shown}: {failure['message']}")
    return QuarantinedRow(
        export_id=export_id,
        file_name=export_id,
        line_number=int(str(row[LINE])),
        rule=str(failures.item(0, "rule")),
        reason="; ".join(reasons),
        entity=spec.name,
        record_json=_record_json(row, spec),
    )


def _record_json(row: dict[str, object], spec: InputFile) -> str:
    """The row as read (text cells under their published headers); no sensitive columns here."""
    cells = {c.header: row.get(raw(c.name), row.get(c.name)) for c in spec.columns}
    return json.dumps(cells, default=str, ensure_ascii=False)
