"""Incidents from the start of the period: typed up from paper before go-live, DSCR after."""

from __future__ import annotations

import numpy as np
import polars as pl

from pipelines.synthetic import clock
from pipelines.synthetic.frames import V1_PREFIX, event_frame, labels, pick, text
from pipelines.synthetic.population import Population
from pipelines.synthetic.rates import Rates
from pipelines.synthetic.sampling import draw_categories, draw_rows, expand
from pipelines.synthetic.world import World

HOUR = 3600
TYPES = (
    "fall",
    "medication_error",
    "pressure_ulcer",
    "skin_tear",
    "safeguarding",
    "behaviour",
    "choking",
    "infection",
    "other",
)
HARMS = ("no_harm", "low", "moderate", "severe", "fatal")
_MEDICATION_SUBTYPES = (
    "omission",
    "wrong_time",
    "wrong_dose",
    "wrong_person",
    "wrong_medicine",
    "discontinued_given",
    "documentation",
    "other",
)
_MEDICATION_WEIGHTS = (0.3, 0.3, 0.1, 0.03, 0.05, 0.02, 0.15, 0.05)
_ULCER_SUBTYPES = (
    "category_1",
    "category_2",
    "category_3",
    "category_4",
    "unstageable",
    "deep_tissue_injury",
)
_ULCER_WEIGHTS = (0.3, 0.4, 0.1, 0.03, 0.07, 0.1)
# Falls peak at night and early morning (assumption).
_FALL_HOURS = (4, 4, 4, 4, 4, 5, 6, 7, 6, 5, 4, 4, 4, 4, 4, 4, 4, 4, 4, 5, 5, 5, 5, 4)
_TEXT = {
    "fall": "Found on the floor beside the bed, helped up with the hoist, observations taken.",
    "medication_error": "Dose discrepancy found at the medication round, GP and family informed.",
    "pressure_ulcer": "Skin check showed a pressure area on the sacrum, district nurse referral.",
    "skin_tear": "Skin tear to the forearm during transfer, dressed and body map updated.",
    "safeguarding": "Concern raised with the manager, local authority safeguarding team told.",
    "behaviour": "Distressed in the lounge, de-escalated, care plan reviewed.",
    "choking": "Coughing at lunch, back blows given, speech and language referral made.",
    "infection": "Raised temperature and confusion, urine sample sent, GP visit booked.",
    "other": "Event recorded for review by the manager.",
}
_PAPER_PREFIX = "Typed up from paper record. "


def incidents(
    *, rng: np.random.Generator, world: World, pop: Population, rates: Rates
) -> pl.DataFrame:
    """Incidents per person-day at the declared rates; falls with harm fall after go-live."""
    home = world.location_is_care_home[pop.day_location]
    provider_of_day = world.location_provider[pop.day_location]
    per_type = []
    for kind_index, type_name in enumerate(TYPES):
        care_home_rate = (
            world.provider_falls_per_1000[provider_of_day]
            if type_name == "fall"
            else rates.care_home_incidents_per_1000_bed_days[type_name]
        )
        rate = (
            np.where(
                home, care_home_rate, rates.home_care_incidents_per_1000_client_days[type_name]
            )
            / 1000
        )
        rows, _ = expand(rng.poisson(rate))
        per_type.append((rows, np.full(len(rows), kind_index)))
    src = np.concatenate([p[0] for p in per_type])
    kind = np.concatenate([p[1] for p in per_type])
    n = len(src)
    location = pop.day_location[src]
    provider = world.location_provider[location]
    day = pop.day_day[src]
    dscr = day >= world.provider_go_live_day[provider]
    harm = _harm(rng=rng, world=world, kind=kind, provider=provider, dscr=dscr, rates=rates)
    occurred = (
        day * clock.DAY_SECONDS
        + np.where(
            kind == 0,
            draw_categories(rng=rng, weights=_FALL_HOURS, size=n) * HOUR,
            rng.integers(7, 22, n) * HOUR,
        )
        + rng.integers(0, HOUR, n)
    )
    report_delay = np.minimum(rng.exponential(np.where(dscr, 2 * HOUR, 8 * HOUR)), 72 * HOUR)
    reported = occurred + 5 * 60 + report_delay.astype(np.int64)
    person = np.where(rng.random(n) < rates.incident_without_person_share, -1, pop.day_person[src])
    subtype = np.full(n, None, dtype=object)
    medication = kind == 1
    subtype[medication] = np.array(_MEDICATION_SUBTYPES, dtype=object)[
        draw_categories(rng=rng, weights=_MEDICATION_WEIGHTS, size=int(medication.sum()))
    ]
    ulcer = kind == 2
    subtype[ulcer] = np.array(_ULCER_SUBTYPES, dtype=object)[
        draw_categories(rng=rng, weights=_ULCER_WEIGHTS, size=int(ulcer.sum()))
    ]
    witnessed = rng.random(n) < np.where(kind == 0, rates.fall_witnessed_share, 0.5)
    template = np.array([_TEXT[t] for t in TYPES], dtype=object)[kind]
    description = np.where(
        dscr, template, np.char.add(_PAPER_PREFIX, template.astype(str)).astype(object)
    )
    # A later version revises the record: harm under-reported at first (moderate or worse
    # first entered as low) or details added after the manager's review.
    revised = rng.random(n) < rates.incident_revision_share
    v1_harm = np.where(revised & (harm >= 2), 1, harm)
    v1_description = np.where(revised, "Initial report, details to follow.", description)
    revise_day = reported // clock.DAY_SECONDS + rng.integers(5, 40, n)
    return event_frame(
        columns={
            "person_id": pick(pop.person_id, person),
            "occurred_at": clock.to_datetime(occurred),
            "reported_at": clock.to_datetime(reported),
            "incident_type": labels(TYPES, kind),
            "subtype": text(subtype),
            "harm": labels(HARMS, harm),
            "witnessed": pl.Series(witnessed),
            "description": text(description),
            f"{V1_PREFIX}harm": labels(HARMS, v1_harm),
            f"{V1_PREFIX}description": text(v1_description),
        },
        provider=provider,
        location=location,
        day=reported // clock.DAY_SECONDS,
        update_day=np.where(revised, revise_day, -1),
        location_ids=np.array(world.location_id, dtype=object),
        uid_prefix="IN",
        order_by="occurred_at",
    )


def _harm(
    *,
    rng: np.random.Generator,
    world: World,
    kind: np.ndarray,
    provider: np.ndarray,
    dscr: np.ndarray,
    rates: Rates,
) -> np.ndarray:
    """Harm level per incident; after go-live a provider's falls with harm change by its effect."""
    mix = np.array([rates.harm_mix.get(t, rates.harm_mix["other"]) for t in TYPES])
    probabilities = mix[kind].copy()
    fall_after = (kind == 0) & dscr
    relative = world.provider_harm_relative[provider]
    shifted = probabilities[:, 2:].sum(axis=1) * -relative
    probabilities[:, 2:] = np.where(
        fall_after[:, None], probabilities[:, 2:] * (1 + relative[:, None]), probabilities[:, 2:]
    )
    probabilities[:, 1] += np.where(fall_after, shifted, 0)
    return draw_rows(rng=rng, probabilities=probabilities)
