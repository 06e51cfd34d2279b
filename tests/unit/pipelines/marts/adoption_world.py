"""A hand-built ICB world for the adoption mart tests: two directory snapshots, a lookup whose
sub-ICB E2 moves from QBB to QAA on 1 March 2025, adoption returns, and ODE-1 exports.

Every expected figure in test_adoption_*.py is worked by hand from the tables below.

Directory (S1 dated 2025-02-01; S2 dated 2025-03-20 is S1 plus L8):

| location | care home | beds | dormant | directorate | sub-ICB | local authority |
|---|---|---|---|---|---|---|
| L1 | yes | 30 | no | Adult social care | E1 | Northfield |
| L2 | yes | 8 | yes | Adult social care | E1 | Northfield |
| L3 | no | | no | Adult social care | E1 | Northfield |
| L4 | no | | no | Primary medical services | E1 | Northfield |
| L5 | yes | 60 | no | Adult social care | E2 | Southmere |
| L6 | yes | (none) | no | Adult social care | E3 (not in lookup) | Eastbrook |
| L7 | yes | 12 | no | Adult social care | ' e1 ' (E1, as typed) | (blank) |
| L8 (S2 only) | no | | no | Adult social care | E1 | Northfield |

Lookup: E1 -> QAA (valid_from null); E2 -> QBB from 2022-07-01 and -> QAA from 2025-03-01.

Returns (date, answer, supplier, status):
L1 2024-12-10 No, -, not_started; 2025-01-31 Yes, Alpha Care Records, live;
   2025-03-05 No, -, abandoned.
L2 2025-01-10 Yes; 2025-02-10 No (dormant: never counted).
L3 2025-02-14 Yes, no supplier; 2025-06-01 Yes (after the run date 2025-04-10: ignored).
L4 2025-01-05 Yes (not adult social care: never counted).
L5 2025-01-15 No; 2025-02-28 Yes, Beta Notes, live.
L6 2025-01-20 Yes, Gamma.
L7 none.
L8 2025-03-31 Yes, no supplier.

ODE-1 exports (core.locations and audit.packages): P1 exports L1 to 2025-03-31 (10 days before
the run), P3 exports L3 to 2025-02-24 (45 days: not stopped) with no supplier, P8 exports L8
to 2025-02-20 (49 days: stopped) naming the supplier Export Supplier.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb

from pipelines.config import PipelineConfig
from pipelines.warehouse import create_schema, refresh_current

TODAY = date(2025, 4, 10)
CONFIG = PipelineConfig(
    warehouse_path=Path("unused.duckdb"), pseudonym_key=b"k" * 16, data_docs_dir=Path("unused")
)
L1, L2, L3, L4, L5, L6, L7, L8 = (f"1-00000000{n}" for n in range(1, 9))
_ASC = "Adult social care"
_LOCATIONS = [
    # location, name, care home, beds, dormant, directorate, sub-ICB, local authority, provider
    (L1, "Heron House", True, 30, False, _ASC, "E1", "Northfield", "1-100000001"),
    (L2, "Finch Lodge", True, 8, True, _ASC, "E1", "Northfield", "1-100000001"),
    (L3, "Kestrel Home Support", False, None, False, _ASC, "E1", "Northfield", "1-100000003"),
    (
        L4,
        "Northfield Surgery",
        False,
        None,
        False,
        "Primary medical services",
        "E1",
        "Northfield",
        "1-100000004",
    ),
    (L5, "Plover Court", True, 60, False, _ASC, "E2", "Southmere", "1-100000005"),
    (L6, "Wren View", True, None, False, _ASC, "E3", "Eastbrook", "1-100000006"),
    (L7, "Linnet House", True, 12, False, _ASC, " e1 ", " ", "1-100000007"),
]
_L8 = (L8, "Curlew Care at Home", False, None, False, _ASC, "E1", "Northfield", "1-100000008")
S1, S2 = date(2025, 2, 1), date(2025, 3, 20)
_RETURNS = [
    (L1, "2024-12-10", False, None, "not_started"),
    (L1, "2025-01-31", True, "Alpha Care Records", "live"),
    (L1, "2025-03-05", False, None, "abandoned"),
    (L2, "2025-01-10", True, "Alpha Care Records", "live"),
    (L2, "2025-02-10", False, None, "not_started"),
    (L3, "2025-02-14", True, None, "live"),
    (L3, "2025-06-01", True, "Late Supplier", "live"),
    (L4, "2025-01-05", True, "Alpha Care Records", "live"),
    (L5, "2025-01-15", False, None, "implementing"),
    (L5, "2025-02-28", True, "Beta Notes", "live"),
    (L6, "2025-01-20", True, "Gamma", "live"),
    (L8, "2025-03-31", True, None, "live"),
]
_EXPORTS = [
    # provider, location, service type, supplier, extract_to
    ("1-100000001", L1, "care_home", None, "2025-03-31"),
    ("1-100000003", L3, "home_care", None, "2025-02-24"),
    ("1-100000008", L8, "home_care", "Export Supplier", "2025-02-20"),
]


def empty_warehouse() -> duckdb.DuckDBPyConnection:
    """An in-memory warehouse with every schema and table, and nothing in them."""
    con = duckdb.connect()
    create_schema(con)
    refresh_current(con, run_id="none")
    return con


def add_snapshot(con: duckdb.DuckDBPyConnection, *, snapshot: date, rows: list[tuple]) -> None:
    """Insert directory rows (in the shape of ``_LOCATIONS``) as the snapshot of a date."""
    con.executemany(
        "insert into reference.cqc_locations (snapshot_date, location_id, location_name, "
        "is_care_home, care_home_beds, is_dormant, inspection_directorate, onspd_ccg_code, "
        "local_authority, provider_id, provider_name, is_adult_social_care, source_file, run_id) "
        "values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ? || ' Ltd', lower(?) = 'adult social care', "
        "'directory.csv', 'r')",
        [(snapshot, *row, row[1], row[5]) for row in rows],
    )


def world() -> duckdb.DuckDBPyConnection:
    """The warehouse holding the world of the module docstring."""
    con = empty_warehouse()
    add_snapshot(con, snapshot=S1, rows=_LOCATIONS)
    add_snapshot(con, snapshot=S2, rows=[*_LOCATIONS, _L8])
    con.execute(
        "insert into reference.sub_icb_lookup (sub_icb_ons_code, icb_ods_code, icb_name, "
        "valid_from, source_file, run_id) values "
        "('E1', 'QAA', 'Alpha ICB', null, 'lookup.csv', 'r'), "
        "('E2', 'QBB', 'Beta ICB', '2022-07-01', 'lookup.csv', 'r'), "
        "('E2', 'QAA', 'Alpha ICB', '2025-03-01', 'lookup.csv', 'r')"
    )
    con.executemany(
        "insert into reference.adoption_returns (location_id, pir_submission_date, uses_dscr, "
        "dscr_supplier, dscr_status, source_file, run_id) values (?, ?, ?, ?, ?, 'r.csv', 'r')",
        _RETURNS,
    )
    for sequence, (provider, location, service_type, supplier, extract_to) in enumerate(
        _EXPORTS, start=1
    ):
        con.execute(
            "insert into core.locations (provider_id, location_id, location_name, service_type, "
            "dscr_supplier, export_id, export_sequence) values (?, ?, 'x', ?, ?, 'e', ?)",
            [provider, location, service_type, supplier, sequence],
        )
        con.execute(
            "insert into audit.packages (provider_id, extract_id, export_id, extract_from, "
            "extract_to, run_id, sequence) values (?, 'x', 'e', '2024-01-01', ?, 'r', ?)",
            [provider, extract_to, sequence],
        )
    return con


def rows(con: duckdb.DuckDBPyConnection, sql: str) -> list[tuple[object, ...]]:
    """All rows of a query."""
    return con.execute(sql).fetchall()
