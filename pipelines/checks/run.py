"""One run of the table-level checks: aggregates, GX validation, audit rows and Data Docs.

The aggregates are computed and the audit rows written on the caller's build connection; the
GX validation is a function of plain data (``Validate``), run either in this process
(``run_table_checks``) or in the checks worker process (``pipelines.checks.worker``). Both go
through ``check_build``, so they record the same rows and return the same outcome.
"""

from __future__ import annotations

import json
import logging
import shutil
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import duckdb

from data_contracts.ode1.entities import ENTITY_ORDER
from pipelines.checks import counts, listings
from pipelines.checks.audit import ResultRow, record_results
from pipelines.checks.docs import publish_docs, render_summary, suite_pages
from pipelines.checks.frames import Check
from pipelines.checks.protocol import ExpectationResult, SuiteResult, ValidationRequest
from pipelines.config import PipelineConfig

logger = logging.getLogger(__name__)

_SCHEMA_SQL = Path(__file__).parents[1] / "sql" / "schema" / "checks.sql"
_LONDON = ZoneInfo("Europe/London")

Validate = Callable[[ValidationRequest], Sequence[SuiteResult]]
"""Validates every requested suite and writes GX's Data Docs site to ``site_dir/gx``."""


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


def run_table_checks(
    *,
    con: duckdb.DuckDBPyConnection,
    run_id: str,
    run_started_at: datetime,
    config: PipelineConfig,
    docs_dir: Path,
) -> ChecksOutcome:
    """Validate the build warehouse with the table-level suites and write this run's Data Docs.

    Runs great-expectations in this process, importing it on first use (about five seconds).
    The nightly load uses ``start_checks_worker()`` instead, which pays that import in another
    process while the load runs; both record the same rows and return the same outcome.

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
    from pipelines.checks.validation import validate

    return check_build(
        con=con,
        run_id=run_id,
        run_started_at=run_started_at,
        config=config,
        docs_dir=docs_dir,
        validate=validate,
    )


def check_build(
    *,
    con: duckdb.DuckDBPyConnection,
    run_id: str,
    run_started_at: datetime,
    config: PipelineConfig,
    docs_dir: Path,
    validate: Validate,
) -> ChecksOutcome:
    """Run the checks as ``run_table_checks`` describes, validating with ``validate``."""
    started = time.perf_counter()
    if run_started_at.tzinfo is None:
        run_started_at = run_started_at.replace(tzinfo=UTC)
    con.execute(_SCHEMA_SQL.read_text())
    checks = build_checks(con=con, run_id=run_id, run_started_at=run_started_at, config=config)
    site_dir = docs_dir / f".{run_id}.building"
    try:
        results = validate(
            ValidationRequest(
                run_id=run_id,
                run_started_at=run_started_at,
                site_dir=site_dir,
                suites=tuple(check.request for check in checks),
            )
        )
        rows, blocking, warnings = _interpret(checks, results)
        record_results(con=con, run_id=run_id, rows=rows)
        docs_index = publish_docs(
            site_dir=site_dir,
            run_dir=docs_dir / run_id,
            summary=render_summary(
                run_id=run_id,
                run_started_at=run_started_at,
                rows=rows,
                blocking=blocking,
                warnings=warnings,
                suite_pages=suite_pages(site_dir),
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


def build_checks(
    *,
    con: duckdb.DuckDBPyConnection,
    run_id: str,
    run_started_at: datetime,
    config: PipelineConfig,
) -> list[Check]:
    """Compute every suite's frame on the build warehouse; tables it lacks are skipped."""
    tables = frozenset(
        row[0]
        for row in con.execute(
            "select table_schema || '.' || table_name from information_schema.tables"
            " where table_catalog = current_database()"
        ).fetchall()
    )
    run_date = run_started_at.astimezone(_LONDON).date()
    core = [f"core.{e.name}" for e in ENTITY_ORDER if f"core.{e.name}" in tables]
    return [
        counts.row_counts_check(
            con=con,
            run_id=run_id,
            run_started_at=run_started_at,
            tables=core,
            tolerance=config.row_count_tolerance,
        ),
        listings.freshness_check(
            con=con, run_date=run_date, freshness_days=config.freshness_days, tables=tables
        ),
        counts.referential_integrity_check(con=con, tables=tables),
        counts.key_uniqueness_check(con=con, tables=core),
        listings.occupancy_check(
            con=con, run_date=run_date, tolerance=config.occupancy_tolerance, tables=tables
        ),
    ]


def _interpret(
    checks: Sequence[Check], results: Sequence[SuiteResult]
) -> tuple[list[ResultRow], list[str], list[str]]:
    """Turn GX results into audit rows, blocking lines and warning lines."""
    if len(results) != len(checks):
        raise ValueError(f"{len(checks)} suites validated, {len(results)} results came back")
    rows: list[ResultRow] = []
    blocking: list[str] = []
    warnings: list[str] = []
    for check, suite_result in zip(checks, results, strict=True):
        for result in suite_result.expectations:
            row, lines = _interpret_one(check, suite=suite_result.suite, result=result)
            rows.append(row)
            if not row.success:
                (blocking if row.severity == "error" else warnings).extend(lines)
    return rows, blocking, warnings


def _interpret_one(
    check: Check, *, suite: str, result: ExpectationResult
) -> tuple[ResultRow, list[str]]:
    target = str(result.meta.get("target", ""))
    severity = "error" if result.severity == "critical" else "warning"
    if result.failure is not None:
        observed = f"could not run: {result.failure}"
        lines = [f"{suite}: {target}: the check could not run ({result.failure})"]
    else:
        observed = check.observe(target, result.result)
        lines = [] if result.success else check.explain(target, result.result)
    details = {"kwargs": result.kwargs, "result": result.result, "notes": lines}
    row = ResultRow(
        suite=suite,
        expectation=result.expectation,
        target=target,
        success=result.success,
        severity=severity,
        observed=observed,
        details_json=json.dumps(details, default=str),
        description=result.description,
    )
    return row, lines
