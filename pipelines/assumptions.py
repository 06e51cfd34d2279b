"""Publish the providers' cost and time assumptions into ``reference.provider_assumptions``.

Providers enter their own values for the assumptions registry (``cost_model.assumptions``) in
the web app, which keeps them in its accounts file (table ``provider_assumptions``: an
append-only history whose latest row per provider and name wins, a row without a value
clearing it). The app cannot write the warehouse, so every nightly load copies the values in
force here, before the time-released marts read them.

The accounts file is opened read-only with the standard library; nothing here writes it. If it
cannot be read, the load goes on and the values published by the last load that could read it
stay.
"""

from __future__ import annotations

import logging
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import duckdb

from cost_model.assumptions import ASSUMPTIONS, AssumptionName

log = logging.getLogger(__name__)

_CURRENT_ASSUMPTIONS = """
select provider_id, name, value, note, set_at
from provider_assumptions as a
where id = (
    select max(id) from provider_assumptions as later
    where later.provider_id = a.provider_id and later.name = a.name
)
and value is not null
order by provider_id, name
"""


@dataclass(frozen=True, slots=True)
class AssumptionsPublished:
    """What :func:`publish_provider_assumptions` did.

    Attributes:
        rows: Values now in ``reference.provider_assumptions``.
        read: Whether the accounts file was read (``False``: the last published stay).
    """

    rows: int
    read: bool


def read_current_assumptions(accounts_path: Path) -> list[tuple[object, ...]]:
    """Return the values in force in the accounts file, opened read-only.

    Names this version's registry does not know are left out.

    Returns:
        ``(provider_id, name, value, unit, note, set_at)`` tuples, ``value`` a ``Decimal`` in
        the registry's ``unit``; none if the file has no assumptions table yet (an app older
        than schema version 3). Who set a value is not published (a username).

    Raises:
        sqlite3.Error: If the file cannot be opened or read.
    """
    uri = f"{accounts_path.resolve().as_uri()}?mode=ro"
    connection = sqlite3.connect(uri, uri=True, timeout=10.0)
    try:
        exists = connection.execute(
            "select 1 from sqlite_master where type = 'table' and name = 'provider_assumptions'"
        ).fetchone()
        if exists is None:
            return []
        rows = connection.execute(_CURRENT_ASSUMPTIONS).fetchall()
    finally:
        connection.close()
    known = {name.value for name in AssumptionName}
    return [
        (provider, name, Decimal(value), ASSUMPTIONS[AssumptionName(name)].unit.value, note, at)
        for provider, name, value, note, at in rows
        if name in known
    ]


def publish_provider_assumptions(
    con: duckdb.DuckDBPyConnection, *, accounts_path: Path | None, run_id: str
) -> AssumptionsPublished:
    """Replace ``reference.provider_assumptions`` with the values in force in the accounts file.

    Args:
        con: The load's connection to the warehouse being built (its schema created).
        accounts_path: The dashboard's accounts file; ``None`` or a missing file publishes
            none (every figure then uses the registry's defaults).
        run_id: The load run, recorded on every row.

    Returns:
        How many values were published, and whether the file was read.
    """
    if accounts_path is None or not accounts_path.is_file():
        rows: list[tuple[object, ...]] = []
    else:
        try:
            rows = read_current_assumptions(accounts_path)
        except sqlite3.Error as error:
            log.warning(
                "provider assumptions not published: %s could not be read (%s); the values "
                "of the last load stay",
                accounts_path,
                error,
            )
            count = con.execute("select count(*) from reference.provider_assumptions").fetchone()
            return AssumptionsPublished(rows=int(count[0]) if count else 0, read=False)
    con.execute("delete from reference.provider_assumptions")
    if rows:
        con.executemany(
            "insert into reference.provider_assumptions (provider_id, name, value, unit, note,"
            " set_at, run_id) values (?, ?, ?, ?, ?, ?, ?)",
            [(*row[:5], datetime.fromisoformat(str(row[5])), run_id) for row in rows],
        )
    log.info("provider assumptions published: %d values", len(rows))
    return AssumptionsPublished(rows=len(rows), read=True)
