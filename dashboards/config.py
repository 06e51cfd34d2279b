"""Configuration of the web app: where the warehouse and the Data Docs live."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)
class DashboardConfig:
    """Paths the dashboard reads; it never writes to either.

    Attributes:
        warehouse_path: DuckDB warehouse file, opened read-only for each query.
        data_docs_dir: Folder holding one Great Expectations Data Docs site per load run,
            as ``<data_docs_dir>/<run_id>/index.html``.
    """

    warehouse_path: Path
    data_docs_dir: Path
