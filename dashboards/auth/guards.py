"""Who may open which page, and which callback: the page guard and the callback guard.

A page's ``roles`` registry key decides both. The page guard answers 403 to a request for a page
outside the caller's roles; the layout guard renders an access-denied message when Dash's router
is asked for such a page in the browser (navigation without a page load); the callback guard
refuses a POST to ``/_dash-update-component`` for a callback defined in such a page's module.
Callbacks defined anywhere else (the shell, Dash's page router) are open to anyone signed in; the
query layer still checks every read against the caller's identity.
"""

from __future__ import annotations

import functools
import inspect
import re
from collections.abc import Callable, Mapping
from fnmatch import fnmatch
from typing import Any

import dash
from dash import html

from dashboards.access import optional_identity
from dashboards.accounts import AccessEventKind
from dashboards.context import record_access

PAGES_PACKAGE = "dashboards.pages"
DENIED_HEADING = "You do not have access to this page"
DENIED_ID = "access-denied"
_GUARDED_MARK = "__carelens_guarded__"

PageEntry = Mapping[str, Any]


def page_for_path(registry: Mapping[str, PageEntry], path: str) -> PageEntry | None:
    """The registered page Dash's router would show at ``path``, or ``None``.

    Matches as the router does: leading and trailing slashes ignored, ``path_template``
    variables (``/report/<run_id>``) matching any text.
    """
    wanted = path.strip("/")
    for page in registry.values():
        template = page.get("path_template")
        if template:
            stripped = str(template).strip("/")
            if fnmatch(wanted, re.sub("<.*?>", "*", stripped)):
                return page
        if wanted == str(page["path"]).strip("/"):
            return page
    return None


def may_open_page(page: PageEntry) -> bool:
    """Whether the current identity may open ``page``."""
    identity = optional_identity()
    return identity is not None and identity.may_open(page.get("roles", frozenset()))


def access_denied_content() -> html.Div:
    """What a page outside the caller's roles shows instead of its layout."""
    return html.Div(
        [
            html.H1(DENIED_HEADING),
            html.P(
                "Your account does not include this page. Ask your administrator if you need it."
            ),
            html.P(html.A("Go to the home page", href="/")),
        ],
        id=DENIED_ID,
        className="access-denied",
        role="alert",
    )


def guard_layout(page: PageEntry) -> Callable[..., Any]:
    """Wrap a page's ``layout`` so that it renders only for identities that may open the page.

    Every render is audited: ``PAGE_VIEW`` when shown, ``ACCESS_DENIED`` when refused.
    """
    layout = page["layout"]
    if getattr(layout, _GUARDED_MARK, False):
        return layout
    path = str(page["relative_path"])

    @functools.wraps(layout)
    def guarded_layout(**kwargs: Any) -> Any:
        if not may_open_page(page):
            record_access(AccessEventKind.ACCESS_DENIED, path=path, detail="page")
            return access_denied_content()
        record_access(AccessEventKind.PAGE_VIEW, path=path)
        return layout(**kwargs) if callable(layout) else layout

    setattr(guarded_layout, _GUARDED_MARK, True)
    return guarded_layout


def guard_page_layouts(registry: Mapping[str, dict[str, Any]]) -> None:
    """Replace every registered page's ``layout`` by its guarded version (:func:`guard_layout`)."""
    for page in registry.values():
        page["layout"] = guard_layout(page)


def callback_module(app: dash.Dash, output: str) -> str | None:
    """The module that defines the server-side callback of ``output`` (``None`` if unknown)."""
    entry = app.callback_map.get(output)
    if not entry or "callback" not in entry:
        return None
    function = inspect.unwrap(entry["callback"])
    return str(getattr(function, "__module__", "")) or None


LOCATION_PROPERTIES = frozenset({"pathname", "search", "hash", "href"})
"""Properties of ``dcc.Location`` that dash-renderer always sends as text (or null)."""


def has_malformed_location(body: Mapping[str, Any]) -> bool:
    """Whether a callback request sends a location property that is not text or null.

    dash-renderer never does; a forged request that does would fail inside Dash's page router
    with a 500, so it is answered 400 before it gets there.
    """
    items = [
        item for key in ("inputs", "state") if isinstance(body.get(key), list) for item in body[key]
    ]
    return any(
        isinstance(item, Mapping)
        and item.get("property") in LOCATION_PROPERTIES
        and not isinstance(item.get("value"), str | None)
        for item in items
    )


def callback_is_allowed(app: dash.Dash, output: str) -> bool | None:
    """Whether the current identity may call the callback of ``output``.

    Returns:
        ``None`` when no server-side callback has this output (Dash would fail on it), else
        whether the callback's page (if it belongs to one) admits the identity. A callback in a
        module under ``dashboards.pages`` that is not a registered page is refused.
    """
    module = callback_module(app, output)
    if module is None:
        return None
    pages = {page["module"]: page for page in dash.page_registry.values()}
    if module in pages:
        return may_open_page(pages[module])
    if module == PAGES_PACKAGE or module.startswith(PAGES_PACKAGE + "."):
        return False
    return optional_identity() is not None
