"""Read-only access to the DuckDB warehouse through named queries, for one identity at a time.

Every named query declares in its header who may read it, and the reader enforces that for
the identity it is given before the query runs, then binds the identity's scope:

.. code-block:: sql

    -- audience: icb
    -- counts: packages_loaded, rows_read, rows_quarantined
    -- rates: share_quarantined = rows_quarantined / rows_read
    -- not-counts: year
    -- labels: provider_id, latest_extract_to

``audience`` is one of :class:`~dashboards.roles.Audience`. A query of audience ``provider``
or ``person`` must filter by ``$scope_provider_id`` (and a ``person`` query also by
``$scope_location_ids``, for quality leads limited to some locations); an ``icb`` query must
filter by ``$scope_icb_code`` and its counts pass through disclosure control; every other
column it returns must be declared as a ``not-count`` (numbers) or a ``label`` (text, dates),
so nothing reaches an ICB lead that nobody has vouched for.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import duckdb
import polars as pl

from dashboards.access import AccessDeniedError
from dashboards.disclosure import apply_disclosure_control
from dashboards.errors import DashboardError, WarehouseNotReadyError, WarehouseUnavailableError
from dashboards.roles import Audience, Identity

SQL_DIR = Path(__file__).parent / "sql"
_QUERY_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
_HEADER_LINE = re.compile(r"^--\s*([a-z-]+)\s*:\s*(.*?)\s*$")
_RATE = re.compile(r"^([a-z_][a-z0-9_]*)\s*=\s*([a-z_][a-z0-9_]*)\s*/\s*([a-z_][a-z0-9_]*)$")
_SCOPE_PARAMETER = re.compile(r"\$(scope_[a-z_]+)\b")
_COMMENT = re.compile(r"--[^\n]*")
NOT_LOADED_MESSAGE = "No load has run yet: run `carelens load INBOX`."

PERSON_LEVEL_COLUMNS = frozenset(
    {
        "person_id",
        "nhs_number",
        "nhs_number_hash",
        "staff_id",
        "record_uid",
        "description",
        "record_json",
        "reason",
        "message",
        "line_number",
        "source_line",
        "note",
        "text",
    }
)
"""Columns that identify a person or hold free text: never in a result for the ICB audience."""

SCOPE_FILTERS: dict[Audience, tuple[str, ...]] = {
    Audience.PROVIDER: ("scope_provider_id",),
    Audience.PERSON: ("scope_provider_id", "scope_location_ids"),
    Audience.ICB: ("scope_icb_code",),
    Audience.OPERATIONS: (),
    Audience.ACCOUNTS: (),
}
"""The scope parameters each audience's queries must mention (they filter every row by them)."""

# No extension may be fetched or loaded at run time, and queries may not read files.
_CONNECTION_CONFIG: dict[str, str | bool | int | float | list[str]] = {
    "autoload_known_extensions": False,
    "autoinstall_known_extensions": False,
    "enable_external_access": False,
}


class QueryDeclarationError(DashboardError):
    """A named query's header is missing, unknown or inconsistent (a programming error)."""


class DisclosureError(DashboardError):
    """A result for the ICB audience holds a column that disclosure control cannot vouch for."""


@dataclass(frozen=True, slots=True)
class QueryAudit:
    """What the reader reports after every query it runs, for the access audit trail.

    Attributes:
        identity: Who the query ran for.
        query_name: The named query (the SQL file's stem).
        audience: The audience its header declares.
        row_count: Rows returned.
    """

    identity: Identity
    query_name: str
    audience: Audience
    row_count: int


@dataclass(frozen=True, slots=True)
class QueryHeader:
    """The declarations at the top of a named query.

    Attributes:
        audience: Who may read the query's rows.
        counts: Columns that are counts (disclosure-controlled for the ICB audience).
        rates: Rate columns, computed from unrounded counts as ``numerator / denominator``.
        not_counts: Numeric columns that are not counts of anything (a year, for instance).
        labels: Non-numeric columns an ICB result may carry (organisation codes, dates).
    """

    audience: Audience
    counts: tuple[str, ...] = ()
    rates: Mapping[str, tuple[str, str]] = field(default_factory=dict)
    not_counts: tuple[str, ...] = ()
    labels: tuple[str, ...] = ()


def _names(value: str) -> tuple[str, ...]:
    return tuple(name.strip() for name in value.split(",") if name.strip())


def parse_header(sql: str, *, name: str) -> QueryHeader:
    """Read the ``-- key: value`` lines at the top of a named query.

    Args:
        sql: The query text.
        name: The query's name, for messages.

    Raises:
        QueryDeclarationError: If there is no ``-- audience:`` line, the audience is unknown,
            a key is unknown, or a rate is not ``name = numerator / denominator`` over
            declared counts.
    """
    values: dict[str, str] = {}
    for line in sql.splitlines():
        stripped = line.strip()
        if not stripped:
            continue
        if not stripped.startswith("--"):
            break
        match = _HEADER_LINE.match(stripped)
        if match and match.group(1) in {"audience", "counts", "rates", "not-counts", "labels"}:
            if match.group(1) in values:
                raise QueryDeclarationError(f"query {name!r} declares {match.group(1)} twice")
            values[match.group(1)] = match.group(2)
    if "audience" not in values:
        raise QueryDeclarationError(f"query {name!r} declares no audience")
    try:
        audience = Audience(values["audience"])
    except ValueError as error:
        raise QueryDeclarationError(
            f"query {name!r} declares an unknown audience {values['audience']!r}"
        ) from error
    counts = _names(values.get("counts", ""))
    rates: dict[str, tuple[str, str]] = {}
    for declaration in _names(values.get("rates", "")):
        rate = _RATE.match(declaration)
        if not rate or not {rate.group(2), rate.group(3)} <= set(counts):
            raise QueryDeclarationError(
                f"query {name!r}: rate {declaration!r} is not `name = count / count`"
            )
        rates[rate.group(1)] = (rate.group(2), rate.group(3))
    header = QueryHeader(
        audience=audience,
        counts=counts,
        rates=rates,
        not_counts=_names(values.get("not-counts", "")),
        labels=_names(values.get("labels", "")),
    )
    if audience is not Audience.ICB and (
        header.counts or header.rates or header.not_counts or header.labels
    ):
        raise QueryDeclarationError(f"query {name!r}: only icb queries declare counts and rates")
    return header


@lru_cache(maxsize=128)
def _read_sql(path: Path) -> tuple[str, QueryHeader]:
    sql = path.read_text(encoding="utf-8")
    return sql, parse_header(sql, name=path.stem)


def _check_icb_columns(frame: pl.DataFrame, *, header: QueryHeader, name: str) -> None:
    """Fail closed: every column is declared and none is person-level.

    Numbers must be counts, rates or not-counts; anything else must be a label.
    """
    person_level = sorted(PERSON_LEVEL_COLUMNS & set(frame.columns))
    if person_level:
        raise DisclosureError(f"query {name!r} returns person-level columns {person_level}")
    declared = {*header.counts, *header.not_counts, *header.rates}
    for column, dtype in frame.schema.items():
        if dtype.is_numeric() and column not in declared:
            raise DisclosureError(
                f"query {name!r}: numeric column {column!r} is not declared as a count, "
                "a rate or a not-count"
            )
        if not dtype.is_numeric() and column not in header.labels:
            raise DisclosureError(f"query {name!r}: column {column!r} is not declared as a label")
    missing = sorted({*header.counts, *header.not_counts, *header.labels} - set(frame.columns))
    if missing:
        raise DisclosureError(f"query {name!r} declares columns it does not return: {missing}")


_FileIdentity = tuple[int, int, int, int]


def _file_identity(path: Path) -> _FileIdentity | None:
    """Device, inode, modification time and size: a publish (rename over) changes them."""
    try:
        status = path.stat()
    except OSError:
        return None
    return (status.st_dev, status.st_ino, status.st_mtime_ns, status.st_size)


@dataclass(slots=True)
class _SharedDatabase:
    """The warehouse kept open between web requests; each request queries through a cursor."""

    connection: duckdb.DuckDBPyConnection
    file: _FileIdentity | None
    users: int = 0


class WarehouseReader:
    """Runs named SQL files against the warehouse, read-only, for one identity at a time.

    Outside a web request, a new connection is opened for every query and closed straight
    after. Inside one (:meth:`hold_connection`), queries go through a cursor on a database the
    reader keeps open between requests while the file stays the same. The nightly load
    publishes a new warehouse by renaming a new file over the old one; the next request that
    starts once no request is using the old file closes it and opens the new one.

    Args:
        warehouse_path: The DuckDB file; it may not exist yet.
        sql_dir: Folder of ``<name>.sql`` files (the package's own by default).
        on_query: Called after every query that ran, with who ran what and how many rows came
            back (the app records it in the access audit trail).
    """

    def __init__(
        self,
        warehouse_path: Path,
        *,
        sql_dir: Path = SQL_DIR,
        on_query: Callable[[QueryAudit], None] | None = None,
    ) -> None:
        self.warehouse_path = warehouse_path
        self.sql_dir = sql_dir
        self.on_query = on_query
        self._held = threading.local()
        self._lock = threading.Lock()
        self._shared: _SharedDatabase | None = None

    def hold_connection(self) -> None:
        """Let the queries that follow on this thread share one connection (one web request).

        Opening the warehouse costs 20 to 40 ms on an ICB-sized file (more on a busy machine),
        more than most queries, and closing it drops DuckDB's cache of what it read. The first
        query after this call takes a cursor on the database the reader keeps open (opening
        it if it is not open, or closing and reopening it if a load has published a new file
        since and no request is still using the old one); :meth:`release_connection` closes
        the cursor. A request therefore sees one warehouse throughout, and a request that
        starts after a publish sees the new one unless another request is still reading the
        old file at that moment (then the next one does).
        """
        self._held.active = True
        self._held.connection = None
        self._held.shared = None

    def release_connection(self) -> None:
        """Close the cursor :meth:`hold_connection` let queries share, if one was taken."""
        connection = getattr(self._held, "connection", None)
        shared: _SharedDatabase | None = getattr(self._held, "shared", None)
        self._held.active = False
        self._held.connection = None
        self._held.shared = None
        if connection is not None:
            connection.close()
        if shared is not None:
            with self._lock:
                shared.users -= 1

    def _lease(self) -> duckdb.DuckDBPyConnection:
        """A cursor on the shared database for this thread's request (see hold_connection)."""
        with self._lock:
            self._close_if_replaced()
            if self._shared is None:
                file = _file_identity(self.warehouse_path)
                self._shared = _SharedDatabase(connection=self._connect(), file=file)
            self._shared.users += 1
            self._held.shared = self._shared
            return self._shared.connection.cursor()

    def _close_if_replaced(self) -> None:
        """Close the shared database if its file was replaced and no request is using it.

        DuckDB hands a new connection to a file the process already has open the database
        it has open, so the old one must be closed before the new file can be read.
        """
        shared = self._shared
        if (
            shared is not None
            and shared.users == 0
            and shared.file != _file_identity(self.warehouse_path)
        ):
            self._shared = None
            shared.connection.close()

    def _load(self, name: str) -> tuple[str, QueryHeader]:
        if not _QUERY_NAME.fullmatch(name):
            raise ValueError(f"not a query name: {name!r}")
        path = self.sql_dir / f"{name}.sql"
        if not path.is_file():
            raise ValueError(f"no query named {name!r} in {self.sql_dir}")
        return _read_sql(path)

    def sql_text(self, name: str) -> str:
        """Return the text of the named query.

        Raises:
            ValueError: If ``name`` is not a plain query name or no such file exists.
        """
        return self._load(name)[0]

    def header(self, name: str) -> QueryHeader:
        """Return the declarations of the named query.

        Raises:
            ValueError: If ``name`` is not a plain query name or no such file exists.
            QueryDeclarationError: If the header is missing or malformed.
        """
        return self._load(name)[1]

    def query(self, name: str, /, *, identity: Identity, **params: object) -> pl.DataFrame:
        """Run the named query for ``identity`` with bound ``$name`` parameters.

        The identity's scope is bound to the ``$scope_*`` parameters the query mentions;
        callers cannot pass them. For the ICB audience the counts are disclosure-controlled.

        Raises:
            AccessDeniedError: If the identity may not read the query's audience, or lacks
                the scope the query filters by.
            QueryDeclarationError: If the query's header is missing or malformed, or the
                query does not filter by its audience's scope.
            DisclosureError: If an ICB result holds an undeclared numeric column or a
                person-level column.
            WarehouseNotReadyError: If the warehouse file or its tables do not exist.
            WarehouseUnavailableError: If the file exists but cannot be opened as a warehouse.
        """
        sql, header = self._load(name)
        if not identity.may_read(header.audience):
            raise AccessDeniedError(f"{identity.username} may not read {header.audience} data")
        bound = self._bind_scope(sql, name=name, header=header, identity=identity, params=params)
        frame = self._run(sql, bound)
        if header.audience is Audience.ICB:
            _check_icb_columns(frame, header=header, name=name)
            frame = apply_disclosure_control(frame, counts=header.counts, rates=header.rates)
        if self.on_query is not None:
            self.on_query(
                QueryAudit(
                    identity=identity,
                    query_name=name,
                    audience=header.audience,
                    row_count=frame.height,
                )
            )
        return frame

    @staticmethod
    def _bind_scope(
        sql: str,
        *,
        name: str,
        header: QueryHeader,
        identity: Identity,
        params: Mapping[str, object],
    ) -> dict[str, object]:
        passed = sorted(key for key in params if key.startswith("scope_"))
        if passed:
            raise ValueError(f"scope parameters come from the identity, not the caller: {passed}")
        mentioned = set(_SCOPE_PARAMETER.findall(_COMMENT.sub("", sql)))
        required = SCOPE_FILTERS[header.audience]
        unfiltered = sorted(set(required) - mentioned)
        if unfiltered:
            raise QueryDeclarationError(f"{header.audience} query {name!r} ignores {unfiltered}")
        scope = identity.scope.query_parameters()
        unknown = sorted(mentioned - set(scope))
        if unknown:
            raise QueryDeclarationError(f"query {name!r} mentions unknown scope {unknown}")
        # The organisation a scoped query filters by must be there: no scope, no rows.
        if any(scope[key] is None for key in required if key != "scope_location_ids"):
            raise AccessDeniedError(f"{identity.username} has no scope for {header.audience}")
        return {**params, **{key: scope[key] for key in mentioned}}

    def _connect(self) -> duckdb.DuckDBPyConnection:
        return duckdb.connect(str(self.warehouse_path), read_only=True, config=_CONNECTION_CONFIG)

    def _run(self, sql: str, params: Mapping[str, object]) -> pl.DataFrame:
        if not self.warehouse_path.is_file():
            raise WarehouseNotReadyError(NOT_LOADED_MESSAGE, detail=str(self.warehouse_path))
        try:
            if getattr(self._held, "active", False):
                if self._held.connection is None:
                    self._held.connection = self._lease()
                return self._held.connection.sql(sql, params=dict(params)).pl()
            with self._lock:
                self._close_if_replaced()
            with self._connect() as connection:
                return connection.sql(sql, params=dict(params)).pl()
        except duckdb.CatalogException as error:
            raise WarehouseNotReadyError(NOT_LOADED_MESSAGE, detail=str(error)) from error
        except duckdb.IOException as error:
            raise WarehouseUnavailableError(
                "The warehouse file could not be opened. Check the path given to "
                "`carelens serve --warehouse`.",
                detail=str(error),
            ) from error
