"""A small hand-written warehouse for the quality pages: marts.quality_* and the impact tables.

Built with the real schema (``pipelines/sql/schema/*.sql``, so ``marts.quality_monthly`` and
``marts.quality_weekly`` as the load creates them) plus the impact DDL of
``pipelines/sql/schema/marts_impact.sql``. Two providers:

- provider A (``1-101000001``): ``Alder House`` (care home, live on DSCR from 10 January 2026)
  with four months, November 2025 to February 2026, and ``Ash Court`` (home care: no bed days)
  with two months;
- provider B (``1-102000002``): ``Birch Lodge`` (care home) with two months.

Every figure below is chosen so that rates are round numbers (worked out in the tests).
"""

from __future__ import annotations

from datetime import date
from importlib import resources
from pathlib import Path

import duckdb

from pipelines import warehouse

PROVIDER_A = "1-101000001"
PROVIDER_B = "1-102000002"
ALDER = "1-201000001"
"""Provider A's care home, live on DSCR from 10 January 2026."""
ASH = "1-201000002"
"""Provider A's home-care location (no occupied bed days)."""
BIRCH = "1-202000001"
"""Provider B's care home."""
ALDER_GO_LIVE = date(2026, 1, 10)
RUN_ID = "20260301T020000Z-qqqq"

_LOCATIONS = [
    # provider, location, name, service type, go-live
    (PROVIDER_A, ALDER, "Alder House", "care_home", ALDER_GO_LIVE),
    (PROVIDER_A, ASH, "Ash Court", "home_care", None),
    (PROVIDER_B, BIRCH, "Birch Lodge", "care_home_nursing", date(2025, 12, 1)),
]

MartRow = tuple[str, str, date, int | None, int, int, int, int, int, int, int]
"""provider, location, period, bed days, falls, with harm, doses, missed, late, medication
errors, pressure ulcers."""

MONTHLY: list[MartRow] = [
    # provider, location, month, bed days, falls, with harm, doses, missed, late, med errors,
    # pressure ulcers
    (PROVIDER_A, ALDER, date(2025, 11, 1), 1000, 5, 1, 2000, 10, 4, 2, 0),
    (PROVIDER_A, ALDER, date(2025, 12, 1), 1000, 4, 0, 2000, 8, 2, 1, 1),
    (PROVIDER_A, ALDER, date(2026, 1, 1), 500, 3, 1, 0, 0, 0, 0, 0),
    (PROVIDER_A, ALDER, date(2026, 2, 1), 800, 2, 0, 4000, 12, 6, 3, 2),
    (PROVIDER_A, ASH, date(2026, 1, 1), None, 2, 1, 1000, 5, 1, 1, 0),
    (PROVIDER_A, ASH, date(2026, 2, 1), None, 1, 0, 500, 2, 0, 1, 0),
    (PROVIDER_B, BIRCH, date(2026, 1, 1), 2000, 8, 2, 5000, 20, 9, 5, 4),
    (PROVIDER_B, BIRCH, date(2026, 2, 1), 1000, 7, 1, 2500, 11, 3, 2, 1),
]
"""Rates: Alder's falls 5.0, 4.0, 6.0, 2.5 per 1,000 bed days; medication errors 1.0, 0.5,
null (no doses), 0.75 per 1,000 doses; Ash's medication errors 1.0 and 2.0, no bed-day rates."""

WEEKLY: list[MartRow] = [
    # provider, location, week (Monday), bed days, falls, with harm, doses, missed, late,
    # med errors, pressure ulcers
    (PROVIDER_A, ALDER, date(2026, 2, 2), 200, 1, 0, 1000, 3, 1, 1, 0),
    (PROVIDER_A, ALDER, date(2026, 2, 9), 250, 0, 0, 1000, 3, 2, 0, 1),
    (PROVIDER_B, BIRCH, date(2026, 2, 2), 250, 2, 0, 600, 2, 1, 1, 0),
]

IMPACT = [
    # provider, location, measure, go-live, months before, after, status, level change ratio,
    # its lower and upper limits, observed and expected events since go-live
    (PROVIDER_A, ALDER, "falls", ALDER_GO_LIVE, 2, 1, "estimated", 0.5, 0.25, 1.0, 2.0, 4.0),
    (PROVIDER_A, ASH, "falls", None, 0, 0, "no_exposure", None, None, None, None, None),
    (PROVIDER_B, BIRCH, "falls", date(2025, 12, 1), 1, 2, "estimated", 0.9, 0.5, 1.6, 15.0, 16.0),
]

COUNTERFACTUAL = [
    # provider, location, measure, month, observed, expected, lower, upper
    (PROVIDER_A, ALDER, "falls", date(2026, 2, 1), 2.0, 4.0, 3.0, 5.5),
    (PROVIDER_B, BIRCH, "falls", date(2026, 1, 1), 8.0, 9.0, 7.0, 11.0),
    (PROVIDER_B, BIRCH, "falls", date(2026, 2, 1), 7.0, 7.0, 5.0, 9.0),
]


def _rate(count: int, exposure: int | None) -> float | None:
    return None if not exposure else count * 1000 / exposure


def _mart_row(row: MartRow) -> tuple[object, ...]:
    provider, location, period, bed_days, falls, harm, doses, missed, late, errors, ulcers = row
    return (
        provider,
        location,
        period,
        bed_days,
        falls,
        harm,
        _rate(falls, bed_days),
        _rate(harm, bed_days),
        doses,
        missed,
        late,
        errors,
        _rate(errors, doses),
        ulcers,
        _rate(ulcers, bed_days),
    )


_MART_COLUMNS = (
    "provider_id, location_id, {period}, occupied_bed_days, falls, falls_with_harm,"
    " falls_per_1000_bed_days, falls_with_harm_per_1000_bed_days, scheduled_doses,"
    " missed_doses, late_doses, medication_errors, medication_errors_per_1000_doses,"
    " pressure_ulcers, pressure_ulcers_per_1000_bed_days"
)


def create_impact_tables(connection: duckdb.DuckDBPyConnection) -> None:
    """Create ``marts.quality_impact`` and ``marts.quality_counterfactual`` (helper F's DDL)."""
    ddl = resources.files("pipelines") / "sql" / "schema" / "marts_impact.sql"
    connection.execute(ddl.read_text())


def write_quality_warehouse(path: Path) -> Path:
    """Create a DuckDB warehouse at ``path`` with the real schema and the rows above."""
    with duckdb.connect(str(path)) as connection:
        warehouse.create_schema(connection)
        create_impact_tables(connection)
        for line, (provider, location, name, service, go_live) in enumerate(_LOCATIONS, 2):
            connection.execute(
                "insert into staging.locations (provider_id, location_id, location_name,"
                " service_type, dscr_go_live_date, content_hash, export_id, export_sequence,"
                " run_id, source_file, source_line) values (?, ?, ?, ?, ?, 0, ?, 1, ?, ?, ?)",
                [
                    provider,
                    location,
                    name,
                    service,
                    go_live,
                    f"{provider}_2026-03-01_0001",
                    RUN_ID,
                    "locations.csv",
                    line,
                ],
            )
        warehouse.refresh_current(connection, run_id=RUN_ID)
        placeholders = ", ".join("?" * 15)
        connection.executemany(
            f"insert into marts.quality_monthly ({_MART_COLUMNS.format(period='month')})"  # noqa: S608 - fixed
            f" values ({placeholders})",
            [_mart_row(row) for row in MONTHLY],
        )
        connection.executemany(
            f"insert into marts.quality_weekly ({_MART_COLUMNS.format(period='week')})"  # noqa: S608 - fixed
            f" values ({placeholders})",
            [_mart_row(row) for row in WEEKLY],
        )
        for provider, location, measure, go_live, before, after, status, *estimate in IMPACT:
            ratio, lower, upper, observed, expected = estimate
            connection.execute(
                "insert into marts.quality_impact (provider_id, location_id, measure,"
                " go_live_date, months_before, months_after, status, level_change_ratio,"
                " level_change_lower, level_change_upper, observed_since_go_live,"
                " expected_since_go_live, avoided_since_go_live, exposure_unit, run_id)"
                " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    provider,
                    location,
                    measure,
                    go_live,
                    before,
                    after,
                    status,
                    ratio,
                    lower,
                    upper,
                    observed,
                    expected,
                    None if expected is None or observed is None else expected - observed,
                    "occupied_bed_days",
                    RUN_ID,
                ],
            )
        connection.executemany(
            "insert into marts.quality_counterfactual (provider_id, location_id, measure, month,"
            " observed, expected, expected_lower, expected_upper)"
            " values (?, ?, ?, ?, ?, ?, ?, ?)",
            COUNTERFACTUAL,
        )
    return path
