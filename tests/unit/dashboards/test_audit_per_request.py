"""A request's audit events are written together, in order, and survive an error."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import dash
import pytest
from accounts_testkit import T0, make_store
from audit_sample import LOCATION_A1, PROVIDER_A
from dash._utils import split_callback_id
from signed_in import CALLBACK_PATH, app_accounts, app_config, signed_in_client

from dashboards.accounts import AccessEvent, AccessEventKind, AccountStore, access_log
from dashboards.app import create_app
from dashboards.auth import CSRF_HEADER
from dashboards.components import measure_content
from dashboards.context import current_services
from dashboards.queries import QueryAudit
from dashboards.roles import Role, Scope


def _router_payload(app: dash.Dash, pathname: str, search: str) -> dict[str, Any]:
    """The request dash-renderer sends to render the page at ``pathname`` + ``search``."""
    key, spec = next(
        (key, spec)
        for key, spec in app.callback_map.items()
        if "_pages_content" in key and spec.get("callback") is not None
    )
    values = {"pathname": pathname, "search": search, "hash": "", "href": None}
    inputs = [
        {"id": item["id"], "property": item["property"], "value": values.get(item["property"])}
        for item in spec["inputs"]
    ]
    state = [
        {"id": item["id"], "property": item["property"], "value": values.get(item["property"])}
        for item in spec.get("state", [])
    ]
    return {
        "output": key,
        "outputs": split_callback_id(key),
        "inputs": inputs,
        "state": state,
        "changedPropIds": [f"{inputs[0]['id']}.{inputs[0]['property']}"],
    }


class _Spy:
    """Counts the queries the app's reader reports and the writes to the audit trail."""

    def __init__(self, app: dash.Dash, monkeypatch: pytest.MonkeyPatch) -> None:
        self.queries: list[str] = []
        self.writes: list[int] = []
        reader = current_services_of(app).reader
        recorded = reader.on_query
        assert recorded is not None

        def on_query(audit: QueryAudit) -> None:
            self.queries.append(audit.query_name)
            recorded(audit)

        monkeypatch.setattr(reader, "on_query", on_query)
        append_many = access_log.append_many

        def counted(connection: Any, events: list[AccessEvent]) -> None:
            self.writes.append(len(events))
            append_many(connection, events)

        monkeypatch.setattr(access_log, "append_many", counted)


def current_services_of(app: dash.Dash) -> Any:
    """The services ``create_app`` attached to ``app``."""
    with app.server.app_context():
        return current_services()


@pytest.fixture
def app(warehouse_path: Path, tmp_path: Path) -> dash.Dash:
    """An app over the sample warehouse."""
    return create_app(
        app_config(tmp_path, warehouse_path=warehouse_path), accounts=app_accounts(tmp_path)
    )


def _owner_client(app: dash.Dash) -> tuple[Any, dict[str, str]]:
    client, csrf = signed_in_client(
        app, username="owner-a", roles=frozenset({Role.OWNER}), scope=Scope(provider_id=PROVIDER_A)
    )
    return client, {CSRF_HEADER: csrf}


def _request_events(store: AccountStore) -> list[AccessEvent]:
    """The events of the latest request, oldest first."""
    events = store.access_events()
    latest = events[0].request_id
    return [event for event in reversed(events) if event.request_id == latest]


def test_a_render_writes_its_view_and_each_query_in_one_transaction(
    app: dash.Dash, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given an owner signed in, and a count of the queries the Falls page runs
    client, headers = _owner_client(app)
    spy = _Spy(app, monkeypatch)

    # When the browser asks Dash's router for the Falls page of Alder House
    response = client.post(
        CALLBACK_PATH,
        json=_router_payload(app, "/falls", f"?location={LOCATION_A1}"),
        headers=headers,
    )

    # Then the view and one QUERY row per query it ran are written, in order, in one write
    assert response.status_code == 200
    store = current_services_of(app).accounts
    events = _request_events(store)
    assert len(spy.queries) >= 5  # locations, estimate, series, heatmap, incidents at least
    assert [event.kind for event in events] == [AccessEventKind.PAGE_VIEW] + [
        AccessEventKind.QUERY
    ] * len(spy.queries)
    assert [event.detail.split(" ")[0] for event in events[1:] if event.detail] == spy.queries
    assert spy.writes == [1 + len(spy.queries)]
    # and the hash chain checks out
    assert store.verify_access_log() is None


def test_events_recorded_before_an_error_are_still_written(
    app: dash.Dash, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given the incident list fails after the page's other queries have run
    client, headers = _owner_client(app)
    spy = _Spy(app, monkeypatch)

    def broken(*_args: object, **_kwargs: object) -> list[Any]:
        raise RuntimeError("the incident list failed")

    monkeypatch.setattr(measure_content, "incident_children", broken)
    app.server.config["PROPAGATE_EXCEPTIONS"] = False

    # When the page is asked for
    response = client.post(
        CALLBACK_PATH,
        json=_router_payload(app, "/falls", f"?location={LOCATION_A1}"),
        headers=headers,
    )

    # Then the request fails, but its view and the queries that ran are on the trail
    assert response.status_code == 500
    store = current_services_of(app).accounts
    events = _request_events(store)
    assert spy.queries
    assert [event.kind for event in events] == [AccessEventKind.PAGE_VIEW] + [
        AccessEventKind.QUERY
    ] * len(spy.queries)
    assert store.verify_access_log() is None


class TestHeldEvents:
    def test_held_events_are_written_in_order_in_one_transaction(self, tmp_path: Path) -> None:
        # Given a trail with one event already on it
        store = make_store(tmp_path)
        store.record(AccessEvent(kind=AccessEventKind.SIGN_IN, at=T0, username="alice"))

        # When three more are recorded while held, then written
        store.hold_events()
        for minute in (1, 2, 3):
            store.record(
                AccessEvent(
                    kind=AccessEventKind.QUERY,
                    at=T0 + timedelta(minutes=minute),
                    username="alice",
                    detail=f"query {minute}",
                )
            )
        store.write_held_events()

        # Then all four are on the trail, chained, ids 1 to 4 in the order recorded
        events = store.access_events()
        assert [event.detail for event in events] == ["query 3", "query 2", "query 1", None]
        assert store.verify_access_log() is None

    def test_reading_the_trail_writes_what_is_held_first(self, tmp_path: Path) -> None:
        store = make_store(tmp_path)
        store.hold_events()
        store.record(AccessEvent(kind=AccessEventKind.PAGE_VIEW, at=T0, username="alice"))

        # The audit page reads the trail in the same request as its own view
        assert [event.kind for event in store.access_events()] == [AccessEventKind.PAGE_VIEW]

        # and events recorded after the read follow it
        store.record(
            AccessEvent(kind=AccessEventKind.QUERY, at=T0 + timedelta(seconds=1), username="a")
        )
        store.write_held_events()
        assert [event.kind for event in store.access_events()] == [
            AccessEventKind.QUERY,
            AccessEventKind.PAGE_VIEW,
        ]
        assert store.verify_access_log() is None

    def test_after_writing_events_are_written_at_once_again(self, tmp_path: Path) -> None:
        store = make_store(tmp_path)
        store.hold_events()
        store.write_held_events()

        store.record(AccessEvent(kind=AccessEventKind.SIGN_IN, at=T0, username="alice"))

        # a second store on the same file (another process) sees it without any flush
        assert len(make_store(tmp_path).access_events()) == 1
