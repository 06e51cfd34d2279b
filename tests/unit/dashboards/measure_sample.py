"""Care-quality rows for the three-provider sample warehouse (``audit_sample``): the measure pages.

``add_measure_rows`` gives the sample's locations service types and DSCR go-live dates, and
adds incidents (``staging`` and ``core``), ``marts.quality_monthly`` and ``quality_weekly``
rows worked out from those incidents (so a chart's point and the incidents behind it agree),
and before/after estimates:

- ``Alder House`` (A1, care home, live 13 Feb 2025): 24 months, March 2024 to February 2026,
  with falls whose counts are :data:`A1_FALLS`, and the edge cases of :data:`A1_EDGE_FALLS`
  (near midnight, both 2025 clock changes); a fall of a visitor, a retracted fall and a fall
  whose second version raised its harm; medication errors and pressure ulcers;
- ``Ash Court`` (A2, home care: no bed days), ``Birch Lodge`` (B1) and ``Cedar View`` (C1).

``audit_sample`` loads this module by its path (browser tests load ``audit_sample`` that way
too), so it imports no other test module. Person ids follow ``audit_sample``: ``PA1-*`` at
A1, ``PA2-*`` at A2, ``PB-*`` at B1, ``PC-*`` at C1 (the forged-callback tests search
responses for them). Every description starts with :data:`DESCRIPTION_MARK`.
"""

from __future__ import annotations

import calendar
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from importlib import resources
from zoneinfo import ZoneInfo

import duckdb

from pipelines import warehouse

LONDON = ZoneInfo("Europe/London")
A1 = "1-201000001"
A2 = "1-201000002"
B1 = "1-202000001"
C1 = "1-203000001"
PROVIDERS = {A1: "1-101000001", A2: "1-101000001", B1: "1-102000002", C1: "1-103000003"}
GO_LIVE = date(2025, 2, 13)
LOCATION_DETAILS = {
    # location: service type, DSCR go-live date
    A1: ("care_home", GO_LIVE),
    A2: ("home_care", date(2025, 6, 1)),
    B1: ("care_home_nursing", GO_LIVE),
    C1: ("care_home", None),
}
RUN = "20261122T020000Z-bbbb"
"""The sample's second run (``audit_sample.RUN_2``): the incidents arrive in it."""
_EXPORTS = {
    "1-101000001": "1-101000001_2026-11-21_0002",
    "1-102000002": "1-102000002_2026-11-21_0002",
    "1-103000003": "1-103000003_2026-11-21_0001",
}

A1_MONTHS = [date(2024 + (2 + m) // 12, (2 + m) % 12 + 1, 1) for m in range(24)]
"""March 2024 to February 2026."""
A1_FALLS = [7, 6, 8, 5, 7, 6, 9, 7, 6, 8, 7, 6, 5, 4, 6, 4, 5, 3, 4, 5, 4, 3, 4, 3]
"""Falls of people drawing on care at A1 per month of :data:`A1_MONTHS` (edge cases included)."""
A1_MEDICATION_ERRORS = [2, 1, 2, 3, 1, 2, 2, 1, 2, 3, 2, 2, 1, 1, 2, 1, 0, 1, 1, 2, 1, 0, 1, 1]
A1_PRESSURE_ULCERS = [1, 0, 1, 0, 0, 1, 0, 1, 0, 0, 1, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0]
A1_BEDS_OCCUPIED = 28
"""Beds occupied every day at A1: a month's bed days are its days times 28."""

A1_EDGE_FALLS: list[tuple[str, datetime, str, int, int]] = [
    # record uid, instant (UTC), harm, London weekday (1 Monday), London hour
    ("I-A1-E1", datetime(2025, 3, 30, 0, 30, tzinfo=UTC), "no_harm", 7, 0),  # 00:30 GMT
    ("I-A1-E2", datetime(2025, 3, 30, 1, 30, tzinfo=UTC), "low", 7, 2),  # 02:30 BST
    ("I-A1-E3", datetime(2025, 10, 26, 0, 30, tzinfo=UTC), "no_harm", 7, 1),  # 01:30 BST
    ("I-A1-E4", datetime(2025, 10, 26, 1, 30, tzinfo=UTC), "moderate", 7, 1),  # 01:30 GMT
    ("I-A1-E5", datetime(2025, 6, 30, 23, 30, tzinfo=UTC), "low", 2, 0),  # Tue 1 Jul 00:30
    ("I-A1-E6", datetime(2025, 12, 31, 23, 45, tzinfo=UTC), "severe", 3, 23),  # Wed 23:45
    ("I-A1-E7", datetime(2026, 1, 5, 14, 10, tzinfo=UTC), "moderate", 1, 14),
    ("I-A1-E8", datetime(2026, 1, 5, 14, 50, tzinfo=UTC), "severe", 1, 14),
]
"""Falls at A1 whose London day and hour are worked out by hand (clock changes, midnight)."""
A1_VERSIONED_FALL = "I-A1-V1"
"""A fall at A1 on 3 Feb 2026 09:00 delivered twice: version 1 harm ``low``, version 2
``moderate`` (current). It counts once, with harm moderate."""
A1_VISITOR_FALL = "I-A1-X1"
"""A fall of a visitor (no person_id) at A1 on 4 Feb 2026: not counted, never listed."""
A1_RETRACTED_FALL = "I-A1-X2"
"""A fall at A1 on 4 Feb 2026 whose version 2 retracts it (entered in error): not counted."""
_HARMS = ("no_harm", "low", "no_harm", "moderate", "low", "no_harm", "severe", "low", "no_harm")
_MED_SUBTYPES = ("omission", "wrong_dose", "wrong_time", "documentation")
_ULCER_SUBTYPES = ("category_2", "category_1", "category_3")


@dataclass(frozen=True, slots=True)
class Incident:
    """One incident row (current version unless ``version`` says otherwise)."""

    record_uid: str
    location_id: str
    person_id: str | None
    occurred_at: datetime
    incident_type: str
    harm: str
    subtype: str | None = None
    version: int = 1
    status: str = "final"


def _generic(month: date, k: int) -> datetime:
    """The k-th generic event of a month: midday-ish UTC, so the London day is the same."""
    return datetime(month.year, month.month, 2 + 3 * k, 8 + (3 * k) % 12, 15, tzinfo=UTC)


def _a1_monthly(month: date, *, falls: int, errors: int, ulcers: int) -> list[Incident]:
    """A1's generic incidents of one month (the edge cases come on top of ``falls``)."""
    person = month.month % 12
    return [
        *(
            Incident(
                f"I-A1-F{month:%y%m}{k}",
                A1,
                f"PA1-{(person + k) % 12 + 1:04d}",
                _generic(month, k),
                "fall",
                _HARMS[k],
            )
            for k in range(falls)
        ),
        *(
            Incident(
                f"I-A1-M{month:%y%m}{k}",
                A1,
                f"PA1-{k + 1:04d}",
                _generic(month, k) + timedelta(hours=1),
                "medication_error",
                "no_harm" if k % 2 == 0 else "low",
                _MED_SUBTYPES[(k + month.month) % len(_MED_SUBTYPES)],
            )
            for k in range(errors)
        ),
        *(
            Incident(
                f"I-A1-P{month:%y%m}{k}",
                A1,
                f"PA1-{person + 1:04d}",
                _generic(month, k) + timedelta(hours=2),
                "pressure_ulcer",
                "low",
                _ULCER_SUBTYPES[month.month % len(_ULCER_SUBTYPES)],
            )
            for k in range(ulcers)
        ),
    ]


def _a1_incidents() -> list[Incident]:
    edges_by_month = Counter(
        date(at.astimezone(LONDON).year, at.astimezone(LONDON).month, 1)
        for _, at, *_ in A1_EDGE_FALLS
    )
    edges_by_month[date(2026, 2, 1)] += 1  # the versioned fall
    incidents: list[Incident] = []
    for month, falls, errors, ulcers in zip(
        A1_MONTHS, A1_FALLS, A1_MEDICATION_ERRORS, A1_PRESSURE_ULCERS, strict=True
    ):
        incidents += _a1_monthly(
            month, falls=falls - edges_by_month[month], errors=errors, ulcers=ulcers
        )
    for n, (uid, at, harm, _, _) in enumerate(A1_EDGE_FALLS):
        incidents.append(Incident(uid, A1, f"PA1-{n + 1:04d}", at, "fall", harm))
    feb_3 = datetime(2026, 2, 3, 9, 0, tzinfo=UTC)
    feb_4 = datetime(2026, 2, 4, 10, 0, tzinfo=UTC)
    incidents += [
        Incident(A1_VERSIONED_FALL, A1, "PA1-0003", feb_3, "fall", "low", version=1),
        Incident(A1_VERSIONED_FALL, A1, "PA1-0003", feb_3, "fall", "moderate", version=2),
        Incident(A1_VISITOR_FALL, A1, None, feb_4, "fall", "low"),
        Incident(A1_RETRACTED_FALL, A1, "PA1-0004", feb_4, "fall", "low", version=1),
        Incident(
            A1_RETRACTED_FALL,
            A1,
            "PA1-0004",
            feb_4,
            "fall",
            "low",
            version=2,
            status="entered_in_error",
        ),
    ]
    return incidents


OTHER_INCIDENTS = [
    Incident("I-A2-F1", A2, "PA2-0001", datetime(2026, 1, 12, 10, 0, tzinfo=UTC), "fall", "low"),
    Incident(
        "I-A2-F2", A2, "PA2-0002", datetime(2026, 1, 20, 18, 0, tzinfo=UTC), "fall", "moderate"
    ),
    Incident(
        "I-A2-M1",
        A2,
        "PA2-0003",
        datetime(2026, 2, 10, 8, 0, tzinfo=UTC),
        "medication_error",
        "no_harm",
        "omission",
    ),
    Incident("I-B1-F1", B1, "PB-0001", datetime(2026, 1, 5, 14, 30, tzinfo=UTC), "fall", "severe"),
    Incident("I-B1-F2", B1, "PB-0002", datetime(2026, 1, 7, 3, 0, tzinfo=UTC), "fall", "low"),
    Incident(
        "I-B1-M1",
        B1,
        "PB-0003",
        datetime(2026, 1, 9, 9, 0, tzinfo=UTC),
        "medication_error",
        "low",
        "wrong_dose",
    ),
    Incident(
        "I-B1-P1",
        B1,
        "PB-0004",
        datetime(2026, 1, 11, 9, 0, tzinfo=UTC),
        "pressure_ulcer",
        "low",
        "category_2",
    ),
    Incident("I-C1-F1", C1, "PC-0001", datetime(2026, 1, 5, 14, 0, tzinfo=UTC), "fall", "low"),
]
"""A few incidents at the other locations (to prove they never reach A1's callers)."""


def sample_incidents() -> list[Incident]:
    """Every incident row of the sample, versions and retractions included."""
    return [*_a1_incidents(), *OTHER_INCIDENTS]


def current_incidents() -> list[Incident]:
    """The incidents that count: the highest version of each record, if final."""
    latest: dict[str, Incident] = {}
    for incident in sample_incidents():
        known = latest.get(incident.record_uid)
        if known is None or incident.version > known.version:
            latest[incident.record_uid] = incident
    return [incident for incident in latest.values() if incident.status == "final"]


def _london_day(at: datetime) -> date:
    return at.astimezone(LONDON).date()


def _counts(incidents: list[Incident], *, location: str, period_of: object) -> dict[date, Counter]:
    by_period: dict[date, Counter] = {}
    for incident in incidents:
        if incident.location_id != location:
            continue
        period = period_of(_london_day(incident.occurred_at))  # type: ignore[operator]
        counts = by_period.setdefault(period, Counter())
        if incident.incident_type == "fall" and incident.person_id is not None:
            counts["falls"] += 1
            counts["falls_with_harm"] += incident.harm in ("moderate", "severe", "fatal")
        counts[incident.incident_type] += 1
    return by_period


def _month(day: date) -> date:
    return day.replace(day=1)


def _week(day: date) -> date:
    return day - timedelta(days=day.weekday())


_LOCATION_MONTHS = {
    A1: A1_MONTHS,
    A2: A1_MONTHS[10:],  # January 2025 to February 2026
    B1: A1_MONTHS,
    C1: A1_MONTHS[18:],  # September 2025 to February 2026
}
_BEDS = {A1: A1_BEDS_OCCUPIED, A2: None, B1: 40, C1: 20}


def _rate(count: int, exposure: int | None) -> float | None:
    return None if not exposure else count * 1000 / exposure


def mart_rows(*, grain: str) -> list[tuple[object, ...]]:
    """Rows of ``marts.quality_monthly`` (``grain="month"``) or ``quality_weekly``."""
    incidents = current_incidents()
    rows: list[tuple[object, ...]] = []
    for location, months in _LOCATION_MONTHS.items():
        period_of = _month if grain == "month" else _week
        counts = _counts(incidents, location=location, period_of=period_of)
        first, last = months[0], months[-1]
        last_day = last.replace(day=calendar.monthrange(last.year, last.month)[1])
        if grain == "month":
            periods = [(month, calendar.monthrange(month.year, month.month)[1]) for month in months]
        else:
            monday = _week(first) + timedelta(days=7 * (first.weekday() != 0))
            periods = []
            while monday + timedelta(days=6) <= last_day:
                periods.append((monday, 7))
                monday += timedelta(days=7)
        for index, (period, days) in enumerate(periods):
            found = counts.get(period, Counter())
            beds = _BEDS[location]
            bed_days = None if beds is None else beds * days
            doses = days * 120
            falls, harmed = found["falls"], found["falls_with_harm"]
            errors, ulcers = found["medication_error"], found["pressure_ulcer"]
            rows.append(
                (
                    PROVIDERS[location],
                    location,
                    period,
                    bed_days,
                    falls,
                    harmed,
                    _rate(falls, bed_days),
                    _rate(harmed, bed_days),
                    doses,
                    days // 2 + index % 3,
                    days + index % 5,
                    errors,
                    _rate(errors, doses),
                    ulcers,
                    _rate(ulcers, bed_days),
                )
            )
    return rows


A1_FALLS_EXPECTED = [5.5, 5.3, 5.4, 5.2, 5.1, 5.0, 5.1, 5.0, 4.9, 4.9, 4.8, 4.8]
"""Counterfactual falls at A1 per month, March 2025 to February 2026 (61 in all)."""

IMPACT: list[tuple[object, ...]] = [
    # location, measure, months before, after, status, model, level ratio, lower, upper,
    # slope ratio, lower, upper, observed, expected, avoided, lower, upper
    (A1, "falls", 11, 12, "estimated", "negative_binomial", 0.82, 0.71, 0.95, 0.99, 0.97, 1.01)
    + (50.0, 61.0, 11.0, 3.0, 20.0),
    (A1, "falls_with_harm", 11, 12, "did_not_converge", None) + (None,) * 11,
    (A1, "medication_errors", 11, 12, "estimated", "poisson", 1.10, 0.80, 1.52, 1.0, 0.96, 1.04)
    + (12.0, 11.2, -0.8, -5.1, 3.0),
    (A1, "pressure_ulcers", 11, 12, "no_events", None) + (None,) * 11,
    (A2, "falls", 0, 0, "no_exposure", None) + (None,) * 11,
    (A2, "falls_with_harm", 0, 0, "no_exposure", None) + (None,) * 11,
    (A2, "medication_errors", 5, 8, "too_few_months_before", None) + (None,) * 11,
    (A2, "pressure_ulcers", 0, 0, "no_exposure", None) + (None,) * 11,
    (B1, "falls", 11, 12, "estimated", "poisson", 0.77, 0.6, 0.99, 1.0, 0.98, 1.02)
    + (70.0, 81.0, 11.0, 1.0, 22.0),
    (C1, "falls", 0, 5, "no_go_live", None) + (None,) * 11,
]
"""``marts.quality_impact`` rows (every other column as the load writes it)."""


def counterfactual_rows() -> list[tuple[object, ...]]:
    """``marts.quality_counterfactual`` rows: A1's and B1's falls after go-live."""
    after = A1_MONTHS[12:]
    rows: list[tuple[object, ...]] = []
    for month, observed, expected in zip(after, A1_FALLS[12:], A1_FALLS_EXPECTED, strict=True):
        rows.append(
            (
                PROVIDERS[A1],
                A1,
                "falls",
                month,
                float(observed),
                expected,
                expected - 1,
                expected + 1.2,
            )
        )
        rows.append((PROVIDERS[B1], B1, "falls", month, 6.0, 6.75, 5.5, 8.0))
    return rows


def _insert_incidents(connection: duckdb.DuckDBPyConnection) -> None:
    for line, incident in enumerate(sample_incidents(), start=2):
        provider = PROVIDERS[incident.location_id]
        connection.execute(
            "insert into staging.incidents (provider_id, record_uid, version, status,"
            " location_id, person_id, occurred_at, reported_at, incident_type, subtype, harm,"
            " witnessed, description, content_hash, export_id, export_sequence, run_id,"
            " source_file, source_line) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, false, ?, 0, ?,"
            " 3, ?, ?, ?)",
            [
                provider,
                incident.record_uid,
                incident.version,
                incident.status,
                incident.location_id,
                incident.person_id,
                incident.occurred_at,
                incident.occurred_at + timedelta(minutes=20),
                incident.incident_type,
                incident.subtype,
                incident.harm,
                f"DESCRIPTION-SECRET {incident.record_uid}",
                _EXPORTS[provider],
                RUN,
                f"{_EXPORTS[provider]}/incidents.csv",
                line,
            ],
        )


_MART_COLUMNS = (
    "provider_id, location_id, {period}, occupied_bed_days, falls, falls_with_harm,"
    " falls_per_1000_bed_days, falls_with_harm_per_1000_bed_days, scheduled_doses,"
    " missed_doses, late_doses, medication_errors, medication_errors_per_1000_doses,"
    " pressure_ulcers, pressure_ulcers_per_1000_bed_days"
)
DESCRIPTION_MARK = "DESCRIPTION-SECRET"
"""Every incident's free-text description starts with this: no page may show it."""


def add_measure_rows(connection: duckdb.DuckDBPyConnection) -> None:
    """Add the rows above to a warehouse already holding ``audit_sample``'s rows and runs."""
    _insert_incidents(connection)
    warehouse.refresh_current(connection, run_id=RUN)
    for location, (service_type, go_live) in LOCATION_DETAILS.items():
        connection.execute(
            "update core.locations set service_type = ?, dscr_go_live_date = ?"
            " where location_id = ?",
            [service_type, go_live, location],
        )
    placeholders = ", ".join("?" * 15)
    for grain, table in (("month", "quality_monthly"), ("week", "quality_weekly")):
        connection.executemany(
            f"insert into marts.{table} ({_MART_COLUMNS.format(period=grain)})"  # noqa: S608 - fixed
            f" values ({placeholders})",
            mart_rows(grain=grain),
        )
    # the warehouse's DDL of the impact tables
    ddl = resources.files("pipelines") / "sql" / "schema" / "marts_impact.sql"
    connection.execute(ddl.read_text())
    for place, measure, before, after, status, model, *estimate in IMPACT:
        connection.execute(
            "insert into marts.quality_impact (provider_id, location_id, measure, go_live_date,"
            " months_before, months_after, status, model, has_seasonal_term,"
            " level_change_ratio, level_change_lower, level_change_upper, slope_change_ratio,"
            " slope_change_lower, slope_change_upper, observed_since_go_live,"
            " expected_since_go_live, avoided_since_go_live, avoided_lower, avoided_upper,"
            " exposure_unit, run_id) values (?, ?, ?, ?, ?, ?, ?, ?, false, ?, ?, ?, ?, ?, ?,"
            " ?, ?, ?, ?, ?, ?, ?)",
            [
                PROVIDERS[str(place)],
                place,
                measure,
                LOCATION_DETAILS[str(place)][1],
                before,
                after,
                status,
                model,
                *estimate,
                "scheduled_doses" if measure == "medication_errors" else "occupied_bed_days",
                RUN,
            ],
        )
    connection.executemany(
        "insert into marts.quality_counterfactual (provider_id, location_id, measure, month,"
        " observed, expected, expected_lower, expected_upper) values (?, ?, ?, ?, ?, ?, ?, ?)",
        counterfactual_rows(),
    )
