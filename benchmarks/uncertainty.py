"""Benchmark: the Monte Carlo (10,000 draws), tornado and exact appraisal of one provider.

A care home's cost statement of eight lines (three with loss rates, one hardware line on a
replacement cycle), its entered benefits built by the registry (documentation time, paper,
senior travel) and the registry's uncertain inputs (pay, manager pay, on-costs), appraised
over five years. Prints the median over the repeats of: one exact appraisal, preparing the
uncertainty model, 10,000 draws, and the tornado.
Usage: python benchmarks/uncertainty.py [--repeat N] [--json PATH]
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from pathlib import Path

from cost_model import (
    AppraisalSettings,
    Benefit,
    CostLine,
    appraise,
    benefits_from_assumptions,
    prepare_uncertainty,
    registry_uncertainties,
)
from data_contracts.enums import CostCategory, CostType, Frequency

START = date(2025, 4, 1)
ENTERED = {
    "documentation_minutes_saved_per_shift": Decimal(8),
    "care_worker_shifts_per_month": Decimal(900),
    "paper_costs_saved_gbp_per_month": Decimal(120),
    "senior_travel_saved_gbp_per_month": Decimal(60),
}


def _line(
    category: CostCategory,
    item: str,
    cost_type: CostType,
    unit: str,
    quantity: int,
    frequency: Frequency,
    **extra: Decimal,
) -> CostLine:
    return CostLine(
        category=category,
        item=item,
        cost_type=cost_type,
        unit_cost_gbp=Decimal(unit),
        quantity=Decimal(quantity),
        frequency=frequency,
        start_date=START,
        **extra,  # type: ignore[arg-type]
    )


COSTS = [
    _line(
        CostCategory.HARDWARE,
        "Handsets",
        CostType.UPFRONT,
        "250",
        20,
        Frequency.ONE_OFF,
        replacement_years=Decimal(3),
        annual_loss_rate=Decimal("0.15"),
    ),
    _line(
        CostCategory.HARDWARE,
        "Tablets",
        CostType.UPFRONT,
        "400",
        4,
        Frequency.ONE_OFF,
        annual_loss_rate=Decimal("0.1"),
    ),
    _line(
        CostCategory.HARDWARE,
        "Chargers",
        CostType.UPFRONT,
        "15",
        24,
        Frequency.ONE_OFF,
        annual_loss_rate=Decimal("0.3"),
    ),
    _line(CostCategory.SOFTWARE, "Licence", CostType.RECURRENT, "8", 40, Frequency.MONTHLY),
    _line(CostCategory.INFRASTRUCTURE, "Wi-Fi", CostType.UPFRONT, "3500", 1, Frequency.ONE_OFF),
    _line(CostCategory.INFRASTRUCTURE, "Broadband", CostType.RECURRENT, "60", 1, Frequency.MONTHLY),
    _line(
        CostCategory.TRAINING_IMPLEMENTATION,
        "Training backfill",
        CostType.UPFRONT,
        "15.33",
        240,
        Frequency.ONE_OFF,
    ),
    _line(
        CostCategory.MANAGEMENT_ADMIN,
        "Digital lead time",
        CostType.RECURRENT,
        "23.63",
        8,
        Frequency.MONTHLY,
    ),
]


def _build(values: Mapping[str, Decimal]) -> list[Benefit]:
    return benefits_from_assumptions({**ENTERED, **values}, start=START, horizon_years=5)


def _ms(seconds: list[float]) -> float:
    return round(1000 * statistics.median(seconds), 2)


def main() -> None:
    """Run the benchmark and print (and optionally save) the medians in milliseconds."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    settings = AppraisalSettings(start=START, horizon_years=5)
    inputs = registry_uncertainties(values=ENTERED)
    timings: dict[str, list[float]] = {"appraise": [], "prepare": [], "draws": [], "tornado": []}
    method = ""
    for _ in range(args.repeat):
        began = time.perf_counter()
        centre = {name: one.value for name, one in inputs.items()}
        appraise(costs=COSTS, benefits=_build(centre), settings=settings)
        appraised = time.perf_counter()
        model = prepare_uncertainty(
            costs=COSTS, benefits_builder=_build, assumptions=inputs, settings=settings
        )
        prepared = time.perf_counter()
        method = model.monte_carlo().method
        drawn = time.perf_counter()
        model.tornado()
        done = time.perf_counter()
        timings["appraise"].append(appraised - began)
        timings["prepare"].append(prepared - appraised)
        timings["draws"].append(drawn - prepared)
        timings["tornado"].append(done - drawn)
    report = {
        "repeat": args.repeat,
        "inputs": len(model.names),
        "method": method,
        **{f"{step}_ms_median": _ms(seconds) for step, seconds in timings.items()},
        "first_draws_ms": round(1000 * timings["draws"][0], 2),
    }
    print(json.dumps(report, indent=2))
    if args.json is not None:
        args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
