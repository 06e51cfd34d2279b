"""Applying ODE-1 packages: row contracts, references, versions and row accounting.

One batch of packages is applied entity by entity, in ``ENTITY_ORDER`` (referenced entities
first), every file of the entity together, so the row contracts and the SQL run once per entity
rather than once per file. Packages keep their order through ``export_sequence``.
"""

from __future__ import annotations

import hashlib
import hmac
from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import date

import duckdb
import polars as pl

from data_contracts.ode1 import ENTITIES, Entity, entity_for_file
from data_contracts.ode1.contracts import (
    INDEX,
    SENSITIVE_COLUMNS,
    find_violations,
    raw,
    row_contract,
    typed_frame,
)
from data_contracts.ode1.entities import ColumnKind
from pipelines.accounting import FileOutcome, LoadWarning, QuarantinedRow
from pipelines.errors import FileRejectedError
from pipelines.packages import Package, check_row_counts
from pipelines.textfile import FILE_KEY, LINE, PreparedFile, parse_many, prepare
from pipelines.warehouse import business_columns, warehouse_column

FILE = FILE_KEY
_REDACTED = "[redacted]"


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


def _accept_columns(item: ParsedFile) -> bool:
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


def _combined_text(items: list[ParsedFile], entity: Entity) -> pl.DataFrame:
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


def _record_json(entity: Entity) -> pl.Expr:
    fields = []
    for column in entity.columns:
        text = pl.col(raw(column.name))
        if column.kind is ColumnKind.NHS_NUMBER:
            text = pl.when(text.is_not_null()).then(pl.lit(_REDACTED))
        fields.append(text.alias(column.name))
    return pl.struct(fields).struct.json_encode()


def _violation_rows(typed: pl.DataFrame, violations: pl.DataFrame) -> pl.DataFrame:
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


def _quarantine(
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


def _row_warnings(items: list[ParsedFile], accepted: pl.DataFrame, entity: Entity) -> None:
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


def _pseudonymise(frame: pl.DataFrame, *, key: bytes) -> pl.DataFrame:
    """Replace valid NHS numbers by HMAC-SHA256 under the settings key; drop the text."""
    unique = frame.get_column("nhs_number").drop_nulls().unique().to_list()
    mapping = {n: hmac.new(key, n.encode(), hashlib.sha256).hexdigest() for n in unique}
    hashed = pl.col("nhs_number").replace_strict(mapping, default=None, return_dtype=pl.String)
    return frame.with_columns(hashed.alias("nhs_number_hash")).drop("nhs_number", raw("nhs_number"))


def apply_entity(
    con: duckdb.DuckDBPyConnection,
    *,
    entity: Entity,
    items: list[ParsedFile],
    run_id: str,
    today: date,
    pseudonym_key: bytes,
) -> None:
    """Validate, resolve and version every row of ``entity`` in ``items``; write what loads."""
    items = [item for item in items if _accept_columns(item)]
    if not items:
        return
    typed = typed_frame(_combined_text(items, entity), entity)
    violations = find_violations(typed, row_contract(entity, today=today))
    broken = _violation_rows(typed, violations) if not violations.is_empty() else None
    if broken is not None:
        _quarantine(items, typed, broken, entity)
        accepted = typed.join(broken.select(INDEX), on=INDEX, how="anti")
    else:
        accepted = typed
    _row_warnings(items, accepted, entity)
    if entity.name == "people":
        accepted = _pseudonymise(accepted, key=pseudonym_key)
    names = [name for name, _ in business_columns(entity)]
    incoming = accepted.with_columns(
        pl.col(LINE).alias("source_line"),
        pl.lit(run_id).alias("run_id"),
        pl.Series(
            "source_file", [f"{i.package.export_id}/{i.outcome.file_name}" for i in items]
        ).gather(accepted.get_column(FILE)),
        pl.Series("export_id", [i.package.export_id for i in items]).gather(
            accepted.get_column(FILE)
        ),
    ).select(
        *names, "export_id", "export_sequence", "run_id", "source_file", "source_line", FILE, INDEX
    )
    outcomes = _classify(con, entity=entity, incoming=incoming)
    _quarantine(
        items,
        typed,
        outcomes.filter(pl.col("outcome") == "quarantine").select(INDEX, "rule", "reason"),
        entity,
    )
    counts = outcomes.group_by(FILE, "outcome").len()
    for file_index, outcome, count in counts.iter_rows():
        result = items[file_index].outcome
        if outcome == "load":
            result.rows_loaded += count
        elif outcome == "duplicate":
            result.duplicates_skipped += count
    for item in items:
        item.outcome.rows_quarantined = len(item.outcome.quarantine)


def _hash_sql(entity: Entity) -> str:
    parts = []
    for column in entity.columns:
        name = warehouse_column(column.name)
        # instants hash as epoch microseconds: formatting TIMESTAMPTZ as text is slow
        value = f"epoch_us({name})" if column.kind is ColumnKind.TIMESTAMP else name
        parts.append(f"coalesce(cast({value} as varchar), chr(0))")
    return f"md5(concat_ws(chr(31), {', '.join(parts)}))"


def _problems_sql(entity: Entity) -> str:
    """SQL selecting (_row, rule, reason) for unresolved references and bed counts."""
    selects = []
    for column, target in entity.references.items():
        target_name = ENTITIES[target].file_name
        selects.append(
            f"""
            select i._row, 'unresolved_reference' as rule,
                '{column}: ''' || i.{column} || ''' is not in {target_name} of this provider '
                || 'in this or an earlier export' as reason
            from incoming i
            left join (
                select provider_id, {column}, min(export_sequence) as first_sequence
                from staging.{target} group by all
            ) r on r.provider_id = i.provider_id and r.{column} = i.{column}
            where i.{column} is not null
              and (r.first_sequence is null or r.first_sequence > i.export_sequence)"""
        )
    if entity.name == "occupancy":
        selects.append(
            """
            select i._row, 'range' as rule,
                'occupied_beds: ' || i.occupied_beds || ' is more than the location''s '
                || coalesce(l.registered_beds::varchar || ' registered beds', 'registered beds '
                || '(none: not a care home)') as reason
            from incoming i
            asof left join staging.locations l
              on i.provider_id = l.provider_id and i.location_id = l.location_id
             and i.export_sequence >= l.export_sequence
            where l.location_id is not null
              and (l.registered_beds is null or i.occupied_beds > l.registered_beds)"""
        )
    if not selects:
        return "select null::bigint as _row, null::varchar as rule, null::varchar as reason limit 0"
    return "\nunion all\n".join(selects)


def _classify_sql(entity: Entity) -> str:
    """SQL giving every resolved row an outcome: load, duplicate or conflict."""
    if entity.versioned:
        return f"""
        with existing as (
            select provider_id, record_uid, version, min(content_hash) as existing_hash
            from staging.{entity.name}
            where (provider_id, record_uid) in (select provider_id, record_uid from hashed)
            group by all
        ), ranked as (
            select h._row, h.content_hash, e.existing_hash, h.record_uid, h.version,
                row_number() over w as position,
                first_value(h.content_hash) over w as first_hash
            from hashed h
            left join existing e using (provider_id, record_uid, version)
            window w as (partition by h.provider_id, h.record_uid, h.version
                         order by h.export_sequence, h._file, h.source_line)
        )
        select _row,
            case
                when existing_hash is not null and existing_hash = content_hash then 'duplicate'
                when existing_hash is not null then 'conflict'
                when position = 1 then 'load'
                when content_hash = first_hash then 'duplicate'
                else 'conflict'
            end as outcome,
            'record_uid ''' || record_uid || ''' version ' || version
                || ' was already received with different content' as conflict_reason
        from ranked"""
    key = ", ".join(entity.key)
    key_label = " || '/' || ".join(f"cast({k} as varchar)" for k in entity.key)
    return f"""
        with ranked as (
            select *,
                row_number() over w as position,
                first_value(content_hash) over w as first_hash
            from hashed
            window w as (partition by provider_id, {key}, export_sequence
                         order by _file, source_line)
        ), prior as (
            select provider_id, {key}, content_hash, export_sequence
            from staging.{entity.name}
            where (provider_id, {key}) in (select provider_id, {key} from hashed)
            qualify row_number() over (
                partition by provider_id, {key} order by export_sequence desc, source_line desc
            ) = 1
        ), chain as (
            select _row, provider_id, {key}, content_hash, export_sequence, 0 as is_prior
            from ranked where position = 1
            union all
            select null, provider_id, {key}, content_hash, export_sequence, 1 from prior
        ), lagged as (
            select *, lag(content_hash) over (
                partition by provider_id, {key} order by export_sequence, is_prior desc
            ) as previous_hash
            from chain
        )
        select _row, case when previous_hash = content_hash then 'duplicate' else 'load' end
            as outcome, null as conflict_reason
        from lagged where is_prior = 0
        union all
        select _row, case when content_hash = first_hash then 'duplicate' else 'conflict' end,
            '{key} ''' || {key_label} || ''' appears again in the same export with different '
            || 'content'
        from ranked where position > 1"""


def _classify(
    con: duckdb.DuckDBPyConnection, *, entity: Entity, incoming: pl.DataFrame
) -> pl.DataFrame:
    """Resolve references, classify versions, insert loaded rows into ``staging``.

    Returns:
        One row per incoming row: ``_row``, ``_file``, ``outcome`` (load, duplicate or
        quarantine), ``rule`` and ``reason`` (for quarantined rows).
    """
    con.register("incoming", incoming)
    problems = con.sql(
        f"select _row, string_agg(rule, ',' order by rule) as rule, "
        f"string_agg(reason, '; ' order by reason) as reason "
        f"from ({_problems_sql(entity)}) group by _row"
    ).pl()
    con.register("problem_rows", problems.select(INDEX))
    con.execute(
        f"create or replace temp table hashed as select *, {_hash_sql(entity)} as content_hash "
        f"from incoming where _row not in (select _row from problem_rows)"
    )
    con.unregister("problem_rows")
    classified = con.sql(_classify_sql(entity)).pl()
    loaded = classified.filter(pl.col("outcome") == "load").select(INDEX)
    con.register("loaded_rows", loaded)
    columns = [name for name, _ in business_columns(entity)] + [
        "content_hash",
        "export_id",
        "export_sequence",
        "run_id",
        "source_file",
        "source_line",
    ]
    names = ", ".join(columns)
    con.execute(
        f"insert into staging.{entity.name} ({names}) select {names} from hashed "
        f"where _row in (select _row from loaded_rows)"
    )
    con.unregister("loaded_rows")
    con.unregister("incoming")
    con.execute("drop table hashed")
    conflicts = classified.filter(pl.col("outcome") == "conflict").select(
        INDEX, pl.lit("conflict").alias("rule"), pl.col("conflict_reason").alias("reason")
    )
    quarantined = pl.concat([problems, conflicts], how="vertical_relaxed")
    files = incoming.select(INDEX, FILE)
    return pl.concat(
        [
            classified.filter(pl.col("outcome") != "conflict").select(
                INDEX,
                "outcome",
                pl.lit(None, pl.String).alias("rule"),
                pl.lit(None, pl.String).alias("reason"),
            ),
            quarantined.select(INDEX, pl.lit("quarantine").alias("outcome"), "rule", "reason"),
        ],
        how="vertical_relaxed",
    ).join(files, on=INDEX, how="left")


def apply_batch(
    con: duckdb.DuckDBPyConnection,
    *,
    parsed: list[ParsedFile],
    run_id: str,
    today: date,
    pseudonym_key: bytes,
) -> None:
    """Apply every parsed file of a batch of packages, entity by entity."""
    by_entity: dict[str, list[ParsedFile]] = defaultdict(list)
    for item in parsed:
        by_entity[item.entity.name].append(item)
    for name, entity in ENTITIES.items():
        if by_entity.get(name):
            apply_entity(
                con,
                entity=entity,
                items=by_entity[name],
                run_id=run_id,
                today=today,
                pseudonym_key=pseudonym_key,
            )
