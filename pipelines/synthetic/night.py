"""``generate_night``: one ICB-sized night of daily exports, for the load benchmark."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np

from pipelines.synthetic import clock, faults
from pipelines.synthetic.exports import night_plan
from pipelines.synthetic.icb import EVENT_ENTITIES, _check, describe_world, write_truth
from pipelines.synthetic.packages import write_packages
from pipelines.synthetic.rates import DEFAULT_EFFECTS, NIGHT_RATES, Effects, Rates
from pipelines.synthetic.simulation import order_rows, simulate
from pipelines.synthetic.summary import GenerationSummary
from pipelines.synthetic.world import build_world


def generate_night(
    *,
    out_dir: Path,
    seed: int,
    providers: int = 610,
    day: date,
    rates: Rates = NIGHT_RATES,
    effects: Effects = DEFAULT_EFFECTS,
) -> GenerationSummary:
    """Write one daily ODE-1 package per provider covering ``day``, without faults.

    Every provider is live; each package carries the reference rows (locations, people,
    staff) its events name, so every reference resolves inside the package. Volumes follow
    figures.md "Scale" (about 0.6 million event rows for 610 providers).

    Raises:
        SyntheticDataError: If ``providers`` is below 1 or ``out_dir`` is not empty.
    """
    _check(out_dir=out_dir, providers=providers, months=1, fault_rate=0.0, zip_share=0.0)
    target = clock.day_number(day)
    rng = np.random.default_rng(seed)
    world = build_world(
        rng=rng,
        providers=providers,
        first_day=target - 1,
        last_day=target,
        rates=rates,
        effects=effects,
        all_live=True,
        taken_ids=set(),
        taken_names=set(),
    )
    plan = night_plan(rng=rng, world=world, day=target)
    # Simulate from the day before so night shifts and late records cross midnight naturally.
    frames, _ = simulate(
        rng=rng,
        world=world,
        plan=plan,
        first_day=target - 1,
        last_day=target,
        rates=rates,
        effects=effects,
    )
    out_dir.mkdir(parents=True, exist_ok=True)
    written = write_packages(
        out_dir=out_dir,
        world=world,
        plan=plan,
        frames=order_rows(frames),
        files=faults.FaultPlan(),
        zipped=set(),
    )
    summary = GenerationSummary(
        out_dir=out_dir,
        providers=providers,
        care_homes=int(world.provider_is_care_home.sum()),
        home_care_agencies=int((~world.provider_is_care_home).sum()),
        exporting_providers=providers,
        locations=world.location_count,
        packages=plan.count,
        zipped_packages=0,
        rows=written.rows,
    )
    write_truth(
        out_dir=out_dir,
        truth={
            "generator": "carelens synthetic night v1",
            "seed": seed,
            "providers": providers,
            "day": str(day),
            "rates": rates.as_dict(),
            "effects": effects.as_dict(),
            "event_rows": sum(written.rows[name] for name in EVENT_ENTITIES),
            "rows": written.rows,
            "packages": written.packages,
            "providers_detail": describe_world(world=world, plan=plan),
            "faults": [],
            "quirks": [],
        },
    )
    return summary
