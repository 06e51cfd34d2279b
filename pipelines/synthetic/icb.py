"""``generate_icb``: a synthetic ICB's exports, section 5 inputs and ``truth.json``."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import numpy as np
import polars as pl

from pipelines.synthetic import clock, costs, faults, icb_inputs, operations
from pipelines.synthetic.errors import SyntheticDataError
from pipelines.synthetic.exports import ExportPlan, monthly_plan
from pipelines.synthetic.identifiers import SUPPLIERS
from pipelines.synthetic.packages import WriteResult, write_packages
from pipelines.synthetic.population import Population
from pipelines.synthetic.rates import DEFAULT_EFFECTS, DEFAULT_RATES, Effects, Rates
from pipelines.synthetic.simulation import order_rows, simulate
from pipelines.synthetic.summary import GenerationSummary
from pipelines.synthetic.versions import deliveries
from pipelines.synthetic.world import World, build_world

DEFAULT_END = date(2026, 10, 31)
"""Last day of the month before 2026-11-01: a fixed date, so output never depends on today."""
EVENT_ENTITIES = (
    "shifts",
    "care_notes",
    "incidents",
    "medication_administrations",
    "alerts",
    "visits",
    "care_plan_reviews",
)


def generate_icb(
    *,
    out_dir: Path,
    seed: int = 1,
    providers: int = 12,
    months: int = 24,
    fault_rate: float = 0.005,
    end_date: date | None = None,
    zip_share: float = 0.25,
    rates: Rates = DEFAULT_RATES,
    effects: Effects = DEFAULT_EFFECTS,
) -> GenerationSummary:
    """Write monthly ODE-1 exports of a synthetic ICB, its section 5 inputs and truth.json.

    Args:
        out_dir: Empty or missing folder to write into.
        seed: Random seed; the same arguments give byte-identical files.
        providers: Providers of the ICB followed in detail (some never go live).
        months: Months in the period, ending with the month of ``end_date``.
        fault_rate: Share of event rows given a fault the loader must catch.
        end_date: Last day of the period (default 2026-10-31).
        zip_share: Share of packages delivered as ``.zip``.
        rates: Rates to draw from.
        effects: Mean effects of go-live.

    Raises:
        SyntheticDataError: If an argument is out of range or ``out_dir`` is not empty.
    """
    _check(
        out_dir=out_dir,
        providers=providers,
        months=months,
        fault_rate=fault_rate,
        zip_share=zip_share,
    )
    last = clock.day_number(end_date or DEFAULT_END)
    first_month = int(clock.month_key(np.array([last]))[0]) - months + 1
    first = int(clock.month_start_day(np.array([first_month]))[0])
    rng = np.random.default_rng(seed)
    taken_ids: set[str] = set()
    taken_names: set[str] = set()
    world = build_world(
        rng=rng,
        providers=providers,
        first_day=first,
        last_day=last,
        rates=rates,
        effects=effects,
        all_live=False,
        taken_ids=taken_ids,
        taken_names=taken_names,
    )
    plan = monthly_plan(rng=rng, world=world, first_day=first, last_day=last)
    frames, pop = simulate(
        rng=rng,
        world=world,
        plan=plan,
        first_day=first,
        last_day=last,
        rates=rates,
        effects=effects,
    )
    counts = {
        name: dict(f.group_by("_export").len().sort("_export").iter_rows())
        for name, f in frames.items()
    }
    event_rows = sum(frames[name].height for name in EVENT_ENTITIES)
    per_kind = max(1, round(fault_rate * event_rows / len(faults.ROW_FAULTS)))
    files = faults.plan_files(rng=rng, plan=plan, counts=counts)
    frames = faults.mark_rows(
        rng=rng,
        frames=frames,
        plan=plan,
        files=files,
        per_kind=per_kind,
        quirks_per_kind=max(2, per_kind // 20),
    )
    frames["shifts"], manager_shifts = _add_manager_shifts(
        rng=rng, frames=frames, world=world, pop=pop, plan=plan, rates=rates
    )
    zipped = {int(e) for e in np.flatnonzero(rng.random(plan.count) < zip_share)}
    out_dir.mkdir(parents=True, exist_ok=True)
    written = write_packages(
        out_dir=out_dir,
        world=world,
        plan=plan,
        frames=order_rows(frames),
        files=files,
        zipped=zipped,
    )
    inputs = icb_inputs.write_icb_inputs(
        rng=rng,
        out_dir=out_dir,
        world=world,
        last_day=last,
        taken_ids=taken_ids,
        taken_names=taken_names,
    )
    cost_files = costs.write_costs(rng=rng, out_dir=out_dir, world=world, plan=plan)
    summary = GenerationSummary(
        out_dir=out_dir,
        providers=providers,
        care_homes=int(world.provider_is_care_home.sum()),
        home_care_agencies=int((~world.provider_is_care_home).sum()),
        exporting_providers=int((plan.first_export >= 0).sum()),
        locations=world.location_count,
        packages=plan.count,
        zipped_packages=len(zipped),
        rows=written.rows,
        faults=len(written.faults),
        quirks=len(written.quirks),
        cqc_locations=inputs.cqc_locations,
        adoption_returns=inputs.adoption_returns,
        cost_files=cost_files,
    )
    truth = _truth(
        world=world,
        plan=plan,
        written=written,
        rates=rates,
        effects=effects,
        first=first,
        last=last,
        settings={
            "seed": seed,
            "providers": providers,
            "months": months,
            "fault_rate": fault_rate,
            "zip_share": zip_share,
            "faults_per_row_kind": per_kind,
        },
    )
    truth["icb_inputs"] = inputs.as_dict()
    truth["manager_shifts"] = manager_shifts
    write_truth(out_dir=out_dir, truth=truth)
    return summary


def _add_manager_shifts(
    *,
    rng: np.random.Generator,
    frames: dict[str, pl.DataFrame],
    world: World,
    pop: Population,
    plan: ExportPlan,
    rates: Rates,
) -> tuple[pl.DataFrame, dict[str, int]]:
    """Shifts rows with the managers' weekday shifts added, and how many rows those are.

    The managers' shifts come after faults and quirks were chosen and draw from a generator of
    their own (seeded from ``rng``'s seed, drawing nothing from ``rng``), so every other row, and
    which rows carry a fault, stay as they were; these rows carry none. A retraction or
    re-delivery lands in the next export, which may no longer list a manager who has left
    (``staff.csv`` was built before these rows): such rows are left out.
    """
    shift_rng = np.random.default_rng([*rng.bit_generator.seed_seq.generate_state(2), 0x5A1F])
    records = operations.manager_shifts(rng=shift_rng, world=world, pop=pop, rates=rates)
    delivered = deliveries(
        rng=shift_rng,
        frame=records,
        plan=plan,
        retraction_share=rates.retraction_share,
        redelivery_share=rates.redelivery_share,
    )
    listed = frames["staff"].select("_export", "staff_id").unique()
    delivered = delivered.join(listed, on=["_export", "staff_id"], how="semi")
    shifts = frames["shifts"]
    delivered = delivered.with_columns(
        _fault=pl.lit(None, dtype=pl.String),
        _quirk=pl.lit(None, dtype=pl.String),
        _value=pl.lit(None, dtype=pl.String),
    ).select(shifts.columns)
    counts = {"records": records.height, "rows": delivered.height}
    return pl.concat([shifts, delivered], how="vertical"), counts


def _check(
    *, out_dir: Path, providers: int, months: int, fault_rate: float, zip_share: float
) -> None:
    if providers < 1 or months < 1:
        raise SyntheticDataError("providers and months must be at least 1")
    if not 0 <= fault_rate <= 0.2 or not 0 <= zip_share <= 1:
        raise SyntheticDataError("fault_rate must be in [0, 0.2] and zip_share in [0, 1]")
    if out_dir.exists() and any(out_dir.iterdir()):
        raise SyntheticDataError(f"{out_dir} is not empty; choose a new folder")


def describe_world(*, world: World, plan: ExportPlan) -> list[dict[str, object]]:
    """Per-provider truth: go-live, sizes, supplier, effects and exports."""
    out: list[dict[str, object]] = []
    for p in range(world.provider_count):
        locs = np.flatnonzero(world.location_provider == p)
        go_live = int(world.provider_go_live_day[p])
        exports = np.flatnonzero(plan.provider == p)
        entry: dict[str, object] = {
            "provider_id": world.provider_id[p],
            "provider_name": world.provider_name[p],
            "kind": "care_home" if world.provider_is_care_home[p] else "home_care",
            "supplier": SUPPLIERS[int(world.provider_supplier[p])].name,
            "go_live_class": world.provider_go_live_class[p],
            "go_live_date": str(clock.day_date(go_live)) if go_live < 10**6 else None,
            "writes_occupancy": bool(world.provider_writes_occupancy[p]),
            "falls_per_1000_bed_days": round(float(world.provider_falls_per_1000[p]), 4),
            "falls_with_harm_relative": round(float(world.provider_harm_relative[p]), 4),
            "documentation_relative": round(float(world.provider_documentation_relative[p]), 4),
            "entry_seconds_median": round(float(world.provider_entry_seconds_median[p]), 4),
            "false_alarm_start": round(float(world.provider_false_alarm_start[p]), 4),
            "false_alarm_floor": round(float(world.provider_false_alarm_floor[p]), 4),
            "exports": [
                plan.name(export=int(e), provider_id=world.provider_id[p]) for e in exports
            ],
            "locations": [
                {
                    "location_id": world.location_id[i],
                    "location_name": world.location_name[i],
                    "service_type": world.location_service_type[i],
                    "registered_beds" if world.location_is_care_home[i] else "client_places": int(
                        world.location_capacity[i]
                    ),
                    "local_authority": world.location_authority[i],
                    "sub_icb_ons_code": world.location_sub_icb[i],
                }
                for i in locs
            ],
        }
        out.append(entry)
    return out


def _truth(
    *,
    world: World,
    plan: ExportPlan,
    written: WriteResult,
    rates: Rates,
    effects: Effects,
    first: int,
    last: int,
    settings: dict[str, object],
) -> dict[str, object]:
    return {
        "generator": "carelens synthetic ICB v1",
        **settings,
        "period": {"start": str(clock.day_date(first)), "end": str(clock.day_date(last))},
        "icb_code": "QZZ",
        "rates": rates.as_dict(),
        "effects": effects.as_dict(),
        "notes": [
            "Care notes are at the lower end of the realistic range "
            f"({rates.care_notes_per_resident_day} per resident-day in care homes, "
            f"{rates.care_notes_per_visit} per completed home-care visit) so a demo load is "
            "quick; figures.md 'Scale' implies about 28 per resident-day.",
            "Incidents, people and occupancy go back to the period start (typed up from paper "
            "in each provider's first export); other entities exist from go-live only.",
            "dmd_code values are invented digit strings, not real dm+d concept ids.",
            "Timestamps are Europe/London wall clock; each supplier writes them naive, in UTC "
            "(Z) or with an offset. Ordinary events avoid 01:00-02:00 on clock-change days.",
            "Fault and quirk lines are physical lines of the file (header = 1); line null "
            "means the whole file or package.",
            "Alert outcomes: a false alarm is likelier by category, low severity, evening hours, "
            "the offline recording of the member of staff named and, for missed or late visit "
            "alerts, a visit checked in before the alert (effects.alert_false_alarm_*); a "
            "duplicate repeats the first alert of its category, location and day within "
            "effects.alert_duplicate_within_minutes. These draws use a generator of their own, "
            "so no other entity depends on them.",
            "Shifts: care staff work 12-hour day and night shifts (record uids SH-); care-home "
            "managers and deputy managers work weekday day shifts of about 09:00-17:00 from "
            "go-live (uids SM-; days off at rates.manager_leave_share plus "
            "manager_sickness_share). Managers' shifts draw from a generator of their own and "
            "were added after faults were chosen: they carry no fault or quirk and no other "
            "row depends on them (counts under manager_shifts; rows also counts them).",
        ],
        "suppliers": [
            {"name": s.name, "timestamp_style": s.timestamp_style, "boolean_style": s.boolean_style}
            for s in SUPPLIERS
        ],
        "providers_detail": describe_world(world=world, plan=plan),
        "packages": written.packages,
        "rows": written.rows,
        "faults": written.faults,
        "quirks": written.quirks,
    }


def write_truth(*, out_dir: Path, truth: dict[str, object]) -> None:
    """Write truth.json with sorted keys (deterministic bytes); compact, as it can be large."""
    (out_dir / "truth.json").write_text(
        json.dumps(truth, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8"
    )
