"""Tests for the alert triage features SQL and load step on an in-memory warehouse.

Rows go straight into ``core.*``; each feature is checked against a hand-worked value, and the
leak test adds a later false alarm to show an earlier alert's features do not move.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb
import numpy as np
import pytest

from pipelines.steps.alert_triage import build_alert_triage, features_sql
from pipelines.warehouse import create_schema, refresh_current

T = "2026-03-10 12:00:00+00"  # the probe alert's raised_at (GMT: London hour 12)


@pytest.fixture
def con() -> Iterator[duckdb.DuckDBPyConnection]:
    """An empty warehouse with P1's care home L1 (live 2025-09-10) and home care L2."""
    connection = duckdb.connect()
    connection.execute("set TimeZone = 'UTC'")
    create_schema(connection)
    refresh_current(connection, run_id="none")
    connection.execute(
        "insert into core.locations (provider_id, location_id, service_type, dscr_go_live_date) "
        "values ('P1', 'L1', 'care_home', '2025-09-10'), ('P1', 'L2', 'home_care', null)"
    )
    yield connection
    connection.close()


def _alert(
    con: duckdb.DuckDBPyConnection,
    uid: str,
    *,
    raised_at: str,
    resolved_at: str | None = None,
    outcome: str | None = None,
    category: str = "low_fluid_intake",
    location_id: str = "L1",
    person_id: str | None = None,
    staff_id: str | None = None,
    status: str = "final",
) -> None:
    con.execute(
        "insert into core.alerts (provider_id, record_uid, version, status, location_id, "
        "person_id, staff_id, category, severity, raised_at, resolved_at, outcome) "
        "values ('P1', ?, 1, ?, ?, ?, ?, ?, 'low', ?, ?, ?)",
        [uid, status, location_id, person_id, staff_id, category, raised_at, resolved_at, outcome],
    )


def _features(con: duckdb.DuckDBPyConnection, uid: str = "PROBE") -> dict:
    rows = con.sql(features_sql()).pl().filter(record_uid=uid).to_dicts()
    assert len(rows) == 1
    return rows[0]


def test_location_shares_count_only_alerts_closed_in_the_28_days_before(con) -> None:
    # Given the probe (low fluid intake) raised at T, and before it: two closed low-fluid alerts
    # (one a false alarm), a false alarm of another category, one closed 28 days + 1 s before
    # (too old), one raised before T but closed after it, and an entered-in-error false alarm
    _alert(
        con,
        "A",
        raised_at="2026-03-01 09:00+00",
        resolved_at="2026-03-01 10:00+00",
        outcome="false_alarm",
    )
    _alert(
        con,
        "B",
        raised_at="2026-03-02 09:00+00",
        resolved_at="2026-03-02 10:00+00",
        outcome="actioned",
    )
    _alert(
        con,
        "C",
        raised_at="2026-03-03 09:00+00",
        resolved_at="2026-03-03 10:00+00",
        outcome="false_alarm",
        category="missed_care_task",
    )
    _alert(
        con,
        "OLD",
        raised_at="2026-02-09 10:00+00",
        resolved_at="2026-02-10 11:59:59+00",
        outcome="false_alarm",
    )
    _alert(
        con,
        "LATE",
        raised_at="2026-03-10 08:00+00",
        resolved_at="2026-03-10 12:00:01+00",
        outcome="false_alarm",
    )
    _alert(
        con,
        "VOID",
        raised_at="2026-03-04 09:00+00",
        resolved_at="2026-03-04 10:00+00",
        outcome="false_alarm",
        status="entered_in_error",
    )
    _alert(con, "PROBE", raised_at=T)

    # When the features are computed
    probe = _features(con)

    # Then the location share is 2 false alarms of 3 closed, the category's 1 of 2
    assert probe["location_false_alarm_share_28d"] == pytest.approx(2 / 3)
    assert probe["category_false_alarm_share_28d"] == pytest.approx(1 / 2)
    assert probe["outcome"] is None


def test_a_later_false_alarm_does_not_change_an_earlier_alerts_features(con) -> None:
    # Given the probe and one closed actioned alert before it
    _alert(
        con,
        "A",
        raised_at="2026-03-09 09:00+00",
        resolved_at="2026-03-09 10:00+00",
        outcome="actioned",
    )
    _alert(con, "PROBE", raised_at=T, resolved_at="2026-03-10 13:00+00", outcome="actioned")
    before = _features(con)

    # When false alarms of the same category are raised and closed after the probe (one of them
    # raised 5 minutes after it) and the probe itself turns out a false alarm
    _alert(
        con,
        "LATER",
        raised_at="2026-03-10 12:05+00",
        resolved_at="2026-03-10 12:30+00",
        outcome="false_alarm",
    )
    _alert(
        con,
        "NEXT_DAY",
        raised_at="2026-03-11 09:00+00",
        resolved_at="2026-03-11 10:00+00",
        outcome="false_alarm",
    )
    con.execute("update core.alerts set outcome = 'false_alarm' where record_uid = 'PROBE'")
    after = _features(con)

    # Then every feature of the probe is as it was; only its label changed
    for name in (
        "location_false_alarm_share_28d",
        "category_false_alarm_share_28d",
        "repeat_within_2h",
        "staff_offline_share_28d",
        "visit_status",
        "hour",
    ):
        assert after[name] == before[name], name
    assert before["location_false_alarm_share_28d"] == 0.0
    assert after["outcome"] == "false_alarm"


def test_repeat_flag_is_the_same_category_and_location_within_2_hours_before(con) -> None:
    # Given earlier alerts: same category 2 h exactly before (inside), another category
    # 10 minutes before, the same category at another location 10 minutes before
    _alert(con, "EDGE", raised_at="2026-03-10 10:00+00")
    _alert(con, "OTHER_CAT", raised_at="2026-03-10 11:50+00", category="weight_change")
    _alert(con, "OTHER_LOC", raised_at="2026-03-10 11:50+00", location_id="L2")
    _alert(con, "PROBE", raised_at=T)
    _alert(con, "OUTSIDE", raised_at="2026-03-10 14:00:01+00")

    # When / Then the probe is a repeat of EDGE; OUTSIDE is 2 h 1 s after it, not a repeat
    assert _features(con)["repeat_within_2h"] is True
    assert _features(con, "OUTSIDE")["repeat_within_2h"] is False
    assert _features(con, "EDGE")["repeat_within_2h"] is False


def test_hour_weekday_and_months_since_go_live_are_london_time(con) -> None:
    # Given an alert at 23:30Z on 31 May 2026 (BST: 00:30 on Monday 1 June)
    _alert(con, "PROBE", raised_at="2026-05-31 23:30+00")

    # When / Then
    probe = _features(con)
    assert probe["hour"] == 0
    assert probe["weekday"] == 1
    assert probe["service_type"] == "care_home"
    # 2025-09-10 to 2026-06-01 is 264 days
    assert probe["months_since_go_live"] == pytest.approx(264 / 30.44)


def test_staff_offline_share_counts_their_notes_recorded_in_the_28_days_before(con) -> None:
    # Given sign-out alert about S1; S1 recorded 4 notes in the window (1 offline), one
    # offline note after the alert and one 29 days before; S2's notes do not count
    notes = [
        ("S1", "2026-03-01 08:00+00", True),
        ("S1", "2026-03-02 08:00+00", False),
        ("S1", "2026-03-03 08:00+00", False),
        ("S1", "2026-03-10 11:59+00", False),
        ("S1", "2026-03-10 12:01+00", True),
        ("S1", "2026-02-09 11:00+00", True),
        ("S2", "2026-03-05 08:00+00", True),
    ]
    for i, (staff, recorded_at, offline) in enumerate(notes):
        con.execute(
            "insert into core.care_notes (provider_id, record_uid, version, status, staff_id, "
            "location_id, recorded_at, recorded_offline) values ('P1', ?, 1, 'final', ?, 'L2', "
            "?, ?)",
            [f"N{i}", staff, recorded_at, offline],
        )
    _alert(
        con, "PROBE", raised_at=T, category="visit_not_signed_out", location_id="L2", staff_id="S1"
    )
    _alert(con, "NOBODY", raised_at=T, category="lone_worker", location_id="L2", staff_id="S9")

    # When / Then 1 of 4; a member of staff with no notes has no share
    assert _features(con)["staff_offline_share_28d"] == pytest.approx(0.25)
    assert _features(con, "NOBODY")["staff_offline_share_28d"] is None


def test_visit_status_is_the_latest_visit_started_in_the_12_hours_before(con) -> None:
    # Given person A's visits: 09:00 checked in at 09:10, 11:30 checked in at 12:05 (after the
    # alert); person B's visit 23:00 the day before (over 12 hours earlier)
    visits = [
        ("V1", "A", "2026-03-10 09:00+00", "2026-03-10 09:10+00"),
        ("V2", "A", "2026-03-10 11:30+00", "2026-03-10 12:05+00"),
        ("V3", "B", "2026-03-09 23:00+00", "2026-03-09 23:05+00"),
        ("V4", "C", "2026-03-10 10:00+00", "2026-03-10 10:02+00"),
    ]
    for uid, person, start, check_in in visits:
        con.execute(
            "insert into core.visits (provider_id, record_uid, version, status, person_id, "
            "location_id, scheduled_start, check_in_at, visit_status) "
            "values ('P1', ?, 1, 'final', ?, 'L2', ?, ?, 'completed')",
            [uid, person, start, check_in],
        )
    _alert(con, "PROBE", raised_at=T, category="missed_visit", location_id="L2", person_id="A")
    _alert(con, "B", raised_at=T, category="late_visit", location_id="L2", person_id="B")
    _alert(con, "C", raised_at=T, category="late_visit", location_id="L2", person_id="C")
    _alert(con, "FLUID", raised_at=T, location_id="L2", person_id="C")

    # When / Then A's latest visit (11:30) was not checked in at 12:00
    assert _features(con)["visit_status"] == "not_checked_in"
    assert _features(con, "B")["visit_status"] == "no_recent_visit"
    assert _features(con, "C")["visit_status"] == "checked_in"
    assert _features(con, "FLUID")["visit_status"] == "not_a_visit_alert"


def test_too_few_alerts_record_a_skipped_run_and_no_scores(con, tmp_path: Path) -> None:
    # Given 50 resolved alerts and one open
    for i in range(50):
        _alert(
            con,
            f"A{i}",
            raised_at=f"2026-03-{1 + i % 28:02d} 10:00+00",
            resolved_at=f"2026-03-{1 + i % 28:02d} 11:00+00",
            outcome="false_alarm" if i % 5 == 0 else "actioned",
        )
    _alert(con, "OPEN", raised_at=T)

    # When the step runs
    built = build_alert_triage(con, run_id="R1", warehouse_path=tmp_path / "carelens.duckdb")

    # Then it is recorded as skipped with its reason and a card, and nothing is scored
    assert built.status.value == "skipped"
    assert con.execute("select count(*) from marts.alert_triage_scores").fetchall() == [(0,)]
    row = con.sql(
        "select model_run_id, run_id, model, status, status_reason, train_rows, roc_auc, "
        "scored_alerts from audit.model_runs"
    ).fetchall()
    assert row == [
        (
            "alert_triage-R1",
            "R1",
            "alert_triage",
            "skipped",
            "50 resolved alerts, fewer than 200",
            0,
            None,
            0,
        )
    ]
    card = (tmp_path / "model_cards" / "alert_triage-R1.md").read_text()
    assert "**skipped** (50 resolved alerts, fewer than 200)" in card


def test_a_trained_run_scores_every_open_alert_and_records_its_metrics(con, tmp_path) -> None:
    # Given 1,200 resolved alerts over 20 weeks (sign-out alerts mostly false alarms) and 3 open
    rng = np.random.default_rng(5)
    start = datetime(2025, 10, 6, 8, tzinfo=UTC)
    for i in range(1200):
        raised = start + timedelta(hours=2.8 * i)
        category = "visit_not_signed_out" if i % 3 == 0 else "incident_reported"
        false = rng.random() < (0.6 if category == "visit_not_signed_out" else 0.05)
        _alert(
            con,
            f"A{i:04d}",
            raised_at=raised.isoformat(),
            category=category,
            resolved_at=(raised + timedelta(minutes=30)).isoformat(),
            outcome="false_alarm" if false else "actioned",
            location_id="L2",
        )
    last = start + timedelta(hours=2.8 * 1200)
    for i, category in enumerate(("incident_reported", "visit_not_signed_out", "other")):
        _alert(
            con,
            f"OPEN{i}",
            raised_at=(last + timedelta(hours=i)).isoformat(),
            category=category,
            location_id="L2",
        )
    con.execute("delete from marts.alert_triage_scores")

    # When the step runs
    built = build_alert_triage(con, run_id="R2", warehouse_path=tmp_path / "carelens.duckdb")

    # Then the three open alerts are scored, the incident above the sign-out alert
    scores = dict(
        con.sql(
            "select record_uid, score from marts.alert_triage_scores where model_run_id = "
            "'alert_triage-R2'"
        ).fetchall()
    )
    assert built.status.value == "trained"
    assert set(scores) == {"OPEN0", "OPEN1", "OPEN2"}
    assert scores["OPEN0"] > 0.8 > 0.6 > scores["OPEN1"]
    reasons = con.sql("select reason from marts.alert_triage_scores").fetchall()
    assert all(reason for (reason,) in reasons)
    (run,) = con.execute(
        "select status, train_rows + test_rows, roc_auc, base_rate, calibration_json, "
        "card_markdown from audit.model_runs"
    ).fetchall()
    assert run[:2] == ("trained", 1200)
    assert run[2] >= 0.75
    assert run[4].count('"lower"') == 10
    assert (tmp_path / "model_cards" / "alert_triage-R2.md").read_text() == run[5]
