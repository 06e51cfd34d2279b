"""References, versions, duplicates and conflicts, decided set-wise in DuckDB (spec 3 and 4).

The SQL is assembled from the entity declarations: every identifier comes from
``data_contracts.ode1`` (never from input), and every value is bound or read from tables.
"""

from __future__ import annotations

import duckdb
import polars as pl

from data_contracts.ode1 import ENTITIES, Entity
from data_contracts.ode1.contracts import INDEX
from data_contracts.ode1.entities import ColumnKind
from pipelines.exports.reading import FILE
from pipelines.warehouse import business_columns, warehouse_column


def _hash_sql(entity: Entity) -> str:
    parts = []
    for column in entity.columns:
        name = warehouse_column(column.name)
        # instants hash as epoch microseconds: formatting TIMESTAMPTZ as text is slow
        value = f"epoch_us({name})" if column.kind is ColumnKind.TIMESTAMP else name
        parts.append(f"coalesce(cast({value} as varchar), chr(0))")
    return f"md5_number(concat_ws(chr(31), {', '.join(parts)}))"


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


def classify(
    con: duckdb.DuckDBPyConnection, *, entity: Entity, incoming: pl.DataFrame
) -> pl.DataFrame:
    """Resolve references, classify versions, insert loaded rows into ``staging``.

    Returns:
        One row per incoming row: ``_row``, ``_file``, ``outcome`` (load, duplicate or
        quarantine), ``rule`` and ``reason`` (for quarantined rows).
    """
    con.register("incoming", incoming)
    problems = con.sql(
        f"select _row, string_agg(distinct rule, ',' order by rule) as rule, "
        f"string_agg(reason, '; ' order by reason) as reason "
        f"from ({_problems_sql(entity)}) group by _row"
    ).pl()
    con.register("problem_rows", problems.select(INDEX))
    # Only the columns the classification reads: copying whole rows here cost more than md5.
    keys = ["record_uid", "version"] if entity.versioned else list(entity.key)
    narrow = ", ".join(["_row", "_file", "provider_id", "export_sequence", "source_line", *keys])
    con.execute(
        f"create or replace temp table hashed as select {narrow}, "
        f"{_hash_sql(entity)} as content_hash "
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
    chosen = ", ".join(f"h.{c}" if c == "content_hash" else f"i.{c}" for c in columns)
    con.execute(
        f"insert into staging.{entity.name} ({names}) select {chosen} from incoming i "
        f"join hashed h using (_row) where _row in (select _row from loaded_rows)"
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
