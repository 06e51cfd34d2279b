"""The per-app objects that layouts and callbacks reach through Flask's application context."""

from __future__ import annotations

from dataclasses import dataclass

import flask

from dashboards.config import DashboardConfig
from dashboards.queries import WarehouseReader

_EXTENSION_KEY = "carelens"


@dataclass(frozen=True, slots=True)
class AppServices:
    """What ``create_app`` injects for the pages: the configuration and the reader."""

    config: DashboardConfig
    reader: WarehouseReader


def attach_services(server: flask.Flask, *, services: AppServices) -> None:
    """Make ``services`` available to every request served by ``server``."""
    server.extensions[_EXTENSION_KEY] = services


def current_services() -> AppServices:
    """Return the services of the app serving the current request (or app context)."""
    services: AppServices = flask.current_app.extensions[_EXTENSION_KEY]
    return services


def current_reader() -> WarehouseReader:
    """Return the warehouse reader of the app serving the current request."""
    return current_services().reader
