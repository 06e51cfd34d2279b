"""Walk a Dash layout in page tests: its components, its text, a component by id.

Page callbacks return Dash component trees; tests assert on what a reader would see (the text)
and on the components that carry data (found by id), so every page test walks trees the same way.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from dash.development.base_component import Component


def components(root: Any) -> Iterator[Component]:
    """Every component under ``root`` (a component, a list or anything else), depth first."""
    if isinstance(root, Component):
        yield root
        yield from components(getattr(root, "children", None))
    elif isinstance(root, list | tuple):
        for child in root:
            yield from components(child)


def layout_text(root: Any, *, separator: str = "") -> str:
    """The text under ``root`` as a reader sees it, children joined with ``separator``."""
    if isinstance(root, str | int | float):
        return str(root)
    if isinstance(root, Component):
        return layout_text(getattr(root, "children", None), separator=separator)
    if isinstance(root, list | tuple):
        return separator.join(layout_text(child, separator=separator) for child in root)
    return ""


def by_id(root: Any, component_id: str) -> Any:
    """The first component under ``root`` whose id is ``component_id`` (StopIteration if none)."""
    return next(c for c in components(root) if getattr(c, "id", None) == component_id)


def has_id(root: Any, component_id: str) -> bool:
    """Whether any component under ``root`` has the id ``component_id``."""
    return any(getattr(c, "id", None) == component_id for c in components(root))
