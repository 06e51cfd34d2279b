"""Benchmark: the Return on investment page's what-if, against the bare appraisal.

One care home's case in a small warehouse: the eight cost lines of
``benchmarks/uncertainty.py`` (three with loss rates, one on a replacement cycle), 24 months
of measured care-worker documentation time over two locations, and entered paper savings,
shifts, minutes saved and on-costs. Measures in the same run, median and 95th percentile:

- baseline: ``cost_model.appraise`` of the same lines and benefit streams, already built;
- what-if appraisal: ``dashboards.components.roi_view.what_if_case`` (apply a new what-if to
  the inputs, build the streams, appraise: what every what-if recomputes);
- page render, simulation cached: ``layout()`` of ``/roi`` for the owner with a what-if
  whose simulation is already cached (queries, appraisal, charts, tables);
- page render, new what-if: the same with a what-if never seen, so the 10,000-draw Monte
  Carlo, tornado and scenarios are computed (then cached);

and prints each in milliseconds with its ratio to the baseline.
Usage: python benchmarks/roi.py [--repeat N] [--json PATH]
"""

from __future__ import annotations

import argparse
import importlib
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path

import duckdb

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "unit" / "dashboards"))

from uncertainty import COSTS  # noqa: E402  (benchmarks/uncertainty.py: the same statement)

from cost_model.appraisal import appraise  # noqa: E402
from cost_model.case import WhatIf, prepare_case  # noqa: E402
from dashboards.components.roi_view import clear_cache, what_if_case  # noqa: E402
from dashboards.queries.reader import WarehouseReader  # noqa: E402
from dashboards.queries.roi import roi_case_inputs  # noqa: E402
from dashboards.roles import Identity, Role, Scope  # noqa: E402
from pipelines import warehouse  # noqa: E402

PROVIDER = "1-101000001"
LOCATIONS = ("1-201000001", "1-201000002")
ENTERED = {
    "paper_costs_saved_gbp_per_month": ("120", "gbp_per_month"),
    "care_worker_shifts_per_month": ("900", "shifts_per_month"),
    "documentation_minutes_saved_per_shift": ("8", "minutes_per_shift"),
    "on_cost_share": ("0.25", "share_of_pay"),
}


def write_warehouse(path: Path) -> Path:
    """The benchmark's warehouse: cost lines, 24 measured months, entered assumptions."""
    with duckdb.connect(str(path)) as con:
        warehouse.create_schema(con)
        for number, line in enumerate(COSTS, start=2):
            con.execute(
                "insert into reference.cost_lines (provider_id, source_line, category, item, "
                "cost_type, unit_cost_gbp, quantity, frequency, start_date, replacement_years, "
                "annual_loss_rate, source_file, run_id) values "
                "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'costs.csv', 'r1')",
                [
                    PROVIDER,
                    number,
                    line.category.value,
                    line.item,
                    line.cost_type.value,
                    line.unit_cost_gbp,
                    line.quantity,
                    line.frequency.value,
                    line.start_date,
                    line.replacement_years,
                    line.annual_loss_rate,
                ],
            )
        for name, (value, unit) in ENTERED.items():
            con.execute(
                "insert into reference.provider_assumptions values "
                "(?, ?, ?, ?, null, '2025-03-01 10:00:00+00', 'r1')",
                [PROVIDER, name, value, unit],
            )
        for month_number in range(24):
            month = date(2025 + (3 + month_number) // 12, (3 + month_number) % 12 + 1, 1)
            for location in LOCATIONS:
                hours = 40 + month_number
                con.execute(
                    "insert into marts.benefit_streams values (?, ?, ?, "
                    "'care_worker_documentation_time', 'measured_and_assumed', "
                    "'baseline entered', false, ?, 'hours', ?, ?, ?)",
                    [PROVIDER, location, month, hours, hours * 15, hours * 12, hours * 18],
                )
        con.execute(
            "insert into audit.packages (provider_id, extract_id, export_id, extract_from, "
            "extract_to, run_id, sequence) values (?, 'x1', 'e1', '2025-04-01', '2027-03-31', "
            "'r1', 1)",
            [PROVIDER],
        )
    return path


def _time(action: Callable[[], object], *, repeat: int) -> list[float]:
    seconds = []
    for _ in range(repeat):
        began = time.perf_counter()
        action()
        seconds.append(time.perf_counter() - began)
    return seconds


def _summary(seconds: list[float], *, baseline: float) -> dict[str, float]:
    ordered = sorted(seconds)
    median = statistics.median(ordered)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {
        "median_ms": round(1000 * median, 2),
        "p95_ms": round(1000 * p95, 2),
        "median_over_baseline": round(median / baseline, 1),
    }


def main() -> None:
    """Run the benchmark and print (and optionally save) the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()

    # tests/unit/dashboards: a request context signed in as someone, and a test app's config
    from audit_sample import serving
    from signed_in import app_accounts, app_config

    from dashboards.app import create_app

    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        path = write_warehouse(root / "carelens.duckdb")
        owner = Identity(
            username="owner", roles=frozenset({Role.OWNER}), scope=Scope(provider_id=PROVIDER)
        )
        inputs = roi_case_inputs(reader=WarehouseReader(path), identity=owner)
        assert inputs is not None
        prepared = prepare_case(inputs)
        baseline = _time(
            lambda: appraise(
                costs=prepared.inputs.costs,
                benefits=prepared.benefits,
                settings=prepared.settings,
            ),
            repeat=args.repeat,
        )
        base = statistics.median(baseline)
        counter = iter(range(10**6))

        def new_what_if() -> WhatIf:
            step = next(counter)
            return WhatIf(
                care_worker_hourly_pay_gbp=Decimal("12.00") + Decimal(step) / 100,
                documentation_minutes_saved_per_shift=Decimal(6 + step % 5),
                discount_rate=Decimal("0.03"),
                horizon_years=5 + step % 3,
                device_loss_rate=Decimal("0.2"),
            )

        what_if = _time(lambda: what_if_case(inputs, new_what_if()), repeat=args.repeat)

        create_app(app_config(root), accounts=app_accounts(root))  # registers the pages
        page = importlib.import_module("dashboards.pages.roi")
        clear_cache()
        query = {"pay": "13", "minutes": "9", "rate": "3", "horizon": "6", "loss": "20"}

        def render(query: dict[str, str]) -> object:
            # as in the app: one held connection for the request's queries
            with serving(path, identity=owner) as services:
                services.reader.hold_connection()
                try:
                    return page.layout(**query)
                finally:
                    services.reader.release_connection()

        render(query)  # the first view: draws, and caches
        cached = _time(lambda: render(query), repeat=args.repeat)
        fresh_queries = iter({**query, "pay": f"{14 + i / 100:.2f}"} for i in range(10**6))
        fresh = _time(lambda: render(next(fresh_queries)), repeat=max(5, args.repeat // 3))

    report = {
        "repeat": args.repeat,
        "cost_lines": len(inputs.costs),
        "measured_rows": len(inputs.measured),
        "baseline_bare_appraise": _summary(baseline, baseline=base),
        "what_if_appraisal": _summary(what_if, baseline=base),
        "page_render_simulation_cached": _summary(cached, baseline=base),
        "page_render_new_what_if": _summary(fresh, baseline=base),
    }
    print(json.dumps(report, indent=2))
    if args.json is not None:
        args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
