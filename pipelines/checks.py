"""Table-level checks of a build warehouse with great-expectations, and Data Docs per run.

The one module that adapts warehouse data for GX. Each check is a small aggregate computed in
DuckDB, handed to GX as a pandas frame (GX has no polars engine), validated once against a
suite built in ``data_contracts.expectations`` and recorded in ``audit.validation_results``.
Row-level rules are pandera's job; these checks look across rows, tables and loads.

great_expectations is imported on first use, inside the functions that need it: the import
takes about five seconds, which only a run of the checks should pay.
"""

from __future__ import annotations

import html
import json
import logging
import re
import shutil
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

import duckdb
import pandas as pd

from data_contracts.enums import ServiceType
from data_contracts.ode1.entities import ENTITIES, ENTITY_ORDER
from pipelines.config import PipelineConfig

if TYPE_CHECKING:
    import great_expectations as gx
    from great_expectations.core import (
        ExpectationSuiteValidationResult,
        ExpectationValidationResult,
    )

    from data_contracts.expectations import Reference

logger = logging.getLogger(__name__)

_SCHEMA_SQL = Path(__file__).parent / "sql" / "schema" / "checks.sql"
_LONDON = ZoneInfo("Europe/London")
_CARE_HOME_TYPES = (ServiceType.CARE_HOME.value, ServiceType.CARE_HOME_NURSING.value)
_MAX_LISTED = 10
"""Location-months named in the one occupancy warning line; the rest are counted."""


@dataclass(frozen=True, slots=True)
class ChecksOutcome:
    """What the table-level checks of one run found."""

    success: bool
    """No blocking (error-severity) expectation failed: the build may be published."""
    blocking_failures: tuple[str, ...]
    """One readable line per failed error-severity finding."""
    warnings: tuple[str, ...]
    """One readable line per failed warning-severity finding."""
    docs_index: Path | None
    """The run's Data Docs summary page, ``docs_dir/<run_id>/index.html``."""


@dataclass(frozen=True, slots=True)
class _Check:
    """One suite with the aggregate frame it validates and how to word its results."""

    suite: gx.ExpectationSuite
    frame: pd.DataFrame
    result_format: Mapping[str, Any]
    """How much of the failing rows GX returns (and renders in Data Docs)."""
    observe: Callable[[str, Mapping[str, Any]], str]
    """(target, GX result dict) -> observed value for the audit row."""
    explain: Callable[[str, Mapping[str, Any]], list[str]]
    """(target, GX result dict) -> readable lines for a failed expectation."""


def run_table_checks(
    *,
    con: duckdb.DuckDBPyConnection,
    run_id: str,
    run_started_at: datetime,
    config: PipelineConfig,
    docs_dir: Path,
) -> ChecksOutcome:
    """Validate the build warehouse with the table-level suites and write this run's Data Docs.

    Records one ``audit.validation_results`` row per expectation and this run's row counts in
    ``audit.table_counts`` (the next run compares against them), on ``con``, inside whatever
    transaction the caller holds. Tables absent from the warehouse are skipped.

    Args:
        con: Open read-write connection to the build warehouse.
        run_id: Identifier of the load run, e.g. ``20261122T020000Z-3f2a``.
        run_started_at: When the run started; a naive value is read as UTC.
        config: Thresholds ``row_count_tolerance``, ``freshness_days``, ``occupancy_tolerance``.
        docs_dir: Folder holding one Data Docs folder per run.

    Returns:
        The outcome; ``success`` is false when any error-severity expectation failed.
    """
    started = time.perf_counter()
    if run_started_at.tzinfo is None:
        run_started_at = run_started_at.replace(tzinfo=UTC)
    con.execute(_SCHEMA_SQL.read_text())
    tables = _existing_tables(con)
    checks = _build_checks(
        con=con, run_id=run_id, run_started_at=run_started_at, config=config, tables=tables
    )
    site_dir = docs_dir / f".{run_id}.building"
    try:
        results = _validate(checks, run_id=run_id, run_started_at=run_started_at, site_dir=site_dir)
        rows, blocking, warnings = _interpret(checks, results)
        _record_results(con=con, run_id=run_id, rows=rows)
        docs_index = _publish_docs(
            site_dir=site_dir,
            run_dir=docs_dir / run_id,
            summary=_render_summary(
                run_id=run_id,
                run_started_at=run_started_at,
                rows=rows,
                blocking=blocking,
                warnings=warnings,
                suite_pages=_suite_pages(site_dir),
            ),
        )
    finally:  # a half-built site never lingers; a published one has been renamed away
        shutil.rmtree(site_dir, ignore_errors=True)
    logger.info(
        "table checks: %d expectations, %d errors, %d warnings in %.2f s",
        len(rows),
        len(blocking),
        len(warnings),
        time.perf_counter() - started,
    )
    return ChecksOutcome(
        success=not blocking,
        blocking_failures=tuple(blocking),
        warnings=tuple(warnings),
        docs_index=docs_index,
    )


@dataclass(frozen=True, slots=True)
class _ResultRow:
    """One expectation's result, as written to ``audit.validation_results``."""

    suite: str
    expectation: str
    target: str
    success: bool
    severity: str
    observed: str
    details_json: str
    description: str


def _plural(count: int, noun: str) -> str:
    """``1 row``, ``12,403 rows``."""
    return f"{count:,} {noun}{'' if count == 1 else 's'}"


def _existing_tables(con: duckdb.DuckDBPyConnection) -> frozenset[str]:
    rows = con.execute(
        "select table_schema || '.' || table_name from information_schema.tables"
        " where table_catalog = current_database()"
    ).fetchall()
    return frozenset(row[0] for row in rows)


def _build_checks(
    *,
    con: duckdb.DuckDBPyConnection,
    run_id: str,
    run_started_at: datetime,
    config: PipelineConfig,
    tables: frozenset[str],
) -> list[_Check]:
    run_date = run_started_at.astimezone(_LONDON).date()
    core = [f"core.{e.name}" for e in ENTITY_ORDER if f"core.{e.name}" in tables]
    return [
        _row_counts_check(
            con=con,
            run_id=run_id,
            run_started_at=run_started_at,
            tables=core,
            tolerance=config.row_count_tolerance,
        ),
        _freshness_check(
            con=con, run_date=run_date, freshness_days=config.freshness_days, tables=tables
        ),
        _referential_integrity_check(con=con, tables=tables),
        _key_uniqueness_check(con=con, tables=core),
        _occupancy_check(
            con=con, run_date=run_date, tolerance=config.occupancy_tolerance, tables=tables
        ),
    ]


_SUMMARY_FORMAT: Mapping[str, Any] = {"result_format": "SUMMARY"}


def _listing_format(*, listed: int | None) -> dict[str, Any]:
    """Ask GX for the index labels of all failing rows, or of the first ``listed``.

    Long frames are indexed by a readable label (provider, or location and month), which GX
    returns and Data Docs show. GX's ``unexpected_index_column_names`` would do the same but
    costs about half a second per thousand failing rows.
    """
    if listed is None:
        return {"result_format": "COMPLETE", "return_unexpected_index_query": False}
    return {"result_format": "SUMMARY", "partial_unexpected_count": listed}


def _failed_labels(result: Mapping[str, Any]) -> list[str]:
    """Index labels of the failing rows GX listed."""
    listed = result.get("unexpected_index_list") or result.get("partial_unexpected_index_list")
    return [str(label) for label in listed or []]


def _wide_frame(values: Mapping[str, float | int | None], *, dtype: str) -> pd.DataFrame:
    """One row, one column per target; GX validates each column as one expectation."""
    return pd.DataFrame({name: pd.Series([value], dtype=dtype) for name, value in values.items()})


def _row_counts_check(
    *,
    con: duckdb.DuckDBPyConnection,
    run_id: str,
    run_started_at: datetime,
    tables: Sequence[str],
    tolerance: float,
) -> _Check:
    from data_contracts.expectations.row_counts import build_row_counts_suite

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
    _insert_rows(
        con,
        table="audit.table_counts",
        columns=("run_id", "table_name", "row_count", "counted_at"),
        rows=[(run_id, table, count, run_started_at) for table, count in current.items()],
    )
    change = {
        table: abs(count - previous[table]) / previous[table] if previous.get(table) else None
        for table, count in current.items()
    }

    def observe(table: str, _result: Mapping[str, Any]) -> str:
        count, before = current[table], previous.get(table)
        if not before:
            return f"{_plural(count, 'row')}; no previous load to compare"
        return (
            f"{_plural(count, 'row')}; previous load {before:,} ({(count - before) / before:+.0%})"
        )

    def explain(table: str, _result: Mapping[str, Any]) -> list[str]:
        count, before = current[table], previous[table]
        direction = "fewer" if count < before else "more"
        return [
            f"{table}: {_plural(count, 'row')}, {change[table]:.0%} {direction} than the"
            f" previous load ({before:,}; tolerance {tolerance:.0%})"
        ]

    return _Check(
        suite=build_row_counts_suite(tables=list(current), tolerance=tolerance),
        frame=_wide_frame(change, dtype="float64"),
        result_format=_SUMMARY_FORMAT,
        observe=observe,
        explain=explain,
    )


def _freshness_check(
    *,
    con: duckdb.DuckDBPyConnection,
    run_date: date,
    freshness_days: int,
    tables: frozenset[str],
) -> _Check:
    from data_contracts.expectations import freshness

    frame = pd.DataFrame(
        {
            "provider_id": pd.Series([], dtype="object"),
            "latest_extract_to": pd.Series([], dtype="object"),
            "days_since_extract": pd.Series([], dtype="float64"),
        }
    )
    if "audit.packages" in tables:
        frame = con.execute(
            "select provider_id, strftime(max(extract_to), '%Y-%m-%d') as latest_extract_to,"
            " ($run_date - max(extract_to))::double as days_since_extract"
            " from audit.packages group by provider_id order by provider_id",
            {"run_date": run_date},
        ).df()
    # An unnamed index: GX then reports failing rows by label (a named one turns into dicts).
    frame.index = pd.Index(frame["provider_id"].to_list())

    def observe(_target: str, result: Mapping[str, Any]) -> str:
        stale = result.get("unexpected_count", 0)
        oldest = float(frame["days_since_extract"].max()) if len(frame) else float("nan")
        latest = (
            f"; the oldest ends {_plural(int(oldest), 'day')} before the run"
            if oldest == oldest  # false for NaN: no provider has a dated extract
            else ""
        )
        return f"{_plural(len(frame), 'provider')}, {stale} stale{latest}"

    def explain(_target: str, result: Mapping[str, Any]) -> list[str]:
        stale = [frame.loc[label] for label in _failed_labels(result)]
        return [
            f"{row['provider_id']}: latest export ends {row['latest_extract_to']},"
            f" {_plural(int(row['days_since_extract']), 'day')} before the run"
            f" (tolerance {freshness_days} days)"
            for row in stale
        ]

    return _Check(
        suite=freshness.build_freshness_suite(freshness_days=freshness_days),
        frame=frame,
        result_format=_listing_format(listed=None),
        observe=observe,
        explain=explain,
    )


def _referential_integrity_check(
    *, con: duckdb.DuckDBPyConnection, tables: frozenset[str]
) -> _Check:
    from data_contracts.expectations.referential_integrity import (
        build_referential_integrity_suite,
        declared_references,
    )

    references = [
        ref
        for ref in declared_references()
        if ref.table in tables and ref.referenced_table in tables
    ]
    unresolved = _count_unresolved(con=con, references=references)
    by_name = {ref.name: ref for ref in references}

    def explain(name: str, _result: Mapping[str, Any]) -> list[str]:
        ref = by_name[name]
        return [
            f"{name}: {_plural(unresolved[name], 'row')} with no matching"
            f" {ref.referenced_table} row of the same provider"
        ]

    return _Check(
        suite=build_referential_integrity_suite(references=references),
        frame=_wide_frame(unresolved, dtype="int64"),
        result_format=_SUMMARY_FORMAT,
        observe=lambda name, _result: f"{unresolved[name]:,} unresolved",
        explain=explain,
    )


def _count_unresolved(
    *, con: duckdb.DuckDBPyConnection, references: Sequence[Reference]
) -> dict[str, int]:
    if not references:
        return {}
    union = " union all ".join(
        f"select '{ref.name}' as name, count(*) as unresolved from {ref.table} as t"
        f" anti join {ref.referenced_table} as r on r.provider_id = t.provider_id"
        f" and r.{ref.referenced_column} = t.{ref.column} where t.{ref.column} is not null"
        for ref in references
    )
    return {name: int(count) for name, count in con.execute(union).fetchall()}


def _key_uniqueness_check(*, con: duckdb.DuckDBPyConnection, tables: Sequence[str]) -> _Check:
    from data_contracts.expectations.key_uniqueness import build_key_uniqueness_suite

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

    def explain(table: str, _result: Mapping[str, Any]) -> list[str]:
        key = ", ".join(keys[table])
        return [f"{table}: {_plural(repeated[table], 'row')} repeating a key ({key})"]

    return _Check(
        suite=build_key_uniqueness_suite(keys=keys),
        frame=_wide_frame(repeated, dtype="int64"),
        result_format=_SUMMARY_FORMAT,
        observe=lambda table, _result: _plural(repeated[table], "repeated row"),
        explain=explain,
    )


# A stay occupies a bed on each date from start_date up to the day before end_date; an ongoing
# stay up to and including its provider's latest extract_to (shared/spec/dscr-export-v1.md).
# Compared only on the days occupancy.csv covers, and only where stays occupy some bed then.
_OCCUPANCY_SQL = """
with care_homes as (
    select provider_id, location_id from core.locations
    where list_contains($care_home_types, service_type)
),
extract_ends as (
    select provider_id, max(extract_to) as latest_extract_to from {packages} group by provider_id
),
stays as (
    select p.provider_id, p.location_id, p.start_date,
        coalesce(p.end_date, e.latest_extract_to + 1, $run_date::date + 1) as end_exclusive
    from core.people as p
    inner join care_homes as h using (provider_id, location_id)
    left join extract_ends as e using (provider_id)
),
occupancy_days as (
    select o.provider_id, o.location_id, o.date, o.occupied_beds
    from core.occupancy as o
    inner join care_homes as h using (provider_id, location_id)
),
daily as (
    select d.provider_id, d.location_id, d.date, any_value(d.occupied_beds) as occupied_beds,
        count(s.start_date) as stay_beds
    from occupancy_days as d
    left join stays as s
        on s.provider_id = d.provider_id and s.location_id = d.location_id
        and d.date >= s.start_date and d.date < s.end_exclusive
    group by d.provider_id, d.location_id, d.date
),
monthly as (
    select provider_id, location_id, strftime(date_trunc('month', date), '%Y-%m') as month,
        sum(occupied_beds)::bigint as occupancy_bed_days, sum(stay_beds)::bigint as stay_bed_days
    from daily
    group by all
)
select *,
    abs(stay_bed_days - occupancy_bed_days) / greatest(occupancy_bed_days, 1)::double
        as relative_difference
from monthly
where stay_bed_days > 0
order by provider_id, location_id, month
"""


def _occupancy_check(
    *,
    con: duckdb.DuckDBPyConnection,
    run_date: date,
    tolerance: float,
    tables: frozenset[str],
) -> _Check:
    from data_contracts.expectations import occupancy

    columns = {
        "provider_id": "object",
        "location_id": "object",
        "month": "object",
        "occupancy_bed_days": "int64",
        "stay_bed_days": "int64",
        "relative_difference": "float64",
    }
    frame = pd.DataFrame({name: pd.Series([], dtype=dtype) for name, dtype in columns.items()})
    if {"core.locations", "core.people", "core.occupancy"} <= tables:
        packages = "audit.packages" if "audit.packages" in tables else _NO_PACKAGES
        frame = con.execute(
            _OCCUPANCY_SQL.format(packages=packages),
            {"run_date": run_date, "care_home_types": list(_CARE_HOME_TYPES)},
        ).df()
    labels = frame["location_id"] + " " + frame["month"]
    if not labels.is_unique:  # one location under two providers: name the provider too
        labels = frame["provider_id"] + " " + labels
    frame.index = pd.Index(labels.to_list())

    def explain(_target: str, result: Mapping[str, Any]) -> list[str]:
        failed = [frame.loc[label] for label in _failed_labels(result)]
        listed = "; ".join(
            f"{row.name} (occupancy.csv {int(row['occupancy_bed_days']):,},"
            f" stays {int(row['stay_bed_days']):,} bed days)"
            for row in failed
        )
        count = int(result.get("unexpected_count", len(failed)))
        more = f"; and {count - len(failed)} more" if count > len(failed) else ""
        return [
            f"core.occupancy: {_plural(count, 'care-home location-month')} where"
            f" occupancy.csv and stays differ by more than {tolerance:.0%}: {listed}{more}"
        ]

    return _Check(
        suite=occupancy.build_occupancy_suite(tolerance=tolerance),
        frame=frame,
        result_format=_listing_format(listed=_MAX_LISTED),
        observe=lambda _target, result: (
            f"{_plural(len(frame), 'location-month')} compared,"
            f" {result.get('unexpected_count', 0)} beyond {tolerance:.0%}"
        ),
        explain=explain,
    )


_NO_PACKAGES = "(select null::varchar as provider_id, null::date as extract_to where false)"


def _validate(
    checks: Sequence[_Check], *, run_id: str, run_started_at: datetime, site_dir: Path
) -> list[ExpectationSuiteValidationResult]:
    """Run each suite once on its frame in an ephemeral GX context, then build the Data Docs."""
    import great_expectations as gx
    from great_expectations.core.run_identifier import RunIdentifier

    context = gx.get_context(mode="ephemeral", project_config=_project_config(site_dir))
    source = context.data_sources.add_pandas("warehouse_checks")
    run = RunIdentifier(run_name=run_id, run_time=run_started_at)
    results = []
    for check in checks:
        name = check.suite.name
        batch = source.add_dataframe_asset(name).add_batch_definition_whole_dataframe(name)
        definition = context.validation_definitions.add(
            gx.ValidationDefinition(name=name, data=batch, suite=context.suites.add(check.suite))
        )
        results.append(
            definition.run(
                batch_parameters={"dataframe": check.frame},
                result_format=dict(check.result_format),
                run_id=run,
            )
        )
    shutil.rmtree(site_dir, ignore_errors=True)
    context.build_data_docs()
    return results


def _project_config(site_dir: Path) -> Any:  # Any: GX's DataContextConfig is untyped for mypy
    """In-memory stores, no analytics, no progress bars, one Data Docs site in ``site_dir/gx``."""
    from great_expectations.data_context.types.base import (
        DataContextConfig,
        InMemoryStoreBackendDefaults,
        ProgressBarsConfig,
    )

    return DataContextConfig(
        store_backend_defaults=InMemoryStoreBackendDefaults(init_temp_docs_sites=False),
        analytics_enabled=False,
        progress_bars=ProgressBarsConfig(globally=False),
        data_docs_sites={
            "run": {
                "class_name": "SiteBuilder",
                "show_how_to_buttons": False,
                "store_backend": {
                    "class_name": "TupleFilesystemStoreBackend",
                    "base_directory": str(site_dir / "gx"),
                },
                "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
                "site_section_builders": {"profiling": "False"},
            }
        },
    )


def _interpret(
    checks: Sequence[_Check], results: Sequence[ExpectationSuiteValidationResult]
) -> tuple[list[_ResultRow], list[str], list[str]]:
    """Turn GX results into audit rows, blocking lines and warning lines."""
    rows: list[_ResultRow] = []
    blocking: list[str] = []
    warnings: list[str] = []
    for check, suite_result in zip(checks, results, strict=True):
        for result in suite_result.results:
            row, lines = _interpret_one(check, result)
            rows.append(row)
            if not row.success:
                (blocking if row.severity == "error" else warnings).extend(lines)
    return rows, blocking, warnings


def _interpret_one(
    check: _Check, result: ExpectationValidationResult
) -> tuple[_ResultRow, list[str]]:
    config = result.expectation_config
    if config is None:  # GX attaches the configuration to every result of a suite run
        raise ValueError(f"{check.suite.name}: a result without its expectation")
    target = str((config.meta or {}).get("target", ""))
    severity = "error" if str(config.severity.value) == "critical" else "warning"
    outcome: Mapping[str, Any] = result.result or {}
    failure = (result.exception_info or {}).get("exception_message")
    if result.exception_info and result.exception_info.get("raised_exception"):
        observed = f"could not run: {failure}"
        lines = [f"{check.suite.name}: {target}: the check could not run ({failure})"]
    else:
        observed = check.observe(target, outcome)
        lines = [] if result.success else check.explain(target, outcome)
    details = {"kwargs": config.kwargs, "result": outcome, "notes": lines}
    row = _ResultRow(
        suite=check.suite.name,
        expectation=config.type,
        target=target,
        success=bool(result.success),
        severity=severity,
        observed=observed,
        details_json=json.dumps(details, default=str),
        description=config.description or config.type,
    )
    return row, lines


def _record_results(
    *, con: duckdb.DuckDBPyConnection, run_id: str, rows: Sequence[_ResultRow]
) -> None:
    con.execute("delete from audit.validation_results where run_id = ?", [run_id])
    _insert_rows(
        con,
        table="audit.validation_results",
        columns=(
            "run_id",
            "suite",
            "expectation",
            "target",
            "success",
            "severity",
            "observed",
            "details_json",
        ),
        rows=[
            (
                run_id,
                r.suite,
                r.expectation,
                r.target,
                r.success,
                r.severity,
                r.observed,
                r.details_json,
            )
            for r in rows
        ],
    )


def _insert_rows(
    con: duckdb.DuckDBPyConnection,
    *,
    table: str,
    columns: Sequence[str],
    rows: Sequence[Sequence[object]],
) -> None:
    """Insert ``rows`` in one statement with bound values (executemany costs a trip per row)."""
    if not rows:
        return
    placeholders = ", ".join(["(" + ", ".join(["?"] * len(columns)) + ")"] * len(rows))
    con.execute(
        f"insert into {table} ({', '.join(columns)}) values {placeholders}",
        [value for row in rows for value in row],
    )


# GX's Data Docs pages load Bootstrap, jQuery, vega and a logo from CDNs. Offline those loads
# fail (and the dashboard's Content-Security-Policy blocks them), so they are removed, along with
# the scripts that need jQuery; the pages are server-rendered HTML and read fine without them.
_EXTERNAL_TAG = re.compile(
    r"<script\b.*?</script>|<link\b[^>]*\bhref=\"https?://[^\"]*\"[^>]*>"
    r"|<img\b[^>]*\bsrc=\"https?://[^\"]*\"[^>]*>",
    re.IGNORECASE | re.DOTALL,
)
_EXTERNAL_CSS_URL = re.compile(r"url\(\s*['\"]?https?://[^)]*\)", re.IGNORECASE)
_UNUSED_STATIC = ("static/images",)  # 3.4 MB of walkthrough images the pages never show
_OFFLINE_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Arial,sans-serif;margin:1rem 2rem;
color:#1b1b1b;line-height:1.4}
table{border-collapse:collapse;margin:.5rem 0}
th,td{border:1px solid #c8c8c8;padding:.25rem .5rem;text-align:left;vertical-align:top}
.text-danger{color:#b00020}.text-success{color:#1b5e20}
.carelens-banner{background:#eef3f8;border:1px solid #9fb4c9;padding:.5rem .75rem;
margin-bottom:1rem}
"""
_SUMMARY_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Arial,sans-serif;margin:1.5rem 2rem;
color:#1b1b1b;line-height:1.45;max-width:75rem}
h1{font-size:1.5rem}h2{font-size:1.2rem;margin-top:2rem}
table{border-collapse:collapse;width:100%;margin:.5rem 0}
th,td{border:1px solid #c8c8c8;padding:.35rem .6rem;text-align:left;vertical-align:top}
th{background:#f2f2f2}
.fail{color:#b00020;font-weight:600}.pass{color:#1b5e20}
.status{padding:.6rem .9rem;border:2px solid #1b5e20;display:inline-block}
.status.blocked{border-color:#b00020}.status.warned{border-color:#8a5a00}
"""


def _suite_pages(site_dir: Path) -> dict[str, str]:
    """Map each suite to its GX validation page, relative to the run's Data Docs folder."""
    pages: dict[str, str] = {}
    for page in sorted((site_dir / "gx" / "validations").glob("*/**/*.html")):
        suite = page.relative_to(site_dir / "gx" / "validations").parts[0]
        pages[suite] = page.relative_to(site_dir).as_posix()
    return pages


def _publish_docs(*, site_dir: Path, run_dir: Path, summary: str) -> Path:
    """Make GX's pages readable offline, add the summary page and move the folder into place."""
    gx_dir = site_dir / "gx"
    for unused in _UNUSED_STATIC:
        shutil.rmtree(gx_dir / unused, ignore_errors=True)
    for page in gx_dir.rglob("*.html"):
        back = Path(*([".."] * (len(page.relative_to(site_dir).parts) - 1)), "index.html")
        banner = (
            '<div class="carelens-banner">Offline copy of the Great Expectations Data Docs.'
            f' <a href="{back.as_posix()}">Back to the run summary</a></div>'
        )
        text = _EXTERNAL_TAG.sub("", page.read_text(encoding="utf-8"))
        text = _EXTERNAL_CSS_URL.sub("none", text)
        text = text.replace("</head>", f"<style>{_OFFLINE_CSS}</style></head>", 1)
        page.write_text(re.sub(r"(<body[^>]*>)", rf"\1{banner}", text, count=1), encoding="utf-8")
    for sheet in gx_dir.rglob("*.css"):
        sheet.write_text(_EXTERNAL_CSS_URL.sub("none", sheet.read_text(encoding="utf-8")))
    # GX's own index is a table drawn by jQuery from a CDN: offline it is empty, so it sends
    # readers (and every page's "Home" link) to the summary instead.
    (gx_dir / "index.html").write_text(
        '<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8">'
        '<meta http-equiv="refresh" content="0; url=../index.html"><title>Data Docs</title>'
        '</head><body><a href="../index.html">Run summary</a></body></html>',
        encoding="utf-8",
    )
    (site_dir / "index.html").write_text(summary, encoding="utf-8")
    shutil.rmtree(run_dir, ignore_errors=True)
    site_dir.rename(run_dir)
    return run_dir / "index.html"


def _render_summary(
    *,
    run_id: str,
    run_started_at: datetime,
    rows: Sequence[_ResultRow],
    blocking: Sequence[str],
    warnings: Sequence[str],
    suite_pages: Mapping[str, str],
) -> str:
    """A self-contained page (no scripts, no external assets) summarising every expectation."""
    esc = html.escape
    if blocking:
        status = ("blocked", f"Blocked: {len(blocking)} errors. This build is not published.")
    elif warnings:
        status = ("warned", f"Passed with {len(warnings)} warnings.")
    else:
        status = ("", "Passed: every check succeeded.")
    parts = [
        '<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8">',
        f"<title>Table checks, run {esc(run_id)}</title><style>{_SUMMARY_CSS}</style></head>",
        f"<body><main><h1>Table checks, run {esc(run_id)}</h1>",
        f"<p>Run started {esc(run_started_at.astimezone(UTC).strftime('%d %B %Y %H:%M UTC'))}.</p>",
        f'<p class="status {status[0]}">{esc(status[1])}</p>',
    ]
    for heading, lines in (("Errors (block publication)", blocking), ("Warnings", warnings)):
        if lines:
            items = "".join(f"<li>{esc(line)}</li>" for line in lines)
            parts.append(f"<h2>{heading}</h2><ul>{items}</ul>")
    for suite in dict.fromkeys(r.suite for r in rows):
        link = suite_pages.get(suite)
        parts.append(f"<h2>{esc(suite.replace('_', ' ').capitalize())}</h2>")
        if link:
            parts.append(f'<p><a href="{esc(link)}">Great Expectations validation result</a></p>')
        parts.append(
            '<table><thead><tr><th scope="col">Check</th><th scope="col">Target</th>'
            '<th scope="col">Severity</th><th scope="col">Result</th>'
            '<th scope="col">Observed</th></tr></thead><tbody>'
        )
        for r in (r for r in rows if r.suite == suite):
            result = (
                '<span class="pass">Pass</span>' if r.success else '<span class="fail">Fail</span>'
            )
            parts.append(
                f"<tr><td>{esc(r.description)}</td><td>{esc(r.target)}</td>"
                f"<td>{esc(r.severity)}</td><td>{result}</td><td>{esc(r.observed)}</td></tr>"
            )
        parts.append("</tbody></table>")
    parts.append("</main></body></html>")
    return "".join(parts)
