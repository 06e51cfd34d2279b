"""Fixtures for the web app: a small hand-written audit warehouse and a reader over it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import flask
import pytest
from audit_sample import write_audit_warehouse

from dashboards.config import DashboardConfig
from dashboards.context import AppServices, attach_services
from dashboards.queries import WarehouseReader


@pytest.fixture(scope="session")
def warehouse_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A warehouse file with two runs: one clean, one with quarantined rows (never modified)."""
    return write_audit_warehouse(tmp_path_factory.mktemp("warehouse") / "carelens.duckdb")


@pytest.fixture
def reader(warehouse_path: Path) -> WarehouseReader:
    """A read-only reader over ``warehouse_path``."""
    return WarehouseReader(warehouse_path)


@pytest.fixture
def services(reader: WarehouseReader, tmp_path: Path) -> Iterator[AppServices]:
    """An application context whose services read the sample warehouse (for callbacks)."""
    server = flask.Flask("carelens-test")
    app_services = AppServices(
        config=DashboardConfig(
            warehouse_path=reader.warehouse_path, data_docs_dir=tmp_path / "data_docs"
        ),
        reader=reader,
    )
    attach_services(server, services=app_services)
    with server.app_context():
        yield app_services
