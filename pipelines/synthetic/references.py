"""Reference rows of each export: locations, people, staff and daily occupancy.

Each export carries everyone present during its period plus everyone its event rows name, so
every reference resolves inside the package (and so a rejected package never breaks later
ones). End dates appear only once they have happened by the export's ``extract_to``.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import polars as pl

from pipelines.synthetic import clock
from pipelines.synthetic.exports import ExportPlan
from pipelines.synthetic.frames import text
from pipelines.synthetic.population import Population
from pipelines.synthetic.world import World


def exports_frame(plan: ExportPlan) -> pl.DataFrame:
    """One row per export: index, provider and period (day numbers)."""
    return pl.DataFrame(
        {
            "_export": pl.Series(np.arange(plan.count), dtype=pl.Int64),
            "_provider": pl.Series(plan.provider, dtype=pl.Int64),
            "_from": pl.Series(plan.extract_from, dtype=pl.Int64),
            "_to": pl.Series(plan.extract_to, dtype=pl.Int64),
        }
    )


def locations(*, world: World, plan: ExportPlan, supplier_names: list[str]) -> pl.DataFrame:
    """locations.csv rows of every export."""
    go_live = world.location_go_live_day
    live = go_live < 10**6
    frame = pl.DataFrame(
        {
            "_provider": pl.Series(world.location_provider, dtype=pl.Int64),
            "location_id": world.location_id,
            "location_name": world.location_name,
            "service_type": world.location_service_type,
            "registered_beds": pl.Series(
                np.where(world.location_is_care_home, world.location_capacity, 0),
                dtype=pl.Int64,
            ),
            "local_authority": world.location_authority,
            "icb_code": pl.Series(["QZZ"] * world.location_count, dtype=pl.String),
            "dscr_supplier": [
                supplier_names[world.provider_supplier[p]] for p in world.location_provider
            ],
            "dscr_go_live_date": clock.to_date(np.where(live, go_live, 0), valid=live),
        }
    ).with_columns(
        registered_beds=pl.when(pl.col("registered_beds") > 0).then(pl.col("registered_beds"))
    )
    return (
        exports_frame(plan)
        .join(frame, on="_provider", how="inner")
        .sort(["_export", "location_id"])
    )


def people(
    *, world: World, pop: Population, plan: ExportPlan, referenced: Iterable[pl.DataFrame]
) -> pl.DataFrame:
    """people.csv rows of every export (no NHS-number faults yet)."""
    frame = pl.DataFrame(
        {
            "_provider": pl.Series(world.location_provider[pop.person_location], dtype=pl.Int64),
            "_start": pl.Series(pop.person_start, dtype=pl.Int64),
            "_end": pl.Series(pop.person_end, dtype=pl.Int64),
            "person_id": text(pop.person_id),
            "location_id": text(np.array(world.location_id, dtype=object)[pop.person_location]),
            "nhs_number": text(pop.person_nhs_number),
            "birth_year": pl.Series(pop.person_birth_year, dtype=pl.Int64),
            "sex": text(pop.person_sex),
            "start_date": clock.to_date(pop.person_start),
            "end_date": clock.to_date(pop.person_end),
            "end_reason": text(pop.person_end_reason),
        }
    )
    return (
        _per_export(frame=frame, plan=plan, key="person_id", referenced=referenced)
        .with_columns(
            end_date=pl.when(pl.col("_end") <= pl.col("_to")).then(pl.col("end_date")),
            end_reason=pl.when(pl.col("_end") <= pl.col("_to")).then(pl.col("end_reason")),
        )
        .drop(["_start", "_end", "_from", "_to"])
    )


def staff(
    *, world: World, pop: Population, plan: ExportPlan, referenced: Iterable[pl.DataFrame]
) -> pl.DataFrame:
    """staff.csv rows of every export."""
    frame = pl.DataFrame(
        {
            "_provider": pl.Series(world.location_provider[pop.staff_location], dtype=pl.Int64),
            "_start": pl.Series(pop.staff_start, dtype=pl.Int64),
            "_end": pl.Series(pop.staff_end, dtype=pl.Int64),
            "staff_id": text(pop.staff_id),
            "location_id": text(np.array(world.location_id, dtype=object)[pop.staff_location]),
            "role": text(pop.staff_role),
            "employment": text(pop.staff_employment),
            "start_date": clock.to_date(pop.staff_start),
            "end_date": clock.to_date(pop.staff_end - 1),
        }
    )
    return (
        _per_export(frame=frame, plan=plan, key="staff_id", referenced=referenced)
        .with_columns(
            end_date=pl.when(pl.col("_end") - 1 <= pl.col("_to")).then(pl.col("end_date")),
        )
        .drop(["_start", "_end", "_from", "_to"])
    )


def occupancy(*, world: World, pop: Population, plan: ExportPlan) -> pl.DataFrame:
    """occupancy.csv rows: every day of every export, for providers that write the file."""
    writes = world.provider_writes_occupancy[plan.provider]
    exports = np.flatnonzero(writes)
    parts: list[pl.DataFrame] = []
    for e in exports:
        locs = np.flatnonzero(
            (world.location_provider == plan.provider[e]) & world.location_is_care_home
        )
        days = np.arange(max(plan.extract_from[e], pop.first_day), plan.extract_to[e] + 1)
        loc = np.repeat(locs, len(days))
        day = np.tile(days, len(locs))
        parts.append(
            pl.DataFrame(
                {
                    "_export": pl.Series(np.full(len(loc), e), dtype=pl.Int64),
                    "location_id": text(np.array(world.location_id, dtype=object)[loc]),
                    "date": clock.to_date(day),
                    "occupied_beds": pl.Series(
                        pop.occupancy[loc, day - pop.first_day], dtype=pl.Int64
                    ),
                }
            )
        )
    if not parts:
        return pl.DataFrame(
            schema={
                "_export": pl.Int64,
                "location_id": pl.String,
                "date": pl.Date,
                "occupied_beds": pl.Int64,
            }
        )
    return pl.concat(parts)


def _per_export(
    *, frame: pl.DataFrame, plan: ExportPlan, key: str, referenced: Iterable[pl.DataFrame]
) -> pl.DataFrame:
    """Rows present during each export's period, plus rows its events reference by ``key``."""
    exports = exports_frame(plan)
    present = exports.join(frame, on="_provider", how="inner").filter(
        (pl.col("_start") <= pl.col("_to")) & (pl.col("_end") > pl.col("_from"))
    )
    wanted = pl.concat([r.select("_export", pl.col(key)).drop_nulls() for r in referenced]).unique()
    named = wanted.join(exports, on="_export", how="inner").join(
        frame.drop("_provider"), on=key, how="inner"
    )
    return (
        pl.concat([present, named.select(present.columns)])
        .unique(subset=["_export", key], keep="first", maintain_order=True)
        .sort(["_export", key])
    )
