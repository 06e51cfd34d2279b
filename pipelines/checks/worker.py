"""A worker process that imports great-expectations while the load runs, then validates.

Importing great_expectations takes about five seconds of one core. The nightly load keeps one
core busy with polars and DuckDB and leaves the other mostly idle, so the load starts the
worker first (``with start_checks_worker() as checks:``), the worker pays the import on the
idle core, and ``checks.run_table_checks(...)`` at the end of the load finds GX ready.

The build process keeps the DuckDB connection: it computes the small aggregate frames and
writes the audit rows (``pipelines.checks.run.check_build``); the worker only receives plain
data (``pipelines.checks.protocol``), validates, writes the GX Data Docs site and answers with
plain data. The worker is started with the "spawn" method: a forked copy of a process holding
a DuckDB connection and polars thread pools is not safe. Like every "spawn" start on POSIX,
it also starts multiprocessing's resource tracker, an idle helper that ends with this process.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import signal
import sys
import threading
import time
import traceback
from collections.abc import Callable
from datetime import datetime
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from pathlib import Path
from types import TracebackType
from typing import NoReturn

import duckdb

from pipelines.checks.protocol import SuiteResult, ValidationRequest
from pipelines.checks.run import ChecksOutcome, check_build
from pipelines.config import PipelineConfig
from pipelines.errors import PipelineError

logger = logging.getLogger(__name__)

DEFAULT_TIMEOUT_SECONDS = 900.0
"""Longest wait for the worker's answer; a night's checks take seconds once GX is imported."""
_STOP_GRACE_SECONDS = 2.0
"""How long a finished worker may take to exit by itself before it is terminated."""


class ChecksWorkerError(PipelineError):
    """The table checks worker died, failed or did not answer; the build is not published."""

    def __init__(self, message: str, *, worker_traceback: str | None = None) -> None:
        super().__init__(message)
        self.worker_traceback = worker_traceback
        """The worker's traceback, when it reported an error of its own."""


def start_checks_worker(*, timeout_seconds: float = DEFAULT_TIMEOUT_SECONDS) -> ChecksWorker:
    """A checks worker to use as a context manager; the process starts on ``with``."""
    return ChecksWorker(timeout_seconds=timeout_seconds)


class ChecksWorker:
    """One worker process validating table checks with great-expectations for this process.

    Entering starts the process, which imports great_expectations at once; leaving stops it,
    also on errors and KeyboardInterrupt (it ignores SIGINT itself and is terminated instead).

    Args:
        timeout_seconds: Longest wait for the worker's answer to one run of the checks.
    """

    def __init__(self, *, timeout_seconds: float = DEFAULT_TIMEOUT_SECONDS) -> None:
        self.timeout_seconds = timeout_seconds
        self._process: BaseProcess | None = None
        self._connection: Connection | None = None

    def __enter__(self) -> ChecksWorker:
        """Start the worker process; it imports great_expectations while the caller goes on.

        Raises:
            ChecksWorkerError: The worker is already running, or the process cannot start.
        """
        if self._process is not None:
            raise ChecksWorkerError("the table checks worker is already running")
        context = multiprocessing.get_context("spawn")
        parent_end, child_end = context.Pipe()
        process = context.Process(
            target=serve, args=(child_end,), name="carelens-checks", daemon=True
        )
        try:
            process.start()
        except OSError as error:  # no memory or process slots left, for instance
            parent_end.close()
            raise ChecksWorkerError(f"could not start the table checks worker: {error}") from error
        except BaseException:
            parent_end.close()
            raise
        finally:
            child_end.close()  # else the parent would never see the worker's end close
        self._process, self._connection = process, parent_end
        logger.debug("table checks worker started, pid %s", process.pid)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Stop the worker: ask it to finish after a clean exit, terminate it after an error."""
        self._stop(graceful=exc_type is None)

    @property
    def pid(self) -> int | None:
        """Process id of the running worker, or ``None`` outside ``with``."""
        return self._process.pid if self._process is not None else None

    def run_table_checks(
        self,
        *,
        con: duckdb.DuckDBPyConnection,
        run_id: str,
        run_started_at: datetime,
        config: PipelineConfig,
        docs_dir: Path,
    ) -> ChecksOutcome:
        """Run the table checks as ``pipelines.checks.run_table_checks`` does, GX in the worker.

        Raises:
            ChecksWorkerError: The worker is not running, died, failed or timed out.
        """
        return check_build(
            con=con,
            run_id=run_id,
            run_started_at=run_started_at,
            config=config,
            docs_dir=docs_dir,
            validate=self._validate,
        )

    def _validate(self, request: ValidationRequest) -> list[SuiteResult]:
        if self._process is None or self._connection is None:
            raise ChecksWorkerError(
                "the table checks worker is not running (use it in `with start_checks_worker()`)"
            )
        started = time.perf_counter()
        try:
            self._connection.send(request)
        except OSError:  # a broken pipe: the worker has gone, perhaps leaving a last word
            logger.debug("could not send to the table checks worker", exc_info=True)
        match self._receive(self._connection, self._process):
            case ("ok", list() as results):
                seconds = time.perf_counter() - started
                logger.debug("table checks worker answered in %.2f s", seconds)
                return results
            case ("error", str() as message, str() as worker_traceback):
                raise ChecksWorkerError(
                    f"the table checks worker failed: {message}", worker_traceback=worker_traceback
                )
            case reply:
                raise ChecksWorkerError(
                    f"the table checks worker answered with a {type(reply).__name__}, not a result"
                )

    def _receive(self, connection: Connection, process: BaseProcess) -> object:
        """Wait for the worker's answer while watching that it is still alive."""
        ready = wait([connection, process.sentinel], timeout=self.timeout_seconds)
        if not ready:  # a late answer must not be taken for the next request's
            self._stop(graceful=False)
            raise ChecksWorkerError(
                f"the table checks worker gave no answer within {self.timeout_seconds:g} s"
            )
        if connection.poll():  # an answer sent just before the worker ended still counts
            try:
                return connection.recv()
            except (EOFError, OSError) as error:
                raise self._died() from error
        raise self._died()

    def _died(self) -> ChecksWorkerError:
        """The error for a worker that went away; what is left of it is stopped."""
        process = self._process
        code = None
        if process is not None:
            process.join(timeout=_STOP_GRACE_SECONDS)
            code = process.exitcode
        self._stop(graceful=False)
        if code is None:
            how = "it closed its connection"
        elif code < 0:
            how = f"killed by {signal.Signals(-code).name}"
        else:
            how = f"exit code {code}"
        return ChecksWorkerError(f"the table checks worker process stopped unexpectedly ({how})")

    def _stop(self, *, graceful: bool) -> None:
        process, connection = self._process, self._connection
        self._process = self._connection = None
        if process is None or connection is None:
            return
        try:
            if graceful and process.is_alive():
                try:
                    connection.send(None)
                except OSError:
                    logger.debug("table checks worker had already gone")
                process.join(timeout=_STOP_GRACE_SECONDS)
        finally:
            connection.close()
            if process.is_alive():
                process.terminate()
                process.join(timeout=_STOP_GRACE_SECONDS)
            if process.is_alive():
                process.kill()
                process.join()
            process.close()
            logger.debug("table checks worker stopped")


def serve(connection: Connection) -> None:
    """The worker's main loop: import GX, then validate each request until told to stop.

    Answers ``("ok", results)`` or ``("error", one-line message, traceback)``. Exits on
    ``None`` or when the parent's end of the connection closes.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the parent, which stops us
    validate: Callable[[ValidationRequest], list[SuiteResult]] | None = None
    failure: tuple[str, str, str] | None = None
    try:
        from pipelines.checks.validation import validate

        _use_thread_lock_for_progress_bars()
    except Exception as error:  # reported with every answer, not printed and lost
        message = f"could not import great_expectations: {_one_line(error)}"
        failure = ("error", message, traceback.format_exc())
    while True:
        try:
            request = connection.recv()
        except (EOFError, OSError):  # the parent has gone
            request = None
        if request is None:
            _exit_now()
        if failure is not None or validate is None:
            connection.send(failure)
            continue
        try:
            results = validate(request)
        except Exception as error:  # reported to the parent, which fails the run with it
            connection.send(("error", _one_line(error), traceback.format_exc()))
        else:
            connection.send(("ok", results))


def _use_thread_lock_for_progress_bars() -> None:
    """Give tqdm a thread lock instead of its default multiprocessing semaphore.

    GX creates tqdm bars even with progress bars off, and tqdm's default lock is a named
    semaphore; a worker ending with ``os._exit`` would leave it for multiprocessing's resource
    tracker, which then warns about a leaked semaphore. This process has one thread.
    """
    from tqdm import tqdm

    tqdm.set_lock(threading.RLock())


def _exit_now() -> NoReturn:
    """End the worker without tearing down GX's module graph (about a second): nothing is open."""
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)


def _one_line(error: BaseException) -> str:
    text = " ".join(str(error).split())
    return f"{type(error).__name__}: {text}" if text else type(error).__name__
