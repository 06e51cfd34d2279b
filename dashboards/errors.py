"""Errors raised by the web app."""

from __future__ import annotations


class DashboardError(Exception):
    """Base error of the dashboards package."""


class WarehouseUnavailableError(DashboardError):
    """The warehouse cannot be read; the page shows ``user_message`` instead of data."""

    def __init__(self, user_message: str, *, detail: str = "") -> None:
        super().__init__(f"{user_message} {detail}".strip())
        self.user_message = user_message


class WarehouseNotReadyError(WarehouseUnavailableError):
    """No load has published a warehouse with audit tables yet."""
