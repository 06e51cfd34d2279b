"""Shifts (care homes, managers' too), home-care visits and DSCR alerts, from go-live only."""

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
_VISIT_ALERTS = np.array([2, 3])  # missed_visit, late_visit name a person with visits


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


def manager_shifts(
    *, rng: np.random.Generator, world: World, pop: Population, rates: Rates
) -> pl.DataFrame:
    """Weekday day shifts (about 09:00-17:00) of care-home managers and deputy managers.

    Every Monday to Friday from the location's go-live on which a member of staff with role
    ``manager`` or ``deputy_manager`` is employed there (``staff_start <= day < staff_end``) is a
    shift unless it is a day off: leave or sickness, together ``manager_leave_share +
    manager_sickness_share`` of those weekdays, each day drawn on its own. Start and end move
    by a few minutes as in ``shifts`` (start 0-10 minutes before 09:00, end 0-20 minutes after
    17:00). Record uids start ``SM``, apart from the ``SH`` of care-worker shifts.

    Draws, in this order: one uniform per candidate weekday (a day off below the share), then
    the start and the end minutes of each shift worked. The caller passes a generator of its
    own so that no other entity changes.

    Args:
        rng: Random generator of the manager shifts alone.
        world: Providers and locations.
        pop: Staff tenures, roles and locations.
        rates: ``manager_leave_share`` and ``manager_sickness_share``.

    Returns:
        A shifts frame with the bookkeeping columns of ``pipelines.synthetic.frames``.
    """
    is_manager = np.isin(pop.staff_role.astype(str), ("manager", "deputy_manager"))
    staff = np.flatnonzero(is_manager & world.location_is_care_home[pop.staff_location])
    location = pop.staff_location[staff]
    lo = np.maximum.reduce(
        [
            pop.staff_start[staff],
            world.location_go_live_day[location],
            np.full(len(staff), pop.first_day),
        ]
    )
    hi = np.minimum(pop.staff_end[staff], pop.last_day + 1)
    parent, within = expand(np.maximum(hi - lo, 0))
    day = lo[parent] + within
    weekday = (day + 3) % 7 < 5  # 1970-01-01, day 0, was a Thursday
    parent, day = parent[weekday], day[weekday]
    off = rng.random(len(day)) < rates.manager_leave_share + rates.manager_sickness_share
    parent, day = parent[~off], day[~off]
    n = len(day)
    base = day * clock.DAY_SECONDS + 9 * HOUR
    start = base - rng.integers(0, 11, n) * MINUTE
    end = base + 8 * HOUR + rng.integers(0, 21, n) * MINUTE
    location = location[parent]
    return event_frame(
        columns={
            "staff_id": pick(pop.staff_id, staff[parent]),
            "start_at": clock.to_datetime(start),
            "end_at": clock.to_datetime(end),
        },
        provider=world.location_provider[location],
        location=location,
        day=end // clock.DAY_SECONDS,
        location_ids=np.array(world.location_id, dtype=object),
        uid_prefix="SM",
        order_by="start_at",
    )


def alerts(
    *,
    rng: np.random.Generator,
    world: World,
    pop: Population,
    rates: Rates,
    effects: Effects,
    notes: pl.DataFrame | None = None,
    visits: dict[str, np.ndarray] | None = None,
) -> pl.DataFrame:
    """Alerts per live location-day; the false-alarm share decays as rules are tuned.

    Which alerts are false alarms also depends on category, severity, evening hours, the
    offline recording of the member of staff named (``notes``) and, for missed or late visit
    alerts, whether the person's latest visit was checked in (``visits``); duplicates repeat an
    earlier alert of the same category, location and day within minutes. These draws come from
    a generator of their own (seeded from ``rng``'s seed, drawing nothing from ``rng``), so
    ``rng`` makes exactly the draws it always made and every other entity stays the same.
    """
    alert_rng = np.random.default_rng([*rng.bit_generator.seed_seq.generate_state(2), 0xA1E7])
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
    curve = floor + (world.provider_false_alarm_start[provider] - floor) * np.exp(
        -months / effects.false_alarm_tau_months
    )
    u = rng.random(n)
    no_action = rng.random(n) < rates.alert_no_action_share
    raised = day * clock.DAY_SECONDS + rng.integers(6 * HOUR, 23 * HOUR, n)
    acknowledge_after = rng.exponential(20 * MINUTE, n).astype(np.int64) + MINUTE
    resolve_actioned, resolve_other = rng.exponential(3 * HOUR, n), rng.exponential(30 * MINUTE, n)
    long_open = rng.random(n) < rates.alert_long_open_share
    long_open_extra = rng.uniform(1, 10, n) * clock.DAY_SECONDS
    severity = draw_categories(rng=rng, weights=(0.5, 0.35, 0.15), size=n)
    # Everything above draws from rng exactly as before; the rest is alert_rng and arithmetic.
    p_false = np.minimum(
        curve
        * _category_factor(category, home=home, effects=effects)
        * _severity_factor(severity, effects=effects)
        * _evening_factor(raised, effects=effects)
        * _offline_factor(
            notes,
            staff_ids=pick(pop.staff_id, np.where(about_staff, staff, -1)),
            raised=raised,
            rates=rates,
            effects=effects,
        )
        * _visit_factor(visits, category=category, person=person, raised=raised, effects=effects),
        effects.alert_false_alarm_max,
    )
    duplicate, first_raised = _duplicates(
        alert_rng, location=loc, day=day, category=category, raised=raised, rates=rates
    )
    raised = np.where(
        duplicate,
        first_raised
        + alert_rng.integers(MINUTE, effects.alert_duplicate_within_minutes * MINUTE + 1, n),
        raised,
    )
    outcome = np.where(duplicate, 3, np.where(u < p_false, 2, np.where(no_action, 1, 0)))
    acknowledged = raised + acknowledge_after
    to_resolve = np.where(outcome == 0, resolve_actioned, resolve_other)
    to_resolve = to_resolve + np.where(long_open, long_open_extra, 0)
    resolved = acknowledged + to_resolve.astype(np.int64)
    ack_same_day = acknowledged // clock.DAY_SECONDS == day
    return event_frame(
        columns={
            "person_id": pick(pop.person_id, np.where(about_staff, -1, person)),
            "staff_id": pick(pop.staff_id, np.where(about_staff, staff, -1)),
            "category": labels(_ALERT_CATEGORIES, category),
            "severity": labels(("low", "medium", "high"), severity),
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


def _normalised(factor: np.ndarray, weights: np.ndarray) -> float:
    """Weighted mean of ``factor``: dividing by it keeps the overall false-alarm share."""
    return float(np.dot(factor, weights) / weights.sum())


def _category_factor(category: np.ndarray, *, home: np.ndarray, effects: Effects) -> np.ndarray:
    factor = np.array([effects.alert_false_alarm_by_category[c] for c in _ALERT_CATEGORIES])
    mean_home = _normalised(factor, np.array(_ALERTS_HOME))
    mean_care = _normalised(factor, np.array(_ALERTS_CARE))
    return factor[category] / np.where(home, mean_home, mean_care)


def _severity_factor(severity: np.ndarray, *, effects: Effects) -> np.ndarray:
    factor = np.array([effects.alert_false_alarm_by_severity[s] for s in ("low", "medium", "high")])
    return factor[severity] / _normalised(factor, np.array([0.5, 0.35, 0.15]))


def _evening_factor(raised: np.ndarray, *, effects: Effects) -> np.ndarray:
    def factor(hour: np.ndarray) -> np.ndarray:
        evening = hour >= effects.alert_evening_from_hour
        return np.where(evening, effects.alert_false_alarm_evening, 1.0)

    mean = float(factor(np.arange(6, 23)).mean())  # raised_at is uniform over 06:00-22:59
    return factor((raised % clock.DAY_SECONDS) // HOUR) / mean


def _offline_factor(
    notes: pl.DataFrame | None,
    *,
    staff_ids: pl.Series,
    raised: np.ndarray,
    rates: Rates,
    effects: Effects,
) -> np.ndarray:
    """exp(slope x (offline share - mean)) for alerts naming staff with notes in the 28 days."""
    n = len(raised)
    if notes is None or n == 0:
        return np.ones(n)
    history = (
        notes.select(
            "staff_id",
            t=pl.col("recorded_at").dt.epoch("s"),
            offline=pl.col("recorded_offline").cast(pl.Int64),
        )
        .drop_nulls()
        .sort("staff_id", "t")
        .with_columns(
            count=pl.int_range(1, pl.len() + 1).over("staff_id"),
            offline=pl.col("offline").cum_sum().over("staff_id"),
        )
        .sort("t")
    )
    asked = pl.DataFrame({"row": np.arange(n), "staff_id": staff_ids, "t": raised}).drop_nulls()

    def before(shift: int) -> pl.DataFrame:
        return (
            asked.with_columns(pl.col("t") - shift)
            .sort("t")
            .join_asof(
                history,
                on="t",
                by="staff_id",
                allow_exact_matches=False,
                check_sortedness=False,  # both sorted by t above; polars cannot check with by
            )
            .select("row", pl.col("count").fill_null(0), pl.col("offline").fill_null(0))
            .sort("row")
        )

    now, then = before(0), before(28 * clock.DAY_SECONDS)
    count = (now["count"] - then["count"]).to_numpy()
    share = (now["offline"] - then["offline"]).to_numpy() / np.maximum(count, 1)
    factor = np.ones(n)
    slope = effects.alert_false_alarm_offline_slope
    factor[now["row"].to_numpy()] = np.where(
        count > 0, np.exp(slope * (share - rates.offline_share)), 1.0
    )
    return factor


def _visit_factor(
    visits: dict[str, np.ndarray] | None,
    *,
    category: np.ndarray,
    person: np.ndarray,
    raised: np.ndarray,
    effects: Effects,
) -> np.ndarray:
    """Missed or late visit alerts: was the person's latest visit checked in before the alert?"""
    n = len(raised)
    factor = np.ones(n)
    asked = np.flatnonzero(np.isin(category, _VISIT_ALERTS) & (person >= 0))
    if visits is None or len(visits["start"]) == 0 or len(asked) == 0:
        return factor
    span = int(max(visits["start"].max(), raised.max())) + 1
    key = visits["person"].astype(np.int64) * span + visits["start"]
    order = np.argsort(key, kind="stable")
    wanted = person[asked].astype(np.int64) * span + raised[asked]
    found = np.searchsorted(key[order], wanted, side="right") - 1
    visit = order[np.maximum(found, 0)]
    recent = (
        (found >= 0)
        & (visits["person"][visit] == person[asked])
        & (visits["start"][visit] >= raised[asked] - 12 * HOUR)
    )
    checked_in = recent & visits["completed"][visit] & (visits["check_in"][visit] <= raised[asked])
    factor[asked] = np.where(
        checked_in,
        effects.alert_false_alarm_visit_checked_in,
        np.where(recent, effects.alert_false_alarm_visit_not_checked_in, 1.0),
    )
    return factor


def _duplicates(
    alert_rng: np.random.Generator,
    *,
    location: np.ndarray,
    day: np.ndarray,
    category: np.ndarray,
    raised: np.ndarray,
    rates: Rates,
) -> tuple[np.ndarray, np.ndarray]:
    """Which alerts repeat the first alert of their category, location and day, and its time.

    Any later alert of a category already raised at the location that day may be a repeat;
    enough of them are chosen for duplicates to be ``alert_duplicate_share`` of all alerts.
    """
    n = len(raised)
    order = np.lexsort((raised, category, day, location))
    group = np.r_[True, np.diff(location[order]) != 0] | np.r_[True, np.diff(day[order]) != 0]
    group |= np.r_[True, np.diff(category[order]) != 0]
    first = np.maximum.accumulate(np.where(group, np.arange(n), 0))
    first_raised = np.empty(n, dtype=np.int64)
    first_raised[order] = raised[order][first]
    later = np.empty(n, dtype=bool)
    later[order] = ~group
    share = rates.alert_duplicate_share * n / max(int(later.sum()), 1)
    return later & (alert_rng.random(n) < share), first_raised
