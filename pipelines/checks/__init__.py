"""Table-level checks of a build warehouse with great-expectations, and Data Docs per run.

The aggregates behind each check are computed in DuckDB on the build connection
(``counts``, ``listings``), validated once by GX against the suites of
``data_contracts.expectations`` (``validation``, the only module importing GX) and recorded in
``audit.validation_results`` (``audit``) with a Data Docs folder per run (``docs``). Row-level
rules are pandera's job; these checks look across rows, tables and loads.

``run_table_checks`` runs GX in this process. The nightly load uses ``start_checks_worker()``,
whose worker process imports GX (about five seconds) on the idle core while the load runs.
"""

from __future__ import annotations

from pipelines.checks.run import ChecksOutcome, run_table_checks
from pipelines.checks.worker import ChecksWorker, ChecksWorkerError, start_checks_worker

__all__ = [
    "ChecksOutcome",
    "ChecksWorker",
    "ChecksWorkerError",
    "run_table_checks",
    "start_checks_worker",
]
