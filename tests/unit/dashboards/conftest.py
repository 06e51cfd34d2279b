"""Fixtures for the web app: a small hand-written warehouse, a reader over it, the app."""

from __future__ import annotations

import importlib
from pathlib import Path
from types import ModuleType

import dash
import pytest
from audit_sample import write_audit_warehouse
from signed_in import app_accounts, app_config

from dashboards.app import create_app
from dashboards.queries import WarehouseReader


@pytest.fixture(scope="session")
def warehouse_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The three-provider, two-ICB warehouse of ``audit_sample`` (never modified)."""
    return write_audit_warehouse(tmp_path_factory.mktemp("warehouse") / "carelens.duckdb")


@pytest.fixture
def reader(warehouse_path: Path) -> WarehouseReader:
    """A read-only reader over ``warehouse_path``."""
    return WarehouseReader(warehouse_path)


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
