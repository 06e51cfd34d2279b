"""The frame around every page: skip link, header (navigation, who is signed in), main, footer."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from dash import dcc, html

from dashboards.components.tables import aria
from dashboards.roles import Identity

PRODUCT_NAME = "carelens"
MAIN_ID = "main-content"
NAV_ID = "shell-nav"
URL_ID = "shell-url"
ACCOUNT_ID = "shell-account"
SIGN_OUT_PATH = "/logout"
CSRF_FIELD = "csrf_token"


def pages_for_navigation(
    registry: Mapping[str, Mapping[str, Any]], *, identity: Identity | None
) -> list[Mapping[str, Any]]:
    """Return the registered pages ``identity`` may open, in their ``order``.

    Args:
        registry: ``dash.page_registry`` (module name to page entry; entries are dicts with
            mixed value types, hence ``Any``).
        identity: Who is signed in; nobody (``None``) is shown no pages.
    """
    pages = [
        page
        for page in registry.values()
        if not page.get("hide_from_navigation", False)
        and identity is not None
        and identity.may_open(page.get("roles", frozenset()))
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


def describe_identity(identity: Identity) -> str:
    """One line saying who is signed in, e.g. ``Signed in as ana (quality lead, provider 1-1)``."""
    roles = " and ".join(role.replace("_", " ") for role in sorted(identity.roles))
    scope = identity.scope.describe()
    scope_text = "no care data" if scope == "none" else scope
    return f"Signed in as {identity.username} ({roles}, {scope_text})"


def account_panel(*, identity: Identity | None, csrf_token: str | None) -> html.Div:
    """Who is signed in, and the Sign out button (a form posted with the session's CSRF token)."""
    if identity is None:
        return html.Div(id=ACCOUNT_ID, className="shell-account")
    return html.Div(
        [
            html.P(describe_identity(identity), className="shell-account-name"),
            html.Form(
                # The button's name and value are posted with the form: the CSRF token.
                html.Button(
                    "Sign out",
                    type="submit",
                    name=CSRF_FIELD,
                    value=csrf_token or "",
                    className="shell-sign-out",
                ),
                method="post",
                action=SIGN_OUT_PATH,
                className="shell-sign-out-form",
            ),
        ],
        id=ACCOUNT_ID,
        className="shell-account",
    )


def shell(
    *,
    pages: Iterable[Mapping[str, Any]],
    content: Any,
    identity: Identity | None = None,
    csrf_token: str | None = None,
) -> html.Div:
    """Lay out the page frame around ``content`` (normally ``dash.page_container``).

    Args:
        pages: The pages to list in the navigation (those the identity may open).
        content: What goes in the main landmark.
        identity: Who is signed in (named in the header, with a Sign out button).
        csrf_token: The session's CSRF token, posted with Sign out.
    """
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
                        account_panel(identity=identity, csrf_token=csrf_token),
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
