"""Helpers for the measure page tests: find components, read their text and tables."""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from types import ModuleType
from typing import Any

import plotly.graph_objects as go
from dash.development.base_component import Component


def page_module(name: str) -> ModuleType:
    """A measure page module, imported after the app is built (it registers itself)."""
    return importlib.import_module(f"dashboards.pages.{name}")


def components(root: Any) -> Iterator[Component]:
    """Every component in ``root``, depth first."""
    if isinstance(root, Component):
        yield root
        yield from components(getattr(root, "children", None))
    elif isinstance(root, list | tuple):
        for child in root:
            yield from components(child)


def text(root: Any) -> str:
    """The text of ``root`` and everything in it, joined."""
    if isinstance(root, str | int | float):
        return str(root)
    if isinstance(root, Component):
        return text(getattr(root, "children", None))
    if isinstance(root, list | tuple):
        return "".join(text(child) for child in root)
    return ""


def by_id(root: Any, component_id: str) -> Any:
    """The component with ``component_id``."""
    return next(c for c in components(root) if getattr(c, "id", None) == component_id)


def has_id(root: Any, component_id: str) -> bool:
    """Whether a component has ``component_id``."""
    return any(getattr(c, "id", None) == component_id for c in components(root))


def of_type(root: Any, name: str) -> list[Any]:
    """Every component of the type named ``name`` (``H2``, ``Table``, ``Graph``)."""
    return [c for c in components(root) if type(c).__name__ == name]


def table_rows(table: Any) -> list[list[str]]:
    """The text of each body cell of a table, row by row."""
    body = of_type(table, "Tbody")[0]
    return [[text(cell) for cell in row.children] for row in body.children]


def plotted(graph: Any) -> go.Figure:
    """A ``dcc.Graph``'s figure (plain data) as Plotly reads it: ``go.Figure`` validates it."""
    return go.Figure(graph.figure)


def trace(figure: go.Figure, name: str) -> Any:
    """The trace of ``figure`` named ``name``."""
    return next(t for t in figure.data if t.name == name)
