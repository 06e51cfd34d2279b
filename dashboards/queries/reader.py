"""Read-only access to the DuckDB warehouse: one short-lived connection per named query."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import duckdb
import polars as pl

from dashboards.errors import WarehouseNotReadyError, WarehouseUnavailableError

SQL_DIR = Path(__file__).parent / "sql"
_QUERY_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
NOT_LOADED_MESSAGE = "No load has run yet: run `carelens load INBOX`."

# No extension may be fetched or loaded at run time, and queries may not read files.
_CONNECTION_CONFIG: dict[str, str | bool | int | float | list[str]] = {
    "autoload_known_extensions": False,
    "autoinstall_known_extensions": False,
    "enable_external_access": False,
}


@lru_cache(maxsize=64)
def _read_sql(path: Path) -> str:
    return path.read_text(encoding="utf-8")


class WarehouseReader:
    """Runs named SQL files against the warehouse, read-only, and returns polars frames.

    A new connection is opened for every query and closed straight after. The nightly load
    publishes a new warehouse by renaming a new file over the old one, so holding a
    connection open would keep serving the old file.

    Args:
        warehouse_path: The DuckDB file; it may not exist yet.
        sql_dir: Folder of ``<name>.sql`` files (the package's own by default).
    """

    def __init__(self, warehouse_path: Path, *, sql_dir: Path = SQL_DIR) -> None:
        self.warehouse_path = warehouse_path
        self.sql_dir = sql_dir

    def sql_text(self, name: str) -> str:
        """Return the text of the named query.

        Raises:
            ValueError: If ``name`` is not a plain query name or no such file exists.
        """
        if not _QUERY_NAME.fullmatch(name):
            raise ValueError(f"not a query name: {name!r}")
        path = self.sql_dir / f"{name}.sql"
        if not path.is_file():
            raise ValueError(f"no query named {name!r} in {self.sql_dir}")
        return _read_sql(path)

    def query(self, name: str, /, **params: object) -> pl.DataFrame:
        """Run the named query with bound ``$name`` parameters and return its rows.

        Raises:
            WarehouseNotReadyError: If the warehouse file or its audit tables do not exist.
            WarehouseUnavailableError: If the file exists but cannot be opened as a warehouse.
        """
        sql = self.sql_text(name)
        if not self.warehouse_path.is_file():
            raise WarehouseNotReadyError(NOT_LOADED_MESSAGE, detail=str(self.warehouse_path))
        try:
            with duckdb.connect(
                str(self.warehouse_path), read_only=True, config=_CONNECTION_CONFIG
            ) as connection:
                return connection.sql(sql, params=params).pl()
        except duckdb.CatalogException as error:
            raise WarehouseNotReadyError(NOT_LOADED_MESSAGE, detail=str(error)) from error
        except duckdb.IOException as error:
            raise WarehouseUnavailableError(
                "The warehouse file could not be opened. Check the path given to "
                "`carelens serve --warehouse`.",
                detail=str(error),
            ) from error
