"""Shifts (care homes), home-care visits and DSCR alerts, from go-live only."""

from __future__ import annotations

import numpy as np
import polars as pl

from pipelines.synthetic import clock
from pipelines.synthetic.frames import V1_PREFIX, event_frame, labels, pick
from pipelines.synthetic.population import Population
from pipelines.synthetic.rates import Effects, Rates
from pipelines.synthetic.sampling import draw_categories, expand
from pipelines.synthetic.world import World

MINUTE = 60
HOUR = 3600
# Visit templates: morning, lunch, tea, bed (start, minutes); assumption.
_VISIT_STARTS = np.array([8 * HOUR, 12 * HOUR + 30 * MINUTE, 17 * HOUR, 20 * HOUR + 30 * MINUTE])
_VISIT_MINUTES = np.array([45, 30, 30, 30])
_VISIT_PLANS = np.array([[1, 0, 0, 0], [1, 0, 0, 1], [1, 1, 0, 1], [1, 1, 1, 1]], dtype=bool)
_VISIT_STATUSES = ("completed", "missed", "cancelled_by_person", "cancelled_by_provider")
_CHECK_METHODS = ("app", "qr_code", "nfc", "telephony", "manual")
_ALERT_CATEGORIES = (
    "missed_medication",
    "late_medication",
    "missed_visit",
    "late_visit",
    "visit_not_signed_out",
    "care_plan_review_due",
    "low_fluid_intake",
    "weight_change",
    "missed_care_task",
    "incident_reported",
    "lone_worker",
    "other",
)
_ALERTS_HOME = (0.14, 0.16, 0, 0, 0, 0.06, 0.22, 0.07, 0.2, 0.1, 0, 0.05)
_ALERTS_CARE = (0.1, 0.1, 0.12, 0.25, 0.1, 0.05, 0.03, 0.02, 0.1, 0.05, 0.05, 0.03)
_STAFF_ALERTS = np.array([4, 10])  # visit_not_signed_out, lone_worker name a member of staff
_ALERT_OUTCOMES = ("actioned", "no_action_needed", "false_alarm", "duplicate")


def simulate_visits(
    *, rng: np.random.Generator, world: World, pop: Population, rates: Rates
) -> dict[str, np.ndarray]:
    """Scheduled visits of every live home-care client-day, as arrays (seconds, indexes)."""
    n_people = len(pop.person_location)
    plan = draw_categories(rng=rng, weights=rates.visits_per_client_day_weights, size=n_people)
    offset = np.round(rng.normal(0, 20, n_people) / 5) * 5 * MINUTE
    rows = np.flatnonzero(
        (pop.day_day >= world.location_go_live_day[pop.day_location])
        & ~world.location_is_care_home[pop.day_location]
    )
    slots = _VISIT_PLANS[plan[pop.day_person[rows]]]
    parent, within = expand(np.full(len(rows), 4))
    keep = slots.ravel()
    src, slot = rows[parent[keep]], within[keep]
    person = pop.day_person[src]
    n = len(src)
    start = (
        pop.day_day[src] * clock.DAY_SECONDS + _VISIT_STARTS[slot] + offset[person].astype(np.int64)
    )
    duration = _VISIT_MINUTES[slot] * MINUTE
    status = draw_categories(
        rng=rng,
        weights=(
            1
            - rates.visit_missed_share
            - rates.visit_cancelled_by_person_share
            - rates.visit_cancelled_by_provider_share,
            rates.visit_missed_share,
            rates.visit_cancelled_by_person_share,
            rates.visit_cancelled_by_provider_share,
        ),
        size=n,
    )
    late = rng.random(n) < rates.visit_late_share
    lateness = (
        np.where(late, rng.uniform(16, 60, n), np.clip(rng.normal(3, 6, n), -10, 14)) * MINUTE
    )
    check_in = start + lateness.astype(np.int64)
    check_out = check_in + (duration * rng.uniform(0.8, 1.1, n)).astype(np.int64)
    staff = pop.staff_day_index.pick(
        rng=rng, keys=pop.key(location=pop.day_location[src], day=pop.day_day[src])
    )
    return {
        "location": pop.day_location[src],
        "person": person,
        "staff": np.where(staff >= 0, pop.staff_day_staff[np.maximum(staff, 0)], -1),
        "start": start,
        "duration": duration,
        "status": status,
        "completed": status == 0,
        "check_in": check_in,
        "check_out": check_out,
        "signed_out": rng.random(n) >= rates.visit_not_signed_out_share,
        "method": draw_categories(rng=rng, weights=(0.7, 0.08, 0.1, 0.08, 0.04), size=n),
    }


def visits_frame(*, world: World, pop: Population, visits: dict[str, np.ndarray]) -> pl.DataFrame:
    """The visits entity from simulated visit arrays."""
    done = visits["completed"]
    signed_out = done & visits["signed_out"]
    end = visits["start"] + visits["duration"]
    location = visits["location"]
    return event_frame(
        columns={
            "person_id": pick(pop.person_id, visits["person"]),
            "staff_id": pick(pop.staff_id, visits["staff"]),
            "scheduled_start": clock.to_datetime(visits["start"]),
            "scheduled_end": clock.to_datetime(end),
            "check_in_at": clock.to_datetime(visits["check_in"], valid=done),
            "check_out_at": clock.to_datetime(visits["check_out"], valid=signed_out),
            "check_method": pl.select(
                pl.when(pl.Series(done)).then(labels(_CHECK_METHODS, visits["method"]))
            ).to_series(),
            "visit_status": labels(_VISIT_STATUSES, visits["status"]),
        },
        provider=world.location_provider[location],
        location=location,
        day=np.maximum(end, np.where(signed_out, visits["check_out"], 0)) // clock.DAY_SECONDS,
        location_ids=np.array(world.location_id, dtype=object),
        uid_prefix="VI",
        order_by="scheduled_start",
    )


def shifts(
    *, rng: np.random.Generator, world: World, pop: Population, rates: Rates
) -> pl.DataFrame:
    """Day (08:00-20:00) and night (20:00-08:00) shifts, distinct staff per location-day."""
    home_locations = np.flatnonzero(world.location_is_care_home)
    loc, offset = expand(np.full(len(home_locations), pop.days))
    loc = home_locations[loc]
    day = pop.first_day + offset
    live = day >= world.location_go_live_day[loc]
    loc, day = loc[live], day[live]
    occupied = pop.occupancy[loc, day - pop.first_day]
    n_day = np.maximum(np.round(occupied / rates.day_shift_residents_per_worker), 2)
    n_night = np.maximum(np.round(occupied / rates.night_shift_residents_per_worker), 1)
    left, size = pop.staff_day_index.bounds(pop.key(location=loc, day=day))
    # Distinct staff per location-day: a random permutation inside each group.
    order = pop.staff_day_index.order
    keys = pop.staff_day_index.sorted_keys
    shuffled = order[np.lexsort((rng.random(len(order)), keys))]
    wanted = np.minimum(n_day + n_night, size).astype(np.int64)
    parent, within = expand(wanted)
    staff = pop.staff_day_staff[shuffled[left[parent] + within]] if len(parent) else parent
    is_night = within >= n_day[parent]
    base = day[parent] * clock.DAY_SECONDS + np.where(is_night, 20 * HOUR, 8 * HOUR)
    n = len(parent)
    start = base - rng.integers(0, 11, n) * MINUTE
    end = base + 12 * HOUR + rng.integers(0, 21, n) * MINUTE
    location = loc[parent]
    return event_frame(
        columns={
            "staff_id": pick(pop.staff_id, staff),
            "start_at": clock.to_datetime(start),
            "end_at": clock.to_datetime(end),
        },
        provider=world.location_provider[location],
        location=location,
        day=end // clock.DAY_SECONDS,
        location_ids=np.array(world.location_id, dtype=object),
        uid_prefix="SH",
        order_by="start_at",
    )


def alerts(
    *, rng: np.random.Generator, world: World, pop: Population, rates: Rates, effects: Effects
) -> pl.DataFrame:
    """Alerts per live location-day; the false-alarm share decays as rules are tuned."""
    loc, offset = expand(np.full(world.location_count, pop.days))
    day = pop.first_day + offset
    present = pop.occupancy[loc, offset]
    live = (day >= world.location_go_live_day[loc]) & (present > 0)
    loc, day, present = loc[live], day[live], present[live]
    home = world.location_is_care_home[loc]
    rate = np.where(home, rates.alerts_per_resident_day, rates.alerts_per_client_day)
    parent, _ = expand(rng.poisson(rate * present))
    loc, day = loc[parent], day[parent]
    n = len(loc)
    home = world.location_is_care_home[loc]
    category = np.where(
        home,
        draw_categories(rng=rng, weights=_ALERTS_HOME, size=n),
        draw_categories(rng=rng, weights=_ALERTS_CARE, size=n),
    )
    keys = pop.key(location=loc, day=day)
    person_row = pop.day_index.pick(rng=rng, keys=keys)
    person = np.where(person_row >= 0, pop.day_person[np.maximum(person_row, 0)], -1)
    staff_row = pop.staff_day_index.pick(rng=rng, keys=keys)
    staff = np.where(staff_row >= 0, pop.staff_day_staff[np.maximum(staff_row, 0)], -1)
    about_staff = np.isin(category, _STAFF_ALERTS)
    provider = world.location_provider[loc]
    months = (day - world.provider_go_live_day[provider]) / 30.44
    floor = world.provider_false_alarm_floor[provider]
    p_false = floor + (world.provider_false_alarm_start[provider] - floor) * np.exp(
        -months / effects.false_alarm_tau_months
    )
    u = rng.random(n)
    outcome = np.where(
        u < p_false,
        2,
        np.where(
            u < p_false + rates.alert_duplicate_share,
            3,
            np.where(rng.random(n) < rates.alert_no_action_share, 1, 0),
        ),
    )
    raised = day * clock.DAY_SECONDS + rng.integers(6 * HOUR, 23 * HOUR, n)
    acknowledged = raised + rng.exponential(20 * MINUTE, n).astype(np.int64) + MINUTE
    to_resolve = np.where(
        outcome == 0, rng.exponential(3 * HOUR, n), rng.exponential(30 * MINUTE, n)
    )
    long_open = rng.random(n) < rates.alert_long_open_share
    to_resolve = to_resolve + np.where(long_open, rng.uniform(1, 10, n) * clock.DAY_SECONDS, 0)
    resolved = acknowledged + to_resolve.astype(np.int64)
    ack_same_day = acknowledged // clock.DAY_SECONDS == day
    return event_frame(
        columns={
            "person_id": pick(pop.person_id, np.where(about_staff, -1, person)),
            "staff_id": pick(pop.staff_id, np.where(about_staff, staff, -1)),
            "category": labels(_ALERT_CATEGORIES, category),
            "severity": labels(
                ("low", "medium", "high"),
                draw_categories(rng=rng, weights=(0.5, 0.35, 0.15), size=n),
            ),
            "raised_at": clock.to_datetime(raised),
            "acknowledged_at": clock.to_datetime(acknowledged),
            "resolved_at": clock.to_datetime(resolved),
            "outcome": labels(_ALERT_OUTCOMES, outcome),
            f"{V1_PREFIX}acknowledged_at": clock.to_datetime(acknowledged, valid=ack_same_day),
            f"{V1_PREFIX}resolved_at": pl.Series([None] * n, dtype=pl.Datetime("us")),
            f"{V1_PREFIX}outcome": pl.Series([None] * n, dtype=pl.String),
        },
        provider=provider,
        location=loc,
        day=day,
        update_day=resolved // clock.DAY_SECONDS,
        location_ids=np.array(world.location_id, dtype=object),
        uid_prefix="AL",
        order_by="raised_at",
    )
