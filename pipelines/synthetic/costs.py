"""costs/costs_<provider_id>.csv: cost lines of each exporting provider (spec section 5.4).

Items and unit costs follow NIHR evaluation 000, Table 5 (figures.md "The five cost
categories", 2024 prices) where it gives a figure; the rest are marked as assumptions.
"""

from __future__ import annotations

import csv
import math
from pathlib import Path

import numpy as np

from pipelines.synthetic import clock
from pipelines.synthetic.exports import ExportPlan
from pipelines.synthetic.world import World

HEADER = (
    "provider_id",
    "category",
    "item",
    "cost_type",
    "unit_cost_gbp",
    "quantity",
    "frequency",
    "start_date",
    "end_date",
    "replacement_years",
    "annual_loss_rate",
)
STAFF_HOUR_GBP = 14.50  # £12.00 median pay (Skills for Care 2025) plus on-costs (assumption)
MANAGER_HOUR_GBP = 20.00  # assumption
Line = tuple[str, str, str, float, float, str, str, float | None, float | None]


def write_costs(*, rng: np.random.Generator, out_dir: Path, world: World, plan: ExportPlan) -> int:
    """Write one cost file per exporting provider; return how many were written."""
    folder = out_dir / "costs"
    folder.mkdir(parents=True, exist_ok=True)
    written = 0
    for p in range(world.provider_count):
        if plan.first_export[p] < 0:
            continue
        start = clock.day_date(int(world.provider_go_live_day[p]) - 30)
        lines = _lines(rng=rng, world=world, provider=p)
        path = folder / f"costs_{world.provider_id[p]}.csv"
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(HEADER)
            for category, item, cost_type, unit, quantity, frequency, _, replace, loss in lines:
                writer.writerow(
                    (
                        world.provider_id[p],
                        category,
                        item,
                        cost_type,
                        f"{unit:.2f}",
                        f"{quantity:g}",
                        frequency,
                        str(start),
                        "",
                        "" if replace is None else f"{replace:g}",
                        "" if loss is None else f"{loss:g}",
                    )
                )
        written += 1
    return written


def _lines(*, rng: np.random.Generator, world: World, provider: int) -> list[Line]:
    locs = np.flatnonzero(world.location_provider == provider)
    size = int(world.location_capacity[locs].sum())
    sites = len(locs)
    home = bool(world.provider_is_care_home[provider])
    staff = math.ceil(size * 1.1) if home else math.ceil(size / 2.5) + 2
    # Care homes buy devices and Wi-Fi; home-care staff often use their own phones (000 ch. 7).
    devices = max(3, math.ceil(size / 5)) if home else 3 * sites
    upfront, recurrent = "upfront", "recurrent"
    lines: list[Line] = [
        ("hardware", "handsets", upfront, 500.0, devices, "one_off", "", 4, 0.08),  # 000: ~£500
        (
            "hardware",
            "cases and screen protection",
            upfront,
            100.0,
            devices,
            "one_off",
            "",
            4,
            0.08,
        ),  # 000: ~£100 per device
        (
            "hardware",
            "handset repairs",
            recurrent,
            25.0,
            math.ceil(devices * 0.2),
            "annual",
            "",
            None,
            None,
        ),  # 000: ~£25 a repair; 20% of devices a year (assumption)
        ("hardware", "office laptops", upfront, 650.0, sites, "one_off", "", 5, None),  # assumption
        ("software", "anti-virus", recurrent, 60.0, sites, "annual", "", None, None),  # assumption
        (
            "training_implementation",
            "initial staff training",
            upfront,
            STAFF_HOUR_GBP,
            staff * 6,
            "one_off",
            "",
            None,
            None,
        ),  # 6 hours each incl. backfill (assumption)
        (
            "training_implementation",
            "initial management training",
            upfront,
            MANAGER_HOUR_GBP,
            2 * sites * 12,
            "one_off",
            "",
            None,
            None,
        ),  # assumption
        (
            "training_implementation",
            "new starter training",
            recurrent,
            STAFF_HOUR_GBP,
            math.ceil(staff * 0.25) * 6,
            "annual",
            "",
            None,
            None,
        ),  # ~25% turnover (assumption)
        (
            "training_implementation",
            "refresher training",
            recurrent,
            STAFF_HOUR_GBP,
            staff * 2,
            "annual",
            "",
            None,
            None,
        ),  # assumption
        (
            "training_implementation",
            "cyber security and data protection training",
            recurrent,
            STAFF_HOUR_GBP,
            staff,
            "annual",
            "",
            None,
            None,
        ),  # assumption: 1 hour each
        (
            "management_admin",
            "supplier set-up fee",
            upfront,
            float(rng.choice([500, 750, 1000])),
            sites,
            "one_off",
            "",
            None,
            None,
        ),  # assumption
        (
            "management_admin",
            "digitisation of paper records",
            upfront,
            8 * STAFF_HOUR_GBP,
            math.ceil(size * 0.9),
            "one_off",
            "",
            None,
            None,
        ),  # 000: ~8 hours per record
        (
            "management_admin",
            "change management",
            upfront,
            MANAGER_HOUR_GBP,
            40 * sites,
            "one_off",
            "",
            None,
            None,
        ),  # assumption
        (
            "management_admin",
            "business continuity plan",
            upfront,
            MANAGER_HOUR_GBP,
            8 * sites,
            "one_off",
            "",
            None,
            None,
        ),  # assumption
        (
            "management_admin",
            "security management of devices",
            recurrent,
            3.0,
            devices,
            "monthly",
            "",
            None,
            None,
        ),  # assumption: device management per device per month
    ]
    if home:
        lines += [
            (
                "hardware",
                "charging racks",
                upfront,
                180.0,
                math.ceil(devices / 10),
                "one_off",
                "",
                6,
                None,
            ),  # 000: ~£180 each; 6-year life (assumption)
            (
                "software",
                "subscription",
                recurrent,
                round(float(rng.uniform(8, 14)), 2),
                size,
                "monthly",
                "",
                None,
                None,
            ),  # per bed per month (assumption; 000: priced per bed)
            ("software", "eMAR module", recurrent, 3.0, size, "monthly", "", None, None),
            (
                "infrastructure",
                "wifi upgrade",
                upfront,
                1500.0,
                sites,
                "one_off",
                "",
                None,
                None,
            ),  # assumption
            (
                "infrastructure",
                "wifi boosters",
                upfront,
                120.0,
                math.ceil(size / 10),
                "one_off",
                "",
                5,
                None,
            ),  # assumption
            (
                "infrastructure",
                "extra plug sockets",
                upfront,
                150.0,
                sites * 2,
                "one_off",
                "",
                None,
                None,
            ),  # assumption
        ]
    else:
        hours = size * 44  # ~2.65 visits x ~0.55 h x 30.4 days per client a month (assumption)
        lines += [
            ("software", "subscription", recurrent, 0.20, hours, "monthly", "", None, None),
            # per hour of care (000: home care priced per hour); 003: £390 a month, small agency
            (
                "infrastructure",
                "5G SIM cards",
                recurrent,
                10.0,
                math.ceil(staff * 0.3),
                "monthly",
                "",
                None,
                None,
            ),  # assumption: 30% of staff given a work SIM
        ]
    return lines
