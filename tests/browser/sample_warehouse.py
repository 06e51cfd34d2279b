"""A synthetic audit warehouse for browser tests: five nightly runs and their Data Docs."""

from __future__ import annotations

from pathlib import Path

import duckdb

AUDIT_SCHEMA = Path(__file__).parents[2] / "pipelines" / "sql" / "schema" / "audit.sql"

# run id, London 02:00 on these November days is 02:00 UTC (GMT), status, rows loaded,
# duplicates, quarantined, checks passed
RUNS = [
    ("20261118T020000Z-1a2b", "2026-11-18 02:00:00+00", "clean", 48210, 0, 0, True),
    ("20261119T020000Z-3c4d", "2026-11-19 02:00:00+00", "quarantined", 1312, 4, 17, True),
    ("20261120T020000Z-5e6f", "2026-11-20 02:00:00+00", "clean", 1287, 0, 0, True),
    ("20261121T020000Z-7a8b", "2026-11-21 02:00:00+00", "failed", 0, 0, 0, False),
    ("20261122T020000Z-9c0d", "2026-11-22 02:00:00+00", "quarantined", 1405, 12, 9, False),
]
LATEST_RUN = RUNS[-1][0]
_ENTITIES = ("care_notes", "incidents", "medication_administrations", "alerts")
_RULES = (
    ("date_format", "recorded_at: '03/04/2025' is not YYYY-MM-DD"),
    ("unresolved_reference", "person_id: P-0042 is not in people.csv"),
    ("nonexistent_local_time", "occurred_at: 2026-03-29T01:30 falls in the spring-forward gap"),
)


def _insert_run(connection: duckdb.DuckDBPyConnection, run: tuple, data_docs_dir: Path) -> None:
    run_id, started, status, loaded, duplicates, quarantined, checks = run
    failed = status == "failed"
    docs = data_docs_dir / run_id / "index.html"
    if not failed:
        docs.parent.mkdir(parents=True, exist_ok=True)
        docs.write_text(
            "<!DOCTYPE html><html lang='en-GB'><head><title>Data Docs</title></head>"
            f"<body><h1>Data Docs for {run_id}</h1></body></html>"
        )
    connection.execute(
        "insert into audit.load_runs values (?, ?::timestamptz,"
        " ?::timestamptz + interval 3 minute, 'data/inbox', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
        " ?, ?, ?)",
        [
            run_id,
            started,
            started,
            status,
            {"clean": 0, "quarantined": 1}.get(status, 2),
            1 if failed else 3,
            0 if failed else 2,
            0 if failed else 1,
            1 if failed else 0,
            0,
            loaded + duplicates + quarantined,
            loaded,
            duplicates,
            quarantined,
            None if failed else checks,
            None if failed else str(docs),
            "load failed: warehouse checks did not run"
            if failed
            else f"{loaded:,} rows loaded, {quarantined} quarantined",
        ],
    )
    per_file = [(loaded // 4, duplicates // 4, quarantined // 4) for _ in _ENTITIES]
    per_file[0] = (
        loaded - 3 * (loaded // 4),
        duplicates - 3 * (duplicates // 4),
        quarantined - 3 * (quarantined // 4),
    )
    line = 2
    for entity, (rows, dups, bad) in zip(_ENTITIES, per_file, strict=True):
        file_status = "rejected" if failed else ("partial" if bad else "loaded")
        connection.execute(
            "insert into audit.load_files values (?, 'provider-001-extract-0007', 'provider-001',"
            " ?, ?, ?, ?, ?, ?, ?, ?, 'utf-8', null, ?::timestamptz)",
            [
                run_id,
                f"{entity}.csv",
                entity,
                rows + dups + bad,
                rows,
                dups,
                bad,
                file_status,
                "missing required column: recorded_at" if failed else None,
                started,
            ],
        )
        for index in range(bad):
            rule, reason = _RULES[index % len(_RULES)]
            line += 7
            connection.execute(
                "insert into audit.quarantine values (?, 'provider-001-extract-0007',"
                " 'provider-001', ?, ?, ?, ?, ?, null)",
                [run_id, f"{entity}.csv", entity, line, rule, reason],
            )
    if not failed:
        connection.execute(
            "insert into audit.warnings values (?, 'provider-001-extract-0007', 'incidents.csv',"
            " null, 'extra_columns', 'ignored column: witness_notes')",
            [run_id],
        )
        for target, success in (("staging.stg_incidents", True), ("staging.stg_alerts", checks)):
            connection.execute(
                "insert into audit.validation_results values (?, 'staging',"
                " 'expect_column_values_to_not_be_null', ?, ?, 'error', ?, null)",
                [run_id, target, success, "0 nulls" if success else "3 nulls"],
            )


def write_sample_warehouse(warehouse_path: Path) -> Path:
    """Write the sample warehouse, and Data Docs pages beside it in ``data_docs/``."""
    data_docs_dir = warehouse_path.parent / "data_docs"
    with duckdb.connect(str(warehouse_path)) as connection:
        connection.execute(AUDIT_SCHEMA.read_text())
        for run in RUNS:
            _insert_run(connection, run, data_docs_dir)
    return warehouse_path
