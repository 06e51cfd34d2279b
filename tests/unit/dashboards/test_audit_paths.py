"""The audit trail names the page a Dash callback came from (the same-origin referrer)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import dash
import pytest
from audit_sample import PROVIDER_A
from dash._utils import split_callback_id
from signed_in import CALLBACK_PATH, app_accounts, app_config, signed_in_client

from dashboards.accounts import AccessEventKind
from dashboards.app import create_app
from dashboards.auth import CSRF_HEADER
from dashboards.context import current_services
from dashboards.roles import Role, Scope


def _router_payload(app: dash.Dash, pathname: str) -> dict[str, Any]:
    """The request dash-renderer sends to render the page at ``pathname``."""
    key, spec = next(
        (key, spec)
        for key, spec in app.callback_map.items()
        if any(item["property"] == "pathname" for item in spec["inputs"])
        and spec.get("callback") is not None
        and "_pages_content" in key
    )
    inputs = [
        {
            "id": item["id"],
            "property": item["property"],
            "value": pathname if item["property"] == "pathname" else "",
        }
        for item in spec["inputs"]
    ]
    return {
        "output": key,
        "outputs": split_callback_id(key),
        "inputs": inputs,
        "state": [],
        "changedPropIds": [f"{inputs[0]['id']}.{inputs[0]['property']}"],
    }


@pytest.mark.parametrize(
    ("referrer", "expected_path"),
    [
        (
            "http://localhost/data-quality?run=20261121T020000Z-a1",
            "/data-quality?run=20261121T020000Z-a1",
        ),
        ("http://elsewhere.example/data-quality", CALLBACK_PATH),
        (None, CALLBACK_PATH),
    ],
)
def test_queries_of_a_callback_are_recorded_under_the_page_it_came_from(
    warehouse_path: Path, tmp_path: Path, referrer: str | None, expected_path: str
) -> None:
    # Given an owner signed in to an app over the sample warehouse
    app = create_app(
        app_config(tmp_path, warehouse_path=warehouse_path), accounts=app_accounts(tmp_path)
    )
    client, csrf = signed_in_client(
        app, username="owner-a", roles=frozenset({Role.OWNER}), scope=Scope(provider_id=PROVIDER_A)
    )
    headers = {CSRF_HEADER: csrf} | ({"Referer": referrer} if referrer else {})

    # When the browser asks Dash's router for the Data quality page
    response = client.post(
        CALLBACK_PATH, json=_router_payload(app, "/data-quality"), headers=headers
    )

    # Then the queries it ran are recorded under the page the browser named (same host only)
    assert response.status_code == 200
    with app.server.app_context():
        queries = current_services().accounts.access_events(kind=AccessEventKind.QUERY)
    assert queries, "the page ran no query"
    assert {event.path for event in queries} == {expected_path}
