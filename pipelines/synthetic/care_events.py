"""Care notes, medication administrations (eMAR) and care-plan reviews, from go-live only."""

from __future__ import annotations

import numpy as np
import polars as pl

from pipelines.synthetic import clock
from pipelines.synthetic.frames import V1_PREFIX, event_frame, labels, pick, text
from pipelines.synthetic.population import Population
from pipelines.synthetic.rates import Effects, Rates
from pipelines.synthetic.sampling import draw_categories, expand
from pipelines.synthetic.world import World

MINUTE = 60
HOUR = 3600
_NOTE_CATEGORIES = (
    "personal_care",
    "nutrition",
    "hydration",
    "continence",
    "mobility",
    "skin",
    "sleep",
    "wellbeing",
    "activity",
    "medication",
    "health",
    "other",
)
_NOTE_WEIGHTS = (0.22, 0.14, 0.14, 0.14, 0.07, 0.05, 0.06, 0.08, 0.04, 0.02, 0.03, 0.01)
# Hour of day of care-home notes: busy mornings and mealtimes, quiet nights (assumption).
_NOTE_HOURS = (1, 1, 1, 1, 1, 2, 4, 8, 9, 8, 6, 6, 8, 6, 5, 5, 6, 8, 7, 6, 5, 4, 2, 1)
_ENTRY_METHODS = ("icon", "free_text", "speech_to_text", "mixed")
_ENTRY_WEIGHTS = (0.5, 0.25, 0.1, 0.15)
_ENTRY_FACTOR = np.array([0.6, 1.6, 1.0, 1.2])  # assumption: icons are quickest
_MEDICINES = (
    ("Paracetamol 500mg tablets", False),
    ("Amlodipine 5mg tablets", False),
    ("Atorvastatin 20mg tablets", False),
    ("Ramipril 2.5mg capsules", False),
    ("Omeprazole 20mg capsules", False),
    ("Metformin 500mg tablets", False),
    ("Bisoprolol 2.5mg tablets", False),
    ("Furosemide 40mg tablets", False),
    ("Levothyroxine 50microgram tablets", False),
    ("Donepezil 5mg tablets", False),
    ("Sertraline 50mg tablets", False),
    ("Mirtazapine 15mg tablets", False),
    ("Lansoprazole 15mg capsules", False),
    ("Adcal-D3 chewable tablets", False),
    ("Senna 7.5mg tablets", False),
    ("Macrogol oral powder sachets", False),
    ("Apixaban 2.5mg tablets", True),
    ("Co-careldopa 25mg/100mg tablets", True),
    ("Insulin glargine 100units/ml pen", True),
    ("Levetiracetam 500mg tablets", True),
    ("Memantine 10mg tablets", False),
    ("Clopidogrel 75mg tablets", False),
    ("Tamsulosin 400microgram capsules", False),
    ("Folic acid 5mg tablets", False),
)
_MEDICINE_WEIGHTS = (8, 6, 6, 5, 6, 4, 4, 4, 4, 3, 3, 3, 2, 4, 4, 3, 2, 1, 1, 1, 2, 2, 2, 2)
_PRN = (
    "Paracetamol 500mg tablets (PRN)",
    "Lactulose 3.35g/5ml solution (PRN)",
    "Gaviscon liquid (PRN)",
    "Salbutamol 100microgram inhaler (PRN)",
)
# Invented digit strings standing in for dm+d concept ids (not looked up; see truth.json).
_DMD = tuple(f"9{i:03d}{(i * 7919) % 100000:05d}1000" for i in range(len(_MEDICINES) + len(_PRN)))
_ROUNDS_HOME = (np.array([8, 12, 17, 21]) * HOUR, (0.45, 0.15, 0.15, 0.25))
_ROUNDS_CARE = (
    np.array([8 * HOUR, 12 * HOUR + 30 * MINUTE, 17 * HOUR, 20 * HOUR + 30 * MINUTE]),
    (0.45, 0.2, 0.15, 0.2),
)
_OUTCOMES = (
    "given",
    "refused",
    "omitted",
    "not_available",
    "held",
    "self_administered",
    "not_required",
)


def entry_seconds(
    *,
    rng: np.random.Generator,
    world: World,
    provider: np.ndarray,
    day: np.ndarray,
    method: np.ndarray,
    rates: Rates,
    effects: Effects,
) -> np.ndarray:
    """Seconds spent entering each note: falls towards a plateau over the months after go-live."""
    months = np.maximum(day - world.provider_go_live_day[provider], 0) / 30.44
    trend = 1 + world.provider_documentation_relative[provider] * (
        1 - np.exp(-months / effects.documentation_tau_months)
    )
    noise = np.exp(rng.normal(0, rates.note_entry_seconds_sigma, len(day)))
    raw = world.provider_entry_seconds_median[provider] * trend * _ENTRY_FACTOR[method] * noise
    return np.clip(np.round(raw), 3, 3600).astype(np.int64)


def care_notes(
    *,
    rng: np.random.Generator,
    world: World,
    pop: Population,
    visits: dict[str, np.ndarray],
    rates: Rates,
    effects: Effects,
) -> pl.DataFrame:
    """Care notes: per resident-day in care homes, per completed visit in home care."""
    live = (pop.day_day >= world.location_go_live_day[pop.day_location]) & (
        world.location_is_care_home[pop.day_location]
    )
    rows = np.flatnonzero(live)
    parent, _ = expand(rng.poisson(rates.care_notes_per_resident_day, len(rows)))
    src = rows[parent]
    hour = draw_categories(rng=rng, weights=_NOTE_HOURS, size=len(src))
    home_care_at = (
        pop.day_day[src] * clock.DAY_SECONDS + hour * HOUR + rng.integers(0, HOUR, len(src))
    )
    home_staff = pop.staff_day_index.pick(
        rng=rng, keys=pop.key(location=pop.day_location[src], day=pop.day_day[src])
    )
    home_staff = np.where(home_staff >= 0, pop.staff_day_staff[np.maximum(home_staff, 0)], -1)
    done = np.flatnonzero(visits["completed"])
    v_parent, _ = expand(rng.poisson(rates.care_notes_per_visit, len(done)))
    v_src = done[v_parent]
    visit_care_at = visits["check_in"][v_src] + (
        rng.random(len(v_src)) * visits["duration"][v_src]
    ).astype(np.int64)
    location = np.concatenate([pop.day_location[src], visits["location"][v_src]])
    person = np.concatenate([pop.day_person[src], visits["person"][v_src]])
    staff = np.concatenate([home_staff, visits["staff"][v_src]])
    staff = np.where(rng.random(len(staff)) < 0.03, -1, staff)
    care_at = np.concatenate([home_care_at, visit_care_at])
    n = len(care_at)
    quick = rng.random(n) < rates.note_recorded_within_15_minutes_share
    delay = np.where(
        quick,
        np.minimum(rng.exponential(4 * MINUTE, n), 14 * MINUTE),
        15 * MINUTE + np.minimum(rng.exponential(45 * MINUTE, n), 6 * HOUR),
    )
    offline = rng.random(n) < rates.offline_share
    delay = delay + np.where(offline, rng.uniform(30 * MINUTE, 4 * HOUR, n), 0)
    recorded_at = care_at + delay.astype(np.int64)
    method = draw_categories(rng=rng, weights=_ENTRY_WEIGHTS, size=n)
    provider = world.location_provider[location]
    day = care_at // clock.DAY_SECONDS
    return event_frame(
        columns={
            "person_id": pick(pop.person_id, person),
            "staff_id": pick(pop.staff_id, staff),
            "category": labels(
                _NOTE_CATEGORIES, draw_categories(rng=rng, weights=_NOTE_WEIGHTS, size=n)
            ),
            "care_at": clock.to_datetime(care_at),
            "recorded_at": clock.to_datetime(recorded_at),
            "entry_seconds": pl.Series(
                entry_seconds(
                    rng=rng,
                    world=world,
                    provider=provider,
                    day=day,
                    method=method,
                    rates=rates,
                    effects=effects,
                ),
                dtype=pl.Int64,
            ),
            "entry_method": labels(_ENTRY_METHODS, method),
            "recorded_offline": pl.Series(offline),
        },
        provider=provider,
        location=location,
        day=recorded_at // clock.DAY_SECONDS,
        location_ids=np.array(world.location_id, dtype=object),
        uid_prefix="CN",
        order_by="care_at",
    )


def medication_administrations(
    *, rng: np.random.Generator, world: World, pop: Population, rates: Rates
) -> pl.DataFrame:
    """Scheduled doses from each person's regimen on every live day, plus PRN doses."""
    home = world.location_is_care_home[pop.person_location]
    n_people = len(pop.person_location)
    supported = rng.random(n_people) < rates.home_care_medication_support_share
    per_day = np.where(
        home,
        np.clip(rng.poisson(rates.scheduled_doses_per_resident_day, n_people), 1, 14),
        np.where(
            supported,
            np.clip(rng.poisson(rates.home_care_doses_per_client_day, n_people), 1, 10),
            0,
        ),
    )
    line_person, _ = expand(per_day)
    line_medicine = draw_categories(rng=rng, weights=_MEDICINE_WEIGHTS, size=len(line_person))
    round_home = draw_categories(rng=rng, weights=_ROUNDS_HOME[1], size=len(line_person))
    round_care = draw_categories(rng=rng, weights=_ROUNDS_CARE[1], size=len(line_person))
    line_time = np.where(
        home[line_person], _ROUNDS_HOME[0][round_home], _ROUNDS_CARE[0][round_care]
    )
    line_start = np.cumsum(per_day) - per_day
    rows = np.flatnonzero(pop.day_day >= world.location_go_live_day[pop.day_location])
    parent, within = expand(per_day[pop.day_person[rows]])
    src = rows[parent]
    line = line_start[pop.day_person[src]] + within
    medicine = line_medicine[line]
    critical = np.array([m[1] for m in _MEDICINES])[medicine]
    scheduled = pop.day_day[src] * clock.DAY_SECONDS + line_time[line]
    outcome = draw_categories(rng=rng, weights=tuple(rates.dose_outcomes.values()), size=len(src))
    n = len(src)
    window = np.where(critical, 30, 60) * MINUTE
    late = (outcome == 0) & (rng.random(n) < rates.late_dose_share)
    on_time = np.minimum(np.abs(rng.normal(10 * MINUTE, 15 * MINUTE, n)), window - MINUTE)
    offset = np.where(late, window + rng.uniform(MINUTE, 3 * HOUR, n), on_time)
    offset = np.where(outcome == 0, offset, rng.uniform(0, 30 * MINUTE, n))
    # PRN doses: as required, no scheduled time.
    p_rows = rows[expand(rng.poisson(rates.prn_doses_per_person_day, len(rows)))[0]]
    p_n = len(p_rows)
    p_medicine = len(_MEDICINES) + rng.integers(0, len(_PRN), p_n)
    p_recorded = pop.day_day[p_rows] * clock.DAY_SECONDS + rng.integers(7 * HOUR, 22 * HOUR, p_n)
    all_src = np.concatenate([src, p_rows])
    recorded = np.concatenate([scheduled + offset.astype(np.int64), p_recorded])
    staff = pop.staff_day_index.pick(
        rng=rng, keys=pop.key(location=pop.day_location[all_src], day=pop.day_day[all_src])
    )
    staff = np.where(staff >= 0, pop.staff_day_staff[np.maximum(staff, 0)], -1)
    staff = np.where(rng.random(len(staff)) < 0.02, -1, staff)
    names = np.array([m[0] for m in _MEDICINES] + list(_PRN), dtype=object)
    all_medicine = np.concatenate([medicine, p_medicine])
    prn_outcome = np.where(rng.random(p_n) < 0.95, 0, 1)
    location = pop.day_location[all_src]
    is_prn = np.concatenate([np.zeros(n, dtype=bool), np.ones(p_n, dtype=bool)])
    return event_frame(
        columns={
            "person_id": pick(pop.person_id, pop.day_person[all_src]),
            "staff_id": pick(pop.staff_id, staff),
            "medicine": text(names[all_medicine]),
            "dmd_code": text(np.array(_DMD, dtype=object)[all_medicine]),
            "scheduled_at": clock.to_datetime(
                np.concatenate([scheduled, p_recorded]), valid=~is_prn
            ),
            "recorded_at": clock.to_datetime(recorded),
            "outcome": labels(_OUTCOMES, np.concatenate([outcome, prn_outcome])),
            "is_prn": pl.Series(is_prn),
            "is_time_critical": pl.Series(np.concatenate([critical, np.zeros(p_n, dtype=bool)])),
        },
        provider=world.location_provider[location],
        location=location,
        day=recorded // clock.DAY_SECONDS,
        location_ids=np.array(world.location_id, dtype=object),
        uid_prefix="MA",
        order_by="recorded_at",
    )


def care_plan_reviews(
    *, rng: np.random.Generator, world: World, pop: Population, rates: Rates
) -> pl.DataFrame:
    """One review due each month per person in care after go-live; some late, a few never."""
    first_month, last_month = clock.month_key(np.array([pop.first_day, pop.last_day]))
    months = int(last_month - first_month) + 1
    person, month = expand(np.full(len(pop.person_location), months))
    due = clock.month_start_day(first_month + month) + pop.person_start[person] % 28
    go_live = world.location_go_live_day[pop.person_location[person]]
    keep = (
        (due >= np.maximum(pop.person_start[person] + 1, go_live))
        & (due >= pop.first_day)
        & (due < pop.person_end[person])
        & (due <= pop.last_day)
    )
    person, due = person[keep], due[keep]
    n = len(due)
    u = rng.random(n)
    shift = np.where(
        u < rates.review_late_share,
        rng.integers(8, 41, n),
        np.clip(np.round(rng.normal(-1, 2, n)), -7, 7).astype(np.int64),
    )
    done_day = due + shift
    never = (u > 1 - rates.review_never_share) | (done_day >= pop.person_end[person])
    done_at = done_day * clock.DAY_SECONDS + rng.integers(10 * HOUR, 16 * HOUR, n)
    location = pop.person_location[person]
    return event_frame(
        columns={
            "person_id": pick(pop.person_id, person),
            "due_date": clock.to_date(due),
            "completed_at": clock.to_datetime(done_at, valid=~never),
            f"{V1_PREFIX}completed_at": pl.Series([None] * n, dtype=pl.Datetime("us")),
        },
        provider=world.location_provider[location],
        location=location,
        day=due,
        update_day=np.where(never, -1, done_day),
        location_ids=np.array(world.location_id, dtype=object),
        uid_prefix="CP",
        order_by="due_date",
    )
