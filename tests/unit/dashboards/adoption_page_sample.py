"""A small hand-written warehouse for the DSCR adoption page (the real schema, rows by hand).

Invented organisations only. ICB ``QAA`` (Aire and Dale ICB) has 40 active locations every
month of 2025 (25 care homes with 600 beds, 15 community services); adopted locations grow
along the logistic curve logit(rate) = -0.7 + 0.1 t (t = months since January 2025), rounded:
13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24 of 40. Six have no return and the rest said No.
Adopted beds are 16 x adopted - 4 (380 of 600 in December).

Hand-worked disclosure control (1 to 7 suppressed, the rest to the nearest 5):

- December 2025: active 40 → 40, adopted 24 → 25, no return 6 → [c], returned No 10 → 10,
  returned 34 → 35; rate 24 / 40 = 60.0% (from the unrounded counts), by beds
  380 / 600 = 63.3%, of returns 24 / 34 = 70.6%.
- Breakdown: size band 10-24 beds has 5 adopted of 12 → adopted [c], active 10, rate
  suppressed; 25-49 beds 12 of 13 → 10 of 15, 92.3%; community 7 of 15 → [c] of 15,
  suppressed. Local authority Lowmoor 5 of 12 (suppressed), Highdale 19 of 28 → 20 of 30,
  67.9%. Supplier (adopted locations): Carebook 15, Not known 9 → 10.
- 80% of the 40 (controlled) active is 32; 25 (controlled) have adopted, so about 7 more.

The trajectory row has intercept -0.7 and slope 0.1: logit(0.8) = ln 4 = 1.3863 is crossed at
t = (1.3863 + 0.7) / 0.1 = 20.86, in the month t = 21: October 2026.

Funnel (providers sharing data: core.locations in QAA, December 2025 in marts.quality_monthly):
provider A has 40 falls over 8,000 bed days (Oak House; Elm Care's 3 home-care falls have no
bed days and do not count) → 5.00 per 1,000, and 30 medication errors over 20,000 doses → 1.50;
provider B (Birch View) has 5 falls over 2,000 bed days → falls [c], not plotted, and 12 errors
over 10,000 doses → 10 (rounded), 1.20. Medication errors' pooled average is 42 / 30,000 =
1.40 per 1,000; falls' is A's alone, 5.00.

ICB ``QBB`` (a neighbour) has its own rows and an abandoned location that QAA's lead must never
see. Provider A (``1-101000001``) runs Oak House (care home, adopted, Carebook) and Elm Care
(community: returned No on 31 December 2025 after Yes in June: at risk) in QAA.
"""

from __future__ import annotations

import math
from datetime import date
from pathlib import Path

import duckdb

from pipelines import warehouse

ICB_A = "QAA"
ICB_A_NAME = "Aire and Dale ICB"
ICB_B = "QBB"
ICB_B_NAME = "Beck Valley ICB"
PROVIDER_A = "1-101000001"
PROVIDER_B = "1-102000002"
PROVIDER_C = "1-103000003"
OAK = "1-201000001"
ELM = "1-201000002"
BIRCH = "1-202000001"
CEDAR = "1-203000001"
NO_RETURN_NAMES = ("Ash Grove", "Beech Lodge", "Fern Court", "Holly Bank", "Ivy House", "Yew Rise")
RUN_ID = "20260105T020000Z-adpt"
AS_OF = date(2026, 1, 5)
MONTHS = [date(2025, month, 1) for month in range(1, 13)]
ADOPTED = [13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24]
INTERCEPT = -0.7
SLOPE = 0.1


def _month_end(month: date) -> date:
    following = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return date.fromordinal(following.toordinal() - 1)


def _monthly(con: duckdb.DuckDBPyConnection) -> None:
    for month, adopted in zip(MONTHS, ADOPTED, strict=True):
        con.execute(
            "insert into marts.adoption_monthly values "
            "(?, ?, 40, ?, 6, ?, 600, ?, ?, ?, ?, ?, ?, ?)",
            [
                ICB_A,
                month,
                adopted,
                adopted / 40,
                16 * adopted - 4,
                (16 * adopted - 4) / 600,
                ICB_A_NAME,
                _month_end(month),
                34 - adopted,
                adopted / 34,
                date(2025, 1, 31),
            ],
        )
    for month in MONTHS[-3:]:
        con.execute(
            "insert into marts.adoption_monthly values "
            "(?, ?, 50, 45, 0, 0.9, 900, 850, ?, ?, ?, 5, 0.9, ?)",
            [ICB_B, month, 850 / 900, ICB_B_NAME, _month_end(month), date(2025, 1, 31)],
        )


_BREAKDOWN = [
    # dimension, category, active, adopted, no return, beds, adopted beds
    ("service_type", "care_home", 25, 17, 2, 600, 380),
    ("service_type", "community", 15, 7, 4, 0, 0),
    ("size_band", "community", 15, 7, 4, 0, 0),
    ("size_band", "10-24 beds", 12, 5, 1, 200, 80),
    ("size_band", "25-49 beds", 13, 12, 1, 400, 300),
    ("local_authority", "Lowmoor", 12, 5, 3, 250, 100),
    ("local_authority", "Highdale", 28, 19, 3, 350, 280),
    ("supplier", "No DSCR", 16, 0, 6, 220, 0),
    ("supplier", "Carebook", 15, 15, 0, 300, 300),
    ("supplier", "Not known", 9, 9, 0, 80, 80),
]


def _breakdown(con: duckdb.DuckDBPyConnection) -> None:
    for dimension, category, active, adopted, no_return, beds, adopted_beds in _BREAKDOWN:
        con.execute(
            "insert into marts.adoption_breakdown_monthly values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                ICB_A,
                MONTHS[-1],
                dimension,
                category,
                active,
                adopted,
                no_return,
                adopted / active,
                beds,
                adopted_beds,
                adopted_beds / beds if beds else None,
            ],
        )
    con.execute(
        "insert into marts.adoption_breakdown_monthly values "
        "(?, ?, 'service_type', 'care_home', 50, 45, 0, 0.9, 900, 850, ?)",
        [ICB_B, MONTHS[-1], 850 / 900],
    )


def _location(
    con: duckdb.DuckDBPyConnection,
    *,
    location: tuple[str, str, str, str | None],
    icb: tuple[str, str],
    care_home_beds: int | None,
    size_band: str,
    latest: tuple[date | None, bool | None, str | None, str | None],
) -> None:
    location_id, name, provider_id, provider_name = location
    return_date, uses, status, supplier = latest
    con.execute(
        "insert into marts.adoption_location_monthly values "
        "(?, ?, ?, ?, ?, ?, ?, ?, 'Highdale', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            MONTHS[-1],
            _month_end(MONTHS[-1]),
            *icb,
            location_id,
            name,
            provider_id,
            provider_name,
            "care_home" if care_home_beds else "community",
            care_home_beds,
            size_band,
            date(2025, 1, 31),
            return_date,
            uses,
            status,
            supplier,
            return_date is not None,
            bool(uses),
        ],
    )


def _locations(con: duckdb.DuckDBPyConnection) -> None:
    icb_a = (ICB_A, ICB_A_NAME)
    _location(
        con,
        location=(OAK, "Oak House", PROVIDER_A, "Dale Care Ltd"),
        icb=icb_a,
        care_home_beds=30,
        size_band="25-49 beds",
        latest=(date(2025, 11, 3), True, "live", "Carebook"),
    )
    _location(
        con,
        location=(ELM, "Elm Care", PROVIDER_A, "Dale Care Ltd"),
        icb=icb_a,
        care_home_beds=None,
        size_band="community",
        latest=(date(2025, 12, 31), False, "abandoned", None),
    )
    for number, name in enumerate(NO_RETURN_NAMES, start=1):
        _location(
            con,
            location=(f"1-30{number}000001", name, PROVIDER_B, "Moor Homes"),
            icb=icb_a,
            care_home_beds=12 if number % 2 else None,
            size_band="10-24 beds" if number % 2 else "community",
            latest=(None, None, None, None),
        )
    _location(
        con,
        location=(CEDAR, "Cedar Court", PROVIDER_C, "Beck Care"),
        icb=(ICB_B, ICB_B_NAME),
        care_home_beds=None,
        size_band="community",
        latest=(None, None, None, None),
    )


def _at_risk(con: duckdb.DuckDBPyConnection) -> None:
    rows = [
        (
            ICB_A,
            ELM,
            "Elm Care",
            PROVIDER_A,
            "Dale Care Ltd",
            "returned_no_after_yes",
            "Return of 31 Dec 2025 says No; the one of 2 Jun 2025 said Yes.",
            date(2025, 12, 31),
            date(2025, 6, 2),
            date(2025, 12, 31),
            None,
            None,
        ),
        (
            ICB_A,
            BIRCH,
            "Birch View",
            PROVIDER_B,
            "Moor Homes",
            "exports_stopped",
            "Latest ODE-1 export covers to 6 Nov 2025, 60 days before 5 Jan 2026.",
            date(2025, 11, 6),
            None,
            date(2025, 9, 1),
            date(2025, 11, 6),
            60,
        ),
        (
            ICB_B,
            CEDAR,
            "Cedar Court",
            PROVIDER_C,
            "Beck Care",
            "status_abandoned",
            "Return of 1 Dec 2025 gives the status abandoned.",
            date(2025, 12, 1),
            None,
            date(2025, 12, 1),
            None,
            None,
        ),
    ]
    for row in rows:
        con.execute(
            "insert into marts.adoption_at_risk values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [*row, AS_OF],
        )


def _trajectory(con: duckdb.DuckDBPyConnection) -> None:
    latest_a = ADOPTED[-1] / 40
    con.execute(
        "insert into marts.adoption_trajectory values "
        "(?, 'fitted', ?, 12, ?, ?, 0.01, 0.0001, -0.0005, 1.0, 0.8, ?, ?, ?, ?, ?, ?, "
        "'binomial')",
        [
            ICB_A,
            MONTHS[0],
            INTERCEPT,
            SLOPE,
            date(2026, 10, 1),
            date(2026, 8, 1),
            date(2027, 1, 1),
            MONTHS[-1],
            latest_a,
            RUN_ID,
        ],
    )
    con.execute(
        "insert into marts.adoption_trajectory values "
        "(?, 'too_few_months', ?, 3, null, null, null, null, null, null, 0.8, null, null, "
        "null, ?, 0.9, ?, 'binomial')",
        [ICB_B, MONTHS[-3], MONTHS[-1], RUN_ID],
    )


_CORE_LOCATIONS = [
    # provider, location, name, service type, ICB
    (PROVIDER_A, OAK, "Oak House", "care_home", ICB_A),
    (PROVIDER_A, ELM, "Elm Care", "home_care", ICB_A),
    (PROVIDER_B, BIRCH, "Birch View", "care_home", ICB_A),
    (PROVIDER_C, CEDAR, "Cedar Court", "care_home", ICB_B),
]
_QUALITY = [
    # provider, location, bed days, falls, doses, medication errors
    (PROVIDER_A, OAK, 8000, 40, 12000, 18),
    (PROVIDER_A, ELM, None, 3, 8000, 12),
    (PROVIDER_B, BIRCH, 2000, 5, 10000, 12),
    (PROVIDER_C, CEDAR, 3000, 90, 9000, 50),
]
_PROVIDER_NAMES = {PROVIDER_A: "Dale Care Ltd", PROVIDER_B: "Moor Homes", PROVIDER_C: "Beck Care"}


def _shared_data(con: duckdb.DuckDBPyConnection) -> None:
    for line, (provider, location, name, service, icb) in enumerate(_CORE_LOCATIONS, 2):
        con.execute(
            "insert into staging.locations (provider_id, location_id, location_name,"
            " service_type, icb_code, content_hash, export_id, export_sequence, run_id,"
            " source_file, source_line) values (?, ?, ?, ?, ?, 0, ?, 1, ?, 'locations.csv', ?)",
            [provider, location, name, service, icb, f"{provider}_2026-01-01_0001", RUN_ID, line],
        )
        con.execute(
            "insert into reference.cqc_locations (snapshot_date, location_id, location_name,"
            " provider_id, provider_name, source_file, run_id) values (?, ?, ?, ?, ?, ?, ?)",
            [
                date(2025, 1, 31),
                location,
                name,
                provider,
                _PROVIDER_NAMES[provider],
                "d.csv",
                RUN_ID,
            ],
        )
    warehouse.refresh_current(con, run_id=RUN_ID)
    for provider, location, bed_days, falls, doses, errors in _QUALITY:
        con.execute(
            "insert into marts.quality_monthly (provider_id, location_id, month,"
            " occupied_bed_days, falls, falls_with_harm, scheduled_doses, missed_doses,"
            " late_doses, medication_errors, pressure_ulcers)"
            " values (?, ?, ?, ?, ?, 0, ?, 0, 0, ?, 0)",
            [provider, location, MONTHS[-1], bed_days, falls, doses, errors],
        )


def crossing_month() -> date:
    """The month the sample's central curve first reaches 80% (worked in the docstring)."""
    t = math.ceil((math.log(4) - INTERCEPT) / SLOPE)
    return date(2025 + t // 12, t % 12 + 1, 1)


def write_adoption_warehouse(path: Path) -> Path:
    """Create a DuckDB warehouse at ``path`` with the real schema and the rows above."""
    with duckdb.connect(str(path)) as con:
        warehouse.create_schema(con)
        _monthly(con)
        _breakdown(con)
        _locations(con)
        _at_risk(con)
        _trajectory(con)
        _shared_data(con)
    return path
