"""The nightly load: discover, validate, apply, check, publish (STYLE.md B6).

``run_nightly`` is what ``carelens load`` and ``carelens schedule`` call. It never raises for
bad input: every problem becomes a rejected file, a quarantined row or a failed run in the
audit tables, and the summary carries the exit code (0 clean, 1 loaded with quarantined rows,
2 something rejected or failed).
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator
from datetime import UTC, date, datetime
from functools import partial
from pathlib import Path
from zoneinfo import ZoneInfo

import duckdb

from pipelines import warehouse
from pipelines.accounting import FileOutcome
from pipelines.assumptions import publish_provider_assumptions
from pipelines.audit import record_packages, write_run_audit
from pipelines.checks import ChecksWorker, run_table_checks, start_checks_worker
from pipelines.config import PipelineConfig
from pipelines.errors import PackageRejectedError, PipelineError, WarehouseError
from pipelines.exports import ParsedFile, apply_batch, parse_package
from pipelines.marts import build_adoption_marts, build_operations_marts, build_quality_marts
from pipelines.marts.time_released import build_time_released_marts
from pipelines.packages import (
    Manifest,
    Package,
    discover,
    export_id_of,
    open_package,
    read_manifest,
)
from pipelines.progress import Progress
from pipelines.steps import build_quality_impact
from pipelines.steps.adoption_trajectory import build_adoption_trajectory
from pipelines.steps.alert_triage import build_alert_triage
from pipelines.summary import RunSummary, new_run_id
from pipelines.targets import publish_quality_targets

log = logging.getLogger(__name__)

BATCH_ROWS = 1_000_000
"""Packages are applied in batches of about this many rows to bound memory."""
INPUT_SUFFIXES = frozenset({".csv", ".xlsx", ".xlsm", ".ods"})
"""Loose files with these suffixes are candidate section 5 inputs; others are not data."""
_LONDON = ZoneInfo("Europe/London")


def run_nightly(*, inbox: Path, config: PipelineConfig) -> RunSummary:
    """Load everything new in ``inbox`` into the warehouse and publish it atomically."""
    started = datetime.now(UTC)
    summary = RunSummary(run_id=new_run_id(started), started_at=started)
    paths = warehouse.BuildPaths.for_warehouse(config.warehouse_path)
    if not inbox.is_dir():
        summary.failure = f"inbox {inbox} is not a folder"
        summary.finished_at = datetime.now(UTC)
        return summary
    try:
        with warehouse.exclusive_lock(paths):
            _run_locked(inbox=inbox, config=config, paths=paths, summary=summary)
    except WarehouseError as error:
        summary.failure = str(error)
    summary.finished_at = summary.finished_at or datetime.now(UTC)
    log.info(summary.message)
    return summary


def _run_locked(
    *, inbox: Path, config: PipelineConfig, paths: warehouse.BuildPaths, summary: RunSummary
) -> None:
    con = warehouse.start_build(paths)
    try:
        with _table_checks(config) as checks:
            _load(con, inbox=inbox, config=config, summary=summary, checks=checks)
    except Exception as error:  # any failure, bug or not, must leave the warehouse as it was
        log.debug("load failed", exc_info=True)
        warehouse.abandon(con, paths)
        summary.failure = f"{type(error).__name__}: {error}"
        _record_failed_run(paths=paths, inbox=inbox, summary=summary)
        return
    except BaseException:
        warehouse.abandon(con, paths)
        raise
    if summary.checks_passed is False and summary.failure:
        warehouse.abandon(con, paths)
        _record_failed_run(paths=paths, inbox=inbox, summary=summary)
        return
    summary.finished_at = datetime.now(UTC)
    write_run_audit(con, inbox=inbox, summary=summary)
    warehouse.publish(con, paths)


class _InProcessChecks:
    """Table checks in this process (see ``PipelineConfig.checks_in_worker``)."""

    run_table_checks = staticmethod(run_table_checks)


_TableChecks = ChecksWorker | _InProcessChecks


@contextlib.contextmanager
def _table_checks(config: PipelineConfig) -> Iterator[_TableChecks]:
    """The worker imports great-expectations on the idle core while the load runs."""
    if config.checks_in_worker:
        with start_checks_worker() as worker:
            yield worker
    else:
        yield _InProcessChecks()


def _load(
    con: duckdb.DuckDBPyConnection,
    *,
    inbox: Path,
    config: PipelineConfig,
    summary: RunSummary,
    checks: _TableChecks,
) -> None:
    today = datetime.now(_LONDON).date()
    package_paths, other_files = discover(inbox)
    summary.packages_found = len(package_paths)
    with Progress(enabled=config.show_progress, total=len(package_paths)) as progress:
        fresh = _open_packages(con, package_paths, summary=summary, progress=progress)
        _apply_packages(con, fresh, summary=summary, config=config, today=today, progress=progress)
    _apply_inputs(con, other_files, summary=summary, today=today)
    warehouse.refresh_current(con, run_id=summary.run_id)
    build_quality_marts(con, config=config)
    build_operations_marts(con, config=config)
    build_adoption_marts(con, config=config, today=today)
    build_adoption_trajectory(con, run_id=summary.run_id)
    build_quality_impact(con, run_id=summary.run_id)
    build_alert_triage(con, run_id=summary.run_id, warehouse_path=config.warehouse_path)
    publish_quality_targets(con, accounts_path=config.accounts_path, run_id=summary.run_id)
    publish_provider_assumptions(con, accounts_path=config.accounts_path, run_id=summary.run_id)
    build_time_released_marts(con)
    _run_checks(con, config=config, summary=summary, checks=checks)


def _open_packages(
    con: duckdb.DuckDBPyConnection, paths: list[Path], *, summary: RunSummary, progress: Progress
) -> list[Package]:
    """Packages to apply, in spec order; already-loaded ones are skipped on their manifest alone."""
    manifests: list[tuple[Manifest, Path]] = []
    for path in paths:
        try:
            manifests.append((read_manifest(path), path))
        except PackageRejectedError as error:
            _reject_package(path, error, summary=summary)
            progress.advance(f"rejected {path.name}")
    manifests.sort(key=lambda item: item[0].order_key)
    seen = set(con.execute("select provider_id, extract_id from audit.packages").fetchall())
    packages = []
    for manifest, path in manifests:
        if (manifest.provider_id, manifest.extract_id) in seen:
            _skip_package(path, manifest, summary=summary)
            progress.advance(f"skipped {path.name}")
            continue
        try:
            package = open_package(path)
        except PackageRejectedError as error:
            _reject_package(path, error, summary=summary)
            progress.advance(f"rejected {path.name}")
            continue
        seen.add((manifest.provider_id, manifest.extract_id))
        packages.append(package)
    return packages


def _skip_package(path: Path, manifest: Manifest, *, summary: RunSummary) -> None:
    summary.packages_skipped += 1
    export_id = export_id_of(path)
    for name in sorted(f.name.lower() for f in manifest.files if f.name.lower().endswith(".csv")):
        summary.files.append(
            FileOutcome(
                export_id=export_id,
                file_name=name,
                entity=None,
                provider_id=manifest.provider_id,
                skipped=True,
            )
        )


def _reject_package(path: Path, error: PackageRejectedError, *, summary: RunSummary) -> None:
    summary.packages_rejected += 1
    reason = f"package rejected: {error.reason} [{error.rule}]"
    names = []
    if path.is_dir():
        names = sorted(p.name.lower() for p in path.iterdir() if p.suffix.lower() == ".csv")
    for name in names or ["(package)"]:
        outcome = FileOutcome(export_id=error.package, file_name=name, entity=None)
        outcome.reject(reason)
        summary.files.append(outcome)


def _batches(
    packages: list[Package], *, first_sequence: int
) -> Iterator[list[tuple[Package, int]]]:
    batch: list[tuple[Package, int]] = []
    size = 0
    for offset, package in enumerate(packages):
        batch.append((package, first_sequence + offset))
        size += sum(f.rows for f in package.manifest.files)
        if size >= BATCH_ROWS:
            yield batch
            batch, size = [], 0
    if batch:
        yield batch


def _apply_packages(
    con: duckdb.DuckDBPyConnection,
    packages: list[Package],
    *,
    summary: RunSummary,
    config: PipelineConfig,
    today: date,
    progress: Progress,
) -> None:
    ((last,),) = con.execute("select coalesce(max(sequence), 0) from audit.packages").fetchall()
    for batch in _batches(packages, first_sequence=int(last) + 1):
        parsed: list[ParsedFile] = []
        applied: list[tuple[Package, int]] = []
        for package, sequence in batch:
            progress.advance(f"reading {package.export_id}", step=0)
            try:
                files, outcomes = parse_package(package, sequence=sequence)
            except PackageRejectedError as error:
                _reject_package(package.path, error, summary=summary)
                progress.advance(f"rejected {package.export_id}")
                continue
            parsed.extend(files)
            summary.files.extend(outcomes)
            applied.append((package, sequence))
        progress.describe(f"applying {len(applied)} package(s)")
        apply_batch(
            con,
            parsed=parsed,
            run_id=summary.run_id,
            today=today,
            pseudonym_key=config.pseudonym_key,
            announce=partial(_announce, progress, f"applying {len(applied)} package(s)"),
        )
        record_packages(con, applied, run_id=summary.run_id)
        summary.packages_loaded += len(applied)
        for package, _ in applied:
            progress.advance(f"loaded {package.export_id}")


def _apply_inputs(
    con: duckdb.DuckDBPyConnection, files: list[Path], *, summary: RunSummary, today: date
) -> None:
    """Section 5 inputs, recognised by their headers, in the spec's order."""
    import hashlib

    from pipelines.inputs import InputKind, apply_input, detect_input

    candidates = [f for f in files if f.suffix.lower() in INPUT_SUFFIXES]
    loaded = {row[0] for row in con.execute("select sha256 from audit.input_files").fetchall()}
    recognised: list[tuple[int, Path, InputKind, str]] = []
    order = list(InputKind)
    for path in candidates:
        kind = detect_input(path)
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        if kind is None:
            outcome = FileOutcome(export_id=path.name, file_name=path.name, entity=None)
            outcome.reject(
                "header matches no section 5 input and the file is not inside an ODE-1 "
                "package [unrecognised_file]"
            )
            summary.files.append(outcome)
            continue
        if digest in loaded:
            summary.files.append(
                FileOutcome(
                    export_id=path.name, file_name=path.name, entity=kind.value, skipped=True
                )
            )
            continue
        loaded.add(digest)
        recognised.append((order.index(kind), path, kind, digest))
    for _, path, kind, digest in sorted(recognised, key=lambda r: (r[0], r[1])):
        outcome = apply_input(
            con=con, path=path, kind=kind, run_id=summary.run_id, sha256=digest, today=today
        )
        summary.files.append(outcome)
        if outcome.rejected_reason is None:
            con.execute(
                "insert into audit.input_files values (?, ?, ?, ?)",
                [digest, path.name, kind.value, summary.run_id],
            )


def _run_checks(
    con: duckdb.DuckDBPyConnection,
    *,
    config: PipelineConfig,
    summary: RunSummary,
    checks: _TableChecks,
) -> None:
    outcome = checks.run_table_checks(
        con=con,
        run_id=summary.run_id,
        run_started_at=summary.started_at,
        config=config,
        docs_dir=config.data_docs_dir,
    )
    summary.checks_passed = outcome.success
    summary.check_messages = [*outcome.blocking_failures, *outcome.warnings]
    summary.data_docs_path = str(outcome.docs_index) if outcome.docs_index else None
    if not outcome.success:
        summary.failure = "table checks failed: " + "; ".join(outcome.blocking_failures)


def _announce(progress: Progress, label: str, entity: str) -> None:
    progress.describe(f"{label}: {entity}")


def _record_failed_run(*, paths: warehouse.BuildPaths, inbox: Path, summary: RunSummary) -> None:
    """Publish the previous warehouse again with only this run's audit rows added.

    The data stays exactly as it was; the Data quality page can still show what failed.
    """
    summary.finished_at = datetime.now(UTC)
    for outcome in summary.files:
        if outcome.rejected_reason is None and not outcome.skipped:
            outcome.reject(f"not published: the run failed ({summary.failure}) [run_failed]")
    with contextlib.suppress(PipelineError, duckdb.Error, OSError):
        con = warehouse.start_build(paths)
        try:
            write_run_audit(con, inbox=inbox, summary=summary)
            warehouse.publish(con, paths)
        except (duckdb.Error, OSError):
            warehouse.abandon(con, paths)
