"""A small hand-written warehouse for the alerts page: the alert marts and the triage outputs.

Built with the real schema (``pipelines/sql/schema/*.sql``: ``marts_operations.sql`` and
``marts_triage.sql`` among them). ``marts.alert_facts`` gets the hand-chosen alerts below;
``alerts_daily`` and ``alerts_weekly`` are summed from them as the marts define them, and
``alert_burden_monthly``, ``alert_triage_scores`` and ``audit.model_runs`` get the rows below.

- Provider A (``1-101000001``, ICB ``QAA``): ``Alder House`` (care home, live from 10 January
  2026) with eight alerts, two still open, and ``Ash Court`` (home care) with two.
- Provider B (``1-102000002``, ICB ``QAA``): ``Birch Lodge`` with twelve closed alerts, eight
  of them false alarms.
- Provider C (``1-103000003``, ICB ``QBB``): ``Cedar View`` with one alert.

Every alert is in winter (GMT), so its London hour is its UTC hour. The data describe
2 March 2026 02:00 UTC (``data_as_of``); the latest alert day of A is Sunday 1 March 2026.
Figures worked out by hand are in the tests.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import duckdb

from pipelines import warehouse

PROVIDER_A = "1-101000001"
PROVIDER_B = "1-102000002"
PROVIDER_C = "1-103000003"
ALDER = "1-201000001"
ASH = "1-201000002"
BIRCH = "1-202000001"
CEDAR = "1-203000001"
ICB_A = "QAA"
ICB_B = "QBB"
ALDER_GO_LIVE = date(2026, 1, 10)
RUN_ID = "20260302T020000Z-alrt"
MODEL_RUN_ID = f"alert_triage-{RUN_ID}"
DATA_AS_OF = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)

_LOCATIONS = [
    # provider, location, name, service type, ICB, go-live
    (PROVIDER_A, ALDER, "Alder House", "care_home", ICB_A, ALDER_GO_LIVE),
    (PROVIDER_A, ASH, "Ash Court", "home_care", ICB_A, None),
    (PROVIDER_B, BIRCH, "Birch Lodge", "care_home", ICB_A, date(2025, 12, 1)),
    (PROVIDER_C, CEDAR, "Cedar View", "care_home", ICB_B, None),
]


def _at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


Alert = tuple[str, str, str, str, str, str, float | None, float | None, str | None]
"""provider, location, record, category, severity, raised (UTC), minutes to acknowledge,
minutes to resolve, outcome (None: open)."""

ALERTS: list[Alert] = [
    (
        PROVIDER_A,
        ALDER,
        "AL-1",
        "missed_care_task",
        "low",
        "2026-03-01 09:00",
        10,
        60,
        "false_alarm",
    ),
    (
        PROVIDER_A,
        ALDER,
        "AL-2",
        "missed_care_task",
        "low",
        "2026-03-01 10:00",
        20,
        120,
        "false_alarm",
    ),
    (
        PROVIDER_A,
        ALDER,
        "AL-3",
        "low_fluid_intake",
        "medium",
        "2026-02-28 22:30",
        30,
        1500,
        "actioned",
    ),
    (
        PROVIDER_A,
        ALDER,
        "AL-4",
        "incident_reported",
        "high",
        "2026-02-27 08:00",
        40,
        240,
        "actioned",
    ),
    (PROVIDER_A, ALDER, "AL-5", "missed_care_task", "low", "2026-03-01 00:30", None, None, None),
    (PROVIDER_A, ALDER, "AL-6", "low_fluid_intake", "high", "2026-03-01 20:00", 5, None, None),
    (PROVIDER_A, ALDER, "AL-7", "other", "low", "2026-01-05 10:00", 15, 30, "false_alarm"),
    (PROVIDER_A, ALDER, "AL-8", "other", "low", "2026-01-13 10:00", 25, 35, "actioned"),
    (
        PROVIDER_A,
        ASH,
        "AS-1",
        "visit_not_signed_out",
        "low",
        "2026-02-20 12:00",
        50,
        600,
        "duplicate",
    ),
    (PROVIDER_A, ASH, "AS-2", "late_visit", "medium", "2025-11-10 12:00", 60, 60, "actioned"),
    *[
        (
            PROVIDER_B,
            BIRCH,
            f"BI-{day:02d}",
            "missed_medication",
            "medium",
            f"2026-02-{day:02d} 12:00",
            10,
            20,
            "false_alarm" if day <= 8 else "actioned",
        )
        for day in range(1, 13)
    ],
    (PROVIDER_C, CEDAR, "CE-1", "other", "low", "2026-02-15 12:00", 5, 10, "false_alarm"),
]

BURDEN = [
    # provider, location, month, basis, alerts, manager shifts, care-worker shifts
    (PROVIDER_A, ALDER, date(2026, 1, 1), "shifts", 2, 4, 40),
    (PROVIDER_A, ALDER, date(2026, 2, 1), "shifts", 2, 0, 50),
    (PROVIDER_A, ALDER, date(2026, 3, 1), "shifts", 4, 2, 10),
    (PROVIDER_A, ASH, date(2025, 11, 1), "visit_days", 1, 0, 25),
    (PROVIDER_A, ASH, date(2025, 12, 1), "visit_days", 0, 0, 30),
    (PROVIDER_A, ASH, date(2026, 1, 1), "visit_days", 0, 0, 30),
    (PROVIDER_A, ASH, date(2026, 2, 1), "visit_days", 1, 0, 20),
    (PROVIDER_B, BIRCH, date(2026, 2, 1), "shifts", 12, 5, 60),
]

SCORES = [
    # provider, location, record, score, reason
    (
        PROVIDER_A,
        ALDER,
        "AL-5",
        0.30,
        "Missed care task alerts here were false alarms 67% of the time.",
    ),
    (PROVIDER_A, ALDER, "AL-6", 0.90, "Low fluid intake alerts need action more often than most."),
]

MODEL_RUN = {
    "model_run_id": MODEL_RUN_ID,
    "run_id": RUN_ID,
    "model": "alert_triage",
    "trained_at": datetime(2026, 3, 2, 2, 30, tzinfo=UTC),
    "status": "trained",
    "status_reason": None,
    "window_start": _at("2025-03-01 00:00"),
    "window_end": _at("2026-02-28 22:30"),
    "test_start": _at("2026-01-03 00:00"),
    "train_rows": 900,
    "test_rows": 100,
    "base_rate": 0.8,
    "average_precision": 0.9,
    "average_precision_false_alarm": 0.5,
    "roc_auc": 0.75,
    "brier": 0.12,
    "brier_base_rate": 0.16,
    "precision_top_decile": 0.96,
    "expected_calibration_error": 0.02,
    "calibration_json": "[]",
    "features_json": "[]",
    "scored_alerts": 2,
    "seconds": 1.5,
    "card_markdown": "# Model card: alert triage\n\n- Status: **trained**.\n",
}
"""The latest training: base rate 0.8; top tenth 0.96 (1.20 times); false-alarm average
precision 0.5 against 0.2 (2.5 times); ROC AUC 75%; Brier 0.12 against 0.16 (25% lower)."""

_OLDER_RUN = {
    **MODEL_RUN,
    "model_run_id": "alert_triage-20260301T020000Z-old0",
    "run_id": "20260301T020000Z-old0",
    "trained_at": datetime(2026, 3, 1, 2, 30, tzinfo=UTC),
    "roc_auc": 0.55,
}
"""An earlier training the page must not show."""


def _fact_row(alert: Alert) -> tuple[object, ...]:
    provider, location, record, category, severity, raised, ack, resolve, outcome = alert
    raised_at = _at(raised)
    return (
        provider,
        location,
        record,
        category,
        severity,
        raised_at,
        raised_at.date(),
        raised_at.hour,
        raised_at.isoweekday(),
        ack,
        resolve,
        outcome,
        outcome is None,
        None if resolve is None else resolve <= 24 * 60,
        DATA_AS_OF,
    )


def write_alerts_warehouse(path: Path, *, with_model: bool = True) -> Path:
    """Create a DuckDB warehouse at ``path`` with the real schema and the rows above.

    Args:
        path: The file to create.
        with_model: Write the triage scores and model runs (``False``: never trained).
    """
    with duckdb.connect(str(path)) as connection:
        warehouse.create_schema(connection)
        for line, (provider, location, name, service, icb, go_live) in enumerate(_LOCATIONS, 2):
            connection.execute(
                "insert into staging.locations (provider_id, location_id, location_name,"
                " service_type, icb_code, dscr_go_live_date, content_hash, export_id,"
                " export_sequence, run_id, source_file, source_line)"
                " values (?, ?, ?, ?, ?, ?, 0, ?, 1, ?, ?, ?)",
                [
                    provider,
                    location,
                    name,
                    service,
                    icb,
                    go_live,
                    f"{provider}_2026-03-02_0001",
                    RUN_ID,
                    "locations.csv",
                    line,
                ],
            )
        warehouse.refresh_current(connection, run_id=RUN_ID)
        connection.executemany(
            "insert into marts.alert_facts values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [_fact_row(alert) for alert in ALERTS],
        )
        connection.execute(
            "insert into marts.alerts_daily select provider_id, location_id, day, category,"
            " count(*), count(*) filter (where resolved_within_24h),"
            " count(*) filter (where outcome = 'false_alarm'),"
            " quantile_cont(minutes_to_acknowledge, 0.5),"
            " count(*) filter (where outcome = 'duplicate'),"
            " count(*) filter (where outcome = 'actioned'),"
            " count(*) filter (where outcome = 'no_action_needed'),"
            " count(*) filter (where is_open), count(minutes_to_acknowledge)"
            " from marts.alert_facts group by all"
        )
        _write_weekly(connection)
        connection.executemany(
            "insert into marts.alert_burden_monthly values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    *row,
                    None if not row[5] else row[4] / row[5],
                    None if not row[6] else row[4] / row[6],
                )
                for row in BURDEN
            ],
        )
        if with_model:
            _write_model(connection)
    return path


def _write_weekly(connection: duckdb.DuckDBPyConnection) -> None:
    """One row per location and week from its first to its last week with alerts."""
    bounds = connection.execute(
        "select provider_id, location_id, min(date_trunc('week', day))::date,"
        " max(date_trunc('week', day))::date from marts.alert_facts group by all"
    ).fetchall()
    for provider, location, first, last in bounds:
        week = first
        while week <= last:
            connection.execute(
                "insert into marts.alerts_weekly select ?, ?, ?, count(*),"
                " count(*) filter (where not is_open),"
                " count(*) filter (where outcome = 'false_alarm'),"
                " count(*) filter (where outcome = 'duplicate'),"
                " (count(*) filter (where outcome = 'false_alarm'))"
                " / nullif(count(*) filter (where not is_open), 0)"
                " from marts.alert_facts where location_id = ?"
                " and date_trunc('week', day) = ?",
                [provider, location, week, location, week],
            )
            week += timedelta(days=7)


def _write_model(connection: duckdb.DuckDBPyConnection) -> None:
    for run in (_OLDER_RUN, MODEL_RUN):
        columns = ", ".join(run)
        placeholders = ", ".join("?" * len(run))
        connection.execute(
            f"insert into audit.model_runs ({columns}) values ({placeholders})",  # noqa: S608 - fixed
            list(run.values()),
        )
    facts = {alert[2]: alert for alert in ALERTS}
    connection.executemany(
        "insert into marts.alert_triage_scores values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                provider,
                location,
                record,
                facts[record][3],
                facts[record][4],
                _at(facts[record][5]),
                score,
                reason,
                MODEL_RUN_ID,
            )
            for provider, location, record, score, reason in SCORES
        ],
    )
