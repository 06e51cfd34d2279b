"""Forged callback requests: for every callback of the app and every role, nothing out of scope.

Dash callbacks can be called directly with any inputs, so hiding a page or a link proves
nothing. These tests discover every server-side callback from the built app's
``callback_map`` (a callback added later is covered without touching this file), and for
each role post ``/_dash-update-component`` requests whose inputs and state are forged: other
providers' runs and exports, another ICB, person and location ids, junk, ``None``. The page
router is one of those callbacks, so every page layout is rendered for every role with forged
query strings too. Every response body is then searched for what the role may not see.

The warehouse (``audit_sample``) holds providers A and C in ICB QAA and provider B in ICB QBB,
each with quarantined rows and warnings. The roles are A's owner, A's quality lead limited to
A's first location, QAA's ICB lead, an inspector of A, an admin, and nobody signed in.
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import dash
import pytest
from audit_sample import (
    ALL_PROVIDERS,
    EXPORT_A2,
    EXPORT_B3,
    ICB_A,
    ICB_B,
    LOCATION_A1,
    LOCATION_A2,
    LOCATION_B1,
    PROVIDER_A,
    PROVIDER_B,
    PROVIDER_C,
    QUARANTINED_A2,
    QUARANTINED_A_NO_LOCATION,
    RUN_1,
    RUN_2,
    RUN_3,
)
from dash._utils import split_callback_id
from flask.testing import FlaskClient
from signed_in import app_accounts, app_config, dash_update, signed_in_client

from dashboards.app import create_app
from dashboards.roles import Role, Scope


@dataclass(frozen=True)
class Caller:
    """A role to forge requests as, and what must never come back to it."""

    name: str
    roles: frozenset[Role] | None
    """``None``: nobody signed in."""
    scope: Scope
    forbidden: frozenset[str]
    """Strings that may not appear in any response body."""
    expected: frozenset[str]
    """Strings that some response must hold (the forged requests did reach data)."""
    disclosure_controlled: bool = False
    expires_on: date | None = None


def _identifiers(*providers: str, runs: bool = True) -> set[str]:
    values: set[str] = set()
    for provider in providers:
        known = ALL_PROVIDERS[provider]
        values |= {provider, *known["locations"], *known["exports"], *known["people"]}
    return values | ({RUN_3} if runs else set())


ALL_PEOPLE = {person for known in ALL_PROVIDERS.values() for person in known["people"]}
ALL_EXPORTS = {export for known in ALL_PROVIDERS.values() for export in known["exports"]}
ALL_LOCATIONS = {place for known in ALL_PROVIDERS.values() for place in known["locations"]}
FREE_TEXT = {"a_col", "b_col", "ISO 8601", "autumn fall-back"}
"""Text of quarantine reasons and warnings: person-level, for the provider's own users only."""
UNROUNDED_COUNTS = {"1028", "1,028", "1013", "1,013", "2269", "2,269", "2211", "2,211"}
"""Rows read and loaded of providers A and B before rounding (hand-worked in the query tests)."""

CALLERS = [
    Caller(
        name="owner",
        roles=frozenset({Role.OWNER}),
        scope=Scope(provider_id=PROVIDER_A),
        forbidden=frozenset(_identifiers(PROVIDER_B, PROVIDER_C) | {ICB_B}),
        expected=frozenset({EXPORT_A2, "PA1-0001", "PA2-0001"}),
    ),
    Caller(
        name="quality_lead",
        roles=frozenset({Role.QUALITY_LEAD}),
        scope=Scope(provider_id=PROVIDER_A, location_ids=frozenset({LOCATION_A1})),
        forbidden=frozenset(
            _identifiers(PROVIDER_B, PROVIDER_C)
            | {LOCATION_A2, QUARANTINED_A_NO_LOCATION, *QUARANTINED_A2, ICB_B}
        ),
        expected=frozenset({EXPORT_A2, "PA1-0001", LOCATION_A1}),
    ),
    Caller(
        name="icb_lead",
        roles=frozenset({Role.ICB_LEAD}),
        scope=Scope(icb_code=ICB_A),
        forbidden=frozenset(
            {PROVIDER_B, ICB_B, RUN_1, RUN_2, RUN_3}
            | ALL_PEOPLE
            | ALL_EXPORTS
            | ALL_LOCATIONS
            | FREE_TEXT
            | UNROUNDED_COUNTS
        ),
        expected=frozenset({PROVIDER_A, PROVIDER_C, "1,030", "[c]"}),
        disclosure_controlled=True,
    ),
    Caller(
        name="inspector",
        roles=frozenset({Role.INSPECTOR}),
        scope=Scope(provider_id=PROVIDER_A),
        forbidden=frozenset(_identifiers(PROVIDER_B, PROVIDER_C) | {ICB_B}),
        expected=frozenset(),
        expires_on=date(2099, 12, 31),
    ),
    Caller(
        name="admin",
        roles=frozenset({Role.ADMIN}),
        scope=Scope(),
        forbidden=frozenset(ALL_PEOPLE | FREE_TEXT),
        expected=frozenset({PROVIDER_B, EXPORT_B3, "Table-level checks"}),
    ),
    Caller(
        name="nobody",
        roles=None,
        scope=Scope(),
        forbidden=frozenset(
            {PROVIDER_A, PROVIDER_B, PROVIDER_C, RUN_1, RUN_2, RUN_3}
            | ALL_PEOPLE
            | ALL_EXPORTS
            | ALL_LOCATIONS
            | FREE_TEXT
        ),
        expected=frozenset(),
    ),
]

FORGED_VALUES: list[Any] = [
    None,
    "",
    RUN_1,
    RUN_2,
    RUN_3,
    EXPORT_B3,
    PROVIDER_B,
    PROVIDER_C,
    LOCATION_A2,
    LOCATION_B1,
    ICB_B,
    "PB-0001",
    "' or 1=1 --",
    "../../etc/passwd",
    12345,
    -1,
    True,
    ["junk", RUN_3],
    {"provider_id": PROVIDER_B, "scope_provider_id": PROVIDER_B, "run_id": RUN_3},
    {"username": "", "kind": "QUERY", "since": "2000-01-01", "until": "2999-12-31"},
    {"username": "'; drop table access_log; --", "kind": "nonsense", "since": "x"},
]
"""Values put in every input and state a callback reads (its data, stores, filters)."""
FORGED_CLICKS: list[Any] = [1, 3, None, "junk"]
FORGED_SEARCHES: list[Any] = [
    "",
    None,
    f"?run={RUN_1}",
    f"?run={RUN_2}",
    f"?run={RUN_3}",
    f"?run={RUN_3}&provider_id={PROVIDER_B}&scope_provider_id={PROVIDER_B}",
    f"?icb_code={ICB_B}&location_ids={LOCATION_A2}",
    "?username=owner&kind=QUERY&since=2000-01-01&until=2999-12-31",
    "?run=' or '1'='1",
]
EXTRA_PATHS = ["/", "/nowhere", f"/data-docs/{RUN_3}/index.html", None, 12345]


def _candidates(prop: str, *, page_paths: list[str]) -> list[Any]:
    if prop.startswith("n_clicks"):
        return FORGED_CLICKS
    if prop == "pathname":
        return [*page_paths, *EXTRA_PATHS]
    if prop == "search":
        return FORGED_SEARCHES
    return FORGED_VALUES


@dataclass(frozen=True)
class ForgedRequest:
    callback: str
    payload: dict[str, Any]


def forged_requests(app: dash.Dash) -> Iterator[ForgedRequest]:
    """Every server-side callback of ``app`` with every combination of forged values."""
    page_paths = [page["path"] for page in dash.page_registry.values()]
    for key, spec in app.callback_map.items():
        if spec.get("callback") is None:
            continue  # client-side only: runs in the browser, never reaches the server
        dependencies = [("inputs", item) for item in spec["inputs"]] + [
            ("state", item) for item in spec.get("state", [])
        ]
        choices = [_candidates(item["property"], page_paths=page_paths) for _, item in dependencies]
        for values in itertools.product(*choices):
            payload: dict[str, Any] = {
                "output": key,
                "outputs": split_callback_id(key),
                "inputs": [],
                "state": [],
                "changedPropIds": [],
            }
            for (kind, item), value in zip(dependencies, values, strict=True):
                payload[kind].append(
                    {"id": item["id"], "property": item["property"], "value": value}
                )
                if kind == "inputs":
                    payload["changedPropIds"].append(f"{item['id']}.{item['property']}")
            yield ForgedRequest(callback=key, payload=payload)


@pytest.fixture(scope="module")
def forged_app(warehouse_path: Path, tmp_path_factory: pytest.TempPathFactory) -> dash.Dash:
    """An app over the three-provider warehouse, with its own accounts file."""
    root = tmp_path_factory.mktemp("forged")
    return create_app(app_config(root, warehouse_path=warehouse_path), accounts=app_accounts(root))


def _client(app: dash.Dash, caller: Caller) -> tuple[FlaskClient, str]:
    if caller.roles is None:
        return app.server.test_client(), "no-session-csrf"
    return signed_in_client(
        app,
        username=f"forger-{caller.name}".replace("_", "-"),
        roles=caller.roles,
        scope=caller.scope,
        expires_on=caller.expires_on,
    )


def _without_token(body: str, token: str) -> str:
    """``body`` without the session's random CSRF token (the shell's Sign out form holds it).

    The token is 43 random URL-safe characters, so now and then it holds a forbidden code such
    as ``QBB`` by chance; it is not data, so it is taken out before looking for leaks.
    """
    return body.replace(token, "<csrf>") if token else body


def _found(value: str, body: str) -> bool:
    """Whether ``value`` is in ``body``; a number only as a whole token (not in a hash)."""
    if value.replace(",", "").isdigit():
        return re.search(rf"(?<![\w.,~]){re.escape(value)}(?![\w.,~])", body) is not None
    return value in body


_NUMERIC_CELL = re.compile(r"^(?:\d+|\d{1,3}(?:,\d{3})+)$")


def _numeric_cells(value: Any) -> Iterator[str]:
    """Text of every ``numeric`` table cell in a JSON response (Dash components as dicts)."""
    if isinstance(value, dict):
        props = value.get("props")
        if (
            value.get("type") == "Td"
            and isinstance(props, dict)
            and props.get("className") == "numeric"
        ):
            yield str(props.get("children"))
        for child in value.values():
            yield from _numeric_cells(child)
    elif isinstance(value, list):
        for child in value:
            yield from _numeric_cells(child)


def _csv_counts(value: Any) -> Iterator[str]:
    """Cells of count columns in any CSV download held by a JSON response."""
    if isinstance(value, dict):
        if isinstance(value.get("content"), str) and isinstance(value.get("filename"), str):
            lines = value["content"].splitlines()
            header = lines[0].split(",") if lines else []
            counts = [i for i, name in enumerate(header) if name.startswith(("rows_", "packages_"))]
            for line in lines[1:]:
                cells = line.split(",")
                yield from (cells[i] for i in counts)
        for child in value.values():
            yield from _csv_counts(child)
    elif isinstance(value, list):
        for child in value:
            yield from _csv_counts(child)


def _is_published_count(text: str) -> bool:
    if text == "[c]":
        return True
    if not _NUMERIC_CELL.match(text):
        return False
    number = int(text.replace(",", ""))
    return number == 0 or (number > 7 and number % 5 == 0)


def _is_router_with_a_non_text_path(request: ForgedRequest) -> bool:
    paths = [item["value"] for item in request.payload["inputs"] if item["property"] == "pathname"]
    return request.callback.startswith(".._pages_content") and not isinstance(paths[0], str | None)


@pytest.mark.parametrize("caller", CALLERS, ids=[caller.name for caller in CALLERS])
def test_forged_callbacks_return_nothing_out_of_scope(
    forged_app: dash.Dash, caller: Caller
) -> None:
    # Given the caller's session (or none)
    client, csrf = _client(forged_app, caller)
    requests = list(forged_requests(forged_app))
    callbacks = {request.callback for request in requests}

    # When every forged request is posted
    statuses: dict[int, int] = {}
    seen_text: list[str] = []
    leaks: list[str] = []
    failures: list[ForgedRequest] = []
    for request in requests:
        response = dash_update(client, csrf, request.payload)
        statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
        body = _without_token(response.get_data(as_text=True), csrf)
        seen_text.append(body)
        leaks += [
            f"{request.callback}: {value}" for value in caller.forbidden if _found(value, body)
        ]
        if caller.roles is None:
            assert response.status_code == 401, request.payload
        elif _is_router_with_a_non_text_path(request):
            assert response.status_code == 400, request.payload
        if response.status_code == 500:
            failures.append(request)
            assert "Traceback" not in body
            assert json.loads(body) == {"error": "server error"}
        if caller.disclosure_controlled and response.status_code == 200:
            decoded = json.loads(body)
            for cell in [*_numeric_cells(decoded), *_csv_counts(decoded)]:
                if not _is_published_count(cell):
                    leaks.append(f"{request.callback}: unpublishable count {cell!r}")

    # Then nothing out of scope came back, no request failed, and in-scope data did come
    assert leaks == []
    assert set(statuses) <= {200, 204, 400, 401, 403}, statuses
    assert failures == []
    # a pathname that is not text (Dash's router would fail on it) is refused up front
    malformed = [r for r in requests if _is_router_with_a_non_text_path(r)]
    assert malformed, "no forged request sent a non-text pathname"
    everything = "".join(seen_text)
    assert {value for value in caller.expected if value not in everything} == set()
    # every server-side callback was exercised (the router, the shell, each page's downloads)
    assert len(callbacks) >= 5
    assert len(requests) > 100


@pytest.mark.parametrize("caller", CALLERS, ids=[caller.name for caller in CALLERS])
def test_pages_and_layout_requests_return_nothing_out_of_scope(
    forged_app: dash.Dash, caller: Caller
) -> None:
    # Given the caller's session (or none)
    client, csrf = _client(forged_app, caller)
    paths = [page["path"] for page in dash.page_registry.values()]

    # When every page is requested with every forged query string, and the app layout
    urls = [f"{path}{search or ''}" for path in paths for search in FORGED_SEARCHES]
    urls.append("/_dash-layout")
    responses = [(url, client.get(url)) for url in urls]

    # Then no body holds anything out of scope (beyond the URL asked for, which Dash's page
    # metadata and the sign-in redirect repeat), and nobody signed in gets no page at all
    for url, response in responses:
        body = _without_token(response.get_data(as_text=True), csrf)
        assert [v for v in caller.forbidden if _found(v, body) and v not in url] == []
        if caller.roles is None:
            assert response.status_code in {302, 401}
