"""Simulate every entity of every export of a world over a window of days."""

from __future__ import annotations

import numpy as np
import polars as pl

from pipelines.synthetic import care_events, incidents, operations, references
from pipelines.synthetic.exports import ExportPlan
from pipelines.synthetic.identifiers import SUPPLIERS
from pipelines.synthetic.population import Population, build_population
from pipelines.synthetic.rates import Effects, Rates
from pipelines.synthetic.versions import deliveries, sort_for_writing
from pipelines.synthetic.world import World


def simulate(
    *,
    rng: np.random.Generator,
    world: World,
    plan: ExportPlan,
    first_day: int,
    last_day: int,
    rates: Rates,
    effects: Effects,
) -> tuple[dict[str, pl.DataFrame], Population]:
    """Rows of every entity, each with ``_export``: the text of the packages before faults.

    Returns:
        Frames by entity name (typed values, bookkeeping columns ``_…``) and the population.
    """
    exporting = np.flatnonzero(plan.first_export[world.location_provider] >= 0)
    pop = build_population(
        rng=rng,
        world=world,
        locations=exporting,
        first_day=first_day,
        last_day=last_day,
        rates=rates,
    )
    visits = operations.simulate_visits(rng=rng, world=world, pop=pop, rates=rates)
    shifts = operations.shifts(rng=rng, world=world, pop=pop, rates=rates)
    notes = care_events.care_notes(
        rng=rng, world=world, pop=pop, visits=visits, rates=rates, effects=effects
    )
    records = {
        "shifts": shifts,
        "care_notes": notes,
        "incidents": incidents.incidents(rng=rng, world=world, pop=pop, rates=rates),
        "medication_administrations": care_events.medication_administrations(
            rng=rng, world=world, pop=pop, rates=rates
        ),
        "alerts": operations.alerts(
            rng=rng, world=world, pop=pop, rates=rates, effects=effects, notes=notes, visits=visits
        ),
        "visits": operations.visits_frame(world=world, pop=pop, visits=visits),
        "care_plan_reviews": care_events.care_plan_reviews(
            rng=rng, world=world, pop=pop, rates=rates
        ),
    }
    frames = {
        name: deliveries(
            rng=rng,
            frame=frame,
            plan=plan,
            retraction_share=rates.retraction_share,
            redelivery_share=rates.redelivery_share,
        )
        for name, frame in records.items()
    }
    people_refs = [f for f in frames.values() if "person_id" in f.columns]
    staff_refs = [f for f in frames.values() if "staff_id" in f.columns]
    frames["locations"] = references.locations(
        world=world, plan=plan, supplier_names=[s.name for s in SUPPLIERS]
    )
    frames["people"] = references.people(world=world, pop=pop, plan=plan, referenced=people_refs)
    frames["staff"] = references.staff(world=world, pop=pop, plan=plan, referenced=staff_refs)
    frames["occupancy"] = references.occupancy(world=world, pop=pop, plan=plan)
    return frames, pop


def order_rows(frames: dict[str, pl.DataFrame]) -> dict[str, pl.DataFrame]:
    """Sort every frame into file order (versioned entities) or by export (reference ones)."""
    return {
        name: sort_for_writing(f)
        if "_kind" in f.columns
        else f.sort("_export", maintain_order=True)
        for name, f in frames.items()
    }
