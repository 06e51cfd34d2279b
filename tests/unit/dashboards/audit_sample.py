"""A small hand-written warehouse of three providers in two ICBs, built with the real schema.

Provider A (two locations) and provider C (one location) are in ICB ``QAA``; provider B (one
location) is in ICB ``QBB``. Three runs:

- ``RUN_1`` (clean): A's and B's first packages;
- ``RUN_2`` (quarantined): A, B and C, each with quarantined rows and warnings, plus a section 5
  input that belongs to no provider;
- ``RUN_3`` (rejected): one file of B only, rejected.

Every identifier is unique to its provider (person ids ``PA1-*`` are at A's first location,
``PA2-*`` at its second, ``PB-*`` at B's, ``PC-*`` at C's), so a test can search any response
for another provider's identifiers. The totals below are worked out by hand in the tests.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import duckdb
import flask
from argon2 import PasswordHasher

from dashboards.access import set_current_identity
from dashboards.accounts import AccountStore
from dashboards.config import DashboardConfig
from dashboards.context import AppServices, attach_services
from dashboards.queries import WarehouseReader
from dashboards.roles import Identity, Role, Scope
from pipelines import warehouse

PROVIDER_A = "1-101000001"
PROVIDER_B = "1-102000002"
PROVIDER_C = "1-103000003"
LOCATION_A1 = "1-201000001"
LOCATION_A2 = "1-201000002"
LOCATION_B1 = "1-202000001"
LOCATION_C1 = "1-203000001"
ICB_A = "QAA"
"""Providers A and C."""
ICB_B = "QBB"
"""Provider B."""

RUN_1 = "20261121T020000Z-aaaa"
RUN_2 = "20261122T020000Z-bbbb"
RUN_3 = "20261123T020000Z-cccc"
CLEAN_RUN = RUN_1
QUARANTINE_RUN = RUN_2

EXPORT_A1 = "1-101000001_2026-11-20_0001"
EXPORT_A2 = "1-101000001_2026-11-21_0002"
EXPORT_B1 = "1-102000002_2026-11-20_0001"
EXPORT_B2 = "1-102000002_2026-11-21_0002"
EXPORT_B3 = "1-102000002_2026-11-22_0003"
EXPORT_C1 = "1-103000003_2026-11-21_0001"
DIRECTORY_INPUT = "cqc_directory_2026-11.csv"

_RUNS = [
    # run_id, started_at, status, exit, found, loaded, skipped, rejected, files rejected,
    # rows read, loaded, duplicates, quarantined, checks passed, has Data Docs
    (RUN_1, "2026-11-21 02:00:00+00", "clean", 0, 2, 2, 0, 0, 0, 3003, 3003, 0, 0, True, True),
    (
        RUN_2,
        "2026-11-22 02:00:00+00",
        "quarantined",
        1,
        3,
        3,
        0,
        0,
        0,
        281,
        257,
        6,
        18,
        False,
        False,
    ),
    (RUN_3, "2026-11-23 02:00:00+00", "rejected", 2, 1, 0, 0, 1, 1, 50, 0, 0, 0, True, False),
]
_FILES = [
    # run, export, provider, file, entity, read, loaded, duplicates, quarantined, status, reason
    (RUN_1, EXPORT_A1, PROVIDER_A, "locations.csv", "locations", 2, 2, 0, 0, "loaded", None),
    (
        RUN_1,
        EXPORT_A1,
        PROVIDER_A,
        "care_notes.csv",
        "care_notes",
        1000,
        1000,
        0,
        0,
        "loaded",
        None,
    ),
    (RUN_1, EXPORT_B1, PROVIDER_B, "locations.csv", "locations", 1, 1, 0, 0, "loaded", None),
    (
        RUN_1,
        EXPORT_B1,
        PROVIDER_B,
        "care_notes.csv",
        "care_notes",
        2000,
        2000,
        0,
        0,
        "loaded",
        None,
    ),
    (RUN_2, EXPORT_A2, PROVIDER_A, "care_notes.csv", "care_notes", 22, 7, 2, 13, "partial", None),
    (RUN_2, EXPORT_A2, PROVIDER_A, "incidents.csv", "incidents", 4, 4, 0, 0, "loaded", None),
    (RUN_2, EXPORT_B2, PROVIDER_B, "care_notes.csv", "care_notes", 218, 210, 4, 4, "partial", None),
    (RUN_2, EXPORT_C1, PROVIDER_C, "locations.csv", "locations", 1, 1, 0, 0, "loaded", None),
    (RUN_2, EXPORT_C1, PROVIDER_C, "care_notes.csv", "care_notes", 6, 5, 0, 1, "partial", None),
    (RUN_2, DIRECTORY_INPUT, None, DIRECTORY_INPUT, "cqc_directory", 30, 30, 0, 0, "loaded", None),
    (
        RUN_3,
        EXPORT_B3,
        PROVIDER_B,
        "care_notes.csv",
        "care_notes",
        50,
        0,
        0,
        0,
        "rejected",
        "care_notes.csv of 1-102000002 is not UTF-8",
    ),
]
_PACKAGES = [
    # provider, extract id, export, extract_to, run, sequence
    (PROVIDER_A, "a-0001", EXPORT_A1, date(2026, 11, 20), RUN_1, 1),
    (PROVIDER_B, "b-0001", EXPORT_B1, date(2026, 11, 20), RUN_1, 2),
    (PROVIDER_A, "a-0002", EXPORT_A2, date(2026, 11, 21), RUN_2, 3),
    (PROVIDER_B, "b-0002", EXPORT_B2, date(2026, 11, 21), RUN_2, 4),
    (PROVIDER_C, "c-0001", EXPORT_C1, date(2026, 11, 21), RUN_2, 5),
]
_LOCATIONS = [
    # provider, location, name, ICB, export, run, sequence, line
    (PROVIDER_A, LOCATION_A1, "Alder House", ICB_A, EXPORT_A1, RUN_1, 1, 2),
    (PROVIDER_A, LOCATION_A2, "Ash Court", ICB_A, EXPORT_A1, RUN_1, 1, 3),
    (PROVIDER_B, LOCATION_B1, "Birch Lodge", ICB_B, EXPORT_B1, RUN_1, 2, 2),
    (PROVIDER_C, LOCATION_C1, "Cedar View", ICB_A, EXPORT_C1, RUN_2, 5, 2),
]


def _quarantined(
    export_id: str, provider_id: str, location_id: str | None, person_id: str, line: int
) -> tuple[object, ...]:
    record = {"record_uid": f"N-{person_id}", "person_id": person_id, "care_at": "03/04/2026"}
    if location_id:
        record["location_id"] = location_id
    return (
        RUN_2,
        export_id,
        provider_id,
        "care_notes.csv",
        "care_notes",
        line,
        "date_format",
        f"care_at: is not an ISO 8601 date and time (found '03/04/2026'); person {person_id}",
        json.dumps(record),
    )


QUARANTINED_A1 = [f"PA1-{n:04d}" for n in range(1, 9)]
"""Eight rows at A's first location."""
QUARANTINED_A2 = [f"PA2-{n:04d}" for n in range(1, 5)]
"""Four rows at A's second location."""
QUARANTINED_A_NO_LOCATION = "PA0-0001"
"""One row of A that names no location."""
QUARANTINED_B = [f"PB-{n:04d}" for n in range(1, 5)]
QUARANTINED_C = ["PC-0001"]

_QUARANTINE = [
    *(
        _quarantined(EXPORT_A2, PROVIDER_A, LOCATION_A1, person, line)
        for line, person in enumerate(QUARANTINED_A1, start=2)
    ),
    *(
        _quarantined(EXPORT_A2, PROVIDER_A, LOCATION_A2, person, line)
        for line, person in enumerate(QUARANTINED_A2, start=10)
    ),
    _quarantined(EXPORT_A2, PROVIDER_A, None, QUARANTINED_A_NO_LOCATION, 14),
    *(
        _quarantined(EXPORT_B2, PROVIDER_B, LOCATION_B1, person, line)
        for line, person in enumerate(QUARANTINED_B, start=2)
    ),
    _quarantined(EXPORT_C1, PROVIDER_C, LOCATION_C1, "PC-0001", 2),
]
_AMBIGUOUS = "care_at falls in the autumn fall-back hour; read as the first occurrence (BST)"
_WARNINGS = [
    # run, export, file, line, rule, message; row warnings have a loaded row in staging
    (RUN_2, EXPORT_A2, "care_notes.csv", None, "extra_columns", "unknown column(s) ignored: a_col"),
    (RUN_2, EXPORT_A2, "care_notes.csv", 20, "ambiguous_local_time", _AMBIGUOUS),
    (RUN_2, EXPORT_A2, "care_notes.csv", 21, "ambiguous_local_time", _AMBIGUOUS),
    (RUN_2, EXPORT_B2, "care_notes.csv", None, "extra_columns", "unknown column(s) ignored: b_col"),
    (RUN_2, EXPORT_B2, "care_notes.csv", 30, "ambiguous_local_time", _AMBIGUOUS),
    (RUN_2, EXPORT_C1, "care_notes.csv", 5, "ambiguous_local_time", _AMBIGUOUS),
    (RUN_2, DIRECTORY_INPUT, DIRECTORY_INPUT, None, "plain_directory", "plain CQC directory"),
]
_WARNED_ROWS = [
    # provider, export, line, location, person: the loaded rows the row warnings are about
    (PROVIDER_A, EXPORT_A2, 20, LOCATION_A1, "PA1-0100"),
    (PROVIDER_A, EXPORT_A2, 21, LOCATION_A2, "PA2-0100"),
    (PROVIDER_B, EXPORT_B2, 30, LOCATION_B1, "PB-0100"),
    (PROVIDER_C, EXPORT_C1, 5, LOCATION_C1, "PC-0100"),
]
_CHECKS = [
    (
        RUN_2,
        "staging",
        "expect_unresolved_references",
        "care_notes.person_id",
        True,
        "error",
        "0 unresolved",
    ),
    (
        RUN_2,
        "marts",
        "expect_column_values_to_be_between",
        "occupancy.beds",
        False,
        "warning",
        "2 out of range",
    ),
]

ALL_PROVIDERS = {
    PROVIDER_A: {
        "locations": [LOCATION_A1, LOCATION_A2],
        "exports": [EXPORT_A1, EXPORT_A2],
        "people": [*QUARANTINED_A1, *QUARANTINED_A2, QUARANTINED_A_NO_LOCATION],
        "runs": [RUN_1, RUN_2],
    },
    PROVIDER_B: {
        "locations": [LOCATION_B1],
        "exports": [EXPORT_B1, EXPORT_B2, EXPORT_B3],
        "people": QUARANTINED_B,
        "runs": [RUN_1, RUN_2, RUN_3],
    },
    PROVIDER_C: {
        "locations": [LOCATION_C1],
        "exports": [EXPORT_C1],
        "people": QUARANTINED_C,
        "runs": [RUN_2],
    },
}
"""Each provider's identifiers, for tests that search responses for what is out of scope."""


def _insert_runs(connection: duckdb.DuckDBPyConnection) -> None:
    for run in _RUNS:
        run_id, started, status, exit_code, found, loaded, skipped, rejected, files_rejected = run[
            :9
        ]
        rows_read, rows_loaded, duplicates, quarantined, checks, has_docs = run[9:]
        connection.execute(
            "insert into audit.load_runs (run_id, started_at, finished_at, inbox, status,"
            " exit_code, packages_found, packages_loaded, packages_skipped,"
            " packages_rejected, files_rejected, rows_read, rows_loaded, duplicates_skipped,"
            " rows_quarantined, checks_passed, data_docs_path, message)"
            " values (?, ?::timestamptz, ?::timestamptz + interval 5 minute, 'inbox', ?, ?,"
            " ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                run_id,
                started,
                started,
                status,
                exit_code,
                found,
                loaded,
                skipped,
                rejected,
                files_rejected,
                rows_read,
                rows_loaded,
                duplicates,
                quarantined,
                checks,
                f"data_docs/{run_id}/index.html" if has_docs else None,
                f"{rows_loaded} rows loaded, {quarantined} quarantined",
            ],
        )


def _insert_staging(connection: duckdb.DuckDBPyConnection) -> None:
    for provider, location, name, icb, export, run, sequence, line in _LOCATIONS:
        connection.execute(
            "insert into staging.locations (provider_id, location_id, location_name,"
            " service_type, icb_code, content_hash, export_id, export_sequence, run_id,"
            " source_file, source_line) values (?, ?, ?, 'care_home', ?, 0, ?, ?, ?, ?, ?)",
            [provider, location, name, icb, export, sequence, run, f"{export}/locations.csv", line],
        )
    for provider, export, line, location, person in _WARNED_ROWS:
        connection.execute(
            "insert into staging.care_notes (provider_id, record_uid, version, status,"
            " person_id, location_id, content_hash, export_id, export_sequence, run_id,"
            " source_file, source_line) values (?, ?, 1, 'final', ?, ?, 0, ?, 3, ?, ?, ?)",
            [
                provider,
                f"N-{person}",
                person,
                location,
                export,
                RUN_2,
                f"{export}/care_notes.csv",
                line,
            ],
        )


def write_audit_warehouse(path: Path) -> Path:
    """Create a DuckDB warehouse at ``path`` with the real schema and the rows above."""
    with duckdb.connect(str(path)) as connection:
        warehouse.create_schema(connection)
        _insert_runs(connection)
        connection.executemany(
            "insert into audit.load_files (run_id, export_id, provider_id, file_name, entity,"
            " rows_read, rows_loaded, duplicates_skipped, rows_quarantined, status,"
            " rejection_reason, loaded_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, now())",
            _FILES,
        )
        connection.executemany(
            "insert into audit.packages (provider_id, extract_id, export_id, extract_to, run_id,"
            " sequence) values (?, ?, ?, ?, ?, ?)",
            _PACKAGES,
        )
        connection.executemany(
            "insert into audit.quarantine (run_id, export_id, provider_id, file_name, entity,"
            " line_number, rule, reason, record_json) values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            _QUARANTINE,
        )
        connection.executemany(
            "insert into audit.warnings (run_id, export_id, file_name, line_number, rule,"
            " message) values (?, ?, ?, ?, ?, ?)",
            _WARNINGS,
        )
        connection.executemany(
            "insert into audit.validation_results (run_id, suite, expectation, target, success,"
            " severity, observed) values (?, ?, ?, ?, ?, ?, ?)",
            _CHECKS,
        )
        _insert_staging(connection)
        for run_id in (RUN_1, RUN_2):
            warehouse.refresh_current(connection, run_id=run_id)
        _add_measure_rows(connection)
    return path


_MEASURE_SAMPLE = "audit_measure_sample"


def _add_measure_rows(connection: duckdb.DuckDBPyConnection) -> None:
    """Add the measure pages' incidents, marts and estimates (``measure_sample.py``).

    Loaded by its path, not its name: browser tests load this module by path, without this
    folder on the import path.
    """
    module = sys.modules.get(_MEASURE_SAMPLE)
    if module is None:
        path = Path(__file__).with_name("measure_sample.py")
        spec = importlib.util.spec_from_file_location(_MEASURE_SAMPLE, path)
        if spec is None or spec.loader is None:
            raise ImportError(f"cannot load {path}")
        module = importlib.util.module_from_spec(spec)
        sys.modules[_MEASURE_SAMPLE] = module
        spec.loader.exec_module(module)
    module.add_measure_rows(connection)


def identity_for(
    role: Role,
    *,
    code: str | None = None,
    location_ids: frozenset[str] | None = None,
    username: str | None = None,
) -> Identity:
    """An identity of ``role``; provider roles default to provider A, ICB leads to ICB A."""
    if role is Role.ICB_LEAD:
        scope = Scope(icb_code=code or ICB_A)
    elif role is Role.ADMIN:
        scope = Scope()
    else:
        scope = Scope(provider_id=code or PROVIDER_A, location_ids=location_ids)
    return Identity(
        username=username or f"{role}-user",
        roles=frozenset({role}),
        scope=scope,
        expires_on=date(2027, 1, 31) if role is Role.INSPECTOR else None,
    )


OWNER_A = identity_for(Role.OWNER)
OWNER_B = identity_for(Role.OWNER, code=PROVIDER_B)
QUALITY_LEAD_A1 = identity_for(Role.QUALITY_LEAD, location_ids=frozenset({LOCATION_A1}))
ICB_LEAD_A = identity_for(Role.ICB_LEAD)
ICB_LEAD_B = identity_for(Role.ICB_LEAD, code=ICB_B)
INSPECTOR_A = identity_for(Role.INSPECTOR)
ADMIN = identity_for(Role.ADMIN)


@contextmanager
def serving(
    warehouse_path: Path,
    *,
    identity: Identity | None,
    accounts_path: Path | None = None,
    path: str = "/",
) -> Iterator[AppServices]:
    """Run the body inside a request signed in as ``identity``, reading ``warehouse_path``."""
    server = flask.Flask("carelens-test")
    accounts = accounts_path or warehouse_path.parent / "accounts.sqlite3"
    app_services = AppServices(
        config=DashboardConfig(
            warehouse_path=warehouse_path,
            data_docs_dir=warehouse_path.parent / "data_docs",
            accounts_path=accounts,
            secret_key=b"test-only-secret-key-of-32-bytes!",
        ),
        reader=WarehouseReader(warehouse_path),
        accounts=AccountStore(
            accounts, hasher=PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
        ),
    )
    attach_services(server, services=app_services)
    with server.test_request_context(path):
        set_current_identity(identity)
        yield app_services
