"""Checks on long aggregates whose failing rows are named: freshness and occupancy."""

from __future__ import annotations

from datetime import date

import duckdb

from data_contracts.enums import ServiceType
from pipelines.checks.frames import (
    Check,
    GxResult,
    failed_labels,
    listing_format,
    long_frame,
    plural,
    rows_by_label,
)
from pipelines.checks.protocol import FrameData, JsonValue, SuiteBuilder, SuiteRequest

_CARE_HOME_TYPES = (ServiceType.CARE_HOME.value, ServiceType.CARE_HOME_NURSING.value)
_MAX_LISTED = 10
"""Location-months named in the one occupancy warning line; the rest are counted."""

_FRESHNESS_SQL = """
select provider_id, strftime(max(extract_to), '%Y-%m-%d') as latest_extract_to,
    ($run_date - max(extract_to))::double as days_since_extract
from audit.packages
group by provider_id
order by provider_id
"""
_FRESHNESS_DTYPES = {
    "provider_id": "object",
    "latest_extract_to": "object",
    "days_since_extract": "float64",
}


def freshness_check(
    *,
    con: duckdb.DuckDBPyConnection,
    run_date: date,
    freshness_days: int,
    tables: frozenset[str],
) -> Check:
    """Days from each provider's latest extract to the run date (Europe/London)."""
    columns: dict[str, list[JsonValue]] = {name: [] for name in _FRESHNESS_DTYPES}
    if "audit.packages" in tables:
        columns = long_frame(
            con, sql=_FRESHNESS_SQL, params={"run_date": run_date}, dtypes=_FRESHNESS_DTYPES
        )
    labels = [str(provider) for provider in columns["provider_id"]]
    rows = rows_by_label(columns, labels=labels)
    dated = [float(d) for d in columns["days_since_extract"] if isinstance(d, float) and d == d]

    def observe(_target: str, result: GxResult) -> str:
        stale = result.get("unexpected_count", 0)
        latest = (
            f"; the oldest ends {plural(int(max(dated)), 'day')} before the run" if dated else ""
        )
        return f"{plural(len(labels), 'provider')}, {stale} stale{latest}"

    def explain(_target: str, result: GxResult) -> list[str]:
        stale = [rows[label] for label in failed_labels(result)]
        return [
            f"{row['provider_id']}: latest export ends {row['latest_extract_to']},"
            f" {plural(int(row['days_since_extract']), 'day')} before the run"
            f" (tolerance {freshness_days} days)"
            for row in stale
        ]

    request = SuiteRequest(
        builder=SuiteBuilder.FRESHNESS,
        params={"freshness_days": freshness_days},
        frame=FrameData(columns=columns, dtypes=dict(_FRESHNESS_DTYPES), index=labels),
        result_format=listing_format(listed=None),
    )
    return Check(request=request, observe=observe, explain=explain)


# A stay occupies a bed on each date from start_date up to the day before end_date; an ongoing
# stay up to and including its provider's latest extract_to (shared/spec/dscr-export-v1.md).
# Compared only on the days occupancy.csv covers, and only where stays occupy some bed then.
_OCCUPANCY_SQL = """
with care_homes as (
    select provider_id, location_id from core.locations
    where list_contains($care_home_types, service_type)
),
extract_ends as (
    select provider_id, max(extract_to) as latest_extract_to from {packages} group by provider_id
),
stays as (
    select p.provider_id, p.location_id, p.start_date,
        coalesce(p.end_date, e.latest_extract_to + 1, $run_date::date + 1) as end_exclusive
    from core.people as p
    inner join care_homes as h using (provider_id, location_id)
    left join extract_ends as e using (provider_id)
),
occupancy_days as (
    select o.provider_id, o.location_id, o.date, o.occupied_beds
    from core.occupancy as o
    inner join care_homes as h using (provider_id, location_id)
),
daily as (
    select d.provider_id, d.location_id, d.date, any_value(d.occupied_beds) as occupied_beds,
        count(s.start_date) as stay_beds
    from occupancy_days as d
    left join stays as s
        on s.provider_id = d.provider_id and s.location_id = d.location_id
        and d.date >= s.start_date and d.date < s.end_exclusive
    group by d.provider_id, d.location_id, d.date
),
monthly as (
    select provider_id, location_id, strftime(date_trunc('month', date), '%Y-%m') as month,
        sum(occupied_beds)::bigint as occupancy_bed_days, sum(stay_beds)::bigint as stay_bed_days
    from daily
    group by all
)
select *,
    abs(stay_bed_days - occupancy_bed_days) / greatest(occupancy_bed_days, 1)::double
        as relative_difference
from monthly
where stay_bed_days > 0
order by provider_id, location_id, month
"""
_NO_PACKAGES = "(select null::varchar as provider_id, null::date as extract_to where false)"
_OCCUPANCY_DTYPES = {
    "provider_id": "object",
    "location_id": "object",
    "month": "object",
    "occupancy_bed_days": "int64",
    "stay_bed_days": "int64",
    "relative_difference": "float64",
}


def occupancy_check(
    *,
    con: duckdb.DuckDBPyConnection,
    run_date: date,
    tolerance: float,
    tables: frozenset[str],
) -> Check:
    """Occupied bed days from occupancy.csv against stays, per care-home location-month."""
    columns: dict[str, list[JsonValue]] = {name: [] for name in _OCCUPANCY_DTYPES}
    if {"core.locations", "core.people", "core.occupancy"} <= tables:
        packages = "audit.packages" if "audit.packages" in tables else _NO_PACKAGES
        columns = long_frame(
            con,
            sql=_OCCUPANCY_SQL.format(packages=packages),
            params={"run_date": run_date, "care_home_types": list(_CARE_HOME_TYPES)},
            dtypes=_OCCUPANCY_DTYPES,
        )
    labels = [
        f"{loc} {month}"
        for loc, month in zip(columns["location_id"], columns["month"], strict=True)
    ]
    if len(set(labels)) < len(labels):  # one location under two providers: name the provider
        labels = [f"{p} {label}" for p, label in zip(columns["provider_id"], labels, strict=True)]
    rows = rows_by_label(columns, labels=labels)

    def explain(_target: str, result: GxResult) -> list[str]:
        failed = [(label, rows[label]) for label in failed_labels(result)]
        listed = "; ".join(
            f"{label} (occupancy.csv {int(row['occupancy_bed_days']):,},"
            f" stays {int(row['stay_bed_days']):,} bed days)"
            for label, row in failed
        )
        count = int(result.get("unexpected_count", len(failed)))
        more = f"; and {count - len(failed)} more" if count > len(failed) else ""
        return [
            f"core.occupancy: {plural(count, 'care-home location-month')} where"
            f" occupancy.csv and stays differ by more than {tolerance:.0%}: {listed}{more}"
        ]

    request = SuiteRequest(
        builder=SuiteBuilder.OCCUPANCY,
        params={"tolerance": tolerance},
        frame=FrameData(columns=columns, dtypes=dict(_OCCUPANCY_DTYPES), index=labels),
        result_format=listing_format(listed=_MAX_LISTED),
    )
    return Check(
        request=request,
        observe=lambda _target, result: (
            f"{plural(len(labels), 'location-month')} compared,"
            f" {result.get('unexpected_count', 0)} beyond {tolerance:.0%}"
        ),
        explain=explain,
    )
