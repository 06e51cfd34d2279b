"""A small hand-written warehouse for the Time page: the operations marts it reads.

Built with the real schema (``pipelines/sql/schema/*.sql``, so ``marts.documentation_monthly``,
``marts.visits_monthly`` and ``marts.care_plan_reviews_monthly`` as the load creates them).

- Provider A (``1-101000001``, ICB ``QAA``): ``Oak House`` (care home, live from 10 January
  2026, so February is its first whole month) and ``Elm Care`` (home care, live from
  1 December 2025);
- provider B (``1-102000002``, ICB ``QAA``): ``Pine Lodge`` (care home) with one small month,
  whose counts disclosure control suppresses;
- provider C (``1-103000003``, ICB ``QBB``): ``Cedar Court``, never seen by ICB ``QAA``.

Figures are chosen so that the hours released work out by hand (in the tests). The rows'
notes, minutes, shifts and spread are the care workers' (the ``care_*`` columns the page
reads); the care homes' managers add shifts and minutes to the spec columns only
(``MANAGERS``), so a page that counted all shifts would show other numbers.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb

from pipelines import warehouse

PROVIDER_A = "1-101000001"
PROVIDER_B = "1-102000002"
PROVIDER_C = "1-103000003"
ICB_A = "QAA"
ICB_B = "QBB"
OAK = "1-201000001"
"""Provider A's care home, live from 10 January 2026."""
ELM = "1-201000002"
"""Provider A's home-care service, live from 1 December 2025."""
PINE = "1-202000001"
CEDAR = "1-203000001"
OAK_GO_LIVE = date(2026, 1, 10)
RUN_ID = "20260401T020000Z-tttt"

_LOCATIONS = [
    # provider, location, name, service type, go-live, ICB
    (PROVIDER_A, OAK, "Oak House", "care_home", OAK_GO_LIVE, ICB_A),
    (PROVIDER_A, ELM, "Elm Care", "home_care", date(2025, 12, 1), ICB_A),
    (PROVIDER_B, PINE, "Pine Lodge", "care_home", date(2025, 11, 1), ICB_A),
    (PROVIDER_C, CEDAR, "Cedar Court", "care_home", date(2025, 11, 1), ICB_B),
]

DOCUMENTATION = [
    # provider, location, month, service, basis, notes, entry minutes, shifts, within 15 share,
    # offline notes, p10, p90
    (PROVIDER_A, OAK, date(2026, 1, 1), "care_home", "shifts", 200, 600.0, 20, 0.5, 10, 25.0, 35.0),
    (
        PROVIDER_A,
        OAK,
        date(2026, 2, 1),
        "care_home",
        "shifts",
        400,
        1000.0,
        50,
        0.75,
        20,
        15.0,
        26.0,
    ),
    (PROVIDER_A, OAK, date(2026, 3, 1), "care_home", "shifts", 400, 900.0, 60, 0.8, 40, 12.0, 18.0),
    (PROVIDER_A, ELM, date(2025, 12, 1), "home_care", "visits", 300, 450.0, 150, 0.9, 30, 2.5, 3.5),
    (PROVIDER_A, ELM, date(2026, 1, 1), "home_care", "visits", 200, 330.0, 110, 0.95, 0, 2.8, 3.2),
    (PROVIDER_B, PINE, date(2026, 3, 1), "care_home", "shifts", 6, 40.0, 5, 0.5, 0, 7.0, 9.0),
    (
        PROVIDER_C,
        CEDAR,
        date(2026, 3, 1),
        "care_home",
        "shifts",
        100,
        250.0,
        10,
        0.6,
        5,
        20.0,
        30.0,
    ),
]
"""Oak: 30, 20 and 15 minutes per care-worker shift in January (go-live month), February and
March; Elm: 3.0 minutes per visit in December and January."""

MANAGERS = {
    # (location, month): the managers' shifts and recording minutes, in the spec columns only
    (OAK, date(2026, 1, 1)): (4, 20.0),
    (OAK, date(2026, 2, 1)): (10, 50.0),
    (OAK, date(2026, 3, 1)): (12, 90.0),
    (PINE, date(2026, 3, 1)): (1, 5.0),
    (CEDAR, date(2026, 3, 1)): (2, 10.0),
}
"""Home care has none: its care shifts are its completed visits, the same as its shifts."""

VISITS = [
    # provider, location, month, scheduled, completed, missed, cancelled by person, by
    # provider, late, on-time share, median minutes late, missed share
    (PROVIDER_A, ELM, date(2025, 12, 1), 160, 150, 5, 3, 2, 30, 0.8, 22.0, 5 / 155),
    (PROVIDER_A, ELM, date(2026, 1, 1), 115, 110, 2, 2, 1, 11, 0.9, 18.0, 2 / 112),
]

REVIEWS = [
    # provider, location, month, due, on time, late, outstanding, on-time share, completed,
    # completed in the month
    (PROVIDER_A, OAK, date(2026, 1, 1), 4, 2, 2, 0, 0.5, 4, 5),
    (PROVIDER_A, OAK, date(2026, 2, 1), 10, 6, 2, 2, 0.6, 8, 9),
    (PROVIDER_A, OAK, date(2026, 3, 1), 10, 9, 0, 1, 0.9, 9, 12),
    (PROVIDER_A, ELM, date(2025, 12, 1), 5, 5, 0, 0, 1.0, 5, 5),
    (PROVIDER_C, CEDAR, date(2026, 3, 1), 3, 3, 0, 0, 1.0, 3, 3),
]


def _insert_locations(connection: duckdb.DuckDBPyConnection) -> None:
    for line, (provider, location, name, service, go_live, icb) in enumerate(_LOCATIONS, 2):
        connection.execute(
            "insert into staging.locations (provider_id, location_id, location_name,"
            " service_type, dscr_go_live_date, icb_code, content_hash, export_id,"
            " export_sequence, run_id, source_file, source_line)"
            " values (?, ?, ?, ?, ?, ?, 0, ?, 1, ?, ?, ?)",
            [
                provider,
                location,
                name,
                service,
                go_live,
                icb,
                f"{provider}_2026-04-01_0001",
                RUN_ID,
                "locations.csv",
                line,
            ],
        )
    warehouse.refresh_current(connection, run_id=RUN_ID)


def write_time_warehouse(path: Path) -> Path:
    """Create a DuckDB warehouse at ``path`` with the real schema and the rows above."""
    with duckdb.connect(str(path)) as connection:
        warehouse.create_schema(connection)
        _insert_locations(connection)
        for row in DOCUMENTATION:
            provider, location, month, service, basis, notes, minutes, shifts, within = row[:9]
            offline, p10, p90 = row[9:]
            manager_shifts, manager_minutes = MANAGERS.get((location, month), (0, 0.0))
            all_shifts, all_minutes = shifts + manager_shifts, minutes + manager_minutes
            connection.execute(
                "insert into marts.documentation_monthly (provider_id, location_id, month,"
                " care_notes, entry_minutes, shifts, entry_minutes_per_shift,"
                " notes_recorded_within_15_minutes, service_type, shift_basis,"
                " notes_with_entry_seconds, offline_notes, offline_share,"
                " minutes_per_shift_p10, minutes_per_shift_p90, care_shifts,"
                " care_entry_minutes, entry_minutes_per_care_shift,"
                " care_minutes_per_shift_p10, care_minutes_per_shift_p90)"
                " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    provider,
                    location,
                    month,
                    notes,
                    all_minutes,
                    all_shifts,
                    all_minutes / all_shifts,
                    within,
                    service,
                    basis,
                    notes,
                    offline,
                    offline / notes,
                    p10 - 1 if manager_shifts else p10,  # the spread of all shifts, not used
                    p90 + 1 if manager_shifts else p90,
                    shifts,
                    minutes,
                    minutes / shifts,
                    p10,
                    p90,
                ],
            )
        connection.executemany(
            "insert into marts.visits_monthly (provider_id, location_id, month,"
            " visits_scheduled, visits_completed, visits_missed, visits_cancelled_by_person,"
            " visits_cancelled_by_provider, visits_late, visits_on_time_share,"
            " median_minutes_late, missed_share) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [list(row) for row in VISITS],
        )
        connection.executemany(
            "insert into marts.care_plan_reviews_monthly (provider_id, location_id, month,"
            " reviews_due, reviews_on_time, reviews_late, reviews_outstanding, on_time_share,"
            " reviews_completed, reviews_completed_in_month)"
            " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [list(row) for row in REVIEWS],
        )
    return path
