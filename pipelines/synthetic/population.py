"""People drawing on care (stays and packages), staff, and who is present on each day."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from pipelines.synthetic import clock, identifiers
from pipelines.synthetic.rates import Rates
from pipelines.synthetic.sampling import GroupIndex, draw_categories, expand
from pipelines.synthetic.world import World

CARE_ROLES = ("care_worker", "senior_care_worker", "nurse")
_HOME_ROLES = ("care_worker", "senior_care_worker", "nurse", "activities", "domestic", "other")
_SEXES = ("female", "male", "unknown", "indeterminate")
_END_REASONS = ("died", "hospital", "discharged", "transferred", "other")
_EMPLOYMENT = ("employed", "bank", "agency")


@dataclass(frozen=True, slots=True)
class Population:
    """Stays, staff tenures and daily presence over the simulated window (day numbers)."""

    first_day: int
    last_day: int
    person_location: np.ndarray
    person_start: np.ndarray
    person_end: np.ndarray
    """Discharge day (exclusive end of the stay); may lie after the window (ongoing)."""
    person_id: np.ndarray
    person_nhs_number: np.ndarray
    person_birth_year: np.ndarray
    person_sex: np.ndarray
    person_end_reason: np.ndarray
    staff_location: np.ndarray
    staff_start: np.ndarray
    staff_end: np.ndarray
    """Day after the last day worked."""
    staff_id: np.ndarray
    staff_role: np.ndarray
    staff_employment: np.ndarray
    day_person: np.ndarray
    day_location: np.ndarray
    day_day: np.ndarray
    """Person-days inside the window: one row per person present on a day."""
    day_index: GroupIndex
    staff_day_staff: np.ndarray
    staff_day_day: np.ndarray
    staff_day_index: GroupIndex
    """Care staff-days, grouped by (location, day)."""
    occupancy: np.ndarray
    """People present per location (rows) and day of the window (columns)."""

    @property
    def days(self) -> int:
        """Days in the window."""
        return self.last_day - self.first_day + 1

    def key(self, *, location: np.ndarray, day: np.ndarray) -> np.ndarray:
        """Integer key of (location, day) used by the group indexes."""
        return location * self.days + (day - self.first_day)


def simulate_tenures(
    *,
    rng: np.random.Generator,
    mean_length: np.ndarray,
    mean_gap: np.ndarray,
    first_day: int,
    last_day: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Successive occupants of each slot (bed, caseload place or post) as a renewal process.

    Returns:
        ``(slot, start, end)`` arrays; ``end`` is exclusive and may lie after ``last_day``.
    """
    n = len(mean_length)
    occupied = rng.random(n) < mean_length / (mean_length + mean_gap)
    # Memoryless lengths: the stay under way at the start began Exp(L) days ago.
    elapsed = np.ceil(rng.exponential(mean_length)).astype(np.int64)
    remaining = np.maximum(np.ceil(rng.exponential(mean_length)).astype(np.int64), 1)
    current = np.flatnonzero(occupied)
    slots, starts, ends = (
        [current],
        [first_day - elapsed[current]],
        [first_day + remaining[current]],
    )
    cursor = np.where(occupied, first_day + remaining, first_day)
    cursor = cursor + np.round(rng.exponential(mean_gap)).astype(np.int64)
    active = np.flatnonzero(cursor <= last_day)
    while len(active):
        length = np.maximum(np.ceil(rng.exponential(mean_length[active])).astype(np.int64), 1)
        slots.append(active)
        starts.append(cursor[active])
        ends.append(cursor[active] + length)
        cursor[active] += length + np.round(rng.exponential(mean_gap[active])).astype(np.int64)
        active = active[cursor[active] <= last_day]
    slot, start, end = (np.concatenate(parts) for parts in (slots, starts, ends))
    order = np.lexsort((start, slot))
    return slot[order], start[order], end[order]


def build_population(
    *,
    rng: np.random.Generator,
    world: World,
    locations: np.ndarray,
    first_day: int,
    last_day: int,
    rates: Rates,
) -> Population:
    """Simulate stays, packages and staff for the given location indexes over the window."""
    home = world.location_is_care_home
    nursing = np.array([s == "care_home_nursing" for s in world.location_service_type])
    capacity = world.location_capacity
    # People: one slot per registered bed (care homes) or caseload place (home care).
    slot_location = np.repeat(locations, capacity[locations])
    mean_length = np.where(
        home[slot_location],
        np.where(
            nursing[slot_location], rates.stay_mean_days_nursing, rates.stay_mean_days_residential
        ),
        rates.package_mean_days,
    )
    mean_gap = np.where(home[slot_location], rates.vacancy_mean_days, rates.package_gap_mean_days)
    slot, start, end = simulate_tenures(
        rng=rng,
        mean_length=mean_length,
        mean_gap=mean_gap,
        first_day=first_day,
        last_day=last_day,
    )
    person_location = slot_location[slot]
    people = _people(
        rng=rng,
        home=home[person_location],
        location=person_location,
        last_day=last_day,
        rates=rates,
    )
    staff = _staff(
        rng=rng,
        world=world,
        locations=locations,
        first_day=first_day,
        last_day=last_day,
        rates=rates,
    )
    days = last_day - first_day + 1
    lo = np.maximum(start, first_day)
    hi = np.minimum(end, last_day + 1)
    parent, within = expand(np.maximum(hi - lo, 0))
    day_day = lo[parent] + within
    day_location = person_location[parent]
    key = day_location * days + (day_day - first_day)
    occupancy = np.bincount(key, minlength=world.location_count * days).reshape(
        world.location_count, days
    )
    care = np.isin(staff["role"], CARE_ROLES)
    s_lo = np.maximum(staff["start"], first_day)
    s_hi = np.minimum(staff["end"], last_day + 1)
    s_parent, s_within = expand(np.where(care, np.maximum(s_hi - s_lo, 0), 0))
    staff_day_day = s_lo[s_parent] + s_within
    staff_key = staff["location"][s_parent] * days + (staff_day_day - first_day)
    return Population(
        first_day=first_day,
        last_day=last_day,
        person_location=person_location,
        person_start=start,
        person_end=end,
        person_id=people["id"],
        person_nhs_number=people["nhs"],
        person_birth_year=people["birth_year"],
        person_sex=people["sex"],
        person_end_reason=people["end_reason"],
        staff_location=staff["location"],
        staff_start=staff["start"],
        staff_end=staff["end"],
        staff_id=staff["id"],
        staff_role=staff["role"],
        staff_employment=staff["employment"],
        day_person=parent,
        day_location=day_location,
        day_day=day_day,
        day_index=GroupIndex(key),
        staff_day_staff=s_parent,
        staff_day_day=staff_day_day,
        staff_day_index=GroupIndex(staff_key),
        occupancy=occupancy,
    )


def _numbered(prefix: np.ndarray, location: np.ndarray, width: int) -> np.ndarray:
    """IDs ``<prefix>-<location>-<n>`` numbered within each location."""
    order = np.argsort(location, kind="stable")
    counts = np.bincount(location)
    _, within = expand(counts[counts > 0])
    number = np.empty(len(location), dtype=np.int64)
    number[order] = within + 1
    return np.array(
        [
            f"{p}-{loc:04d}-{n:0{width}d}"
            for p, loc, n in zip(prefix, location, number, strict=True)
        ],
        dtype=object,
    )


def _people(
    *,
    rng: np.random.Generator,
    home: np.ndarray,
    location: np.ndarray,
    last_day: int,
    rates: Rates,
) -> dict[str, np.ndarray]:
    n = len(location)
    year = clock.day_date(last_day).year
    # Assumptions: care-home residents are mostly in their 80s; home care serves younger
    # adults too. About two thirds of residents are women (assumption).
    age = np.where(home, rng.normal(85, 7, n), rng.normal(80, 11, n)).clip(18, 104)
    sex = np.array(_SEXES, dtype=object)[
        draw_categories(rng=rng, weights=(0.65, 0.34, 0.008, 0.002), size=n)
    ]
    reason_home = draw_categories(rng=rng, weights=(0.55, 0.12, 0.15, 0.12, 0.06), size=n)
    reason_care = draw_categories(rng=rng, weights=(0.2, 0.3, 0.35, 0.1, 0.05), size=n)
    reasons = np.array(_END_REASONS, dtype=object)[np.where(home, reason_home, reason_care)]
    numbers = identifiers.nhs_numbers(rng=rng, count=n)
    u = rng.random(n)
    spaced = np.array([f"{v[:3]} {v[3:6]} {v[6:]}" for v in numbers], dtype=object)
    nhs = np.where(u < rates.nhs_number_spaced_share, spaced, numbers)
    nhs = nhs.astype(object)
    nhs[u > 1 - rates.nhs_number_missing_share] = None
    prefix = np.where(home, "RES", "CLI")
    return {
        "id": _numbered(prefix, location, 6),
        "nhs": nhs,
        "birth_year": (year - age).astype(np.int64),
        "sex": sex,
        "end_reason": reasons,
    }


def _staff(
    *,
    rng: np.random.Generator,
    world: World,
    locations: np.ndarray,
    first_day: int,
    last_day: int,
    rates: Rates,
) -> dict[str, np.ndarray]:
    home = world.location_is_care_home
    capacity = world.location_capacity
    posts = np.where(
        home[locations],
        np.ceil(capacity[locations] * rates.staff_per_bed),
        np.ceil(capacity[locations] / rates.clients_per_care_worker) + 2,
    ).astype(np.int64)
    post_location = np.repeat(locations, posts)
    _, post_number = expand(posts)
    nursing = np.array(
        [world.location_service_type[i] == "care_home_nursing" for i in post_location]
    )
    weights = np.where(
        nursing[:, None],
        np.array([0.5, 0.15, 0.12, 0.03, 0.08, 0.02]),
        np.array([0.62, 0.15, 0.0, 0.03, 0.08, 0.02]),
    )
    weights = np.where(
        home[post_location][:, None], weights, np.array([0.82, 0.15, 0.0, 0.0, 0.0, 0.03])
    )
    draw = (
        rng.random(len(post_location))[:, None] * weights.sum(axis=1)[:, None]
        >= np.cumsum(weights, axis=1)
    ).sum(axis=1)
    role = np.array(_HOME_ROLES, dtype=object)[draw]
    role = np.where(post_number == 0, "manager", role)
    role = np.where((post_number == 1) & home[post_location], "deputy_manager", role)
    role = np.where((post_number == 1) & ~home[post_location], "other", role)
    length = np.full(len(post_location), rates.staff_tenure_mean_days)
    slot, start, end = simulate_tenures(
        rng=rng,
        mean_length=length,
        mean_gap=np.zeros(len(length)),
        first_day=first_day,
        last_day=last_day,
    )
    location = post_location[slot]
    employment = np.array(_EMPLOYMENT, dtype=object)[
        draw_categories(rng=rng, weights=(0.85, 0.08, 0.07), size=len(slot))
    ]
    return {
        "location": location,
        "start": start,
        "end": end,
        "id": _numbered(np.full(len(slot), "STF"), location, 5),
        "role": role[slot].astype(object),
        "employment": employment,
    }
