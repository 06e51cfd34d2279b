"""The frame around every page: skip link, header with navigation, main landmark, footer."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from dash import dcc, html

from dashboards.components.tables import aria
from dashboards.roles import Role

PRODUCT_NAME = "carelens"
MAIN_ID = "main-content"
NAV_ID = "shell-nav"
URL_ID = "shell-url"


def pages_for_navigation(
    registry: Mapping[str, Mapping[str, Any]], *, role: Role | None = None
) -> list[Mapping[str, Any]]:
    """Return the registered pages to list in the navigation, in their ``order``.

    Args:
        registry: ``dash.page_registry`` (module name to page entry; entries are dicts with
            mixed value types, hence ``Any``).
        role: Keep only pages whose ``roles`` include this role; ``None`` keeps every page.
    """
    pages = [
        page
        for page in registry.values()
        if not page.get("hide_from_navigation", False)
        and (role is None or role in page.get("roles", frozenset()))
    ]
    return sorted(pages, key=lambda page: (page.get("order") or 0, page["name"]))


def navigation_items(pages: Iterable[Mapping[str, Any]], *, current_path: str | None) -> list[Any]:
    """Return one list item per page; the page at ``current_path`` is marked as current."""
    items = []
    for page in pages:
        is_current = page["relative_path"] == current_path
        attributes = aria(current="page") if is_current else {}
        items.append(
            html.Li(
                html.A(
                    page["name"],
                    href=page["relative_path"],
                    className="shell-nav-link" + (" is-current" if is_current else ""),
                    **attributes,
                ),
                className="shell-nav-item",
            )
        )
    return items


def shell(*, pages: Iterable[Mapping[str, Any]], content: Any) -> html.Div:
    """Lay out the page frame around ``content`` (normally ``dash.page_container``)."""
    return html.Div(
        [
            dcc.Location(id=URL_ID, refresh=False),
            html.A("Skip to main content", href=f"#{MAIN_ID}", className="skip-link"),
            html.Header(
                html.Div(
                    [
                        html.A(
                            PRODUCT_NAME,
                            href="/",
                            className="shell-product",
                            title=f"{PRODUCT_NAME} home",
                        ),
                        html.Nav(
                            html.Ul(
                                navigation_items(pages, current_path=None),
                                id=NAV_ID,
                                className="shell-nav-list",
                            ),
                            className="shell-nav",
                            **aria(label="Main"),
                        ),
                    ],
                    className="shell-header-inner",
                ),
                className="shell-header",
            ),
            html.Main(content, id=MAIN_ID, className="shell-main", tabIndex="-1"),
            html.Footer(
                html.Div(
                    [
                        html.P(
                            f"{PRODUCT_NAME}: evidence from Digital Social Care Record exports."
                        ),
                        html.P(
                            "The dashboard reads the warehouse read-only. "
                            "Times are UK time (Europe/London)."
                        ),
                    ],
                    className="shell-footer-inner",
                ),
                className="shell-footer",
            ),
        ],
        className="shell",
    )
