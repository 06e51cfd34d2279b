"""Home: what carelens is, and a link to each page."""

from __future__ import annotations

import dash
from dash import html

from dashboards.access import optional_identity
from dashboards.components.shell import PRODUCT_NAME, pages_for_navigation
from dashboards.roles import ALL_ROLES

dash.register_page(
    __name__,
    path="/",
    name="Home",
    title=PRODUCT_NAME,
    description="Evidence from Digital Social Care Record exports.",
    order=0,
    roles=ALL_ROLES,
)

PAGES = "home-pages"


def layout(**_query: str) -> html.Div:
    """Lay out the home page: a short introduction and the pages the signed-in user may open."""
    pages = [
        page
        for page in pages_for_navigation(dash.page_registry, identity=optional_identity())
        if page["relative_path"] != "/"
    ]
    return html.Div(
        [
            html.H1(PRODUCT_NAME),
            html.P(
                "Evidence from Digital Social Care Record exports for care providers, "
                "quality leads and integrated care boards.",
                className="lead",
            ),
            html.H2("Pages"),
            html.Ul(
                [
                    html.Li(
                        [
                            html.A(page["name"], href=page["relative_path"]),
                            html.Span(f": {page['description']}") if page["description"] else "",
                        ]
                    )
                    for page in pages
                ],
                id=PAGES,
                className="page-list",
            ),
        ]
    )
