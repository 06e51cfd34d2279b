"""Fixtures for the web app: a small hand-written audit warehouse and a reader over it."""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import dash
import pytest
from audit_sample import serving, write_audit_warehouse
from signed_in import app_accounts, app_config

from dashboards.app import create_app
from dashboards.context import AppServices
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
def services(warehouse_path: Path) -> Iterator[AppServices]:
    """An application context whose services read the sample warehouse (for callbacks)."""
    with serving(warehouse_path) as app_services:
        yield app_services


@pytest.fixture(scope="session")
def dash_app(tmp_path_factory: pytest.TempPathFactory) -> dash.Dash:
    """The app, built once: building it imports (registers) every page module.

    Its accounts file is empty; ``signed_in.signed_in_client`` adds accounts and signs them in.
    """
    root = tmp_path_factory.mktemp("app")
    return create_app(app_config(root), accounts=app_accounts(root))


@pytest.fixture(scope="session")
def data_quality_page(dash_app: dash.Dash) -> ModuleType:
    """The Data quality page module as registered by the app."""
    return importlib.import_module("dashboards.pages.data_quality")
