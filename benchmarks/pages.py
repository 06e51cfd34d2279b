"""Benchmark: callback latency of the quality, alerts and time pages on 24 months of one ICB.

Generates and loads the default synthetic ICB (12 providers, 24 months; about 3.5 million event
rows), builds the dashboard, signs in the owner of the provider with the most falls, and then
measures, in the same run:

- every server-side callback of the quality pages (Quality summary, Falls, Medication, Pressure
  ulcers) and of the Alerts and Staff time pages (issue #5), posted to
  ``/_dash-update-component`` through the whole app (session, guards, scoped queries, SPC,
  figures, audit trail), including Dash's page router rendering each page; inputs are the
  values the rendered layout starts with, and ``n_clicks`` inputs are clicked once;
- the baseline: the falls series of one location computed from the ``staging`` tables without
  the mart (current versions picked, final records, Europe/London months, bed days from
  occupancy), the query the Falls page would need if there were no mart.

It prints the median and 95th percentile of each, and the ratio to the baseline.
Usage: python benchmarks/pages.py [--repeat N] [--workdir DIR] [--json PATH]
"""

from __future__ import annotations

import argparse
import inspect
import json
import os
import statistics
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import dash
import duckdb
from argon2 import PasswordHasher
from dash._utils import split_callback_id

from dashboards.accounts import AccountStore
from dashboards.app import create_app
from dashboards.auth import CSRF_COOKIE_NAME, CSRF_HEADER, SESSION_TOKEN_KEY
from dashboards.config import DashboardConfig
from dashboards.context import current_services, utc_now
from dashboards.roles import Role, Scope
from pipelines.config import PipelineConfig
from pipelines.runner import run_nightly
from pipelines.synthetic import generate_icb

PAGES = {
    "dashboards.pages.quality": "/quality",
    "dashboards.pages.falls": "/falls",
    "dashboards.pages.medication": "/medication",
    "dashboards.pages.pressure_ulcers": "/pressure-ulcers",
    "dashboards.pages.alerts": "/alerts",
    "dashboards.pages.time": "/time",
}
CALLBACK_PATH = "/_dash-update-component"
TARGET_P95_MS = 150.0

BASELINE_SQL = """
with incidents as (
    select *
    from staging.incidents
    where provider_id = $provider and location_id = $location
    qualify row_number() over (
        partition by record_uid order by version desc, export_sequence desc, source_line desc
    ) = 1
),
falls as (
    select date_trunc('month', timezone('Europe/London', occurred_at))::date as month,
        count(*) as falls
    from incidents
    where status = 'final' and incident_type = 'fall' and person_id is not null
    group by all
),
occupancy as (
    select date, occupied_beds
    from staging.occupancy
    where provider_id = $provider and location_id = $location
    qualify row_number() over (
        partition by date order by export_sequence desc, source_line desc
    ) = 1
),
bed_days as (
    select date_trunc('month', date)::date as month, sum(occupied_beds) as occupied_bed_days
    from occupancy
    group by all
)
select month, coalesce(falls, 0) as falls, occupied_bed_days,
    coalesce(falls, 0) / nullif(occupied_bed_days, 0) * 1000 as falls_per_1000_bed_days
from bed_days
left join falls using (month)
order by month
"""


def build_warehouse(workdir: Path) -> Path:
    """Generate the default 24-month ICB and load it with the real nightly runner."""
    inbox = workdir / "inbox"
    warehouse = workdir / "carelens.duckdb"
    if not warehouse.exists():
        generate_icb(out_dir=inbox, seed=1, providers=12, months=24)
        config = PipelineConfig(
            warehouse_path=warehouse,
            pseudonym_key=b"benchmark-pseudonym-key-0123456789",
            data_docs_dir=workdir / "data_docs",
            accounts_path=workdir / "accounts.sqlite3",
            show_progress=False,
        )
        run_nightly(inbox=inbox, config=config)
    return warehouse


def busiest_location(warehouse: Path) -> tuple[str, str]:
    """The provider and care-home location with the most falls in the mart."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        rows = con.sql(
            "select provider_id, location_id from marts.quality_monthly "
            "where occupied_bed_days > 0 group by all order by sum(falls) desc limit 1"
        ).fetchall()
    provider_id, location_id = rows[0]
    return str(provider_id), str(location_id)


def signed_in_client(app: dash.Dash, *, provider_id: str) -> tuple[Any, str]:
    """A test client with a real session of an owner of ``provider_id``."""
    return signed_in_as(
        app, username="bench-owner", role=Role.OWNER, scope=Scope(provider_id=provider_id)
    )


def signed_in_as(app: dash.Dash, *, username: str, role: Role, scope: Scope) -> tuple[Any, str]:
    """A test client with a real session of ``username`` (created with ``role`` and ``scope``
    if it does not exist), and the session's CSRF token."""
    with app.server.app_context():
        store = current_services().accounts
        now = utc_now()
        if store.get_user(username) is None:
            store.add_user(username, roles=frozenset({role}), scope=scope, password=None, now=now)
        token, csrf = store.open_session(username, auth_method="password", now=now)
    client = app.server.test_client()
    with client.session_transaction() as session:
        session[SESSION_TOKEN_KEY] = token
    client.set_cookie(CSRF_COOKIE_NAME, csrf)
    return client, csrf


def _components(node: Any) -> Iterator[dict[str, Any]]:
    if isinstance(node, dict):
        if "props" in node and "type" in node:
            yield node
            yield from _components(node["props"].get("children"))
        else:
            for value in node.values():
                yield from _components(value)
    elif isinstance(node, list):
        for item in node:
            yield from _components(item)


def _router_payload(app: dash.Dash, pathname: str, search: str) -> dict[str, Any]:
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


def _page_callbacks(app: dash.Dash, module: str) -> list[tuple[str, dict[str, Any]]]:
    return [
        (key, spec)
        for key, spec in app.callback_map.items()
        if spec.get("callback") is not None
        and getattr(inspect.unwrap(spec["callback"]), "__module__", "").startswith(module)
    ]


def _payload(key: str, spec: dict[str, Any], props: dict[str, dict[str, Any]]) -> dict[str, Any]:
    def value(item: dict[str, Any]) -> Any:
        if item["property"].startswith("n_clicks"):
            return 1
        return props.get(str(item["id"]), {}).get(item["property"])

    inputs = [
        {"id": item["id"], "property": item["property"], "value": value(item)}
        for item in spec["inputs"]
    ]
    state = [
        {"id": item["id"], "property": item["property"], "value": value(item)}
        for item in spec.get("state", [])
    ]
    return {
        "output": key,
        "outputs": split_callback_id(key),
        "inputs": inputs,
        "state": state,
        "changedPropIds": [f"{item['id']}.{item['property']}" for item in inputs],
    }


def _time(call: Any, repeat: int) -> list[float]:
    call()  # warm: first query of each SQL file reads it from disk
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        timings.append((time.perf_counter() - started) * 1000)
    return timings


def _summary(timings: list[float]) -> dict[str, float]:
    ordered = sorted(timings)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {"median_ms": statistics.median(ordered), "p95_ms": p95}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=40)
    parser.add_argument("--workdir", type=Path, default=None)
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="carelens-pages-"))
    workdir.mkdir(parents=True, exist_ok=True)
    warehouse = build_warehouse(workdir)
    provider_id, location_id = busiest_location(warehouse)

    def baseline() -> None:
        with duckdb.connect(str(warehouse), read_only=True) as con:
            con.sql(BASELINE_SQL, params={"provider": provider_id, "location": location_id}).pl()

    # Before the app: its reader keeps the warehouse open between requests, and DuckDB would
    # hand this connection that open database instead of opening the file each time.
    base = _summary(_time(baseline, args.repeat))

    app = create_app(
        DashboardConfig(
            warehouse_path=warehouse,
            data_docs_dir=workdir / "data_docs",
            accounts_path=workdir / "accounts.sqlite3",
            secret_key=b"benchmark-secret-key-not-for-production-0123",
            cookie_secure=False,
        ),
        accounts=AccountStore(
            workdir / "accounts.sqlite3",
            hasher=PasswordHasher(time_cost=1, memory_cost=8, parallelism=1),
        ),
    )
    client, csrf = signed_in_client(app, provider_id=provider_id)

    def post(payload: dict[str, Any]) -> Any:
        response = client.post(CALLBACK_PATH, json=payload, headers={CSRF_HEADER: csrf})
        if response.status_code not in (200, 204):
            raise RuntimeError(f"{payload['output']}: HTTP {response.status_code}")
        return response

    results: dict[str, dict[str, float]] = {}
    for module, path in PAGES.items():
        search = "" if path == "/quality" else f"?location={location_id}"
        router = _router_payload(app, path, search)
        results[f"{path} (render page)"] = _summary(_time(lambda r=router: post(r), args.repeat))
        layout = post(router).get_json()
        props = {
            str(node["props"]["id"]): node["props"]
            for node in _components(layout)
            if isinstance(node["props"].get("id"), str)
        }
        for key, spec in _page_callbacks(app, module):
            payload = _payload(key, spec, props)
            name = f"{path} {key.split('.')[0].lstrip('.')[:60]}"
            results[name] = _summary(_time(lambda p=payload: post(p), args.repeat))

    print(
        f"Warehouse: {warehouse} ({warehouse.stat().st_size / 2**20:.0f} MiB); owner of "
        f"{provider_id}, location {location_id}; {args.repeat} timed calls each"
    )
    print(f"{'callback':<75} {'median ms':>10} {'p95 ms':>8} {'p95/base':>9}")
    for name, figures in results.items():
        print(
            f"{name:<75} {figures['median_ms']:>10.1f} {figures['p95_ms']:>8.1f} "
            f"{figures['p95_ms'] / base['p95_ms']:>9.2f}"
        )
    print(
        f"{'baseline: falls series from staging, no mart':<75} "
        f"{base['median_ms']:>10.1f} {base['p95_ms']:>8.1f} {1.0:>9.2f}"
    )
    worst = max(figures["p95_ms"] for figures in results.values())
    print(f"Slowest p95: {worst:.1f} ms (target under {TARGET_P95_MS:.0f} ms)")
    load = os.getloadavg()
    print(f"Load average (1, 5, 15 min) at the end: {load[0]:.2f}, {load[1]:.2f}, {load[2]:.2f}")
    if args.json:
        args.json.write_text(
            json.dumps(
                {"callbacks": results, "baseline": base, "load_average": list(load)}, indent=2
            )
        )


if __name__ == "__main__":
    main()
