"""Benchmark: the DSCR adoption marts at national scale, and the /adoption page (issue #7).

Part 1, national scale. Writes a seeded national set of reference tables into a temporary
DuckDB file: 84 monthly CQC directory snapshots of 56,000 locations (about 4.6 million
directory rows, half of them adult social care, 1 in 20 dormant, 4 in 10 care homes), 106
sub-ICBs in 42 ICBs (four sub-ICBs move ICB on 1 April 2023), 168,000 adoption returns (three
per location, Yes more likely as time goes on, some abandoned) and 600 exporting locations
whose packages end up to 90 days before the run. Then measures, in the same run:

- baseline: a plain DuckDB scan and group-by over the same directory rows (active adult social
  care locations per snapshot);
- ``build_adoption_marts`` (the four marts, 2.2 million location-months), in a transaction as
  the load runs it;
- ``build_adoption_trajectory`` (one fit per ICB, with its location-clustered covariance).

Part 2, the page. On the demo-sized ICB (``carelens generate``'s defaults: 12 providers,
24 months, ICB QZZ with 81 directory locations and 424 returns, loaded by the real nightly
runner; or ``--page-warehouse`` to use a loaded warehouse as it is, read only), signs in an ICB
lead of QZZ and posts the ``/adoption`` render to ``/_dash-update-component`` through the whole
app (session, guards, scoped and disclosure-controlled queries, figures, audit trail), as
``benchmarks/pages.py`` does for the other pages:

- render: the page as a lead sees it on every view after the first;
- first render: the same with the in-process funnel cache emptied first (the first view of
  the ICB after the app starts or a load publishes new figures);
- baselines, timed before the app opens the warehouse: the ICB's monthly rate counted from
  ``marts.adoption_location_monthly`` (what the page would count without
  ``marts.adoption_monthly``), and the falls series of ``benchmarks/pages.py``'s baseline for
  the busiest location (the yardstick of the other pages' ratios).

Prints the median and 95th percentile of each and the ratios to the baselines.
Usage: python benchmarks/adoption.py [--repeat N] [--page-repeat N] [--workdir DIR]
       [--page-warehouse PATH] [--skip-national] [--json PATH]
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
from argon2 import PasswordHasher

sys.path.insert(0, str(Path(__file__).resolve().parent))

from pages import (  # noqa: E402  (benchmarks/pages.py)
    BASELINE_SQL,
    _router_payload,
    busiest_location,
    signed_in_as,
)
from pages import build_warehouse as build_demo_warehouse  # noqa: E402

from dashboards.accounts import AccountStore  # noqa: E402
from dashboards.app import create_app  # noqa: E402
from dashboards.auth import CSRF_HEADER  # noqa: E402
from dashboards.components import adoption_funnel  # noqa: E402
from dashboards.config import DashboardConfig  # noqa: E402
from dashboards.roles import Role, Scope  # noqa: E402
from pipelines import warehouse  # noqa: E402
from pipelines.config import PipelineConfig  # noqa: E402
from pipelines.marts import build_adoption_marts  # noqa: E402
from pipelines.steps.adoption_trajectory import build_adoption_trajectory  # noqa: E402

TODAY = date(2026, 1, 15)
"""The national run date: months January 2019 to December 2025."""
SNAPSHOTS = 84
LOCATIONS = 56_000
SUB_ICBS = 106
ICBS = 42
RETURNS_PER_LOCATION = 3
EXPORTING_LOCATIONS = 600
PAGE_ICB = "QZZ"
CALLBACK_PATH = "/_dash-update-component"
TARGET_P95_MS = 150.0

_SUPPLIERS = (
    "Alpha Care Records",
    "Beacon Notes",
    "CareLine Digital",
    "Delta Social Care",
    "Evergreen Records",
    "Fulcrum Care",
    "Greenleaf Systems",
    "Harbour Care Cloud",
)

NATIONAL_SQL = """
-- Pseudo-random draws are hashes of text ('123:7:asc'): DuckDB combines the hashes of several
-- arguments, so draws from hash(i, tag) with different tags are not independent.
create temp table bench_locations as
select
    i,
    '1-1' || lpad(i::varchar, 9, '0') as location_id,
    'Location ' || i as location_name,
    '1-2' || lpad((i // 3)::varchar, 9, '0') as provider_id,
    'Provider ' || (i // 3) as provider_name,
    hash(concat_ws(':', i, $seed, 'asc')) % 2 = 0 as is_adult_social_care,
    hash(concat_ws(':', i, $seed, 'dormant')) % 20 = 0 as is_dormant,
    hash(concat_ws(':', i, $seed, 'care home')) % 5 < 2 as is_care_home,
    (1 + hash(concat_ws(':', i, $seed, 'beds')) % 90)::integer as beds,
    (hash(concat_ws(':', i, $seed, 'sub-icb')) % $sub_icbs)::integer as sub_icb,
    -- one in ten locations registers during the period
    case when hash(concat_ws(':', i, $seed, 'new')) % 10 = 0
        then (hash(concat_ws(':', i, $seed, 'opened')) % $snapshots)::integer else 0 end as opened,
    (1 + hash(concat_ws(':', i, $seed, 'supplier')) % 8)::integer as supplier
from range($locations) as t (i);

insert into reference.cqc_locations
select
    (date '2019-01-01' + to_months(m))::date as snapshot_date,
    location_id,
    location_name,
    is_dormant,
    is_care_home,
    case when is_care_home then beds end as care_home_beds,
    case when is_adult_social_care then 'Adult social care' else 'Primary medical services' end,
    case when is_care_home then 'Residential social care' else 'Community social care' end,
    'Local authority ' || (sub_icb * 3 + i % 3),
    'E38' || lpad((100000 + sub_icb)::varchar, 6, '0'),
    provider_id,
    provider_name,
    is_adult_social_care,
    'national_directory.csv',
    'benchmark'
from bench_locations, range($snapshots) as s (m)
where opened <= m;

insert into reference.sub_icb_lookup
select
    'E38' || lpad((100000 + k)::varchar, 6, '0'),
    'Sub-ICB ' || k,
    'Q' || chr(65 + ((k % $icbs) // 26)::integer) || chr(65 + ((k % $icbs) % 26)::integer),
    null,
    'ICB ' || (k % $icbs),
    null,
    null,
    'sub_icb_lookup.csv',
    'benchmark'
from range($sub_icbs) as t (k)
union all
-- four sub-ICBs move to the next ICB on 1 April 2023
select
    'E38' || lpad((100000 + k)::varchar, 6, '0'),
    'Sub-ICB ' || k,
    'Q' || chr(65 + (((k + 1) % $icbs) // 26)::integer)
        || chr(65 + (((k + 1) % $icbs) % 26)::integer),
    null,
    'ICB ' || ((k + 1) % $icbs),
    null,
    date '2023-04-01',
    'sub_icb_lookup.csv',
    'benchmark'
from range(4) as t (k);

insert into reference.adoption_returns
select
    location_id,
    day,
    case when is_care_home then 'residential' else 'community' end,
    uses_dscr,
    case when uses_dscr and hash(concat_ws(':', i, j, $seed, 'named')) % 10 > 0
        then list_extract($suppliers, supplier) end,
    case
        when uses_dscr then 'live'
        when hash(concat_ws(':', i, j, $seed, 'abandoned')) % 20 = 0 then 'abandoned'
        else 'not_started'
    end,
    'adoption_returns.csv',
    'benchmark'
from (
    select
        *,
        (date '2019-01-01' + to_days(day_number::integer))::date as day,
        -- Yes grows on a logistic curve over the seven years
        (hash(concat_ws(':', i, j, $seed, 'yes')) % 1000) / 1000.0
            < 1 / (1 + exp(1.5 - 3.5 * day_number / 2555.0)) as uses_dscr
    from (
        select
            *,
            j * 850 + hash(concat_ws(':', i, j, $seed, 'day')) % 850 as day_number
        from bench_locations, range($returns_per_location) as r (j)
    )
);

insert into core.locations (provider_id, location_id, location_name, service_type,
    registered_beds, local_authority, icb_code, dscr_supplier, export_id, export_sequence)
select provider_id, location_id, location_name,
    case when is_care_home then 'care_home' else 'home_care' end,
    case when is_care_home then beds end, 'Local authority ' || (sub_icb * 3 + i % 3),
    null, list_extract($suppliers, supplier),
    'export-' || provider_id, 1
from bench_locations
where i < $exporting * 3 and i % 3 = 0;

insert into audit.packages (provider_id, extract_id, export_id, extract_from, extract_to,
    run_id, sequence)
select provider_id, 'extract-' || provider_id, 'export-' || provider_id,
    $today::date - 120,
    ($today::date - (hash(concat_ws(':', i, $seed, 'stopped')) % 90)::integer)::date,
    'benchmark', 1
from bench_locations
where i < $exporting * 3 and i % 3 = 0;

drop table bench_locations;
"""

BASELINE_NATIONAL_SQL = """
select snapshot_date, count(*) as active_locations, sum(care_home_beds) as beds
from reference.cqc_locations
where is_adult_social_care and not coalesce(is_dormant, false)
group by snapshot_date
"""

BASELINE_PAGE_SQL = """
select month, count(*) as active_locations, count(*) filter (where is_adopted) as adopted,
    count(*) filter (where is_adopted) / count(*) as adoption_rate
from marts.adoption_location_monthly
where icb_code = $icb
group by month
order by month
"""


def write_national(path: Path, *, seed: int) -> dict[str, int]:
    """Write the national reference tables into a new warehouse at ``path``.

    Returns:
        Rows per table written.
    """
    with duckdb.connect(str(path)) as con:
        warehouse.create_schema(con)
        warehouse.refresh_current(con, run_id="none")  # the empty core tables, as a load makes them
        values: dict[str, object] = {
            "seed": seed,
            "locations": LOCATIONS,
            "snapshots": SNAPSHOTS,
            "sub_icbs": SUB_ICBS,
            "icbs": ICBS,
            "returns_per_location": RETURNS_PER_LOCATION,
            "exporting": EXPORTING_LOCATIONS,
            "suppliers": list(_SUPPLIERS),
            "today": TODAY,
        }
        for statement in NATIONAL_SQL.split(";"):
            if statement.strip():
                used = {name: value for name, value in values.items() if f"${name}" in statement}
                con.execute(statement, used)
        tables = (
            "reference.cqc_locations",
            "reference.sub_icb_lookup",
            "reference.adoption_returns",
            "core.locations",
            "audit.packages",
        )
        return {
            table: int(con.sql(f"select count(*) from {table}").fetchall()[0][0])
            for table in tables
        }


def _time(call: Callable[[], object], repeat: int, *, warm: bool = True) -> list[float]:
    if warm:
        call()
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        timings.append((time.perf_counter() - started) * 1000)
    return timings


def _summary(timings: list[float]) -> dict[str, float]:
    ordered = sorted(timings)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {"median_ms": statistics.median(ordered), "p95_ms": p95, "runs": len(ordered)}


def national(workdir: Path, *, repeat: int, seed: int) -> dict[str, Any]:
    """Part 1: the baseline scan, the marts and the trajectory on the national tables."""
    path = workdir / "national.duckdb"
    path.unlink(missing_ok=True)
    started = time.perf_counter()
    rows = write_national(path, seed=seed)
    written_s = time.perf_counter() - started
    config = PipelineConfig(
        warehouse_path=path,
        pseudonym_key=b"benchmark-pseudonym-key-0123456789",
        data_docs_dir=workdir / "data_docs",
        show_progress=False,
    )
    results: dict[str, dict[str, float]] = {}
    cpu: dict[str, float] = {}
    with duckdb.connect(str(path)) as con:
        con.execute("set enable_progress_bar = false")

        def baseline() -> None:
            con.sql(BASELINE_NATIONAL_SQL).fetchall()

        def marts() -> None:
            con.execute("begin transaction")
            build_adoption_marts(con, config=config, today=TODAY)
            con.execute("commit")

        def trajectory() -> None:
            con.execute("begin transaction")
            build_adoption_trajectory(con, run_id="benchmark")
            con.execute("commit")

        # statsmodels takes over a second to import: a load imports it once, before its fits
        importlib.import_module("statsmodels.genmod.generalized_linear_model")
        results["baseline: active ASC locations per snapshot (scan + group-by)"] = _summary(
            _time(baseline, repeat)
        )
        for name, call in (
            ("build_adoption_marts", marts),
            ("build_adoption_trajectory", trajectory),
        ):
            before = time.process_time()
            timings = _time(call, repeat, warm=False)
            cpu[name] = (time.process_time() - before) / repeat
            results[name] = _summary(timings)
        mart_rows = {
            table: int(con.sql(f"select count(*) from {table}").fetchall()[0][0])
            for table in (
                "marts.adoption_location_monthly",
                "marts.adoption_monthly",
                "marts.adoption_breakdown_monthly",
                "marts.adoption_at_risk",
                "marts.adoption_trajectory",
            )
        }
        statuses = dict(
            con.sql("select status, count(*) from marts.adoption_trajectory group by 1").fetchall()
        )
    path.unlink(missing_ok=True)
    return {
        "rows_in": rows,
        "rows_out": mart_rows,
        "trajectory_statuses": statuses,
        "write_seconds": written_s,
        "timings": results,
        "cpu_seconds_per_run": cpu,
    }


def page(workdir: Path, *, warehouse_path: Path | None, repeat: int) -> dict[str, Any]:
    """Part 2: the /adoption render for an ICB lead of QZZ, against its baselines."""
    if warehouse_path is None:
        (workdir / "demo").mkdir(exist_ok=True)
    path = warehouse_path or build_demo_warehouse(workdir / "demo")
    provider_id, location_id = busiest_location(path)
    with duckdb.connect(str(path), read_only=True) as con:
        locations = con.sql(
            "select count(*) from marts.adoption_location_monthly where icb_code = $icb",
            params={"icb": PAGE_ICB},
        ).fetchall()[0][0]
    if not locations:
        raise SystemExit(f"{path} has no adoption figures for {PAGE_ICB}: load it again first")

    def baseline_adoption() -> None:
        with duckdb.connect(str(path), read_only=True) as con:
            con.sql(BASELINE_PAGE_SQL, params={"icb": PAGE_ICB}).pl()

    def baseline_falls() -> None:
        with duckdb.connect(str(path), read_only=True) as con:
            con.sql(BASELINE_SQL, params={"provider": provider_id, "location": location_id}).pl()

    # Before the app: its reader keeps the warehouse open between requests, and DuckDB would
    # hand these connections that open database instead of opening the file each time.
    results: dict[str, dict[str, float]] = {
        "baseline: the ICB's monthly rate from location-months": _summary(
            _time(baseline_adoption, repeat)
        ),
        "baseline: falls series from staging (benchmarks/pages.py)": _summary(
            _time(baseline_falls, repeat)
        ),
    }
    accounts = workdir / "page-accounts.sqlite3"
    app = create_app(
        DashboardConfig(
            warehouse_path=path,
            data_docs_dir=workdir / "data_docs",
            accounts_path=accounts,
            secret_key=b"benchmark-secret-key-not-for-production-0123",
            cookie_secure=False,
        ),
        accounts=AccountStore(
            accounts, hasher=PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
        ),
    )
    client, csrf = signed_in_as(
        app, username="bench-icb-lead", role=Role.ICB_LEAD, scope=Scope(icb_code=PAGE_ICB)
    )
    router = _router_payload(app, "/adoption", "")

    def render() -> None:
        response = client.post(CALLBACK_PATH, json=router, headers={CSRF_HEADER: csrf})
        if response.status_code != 200:
            raise RuntimeError(f"/adoption render: HTTP {response.status_code}")
        if b"adoption-trajectory" not in response.data:
            raise RuntimeError("/adoption render: not the ICB view")

    def first_render() -> None:
        adoption_funnel.clear_cache()
        render()

    results["/adoption render, ICB lead"] = _summary(_time(render, repeat))
    results["/adoption first render (funnel cache empty)"] = _summary(_time(first_render, repeat))
    return {
        "warehouse": str(path),
        "warehouse_mib": path.stat().st_size / 2**20,
        "icb": PAGE_ICB,
        "icb_location_months": int(locations),
        "timings": results,
    }


def _print(title: str, timings: dict[str, dict[str, float]], *, baseline: str) -> None:
    base = timings[baseline]
    print(title)
    print(f"  {'step':<66} {'median ms':>10} {'p95 ms':>9} {'median/base':>12} {'p95/base':>9}")
    for name, figures in timings.items():
        print(
            f"  {name:<66} {figures['median_ms']:>10.1f} {figures['p95_ms']:>9.1f} "
            f"{figures['median_ms'] / base['median_ms']:>12.2f} "
            f"{figures['p95_ms'] / base['p95_ms']:>9.2f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="timed national builds")
    parser.add_argument("--page-repeat", type=int, default=40, help="timed page renders")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--workdir", type=Path, default=None)
    parser.add_argument("--page-warehouse", type=Path, default=None)
    parser.add_argument("--skip-national", action="store_true")
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="carelens-adoption-"))
    workdir.mkdir(parents=True, exist_ok=True)
    load_start = os.getloadavg()
    report: dict[str, Any] = {"load_average_start": list(load_start), "repeat": args.repeat}
    if not args.skip_national:
        found = national(workdir, repeat=args.repeat, seed=args.seed)
        report["national"] = found
        print(
            f"National tables (seed {args.seed}, written in {found['write_seconds']:.0f} s): "
            + ", ".join(f"{table} {count:,}" for table, count in found["rows_in"].items())
        )
        print(
            "Marts: "
            + ", ".join(f"{table} {count:,}" for table, count in found["rows_out"].items())
            + f"; trajectory statuses {found['trajectory_statuses']}"
        )
        cpu = ", ".join(f"{k} {v:.1f}" for k, v in found["cpu_seconds_per_run"].items())
        _print(
            f"National scale, {args.repeat} timed runs each (CPU s per run: {cpu})",
            found["timings"],
            baseline="baseline: active ASC locations per snapshot (scan + group-by)",
        )
    found_page = page(workdir, warehouse_path=args.page_warehouse, repeat=args.page_repeat)
    report["page"] = found_page
    report["page_repeat"] = args.page_repeat
    _print(
        f"/adoption for an ICB lead of {PAGE_ICB} ({found_page['warehouse']}, "
        f"{found_page['warehouse_mib']:.0f} MiB), {args.page_repeat} timed renders each",
        found_page["timings"],
        baseline="baseline: falls series from staging (benchmarks/pages.py)",
    )
    worst = found_page["timings"]["/adoption render, ICB lead"]["p95_ms"]
    print(f"/adoption render p95: {worst:.1f} ms (target under {TARGET_P95_MS:.0f} ms)")
    load = os.getloadavg()
    report["load_average_end"] = list(load)
    print(
        f"Load average (1, 5, 15 min): start {load_start[0]:.2f}, {load_start[1]:.2f}, "
        f"{load_start[2]:.2f}; end {load[0]:.2f}, {load[1]:.2f}, {load[2]:.2f}"
    )
    if args.json:
        args.json.write_text(json.dumps(report, indent=2, default=str))


if __name__ == "__main__":
    main()
