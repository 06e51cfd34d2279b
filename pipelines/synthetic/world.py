"""The providers and locations of a synthetic ICB, their go-live dates and their exports."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from pipelines.synthetic import clock, identifiers
from pipelines.synthetic.rates import Effects, Rates

ICB_CODE = "QZZ"
"""Invented ODS code of the synthetic ICB (not a real ICB code)."""
SUB_ICB_CODES = ("E38999001", "E38999002", "E38999003")
"""Invented sub-ICB ONS codes of the synthetic ICB, one per local authority below."""

BEFORE, DURING, NEVER = "before_period", "during_period", "never"


@dataclass(frozen=True, slots=True)
class World:
    """Providers (index ``p``) and locations (index ``l``) as parallel arrays."""

    provider_id: list[str]
    provider_name: list[str]
    provider_is_care_home: np.ndarray
    provider_supplier: np.ndarray
    provider_go_live_class: list[str]
    provider_go_live_day: np.ndarray
    """Day number of go-live; a large number for providers never live."""
    provider_writes_occupancy: np.ndarray
    provider_falls_per_1000: np.ndarray
    provider_harm_relative: np.ndarray
    provider_documentation_relative: np.ndarray
    provider_entry_seconds_median: np.ndarray
    provider_false_alarm_start: np.ndarray
    provider_false_alarm_floor: np.ndarray
    location_id: list[str]
    location_name: list[str]
    location_provider: np.ndarray
    location_service_type: list[str]
    location_capacity: np.ndarray
    """Registered beds (care homes) or the client caseload (home care)."""
    location_authority: list[str]
    location_sub_icb: list[str]
    location_postcode: list[str]

    @property
    def provider_count(self) -> int:
        """Number of providers."""
        return len(self.provider_id)

    @property
    def location_count(self) -> int:
        """Number of locations."""
        return len(self.location_id)

    @property
    def location_is_care_home(self) -> np.ndarray:
        """Whether each location is a care home (with or without nursing)."""
        return self.provider_is_care_home[self.location_provider]

    @property
    def location_go_live_day(self) -> np.ndarray:
        """Go-live day number of each location's provider."""
        return self.provider_go_live_day[self.location_provider]


NEVER_DAY = 10**7


def build_world(
    *,
    rng: np.random.Generator,
    providers: int,
    first_day: int,
    last_day: int,
    rates: Rates,
    effects: Effects,
    all_live: bool,
    taken_ids: set[str],
    taken_names: set[str],
) -> World:
    """Draw providers, locations, sizes, suppliers, go-live dates and per-provider effects.

    Args:
        rng: Random generator.
        providers: Number of providers.
        first_day: First day number of the period.
        last_day: Last day number of the period.
        rates: Rates to draw from.
        effects: Mean effect sizes of go-live.
        all_live: Every provider live before the period (the benchmark night).
        taken_ids: CQC IDs already used (updated).
        taken_names: Names already used (updated).
    """
    is_home = rng.random(providers) < rates.care_home_share
    # Small runs still show both kinds of provider.
    is_home[: min(providers, 2)] = [True, False][: min(providers, 2)]
    nursing = rng.random(providers) < rates.nursing_share_of_care_homes
    go_class, go_day = _go_live(
        rng=rng, providers=providers, first=first_day, last=last_day, rates=rates, all_live=all_live
    )
    extra = rng.random(providers)
    n_locations = 1 + (extra < rates.second_location_share) + (extra < rates.third_location_share)
    loc_provider = np.repeat(np.arange(providers), n_locations)
    loc_home = is_home[loc_provider]
    beds = np.exp(rng.normal(np.log(rates.beds_median), rates.beds_sigma, len(loc_provider)))
    clients = np.exp(
        rng.normal(np.log(rates.clients_median), rates.clients_sigma, len(loc_provider))
    )
    capacity = np.where(loc_home, np.clip(beds, 4, 150), np.clip(clients, 25, 200)).round()
    service = [
        ("care_home_nursing" if nursing[p] else "care_home") if is_home[p] else "home_care"
        for p in loc_provider
    ]
    authority_index = rng.integers(0, len(SUB_ICB_CODES), len(loc_provider))
    names = _location_names(rng=rng, is_home=loc_home, taken=taken_names)
    provider_names = [
        f"{names[int(np.flatnonzero(loc_provider == p)[0])].split(' (')[0]} "
        f"{'Care Ltd' if is_home[p] else 'Services Limited'}"
        for p in range(providers)
    ]
    taken_names.update(provider_names)
    return World(
        provider_id=identifiers.cqc_ids(rng=rng, count=providers, taken=taken_ids),
        provider_name=provider_names,
        provider_is_care_home=is_home,
        provider_supplier=rng.integers(0, len(identifiers.SUPPLIERS), providers),
        provider_go_live_class=go_class,
        provider_go_live_day=go_day,
        provider_writes_occupancy=is_home & (rng.random(providers) < rates.occupancy_file_share),
        provider_falls_per_1000=rng.uniform(
            rates.falls_per_1000_bed_days_low, rates.falls_per_1000_bed_days_high, providers
        ),
        provider_harm_relative=np.clip(
            rng.normal(effects.falls_with_harm_relative, effects.falls_with_harm_sd, providers),
            -0.6,
            0.0,
        ),
        provider_documentation_relative=np.clip(
            rng.normal(effects.documentation_relative, effects.documentation_sd, providers),
            -0.6,
            0.0,
        ),
        provider_entry_seconds_median=rates.note_entry_seconds_median
        * np.exp(rng.normal(0, 0.1, providers)),
        provider_false_alarm_start=np.clip(
            rng.normal(effects.false_alarm_start, effects.false_alarm_sd, providers), 0.15, 0.6
        ),
        provider_false_alarm_floor=np.clip(
            rng.normal(effects.false_alarm_floor, effects.false_alarm_sd / 2, providers), 0.02, 0.14
        ),
        location_id=identifiers.cqc_ids(rng=rng, count=len(loc_provider), taken=taken_ids),
        location_name=names,
        location_provider=loc_provider,
        location_service_type=service,
        location_capacity=capacity.astype(np.int64),
        location_authority=[identifiers.LOCAL_AUTHORITIES[i] for i in authority_index],
        location_sub_icb=[SUB_ICB_CODES[i] for i in authority_index],
        location_postcode=[
            f"QZ{rng.integers(1, 20)} {rng.integers(1, 10)}{chr(65 + rng.integers(0, 26))}"
            f"{chr(65 + rng.integers(0, 26))}"
            for _ in loc_provider
        ],
    )


def _go_live(
    *,
    rng: np.random.Generator,
    providers: int,
    first: int,
    last: int,
    rates: Rates,
    all_live: bool,
) -> tuple[list[str], np.ndarray]:
    """Go-live class and day of each provider: some before the period, most during, some never."""
    u = rng.random(providers)
    classes = np.where(
        u < rates.live_before_period_share,
        BEFORE,
        np.where(u < 1 - rates.never_live_share, DURING, NEVER),
    ).astype(object)
    if providers >= 1:
        classes[0] = BEFORE
    if providers >= 2:
        classes[1] = DURING
    if providers >= 5:
        classes[-1] = NEVER
    if all_live:
        classes[:] = BEFORE
    first_month, last_month = clock.month_key(np.array([first, last]))
    span = max(int(last_month - first_month) - 1, 1)
    month = first_month + 1 + rng.integers(0, span, providers)
    month[1 if providers > 1 else 0] = first_month + min(1, int(last_month - first_month))
    start = clock.month_start_day(month)
    during_day = np.minimum(start + rng.integers(0, 28, providers), last)
    before_day = first - rng.integers(30, 700, providers)
    day = np.where(
        classes == BEFORE, before_day, np.where(classes == DURING, during_day, NEVER_DAY)
    )
    return [str(c) for c in classes], day.astype(np.int64)


def _location_names(*, rng: np.random.Generator, is_home: np.ndarray, taken: set[str]) -> list[str]:
    homes = iter(identifiers.care_home_names(rng=rng, count=int(is_home.sum()), taken=taken))
    agencies = iter(identifiers.agency_names(rng=rng, count=int((~is_home).sum()), taken=taken))
    return [next(homes) if home else next(agencies) for home in is_home]
