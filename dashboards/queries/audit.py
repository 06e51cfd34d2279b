"""Typed queries over the load audit tables (``audit.*``): what each nightly load did.

Three views of the same tables, one per audience (see ``docs/security.md``):

- **operations** (admins): install-wide runs, per-file counts and table-level checks; no
  quarantined rows or reasons and no warning text, which quote values from care records;
- **provider** (owners, quality leads, inspectors): the runs that applied the caller's
  provider's files, with only that provider's figures; its files, quarantine counts by rule,
  quarantined rows and warnings (these two are person-level: they quote values found in rows).
  A quality lead limited to some locations sees only quarantined rows and warnings of those
  locations; per-file counts and the run history stay provider-wide;
- **icb** (ICB leads): one row per provider with a location in the ICB, disclosure-controlled.

The caller's scope is bound by :class:`~dashboards.queries.reader.WarehouseReader`, never
passed by the caller.
"""

from __future__ import annotations

import polars as pl

from dashboards.queries.reader import WarehouseReader
from dashboards.roles import Identity

DISPLAY_ROW_LIMIT = 500


def operations_load_runs(*, reader: WarehouseReader, identity: Identity) -> pl.DataFrame:
    """Return every run of ``carelens load``, newest first (operations audience).

    Returns:
        One row per run; timestamps in UTC, install-wide counts of packages and rows, whether
        the checks passed, the Data Docs path and the run's one-line message.
    """
    return reader.query("operations_load_runs", identity=identity)


def operations_load_files(
    *, reader: WarehouseReader, identity: Identity, run_id: str
) -> pl.DataFrame:
    """Return rows read, loaded, skipped and quarantined per file of one run, every provider.

    Returns:
        One row per file (or section 5 input) applied in the run, with its provider.
    """
    return reader.query("operations_load_files", identity=identity, run_id=run_id)


def table_checks(*, reader: WarehouseReader, identity: Identity, run_id: str) -> pl.DataFrame:
    """Return the table-level Great Expectations results of one run, failures first.

    Returns:
        One row per expectation checked (operations audience: the checks cover every provider).
    """
    return reader.query("operations_table_checks", identity=identity, run_id=run_id)


def provider_load_runs(*, reader: WarehouseReader, identity: Identity) -> pl.DataFrame:
    """Return the runs that applied files of the caller's provider, newest first.

    Returns:
        One row per run with the provider's own packages and rows only, and a status worked
        out from the provider's files (``failed`` when the whole run failed).
    """
    return reader.query("provider_load_runs", identity=identity)


def provider_load_files(
    *, reader: WarehouseReader, identity: Identity, run_id: str
) -> pl.DataFrame:
    """Return rows read, loaded, skipped and quarantined per file of the caller's provider.

    Returns:
        One row per file of the provider applied in the run (none for another's run).
    """
    return reader.query("provider_load_files", identity=identity, run_id=run_id)


def quarantine_reasons(*, reader: WarehouseReader, identity: Identity, run_id: str) -> pl.DataFrame:
    """Return how many of the caller's rows each rule quarantined in each file of one run.

    Returns:
        One row per rule per file, ``rows_count`` rows, largest first.
    """
    return reader.query("provider_quarantine_reasons", identity=identity, run_id=run_id)


def quarantine_rows(
    *,
    reader: WarehouseReader,
    identity: Identity,
    run_id: str,
    row_limit: int | None = DISPLAY_ROW_LIMIT,
) -> pl.DataFrame:
    """Return the caller's quarantined rows of one run: file, line, location, rule and reason.

    Args:
        reader: The warehouse reader.
        identity: Who is asking; only their provider's (and locations') rows come back.
        run_id: The run.
        row_limit: At most this many rows, in file and line order; ``None`` for all.

    Returns:
        One row per quarantined row (person-level: reasons quote values found in the row).
    """
    return reader.query(
        "provider_quarantine_rows", identity=identity, run_id=run_id, row_limit=row_limit
    )


def quarantine_count(*, reader: WarehouseReader, identity: Identity, run_id: str) -> int:
    """Return the number of the caller's rows quarantined in one run."""
    frame = reader.query("provider_quarantine_count", identity=identity, run_id=run_id)
    return int(frame.item(0, "rows_count"))


def load_warnings(*, reader: WarehouseReader, identity: Identity, run_id: str) -> pl.DataFrame:
    """Return the warnings of one run on the caller's files (rows that loaded, with a note).

    Returns:
        One row per warning; ``line_number`` is null for a warning about a whole file.
    """
    return reader.query("provider_load_warnings", identity=identity, run_id=run_id)


def icb_provider_loads(*, reader: WarehouseReader, identity: Identity) -> pl.DataFrame:
    """Return one row per provider with a location in the caller's ICB, disclosure-controlled.

    Returns:
        ``provider_id``, ``packages_loaded``, ``latest_extract_to``, ``rows_read``,
        ``rows_loaded``, ``rows_quarantined`` (counts: null when 1 to 7, else rounded to the
        nearest 5) and ``share_quarantined`` (from unrounded counts; null with them).
    """
    return reader.query("icb_provider_loads", identity=identity)


def icb_provider_load_counts(*, reader: WarehouseReader) -> tuple[str, ...]:
    """Return the count columns of :func:`icb_provider_loads` (null in them means suppressed)."""
    return reader.header("icb_provider_loads").counts
