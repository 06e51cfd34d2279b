from __future__ import annotations

from typing import Any

from dashboards.components.empty_state import empty_state
from dashboards.components.shell import navigation_items, pages_for_navigation
from dashboards.roles import Role

REGISTRY: dict[str, dict[str, Any]] = {
    "pages.quality": {
        "name": "Data quality",
        "relative_path": "/data-quality",
        "order": 1,
        "roles": frozenset({Role.QUALITY_LEAD, Role.ADMIN}),
    },
    "pages.home": {
        "name": "Home",
        "relative_path": "/",
        "order": 0,
        "roles": frozenset(Role),
    },
    "pages.icb": {
        "name": "ICB",
        "relative_path": "/icb",
        "order": 2,
        "roles": frozenset({Role.ICB_LEAD}),
    },
}


def test_pages_are_listed_in_order() -> None:
    pages = pages_for_navigation(REGISTRY)

    assert [page["name"] for page in pages] == ["Home", "Data quality", "ICB"]


def test_a_role_sees_only_its_pages() -> None:
    pages = pages_for_navigation(REGISTRY, role=Role.ICB_LEAD)

    assert [page["name"] for page in pages] == ["Home", "ICB"]


def test_the_current_page_is_marked() -> None:
    items = navigation_items(pages_for_navigation(REGISTRY), current_path="/data-quality")

    links = [item.children for item in items]
    marked = [link.children for link in links if getattr(link, "aria-current", None) == "page"]
    assert marked == ["Data quality"]


def test_empty_state_shows_commands_as_code() -> None:
    notice = empty_state("No load has run yet: run `carelens load INBOX`.")

    paragraph = notice.children[1]
    assert paragraph.children[0] == "No load has run yet: run "
    assert paragraph.children[1].children == "carelens load INBOX"
    assert notice.role == "status"
