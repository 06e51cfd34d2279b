"""Checks on one-row aggregates: row counts against the last load, references and keys."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import duckdb

from data_contracts.ode1.entities import ENTITIES
from data_contracts.ode1.references import declared_references
from pipelines.checks.audit import insert_rows
from pipelines.checks.frames import SUMMARY_FORMAT, Check, GxResult, plural, wide_frame
from pipelines.checks.protocol import SuiteBuilder, SuiteRequest


def row_counts_check(
    *,
    con: duckdb.DuckDBPyConnection,
    run_id: str,
    run_started_at: datetime,
    tables: Sequence[str],
    tolerance: float,
) -> Check:
    """Compare each core table's rows with the previous load; record this run's counts.

    Replaces this run's rows in ``audit.table_counts``, which the next run compares with.
    """
    current: dict[str, int] = {}
    if tables:
        union = " union all ".join(
            f"select '{table}' as table_name, count(*) as row_count from {table}"
            for table in tables
        )
        current = {name: int(count) for name, count in con.execute(union).fetchall()}
    previous = dict(
        con.execute(
            "select table_name, row_count from audit.table_counts where run_id = ("
            " select run_id from audit.table_counts where run_id <> $run_id"
            " order by counted_at desc, run_id desc limit 1)",
            {"run_id": run_id},
        ).fetchall()
    )
    con.execute("delete from audit.table_counts where run_id = ?", [run_id])
    insert_rows(
        con=con,
        table="audit.table_counts",
        columns=("run_id", "table_name", "row_count", "counted_at"),
        rows=[(run_id, table, count, run_started_at) for table, count in current.items()],
    )
    change = {
        table: abs(count - previous[table]) / previous[table] if previous.get(table) else None
        for table, count in current.items()
    }

    def observe(table: str, _result: GxResult) -> str:
        count, before = current[table], previous.get(table)
        if not before:
            return f"{plural(count, 'row')}; no previous load to compare"
        return (
            f"{plural(count, 'row')}; previous load {before:,} ({(count - before) / before:+.0%})"
        )

    def explain(table: str, _result: GxResult) -> list[str]:
        count, before = current[table], previous[table]
        direction = "fewer" if count < before else "more"
        return [
            f"{table}: {plural(count, 'row')}, {change[table]:.0%} {direction} than the"
            f" previous load ({before:,}; tolerance {tolerance:.0%})"
        ]

    request = SuiteRequest(
        builder=SuiteBuilder.ROW_COUNTS,
        params={"tables": list(current), "tolerance": tolerance},
        frame=wide_frame(change, dtype="float64"),
        result_format=SUMMARY_FORMAT,
    )
    return Check(request=request, observe=observe, explain=explain)


def referential_integrity_check(*, con: duckdb.DuckDBPyConnection, tables: frozenset[str]) -> Check:
    """Count, per declared reference, rows whose value has no row to point at."""
    references = [
        ref
        for ref in declared_references()
        if ref.table in tables and ref.referenced_table in tables
    ]
    unresolved: dict[str, int] = {}
    if references:
        union = " union all ".join(
            f"select '{ref.name}' as name, count(*) as unresolved from {ref.table} as t"
            f" anti join {ref.referenced_table} as r on r.provider_id = t.provider_id"
            f" and r.{ref.referenced_column} = t.{ref.column} where t.{ref.column} is not null"
            for ref in references
        )
        unresolved = {name: int(count) for name, count in con.execute(union).fetchall()}
    by_name = {ref.name: ref for ref in references}

    def explain(name: str, _result: GxResult) -> list[str]:
        ref = by_name[name]
        return [
            f"{name}: {plural(unresolved[name], 'row')} with no matching"
            f" {ref.referenced_table} row of the same provider"
        ]

    request = SuiteRequest(
        builder=SuiteBuilder.REFERENTIAL_INTEGRITY,
        params={
            "references": [
                {
                    "table": ref.table,
                    "column": ref.column,
                    "referenced_table": ref.referenced_table,
                    "referenced_column": ref.referenced_column,
                }
                for ref in references
            ]
        },
        frame=wide_frame(unresolved, dtype="int64"),
        result_format=SUMMARY_FORMAT,
    )
    return Check(
        request=request,
        observe=lambda name, _result: f"{unresolved[name]:,} unresolved",
        explain=explain,
    )


def key_uniqueness_check(*, con: duckdb.DuckDBPyConnection, tables: Sequence[str]) -> Check:
    """Count, per current-state table, rows beyond the first for each key."""
    keys: dict[str, tuple[str, ...]] = {}
    for table in tables:
        entity = ENTITIES[table.removeprefix("core.")]
        keys[table] = (
            ("provider_id", "record_uid") if entity.versioned else ("provider_id", *entity.key)
        )
    repeated: dict[str, int] = {}
    if keys:
        union = " union all ".join(
            f"select '{table}', coalesce(sum(n - 1), 0) from (select count(*) as n"
            f" from {table} group by {', '.join(key)} having count(*) > 1)"
            for table, key in keys.items()
        )
        repeated = {name: int(count) for name, count in con.execute(union).fetchall()}

    def explain(table: str, _result: GxResult) -> list[str]:
        key = ", ".join(keys[table])
        return [f"{table}: {plural(repeated[table], 'row')} repeating a key ({key})"]

    request = SuiteRequest(
        builder=SuiteBuilder.KEY_UNIQUENESS,
        params={"keys": {table: list(key) for table, key in keys.items()}},
        frame=wide_frame(repeated, dtype="int64"),
        result_format=SUMMARY_FORMAT,
    )
    return Check(
        request=request,
        observe=lambda table, _result: plural(repeated[table], "repeated row"),
        explain=explain,
    )
