from __future__ import annotations

from typing import Any

from dashboards import auth
from dashboards.components import shell
from dashboards.components.empty_state import empty_state
from dashboards.components.shell import (
    account_panel,
    describe_identity,
    navigation_items,
    pages_for_navigation,
)
from dashboards.roles import Identity, Role, Scope

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
LEAD = Identity(
    username="ana",
    roles=frozenset({Role.QUALITY_LEAD, Role.ADMIN}),
    scope=Scope(provider_id="1-101641521"),
)
ICB_LEAD = Identity(username="ian", roles=frozenset({Role.ICB_LEAD}), scope=Scope(icb_code="QOP"))


def test_pages_are_listed_in_order() -> None:
    pages = pages_for_navigation(REGISTRY, identity=LEAD)

    assert [page["name"] for page in pages] == ["Home", "Data quality"]


def test_an_identity_sees_only_its_pages() -> None:
    pages = pages_for_navigation(REGISTRY, identity=ICB_LEAD)

    assert [page["name"] for page in pages] == ["Home", "ICB"]


def test_nobody_signed_in_sees_no_pages() -> None:
    assert pages_for_navigation(REGISTRY, identity=None) == []


def test_the_current_page_is_marked() -> None:
    items = navigation_items(
        pages_for_navigation(REGISTRY, identity=LEAD), current_path="/data-quality"
    )

    links = [item.children for item in items]
    marked = [link.children for link in links if getattr(link, "aria-current", None) == "page"]
    assert marked == ["Data quality"]


def test_header_names_the_user_their_roles_and_scope() -> None:
    assert describe_identity(LEAD) == (
        "Signed in as ana (admin and quality lead, provider 1-101641521)"
    )
    admin = Identity(username="adam", roles=frozenset({Role.ADMIN}))
    assert describe_identity(admin) == "Signed in as adam (admin, no care data)"


def test_sign_out_posts_the_csrf_token_to_logout() -> None:
    panel = account_panel(identity=LEAD, csrf_token="token-123")

    form = panel.children[1]
    button = form.children
    assert (form.action, form.method) == ("/logout", "post")
    assert (button.type, button.name, button.value) == ("submit", "csrf_token", "token-123")
    assert button.children == "Sign out"


def test_sign_out_posts_what_the_sign_in_layer_checks() -> None:
    assert (shell.CSRF_FIELD, shell.SIGN_OUT_PATH) == (auth.CSRF_FIELD, auth.LOGOUT_PATH)


def test_nobody_signed_in_has_no_sign_out() -> None:
    panel = account_panel(identity=None, csrf_token=None)

    assert not panel.children


def test_empty_state_shows_commands_as_code() -> None:
    notice = empty_state("No load has run yet: run `carelens load INBOX`.")

    paragraph = notice.children[1]
    assert paragraph.children[0] == "No load has run yet: run "
    assert paragraph.children[1].children == "carelens load INBOX"
    assert getattr(notice, "role", None) == "status"
