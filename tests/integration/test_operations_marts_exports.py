"""The operations marts (issue #5), hand-checked against small ODE-1 packages.

Each test writes packages by hand (``odepackages``), loads them with the real nightly runner
into a fresh warehouse and reads the published marts: ``marts.alerts_daily`` and
``marts.documentation_monthly`` (every column of shared/spec/metrics-v1.md, then the
extensions), ``marts.alerts_weekly``, ``marts.alert_burden_monthly``, ``marts.visits_monthly``,
``marts.care_plan_reviews_monthly`` and ``marts.time_released_monthly`` with baselines entered
in an accounts file. Every expected number is worked out by hand in the comments; shares and
minutes are compared rounded to 6 decimal places. The unit tests
(tests/unit/pipelines/test_operations_marts_*.py) check the same columns on hand-built ``core``
tables; these go through the export files, the contract and the loader.

Calendar facts used below (2025): clocks go forward at 01:00 UTC on Sunday 30 March and back at
01:00 UTC on Sunday 26 October (01:00 to 02:00 London happens twice: first BST, then GMT);
Mondays include 24 and 31 March, 7 and 14 April, 20 and 27 October; 30 April is a Wednesday.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from conftest import make_config
from odepackages import (
    LOCATION,
    PROVIDER,
    FileContent,
    alert,
    care_note,
    care_plan_review,
    location,
    person,
    query,
    shift,
    staff,
    visit,
    write_package,
)

from dashboards.accounts import AccountStore
from pipelines.config import PipelineConfig
from pipelines.runner import RunSummary, run_nightly

pytestmark = pytest.mark.integration

HOME_CARE = "1-100000102"

ALERTS_DAILY = """
select day, category, alerts_raised, alerts_resolved_within_24h, false_alarms,
    round(median_minutes_to_acknowledge, 6),
    duplicates, actioned, no_action_needed, open_alerts, acknowledged_alerts
from marts.alerts_daily
where provider_id = ? and location_id = ?
order by day, category
"""
"""Spec columns of one location's rows (after the location), then the extensions."""

ALERTS_WEEKLY = """
select week, alerts_raised, alerts_closed, false_alarms, duplicates, round(false_alarm_share, 6)
from marts.alerts_weekly
where provider_id = ? and location_id = ?
order by week
"""

ALERT_BURDEN = """
select month, shift_basis, alerts_raised, manager_shifts, care_worker_shifts,
    round(alerts_per_manager_shift, 6), round(alerts_per_care_worker_shift, 6)
from marts.alert_burden_monthly
where provider_id = ? and location_id = ?
order by month
"""

DOCUMENTATION = """
select month, care_notes, round(entry_minutes, 6), shifts, round(entry_minutes_per_shift, 6),
    round(notes_recorded_within_15_minutes, 6),
    service_type, shift_basis, notes_with_entry_seconds, offline_notes, round(offline_share, 6),
    round(minutes_per_shift_p10, 6), round(minutes_per_shift_p90, 6)
from marts.documentation_monthly
where provider_id = ? and location_id = ?
order by month
"""
"""Spec columns of one location's months (after the location), then the extensions."""

CARE_DOCUMENTATION = """
select month, care_shifts, round(care_entry_minutes, 6), round(entry_minutes_per_care_shift, 6),
    round(care_minutes_per_shift_p10, 6), round(care_minutes_per_shift_p90, 6)
from marts.documentation_monthly
where provider_id = ? and location_id = ?
order by month
"""
"""The care-worker extensions of one location's months."""

VISITS = """
select month, visits_scheduled, visits_completed, visits_missed, visits_cancelled_by_person,
    visits_cancelled_by_provider, visits_late, round(visits_on_time_share, 6),
    round(median_minutes_late, 6), round(missed_share, 6)
from marts.visits_monthly
where provider_id = ? and location_id = ?
order by month
"""

REVIEWS = """
select month, reviews_due, reviews_on_time, reviews_late, reviews_outstanding,
    round(on_time_share, 6), reviews_completed, reviews_completed_in_month
from marts.care_plan_reviews_monthly
where provider_id = ? and location_id = ?
order by month
"""

TIME_RELEASED = """
select month, shift_basis, shifts, round(measured_minutes_per_shift, 6),
    baseline_minutes_per_shift, baseline_basis, hours_released, hours_released_low,
    hours_released_high, hourly_cost_gbp, value_gbp, value_low_gbp, value_high_gbp
from marts.time_released_monthly
where provider_id = ? and location_id = ?
order by month
"""


class Warehouse:
    """A warehouse in a folder, fed from an inbox beside it by the real nightly runner."""

    def __init__(self, root: Path, *, config: PipelineConfig | None = None) -> None:
        self.inbox = root / "inbox"
        self.inbox.mkdir(parents=True)
        self.path = root / "carelens.duckdb"
        self.config = config or make_config(self.path)

    def deliver(
        self,
        files: Mapping[str, FileContent],
        *,
        extract_id: str,
        extract_from: str,
        extract_to: str,
        generated_at: str,
    ) -> None:
        """Write one package of PROVIDER into the inbox (loaded by the next ``load``)."""
        write_package(
            self.inbox,
            extract_id=extract_id,
            files=files,
            extract_from=extract_from,
            extract_to=extract_to,
            generated_at=generated_at,
        )

    def load(self) -> RunSummary:
        """One nightly run over the inbox; it must publish without quarantining a row."""
        summary = run_nightly(inbox=self.inbox, config=self.config)
        assert summary.failure is None, summary.failure
        assert summary.exit_code == 0, summary.message
        assert self.rows("select file_name, reason from audit.quarantine") == []
        return summary

    def rows(self, sql: str, params: Sequence[object] = ()) -> list[tuple]:
        """Rows of ``sql`` against the published warehouse."""
        return query(self.path, sql, params)

    def mart(self, sql: str, location_id: str = LOCATION) -> list[tuple]:
        """Rows of one of the queries above for one location of PROVIDER."""
        return self.rows(sql, [PROVIDER, location_id])


@pytest.fixture
def warehouse(tmp_path: Path) -> Warehouse:
    """An empty warehouse and inbox."""
    return Warehouse(tmp_path)


# Alerts: versions, retractions, London days and the 24-hour boundary

_CARE_HOME_STAFF = [
    staff(),  # S1, care worker
    staff(staff_id="M1", role="manager"),
    staff(staff_id="X1", role="domestic"),
]


_OPEN_OVER_24_HOURS = (
    "select record_uid from marts.alert_facts "
    "where is_open and data_as_of - raised_at > interval 24 hour order by record_uid"
)


def _alert_packages() -> tuple[dict[str, FileContent], dict[str, FileContent]]:
    """Package 1 (to 1 April) and package 2 (April), which revises and retracts alerts."""
    first: dict[str, FileContent] = {
        "locations.csv": [location()],
        "people.csv": [person()],
        "staff.csv": _CARE_HOME_STAFF,
        "shifts.csv": [
            # Mon 31 Mar 07:00 BST: March, care worker
            shift(record_uid="H1", start_at="2025-03-31T06:00:00Z", end_at="2025-03-31T14:00:00Z"),
            # Mon 31 Mar 09:00 BST: March, manager
            shift(
                record_uid="H2",
                staff_id="M1",
                start_at="2025-03-31T08:00:00Z",
                end_at="2025-03-31T16:00:00Z",
            ),
            # March, a domestic: a shift, but neither a manager's nor a care worker's
            shift(
                record_uid="X1",
                staff_id="X1",
                start_at="2025-03-31T08:00:00Z",
                end_at="2025-03-31T16:00:00Z",
            ),
            # 31 Mar 23:30 UTC is Tue 1 Apr 00:30 BST: April, care worker
            shift(record_uid="H3", start_at="2025-03-31T23:30:00Z", end_at="2025-04-01T07:30:00Z"),
        ],
        "alerts.csv": [
            # Sun 30 Mar 00:30 GMT, before the change: 30 March, week of 24 March; open
            alert(record_uid="A5", category="low_fluid_intake", raised_at="2025-03-30T00:30:00Z"),
            # Mon 31 Mar 11:00 BST; open
            alert(record_uid="A1", raised_at="2025-03-31T10:00:00Z"),
            # Mon 31 Mar 13:00 BST; acknowledged after 30 minutes, resolved 24 h and 1 s later
            alert(
                record_uid="A3",
                raised_at="2025-03-31T12:00:00Z",
                acknowledged_at="2025-03-31T12:30:00Z",
                resolved_at="2025-04-01T12:00:01Z",
                outcome="actioned",
            ),
            # Mon 31 Mar 10:00 BST; a duplicate acknowledged after 20 and resolved after 30 min
            alert(
                record_uid="A4",
                category="late_medication",
                raised_at="2025-03-31T09:00:00Z",
                acknowledged_at="2025-03-31T09:20:00Z",
                resolved_at="2025-03-31T09:30:00Z",
                outcome="duplicate",
            ),
            # 31 Mar 23:30 UTC is Tue 1 Apr 00:30 BST: 1 April; acknowledged after 10 minutes,
            # resolved exactly 24 hours after raising
            alert(
                record_uid="A2",
                raised_at="2025-03-31T23:30:00Z",
                acknowledged_at="2025-03-31T23:40:00Z",
                resolved_at="2025-04-01T23:30:00Z",
                outcome="false_alarm",
            ),
        ],
    }
    second: dict[str, FileContent] = {
        "shifts.csv": [
            # Tue 15 Apr: April, care worker
            shift(record_uid="H4", start_at="2025-04-15T07:00:00Z", end_at="2025-04-15T15:00:00Z")
        ],
        "alerts.csv": [
            # A1 version 2: acknowledged after 45 minutes, a false alarm resolved after 60
            alert(
                record_uid="A1",
                version="2",
                raised_at="2025-03-31T10:00:00Z",
                acknowledged_at="2025-03-31T10:45:00Z",
                resolved_at="2025-03-31T11:00:00Z",
                outcome="false_alarm",
            ),
            # A4 retracted
            alert(
                record_uid="A4",
                version="2",
                status="entered_in_error",
                category="late_medication",
                raised_at="2025-03-31T09:00:00Z",
            ),
            # A5 version 2: acknowledged after 60 minutes, resolved 3 days later
            alert(
                record_uid="A5",
                version="2",
                category="low_fluid_intake",
                raised_at="2025-03-30T00:30:00Z",
                acknowledged_at="2025-03-30T01:30:00Z",
                resolved_at="2025-04-02T00:30:00Z",
                outcome="no_action_needed",
            ),
            # Tue 1 Apr 09:00 BST; acknowledged after 6 minutes, still open
            alert(
                record_uid="A6",
                raised_at="2025-04-01T08:00:00Z",
                acknowledged_at="2025-04-01T08:06:00Z",
            ),
            # Tue 15 Apr 11:00 BST, week of 14 April; never acknowledged, a duplicate
            alert(
                record_uid="A7",
                category="other",
                raised_at="2025-04-15T10:00:00Z",
                resolved_at="2025-04-15T10:05:00Z",
                outcome="duplicate",
            ),
        ],
    }
    return first, second


def test_alert_marts_count_the_current_final_version_of_each_alert_by_london_day(
    warehouse: Warehouse,
) -> None:
    # Given package 1 loaded on its own night
    first, second = _alert_packages()
    warehouse.deliver(
        first,
        extract_id="0001",
        extract_from="2025-03-01",
        extract_to="2025-04-01",
        generated_at="2025-04-02T02:00:00Z",
    )
    warehouse.load()

    # Then each day counts package 1's versions, and A5 and A1 are open and more than 24 hours
    # older than the export (generated 2 April 02:00 UTC)
    assert warehouse.rows(_OPEN_OVER_24_HOURS) == [("A1",), ("A5",)]
    assert warehouse.mart(ALERTS_DAILY) == [
        # day, category, raised, resolved within 24 h, false alarms, median minutes to
        # acknowledge; duplicates, actioned, no action needed, open, acknowledged
        (date(2025, 3, 30), "low_fluid_intake", 1, 0, 0, None, 0, 0, 0, 1, 0),  # A5 open
        (date(2025, 3, 31), "late_medication", 1, 1, 0, 20.0, 1, 0, 0, 0, 1),  # A4
        # A1 open and not acknowledged; A3 acknowledged after 30, resolved after 24 h 1 s
        (date(2025, 3, 31), "missed_medication", 2, 0, 0, 30.0, 0, 1, 0, 1, 1),
        # A2: resolved exactly 24 hours after raising counts as within
        (date(2025, 4, 1), "missed_medication", 1, 1, 1, 10.0, 0, 0, 0, 0, 1),
    ]

    # When package 2, a later export, brings new versions of A1 and A5, retracts A4 and adds
    # A6 and A7
    warehouse.deliver(
        second,
        extract_id="0002",
        extract_from="2025-04-02",
        extract_to="2025-04-30",
        generated_at="2025-05-01T02:00:00Z",
    )
    warehouse.load()

    # Then only the current final versions count, and A4 leaves every mart; of the open alerts
    # only A6 is left, raised a month before the export
    assert warehouse.rows(_OPEN_OVER_24_HOURS) == [("A6",)]
    assert warehouse.mart(ALERTS_DAILY) == [
        # A5 v2: acknowledged after 60 minutes, resolved 3 days later (not within 24 h)
        (date(2025, 3, 30), "low_fluid_intake", 1, 0, 0, 60.0, 0, 0, 1, 0, 1),
        # A1 v2 (acknowledged 45, false alarm resolved after 60 min) and A3 (30, 24 h 1 s):
        # median (30 + 45) / 2 = 37.5
        (date(2025, 3, 31), "missed_medication", 2, 1, 1, 37.5, 0, 1, 0, 0, 2),
        # A2 (10 min, exactly 24 h, false alarm) and A6 (6 min, open): median (6 + 10) / 2 = 8
        (date(2025, 4, 1), "missed_medication", 2, 1, 1, 8.0, 0, 0, 0, 1, 2),
        # A7: resolved after 5 minutes, never acknowledged, so no median
        (date(2025, 4, 15), "other", 1, 1, 0, None, 1, 0, 0, 0, 0),
    ]
    assert warehouse.mart(ALERTS_WEEKLY) == [
        # week, raised, closed, false alarms, duplicates, false alarms / closed
        (date(2025, 3, 24), 1, 1, 0, 0, 0.0),  # A5
        (date(2025, 3, 31), 4, 3, 2, 0, 0.666667),  # A1, A3, A2, A6 (open): 2 / 3
        (date(2025, 4, 7), 0, 0, 0, 0, None),  # no alert: zeros and no share
        (date(2025, 4, 14), 1, 1, 0, 1, 0.0),  # A7
    ]
    assert warehouse.mart(ALERT_BURDEN) == [
        # month, basis, alerts, manager shifts, care-worker shifts, per manager shift, per
        # care-worker shift. March: A5, A1, A3; shifts H1 (S1), H2 (M1); X1 is a domestic's
        (date(2025, 3, 1), "shifts", 3, 1, 1, 3.0, 3.0),
        # April: A2, A6, A7; S1's H3 (00:30 BST on 1 April) and H4, no manager shift
        (date(2025, 4, 1), "shifts", 3, 0, 2, None, 1.5),
    ]


def test_alerts_in_the_repeated_october_hour_fall_on_26_october(warehouse: Warehouse) -> None:
    # Given alerts either side of London midnight and in both 01:00 to 02:00 hours of
    # Sunday 26 October
    warehouse.deliver(
        {
            "locations.csv": [location()],
            "people.csv": [person()],
            "alerts.csv": [
                # Sat 25 Oct 23:59 BST
                alert(record_uid="B0", raised_at="2025-10-25T22:59:00Z"),
                # Sun 26 Oct 00:30 BST
                alert(record_uid="B3", raised_at="2025-10-25T23:30:00Z"),
                # 01:30 without an offset is read as the first 01:30 (BST), 00:30 UTC; so it
                # was acknowledged 75 minutes later (15 if it were misread as GMT) and its
                # false alarm resolved after 90 minutes
                alert(
                    record_uid="B1",
                    raised_at="2025-10-26T01:30:00",
                    acknowledged_at="2025-10-26T01:45:00Z",
                    resolved_at="2025-10-26T02:00:00Z",
                    outcome="false_alarm",
                ),
                # the second 01:30 (GMT), acknowledged after 20 minutes, open
                alert(
                    record_uid="B2",
                    raised_at="2025-10-26T01:30:00Z",
                    acknowledged_at="2025-10-26T01:50:00Z",
                ),
                # Sun 26 Oct 23:30 GMT
                alert(record_uid="B4", raised_at="2025-10-26T23:30:00Z"),
                # Mon 27 Oct 00:00 GMT
                alert(record_uid="B5", raised_at="2025-10-27T00:00:00Z"),
            ],
        },
        extract_id="0001",
        extract_from="2025-10-01",
        extract_to="2025-10-31",
        generated_at="2025-11-01T02:00:00Z",
    )

    # When
    warehouse.load()

    # Then both 01:30s are hour 1 of Sunday 26 October (ISO weekday 7)
    assert warehouse.rows(
        "select record_uid, day, hour, weekday, round(minutes_to_acknowledge, 6), "
        "round(minutes_to_resolve, 6), resolved_within_24h from marts.alert_facts "
        "order by raised_at"
    ) == [
        ("B0", date(2025, 10, 25), 23, 6, None, None, None),
        ("B3", date(2025, 10, 26), 0, 7, None, None, None),
        ("B1", date(2025, 10, 26), 1, 7, 75.0, 90.0, True),
        ("B2", date(2025, 10, 26), 1, 7, 20.0, None, None),
        ("B4", date(2025, 10, 26), 23, 7, None, None, None),
        ("B5", date(2025, 10, 27), 0, 1, None, None, None),
    ]
    assert warehouse.mart(ALERTS_DAILY) == [
        (date(2025, 10, 25), "missed_medication", 1, 0, 0, None, 0, 0, 0, 1, 0),
        # B3, B1, B2, B4: B1 resolved within 24 h, a false alarm; median (20 + 75) / 2 = 47.5
        (date(2025, 10, 26), "missed_medication", 4, 1, 1, 47.5, 0, 0, 0, 3, 2),
        (date(2025, 10, 27), "missed_medication", 1, 0, 0, None, 0, 0, 0, 1, 0),
    ]
    assert warehouse.mart(ALERTS_WEEKLY) == [
        # Sunday 26 October ends the week of Monday 20 October: B0, B3, B1, B2, B4, of which
        # only B1 is closed, a false alarm (1 / 1)
        (date(2025, 10, 20), 5, 1, 1, 0, 1.0),
        (date(2025, 10, 27), 1, 0, 0, 0, None),  # B5, open
    ]


# Documentation, visits, reviews and time released


def _documentation_package() -> dict[str, FileContent]:
    """A care home and a home-care location around 30 April and 1 May 2025."""
    return {
        "locations.csv": [
            location(),  # live since 2024
            location(
                location_id=HOME_CARE,
                location_name="Test Home Care",
                service_type="home_care",
                registered_beds=None,
                dscr_go_live_date="2025-04-15",  # its first whole month live is May
            ),
        ],
        "people.csv": [
            person(),
            person(person_id="P2", location_id=HOME_CARE, nhs_number=None),
        ],
        "staff.csv": [
            *_CARE_HOME_STAFF,
            staff(staff_id="C1", location_id=HOME_CARE),  # a home-care worker
        ],
        "shifts.csv": [
            # Wed 30 Apr 07:00 BST: April
            shift(record_uid="W1", start_at="2025-04-30T06:00:00Z", end_at="2025-04-30T14:00:00Z"),
            # Wed 30 Apr 09:00 BST: April, the manager's
            shift(
                record_uid="W6",
                staff_id="M1",
                start_at="2025-04-30T08:00:00Z",
                end_at="2025-04-30T16:00:00Z",
            ),
            # Wed 30 Apr 23:30 BST, before London midnight, ending on 1 May: April
            shift(record_uid="W2", start_at="2025-04-30T22:30:00Z", end_at="2025-05-01T07:30:00Z"),
            # 30 Apr 23:30 UTC is Thu 1 May 00:30 BST: May
            shift(record_uid="W3", start_at="2025-04-30T23:30:00Z", end_at="2025-05-01T08:00:00Z"),
            # Fri 2 May: May, the manager (every role counts in shifts, only care roles in
            # care_shifts)
            shift(
                record_uid="W4",
                staff_id="M1",
                start_at="2025-05-02T08:00:00Z",
                end_at="2025-05-02T16:00:00Z",
            ),
            # Sat 3 May, then retracted: not counted
            shift(record_uid="W5", start_at="2025-05-03T06:00:00Z", end_at="2025-05-03T14:00:00Z"),
            shift(
                record_uid="W5",
                version="2",
                status="entered_in_error",
                start_at="2025-05-03T06:00:00Z",
                end_at="2025-05-03T14:00:00Z",
            ),
        ],
        "care_notes.csv": [
            # 30 Apr: recorded exactly 15 minutes after the care (within); 120 s
            care_note(
                record_uid="N1",
                care_at="2025-04-30T10:00:00Z",
                recorded_at="2025-04-30T10:15:00Z",
                entry_seconds="120",
            ),
            # 30 Apr 23:30 BST: recorded 15 min 1 s later (not within), offline; 60 s
            care_note(
                record_uid="N2",
                care_at="2025-04-30T22:30:00Z",
                recorded_at="2025-04-30T22:45:01Z",
                entry_seconds="60",
                recorded_offline="yes",
            ),
            # 30 Apr, the manager M1: recorded 5 minutes later (within); 240 s
            care_note(
                record_uid="N8",
                staff_id="M1",
                care_at="2025-04-30T11:00:00Z",
                recorded_at="2025-04-30T11:05:00Z",
                entry_seconds="240",
            ),
            # 30 Apr, nobody named (staff_id is optional): recorded at once (within); 60 s
            care_note(
                record_uid="N9",
                staff_id=None,
                care_at="2025-04-30T12:00:00Z",
                recorded_at="2025-04-30T12:00:00Z",
                entry_seconds="60",
            ),
            # 1 May 00:30 BST: May; recorded a minute later; 90 s
            care_note(
                record_uid="N3",
                care_at="2025-04-30T23:30:00Z",
                recorded_at="2025-04-30T23:31:00Z",
                entry_seconds="90",
            ),
            # 2 May: no entry time, offline not known
            care_note(
                record_uid="N4",
                care_at="2025-05-02T09:00:00Z",
                recorded_at="2025-05-02T09:00:00Z",
                entry_seconds=None,
                recorded_offline=None,
            ),
            # 2 May: recorded 4 minutes before the care (the contract allows 5): within; 30 s
            care_note(
                record_uid="N5",
                care_at="2025-05-02T10:00:00Z",
                recorded_at="2025-05-02T09:56:00Z",
                entry_seconds="30",
            ),
            # 2 May, then retracted in the same package: not counted
            care_note(
                record_uid="N6",
                care_at="2025-05-02T11:00:00Z",
                recorded_at="2025-05-02T11:00:00Z",
                entry_seconds="600",
            ),
            care_note(
                record_uid="N6",
                version="2",
                status="entered_in_error",
                care_at="2025-05-02T11:00:00Z",
                recorded_at="2025-05-02T11:00:00Z",
                entry_seconds="600",
            ),
            # Sun 1 Jun: the month's only note, recorded 30 minutes later, without entry time
            care_note(
                record_uid="N7",
                care_at="2025-06-01T09:00:00Z",
                recorded_at="2025-06-01T09:30:00Z",
                entry_seconds=None,
            ),
            # Home care, C1 with P2
            # Tue 29 Apr: recorded 10 minutes later; 180 s
            care_note(
                record_uid="K1",
                person_id="P2",
                staff_id="C1",
                location_id=HOME_CARE,
                care_at="2025-04-29T08:10:00Z",
                recorded_at="2025-04-29T08:20:00Z",
                entry_seconds="180",
            ),
            # Sat 3 May: recorded 40 minutes later; 240 s
            care_note(
                record_uid="K2",
                person_id="P2",
                staff_id="C1",
                location_id=HOME_CARE,
                care_at="2025-05-03T12:50:00Z",
                recorded_at="2025-05-03T13:30:00Z",
                entry_seconds="240",
            ),
            # Sat 3 May: recorded exactly 15 minutes later, without entry time
            care_note(
                record_uid="K3",
                person_id="P2",
                staff_id="C1",
                location_id=HOME_CARE,
                care_at="2025-05-03T08:10:00Z",
                recorded_at="2025-05-03T08:25:00Z",
                entry_seconds=None,
            ),
        ],
        "visits.csv": [
            _home_visit("V10", "2025-04-29T08:00:00Z", check_in_at="2025-04-29T07:50:00Z"),
            # exactly 15 minutes after the start: on time
            _home_visit("V1", "2025-04-30T07:00:00Z", check_in_at="2025-04-30T07:15:00Z"),
            # Wed 30 Apr 23:30 BST: April; 15 min 1 s after the start: late
            _home_visit("V2", "2025-04-30T22:30:00Z", check_in_at="2025-04-30T22:45:01Z"),
            # Thu 1 May 00:30 BST: May; checked in early: on time
            _home_visit("V3", "2025-04-30T23:30:00Z", check_in_at="2025-04-30T23:20:00Z"),
            _home_visit("V4", "2025-05-02T08:00:00Z", visit_status="missed"),
            _home_visit("V5", "2025-05-02T12:00:00Z", visit_status="cancelled_by_person"),
            # completed without a check-in
            _home_visit("V6", "2025-05-03T08:00:00Z"),
            # 45 minutes late
            _home_visit("V7", "2025-05-03T12:00:00Z", check_in_at="2025-05-03T12:45:00Z"),
            # completed, then retracted
            _home_visit("V8", "2025-05-04T08:00:00Z", check_in_at="2025-05-04T08:00:00Z"),
            _home_visit("V8", "2025-05-04T08:00:00Z", version="2", status="entered_in_error"),
            _home_visit("V9", "2025-05-05T08:00:00Z", visit_status="cancelled_by_provider"),
        ],
        "care_plan_reviews.csv": [
            # due 30 Apr, done 23:30 BST that day: on time, completed in April
            care_plan_review(
                record_uid="R1", due_date="2025-04-30", completed_at="2025-04-30T22:30:00Z"
            ),
            # due 30 Apr, done 00:30 BST on 1 May: late, completed in May
            care_plan_review(
                record_uid="R2", due_date="2025-04-30", completed_at="2025-04-30T23:30:00Z"
            ),
            care_plan_review(record_uid="R3", due_date="2025-05-15"),  # outstanding
            # due 10 May, done early on 1 May: on time, completed in May
            care_plan_review(
                record_uid="R4", due_date="2025-05-10", completed_at="2025-05-01T09:00:00Z"
            ),
            # done, then retracted
            care_plan_review(
                record_uid="R5", due_date="2025-05-20", completed_at="2025-05-19T09:00:00Z"
            ),
            care_plan_review(
                record_uid="R5",
                version="2",
                status="entered_in_error",
                due_date="2025-05-20",
                completed_at="2025-05-19T09:00:00Z",
            ),
        ],
    }


def _home_visit(
    uid: str,
    scheduled_start: str,
    *,
    check_in_at: str | None = None,
    **overrides: str | None,
) -> dict[str, str | None]:
    """A completed 30-minute visit by C1 to P2 at the home-care location, 30 minutes long
    from its check-in (none without ``check_in_at``)."""
    start = datetime.fromisoformat(scheduled_start)
    check_in = None if check_in_at is None else datetime.fromisoformat(check_in_at)
    return visit(
        record_uid=uid,
        person_id="P2",
        staff_id="C1",
        location_id=HOME_CARE,
        scheduled_start=scheduled_start,
        scheduled_end=_utc(start + timedelta(minutes=30)),
        check_in_at=check_in_at,
        check_out_at=None if check_in is None else _utc(check_in + timedelta(minutes=30)),
        check_method=None if check_in is None else "app",
        **overrides,
    )


def _utc(instant: datetime) -> str:
    return instant.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@pytest.fixture(scope="module")
def documented(tmp_path_factory: pytest.TempPathFactory) -> Warehouse:
    """_documentation_package loaded once, with baselines and review times entered for PROVIDER
    (the tests only read it)."""
    tmp_path = tmp_path_factory.mktemp("documented")
    accounts = tmp_path / "accounts.sqlite3"
    store = AccountStore(accounts, hasher=PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))
    for name, value in [
        ("baseline_documentation_minutes_per_shift", 20),
        ("baseline_documentation_minutes_per_visit", 5),
        ("care_plan_review_minutes_before", 240),
        ("care_plan_review_minutes_after", 30),
    ]:
        store.set_assumption(
            PROVIDER,
            name=name,
            value=value,
            note=None,
            set_by="tester",
            now=datetime(2025, 6, 2, tzinfo=UTC),
        )
    config = dataclasses.replace(make_config(tmp_path / "carelens.duckdb"), accounts_path=accounts)
    warehouse = Warehouse(tmp_path, config=config)
    warehouse.deliver(
        _documentation_package(),
        extract_id="0001",
        extract_from="2025-04-01",
        extract_to="2025-06-01",
        generated_at="2025-06-02T02:00:00Z",
    )
    warehouse.load()
    return warehouse


def test_documentation_monthly_in_a_care_home_counts_notes_minutes_and_shifts_by_london_month(
    documented: Warehouse,
) -> None:
    # Given the package loaded (fixture)

    # When
    months = documented.mart(DOCUMENTATION)

    # Then
    assert months == [
        # month, notes, entry minutes, shifts, minutes per shift, share within 15 minutes;
        # service type, basis, notes with entry seconds, offline notes, offline share, P10, P90
        #
        # April: N1, N2, the manager's N8 and N9 (no staff); (120 + 60 + 240 + 60) / 60 = 8
        # minutes over W1, the manager's W6 and W2 (which starts 23:30 BST on 30 April) = 8 / 3
        # a shift; N1 at exactly 15 minutes, N8 at 5 and N9 at 0 within, N2 not: 3 / 4; N2
        # the only one offline of 4: 0.25. One day (30 April, 8 / 3 a shift), so P10 = P90
        (
            date(2025, 4, 1), 4, 8.0, 3, 2.666667, 0.75, "care_home", "shifts", 4, 1, 0.25,
            2.666667, 2.666667,
        ),
        # May: N3, N4, N5 (N6 retracted); (90 + 30) / 60 = 2 minutes (N4 has none) over W3
        # (00:30 BST on 1 May) and the manager's W4 (W5 retracted) = 1 a shift; all three within 15
        # minutes; offline known for N3 and N5, neither offline. Days: 1 May 1.5 / 1 = 1.5,
        # 2 May 0.5 / 1 = 0.5, the rest have no shift: P10 = 0.5 + 0.1 × (1.5 − 0.5) = 0.6,
        # P90 = 0.5 + 0.9 × 1 = 1.4
        (date(2025, 5, 1), 3, 2.0, 2, 1.0, 1.0, "care_home", "shifts", 2, 0, 0.0, 0.6, 1.4),
        # June: N7 without entry time: minutes not measured (null, not 0), no shift, recorded
        # 30 minutes later
        (date(2025, 6, 1), 1, None, 0, None, 0.0, "care_home", "shifts", 0, 0, 0.0, None, None),
    ]  # fmt: skip


def test_documentation_monthly_care_columns_leave_the_managers_shifts_and_notes_out(
    documented: Warehouse,
) -> None:
    # Given the package loaded (fixture): S1 is a care worker, M1 the manager

    # When
    care_home = documented.mart(CARE_DOCUMENTATION)
    home_care = documented.mart(CARE_DOCUMENTATION, HOME_CARE)

    # Then
    assert care_home == [
        # month, care shifts, care entry minutes, per care shift, P10, P90 (over the days)
        #
        # April: S1's W1 and W2 (not M1's W6); S1's N1 120 s, N2 60 s and N9 (no staff, taken
        # as a carer's) 60 s = 4 minutes (not M1's N8) = 2 a care shift; one day, P10 = P90
        (date(2025, 4, 1), 2, 4.0, 2.0, 2.0, 2.0),
        # May: S1's W3 (not M1's W4); S1's N3 90 s and N5 30 s = 2 minutes over 1 care shift.
        # Days: 1 May 1.5 / 1 = 1.5; 2 May has 0.5 minutes but no care shift: P10 = P90 = 1.5
        (date(2025, 5, 1), 1, 2.0, 2.0, 1.5, 1.5),
        # June: S1's N7 has no entry time: not measured; no shift
        (date(2025, 6, 1), 0, None, None, None, None),
    ]
    # home care: completed visits are the care shifts, and C1's notes are all carers': the
    # same as shifts, entry_minutes and the spec's P10 and P90
    assert home_care == [
        (date(2025, 4, 1), 3, 3.0, 1.0, 0.3, 2.7),
        (date(2025, 5, 1), 3, 4.0, 1.333333, 0.2, 1.8),
    ]


def test_documentation_monthly_in_home_care_counts_completed_visits_as_shifts(
    documented: Warehouse,
) -> None:
    # Given the package loaded (fixture)

    # When
    months = documented.mart(DOCUMENTATION, HOME_CARE)

    # Then
    assert months == [
        # April: K1, 180 / 60 = 3 minutes over completed visits V10, V1, V2 = 1 a visit;
        # recorded after 10 minutes. Days: 29 April 3 / 1 = 3, 30 April 0 / 2 = 0: P10 =
        # 0 + 0.1 × 3 = 0.3, P90 = 2.7
        (date(2025, 4, 1), 1, 3.0, 3, 1.0, 1.0, "home_care", "visits", 1, 0, 0.0, 0.3, 2.7),
        # May: K2, K3; 240 / 60 = 4 minutes (K3 has none) over completed V3 (00:30 BST on
        # 1 May), V6, V7 = 4 / 3 a visit; K3 at exactly 15 minutes within, K2 (40) not. Days:
        # 1 May 0 / 1 = 0, 3 May 4 / 2 = 2 (2 May only missed and cancelled visits): P10 =
        # 0.2, P90 = 1.8
        (date(2025, 5, 1), 2, 4.0, 3, 1.333333, 0.5, "home_care", "visits", 1, 0, 0.0, 0.2, 1.8),
    ]


def test_visits_monthly_counts_punctuality_by_london_month_of_the_scheduled_start(
    documented: Warehouse,
) -> None:
    # Given the package loaded (fixture)

    # When
    months = documented.mart(VISITS, HOME_CARE)

    # Then
    assert months == [
        # month, scheduled, completed, missed, cancelled by person, by provider, late,
        # on-time share, median minutes late, missed share
        #
        # April: V10 (early), V1 (exactly 15 minutes: on time), V2 (15 min 1 s: late), all
        # completed and checked in: (3 − 1) / 3 on time; median late 15 + 1 / 60; none missed
        (date(2025, 4, 1), 3, 3, 0, 0, 0, 1, 0.666667, 15.016667, 0.0),
        # May: V3, V4, V5, V6, V7, V9 (V8 retracted); completed V3, V6, V7; checked in V3
        # (early) and V7 (45 late): (2 − 1) / 2; missed 1 / (3 completed + 1 missed)
        (date(2025, 5, 1), 6, 3, 1, 1, 1, 1, 0.5, 45.0, 0.25),
    ]
    assert documented.mart(VISITS) == []  # care homes have no visits mart


def test_care_plan_reviews_monthly_are_on_time_by_the_london_end_of_the_due_day(
    documented: Warehouse,
) -> None:
    # Given the package loaded (fixture)

    # When
    months = documented.mart(REVIEWS)

    # Then
    assert months == [
        # month, due, on time, late, outstanding, on-time share, completed, completed in
        # the month
        #
        # April: R1 (on time), R2 (late); only R1 was done in April
        (date(2025, 4, 1), 2, 1, 1, 0, 0.5, 2, 1),
        # May: R3 (outstanding), R4 (on time; R5 retracted); R2 and R4 were done in May
        (date(2025, 5, 1), 2, 1, 0, 1, 0.5, 1, 2),
    ]


def test_alert_burden_counts_care_home_shifts_and_home_care_visit_days(
    documented: Warehouse,
) -> None:
    # Given the package loaded (fixture): no alerts at all

    # When
    care_home = documented.mart(ALERT_BURDEN)
    home_care = documented.mart(ALERT_BURDEN, HOME_CARE)

    # Then care-home months count shifts by role (April: S1's W1, W2 and the manager's W6;
    # May: S1's W3 and the manager's W4) and home care counts C1's days with a completed
    # visit (April: 29 and 30; May: 1 and 3), with no alert in any
    assert care_home == [
        (date(2025, 4, 1), "shifts", 0, 1, 2, 0.0, 0.0),
        (date(2025, 5, 1), "shifts", 0, 1, 1, 0.0, 0.0),
    ]
    assert home_care == [
        (date(2025, 4, 1), "visit_days", 0, 0, 2, None, 0.0),
        (date(2025, 5, 1), "visit_days", 0, 0, 2, None, 0.0),
    ]


def test_time_released_uses_the_entered_baselines_over_measured_minutes(
    documented: Warehouse,
) -> None:
    # Given the package loaded with 20 paper-era minutes a shift and 5 a visit entered
    # (fixture); pay and on-costs are the defaults, £12.00 × 1.2775 = £15.33 an hour

    # When
    care_home = documented.mart(TIME_RELEASED)
    home_care = documented.mart(TIME_RELEASED, HOME_CARE)
    reviews = documented.rows(
        "select month, quantity, value_gbp from marts.benefit_streams "
        "where stream = 'managerial_care_plan_reviews' and location_id = ? order by month",
        [LOCATION],
    )

    # Then
    cost = Decimal("15.3300")
    entered = Decimal("20.000000")
    assert care_home == [
        # month, basis, care-worker shifts, measured per care-worker shift, baseline, basis,
        # hours, low, high, hourly cost, value, low, high. The care columns only: the
        # manager's shifts and notes are not a care worker's time (counting all shifts, April
        # would be (20 × 3 − 8) / 60 = 0.87 h)
        #
        # April: (20 × 2 − 4) / 60 = 0.6 h; low (20 − P90 2) × 2 / 60 the same, high
        # (20 − P10 2) × 2 / 60 the same; 0.6 × 15.33 = £9.198
        (
            date(2025, 4, 1),
            "shifts",
            2,
            2.0,
            entered,
            "entered",
            Decimal("0.60"),
            Decimal("0.60"),
            Decimal("0.60"),
            cost,
            Decimal("9.20"),
            Decimal("9.20"),
            Decimal("9.20"),
        ),
        # May: (20 × 1 − 2) / 60 = 0.3 h, £4.599; low (20 − P90 1.5) × 1 / 60 = 0.3083 h is
        # above the central figure, so the low end is the central 0.3 h, £4.60; high
        # 0.3083 h, 18.5 / 60 × 15.33 = £4.72675
        (
            date(2025, 5, 1),
            "shifts",
            1,
            2.0,
            entered,
            "entered",
            Decimal("0.30"),
            Decimal("0.30"),
            Decimal("0.31"),
            cost,
            Decimal("4.60"),
            Decimal("4.60"),
            Decimal("4.73"),
        ),
        # June: no shift and no measured minutes: no figure
        (date(2025, 6, 1), "shifts", 0, None, entered, "entered")
        + (None,) * 3
        + (cost,)
        + (None,) * 3,
    ]
    assert home_care == [
        # only May: its go-live, 15 April, leaves April half on paper. (5 × 3 − 4) / 60 =
        # 0.1833 h, 11 / 60 × 15.33 = £2.8105; low (5 − 1.8) × 3 / 60 = 0.16 h, £2.4528;
        # high (5 − 0.2) × 3 / 60 = 0.24 h, £3.6792
        (
            date(2025, 5, 1),
            "visits",
            3,
            1.333333,
            Decimal("5.000000"),
            "entered",
            Decimal("0.18"),
            Decimal("0.16"),
            Decimal("0.24"),
            cost,
            Decimal("2.81"),
            Decimal("2.45"),
            Decimal("3.68"),
        ),
    ]
    # care-plan reviews: (240 − 30) / 60 = 3.5 h each at £18.50 × 1.2775 = £23.63375 an hour:
    # April R1, 3.5 h, £82.718; May R2 and R4, 7 h, £165.436
    assert reviews == [
        (date(2025, 4, 1), Decimal("3.500000"), Decimal("82.72")),
        (date(2025, 5, 1), Decimal("7.000000"), Decimal("165.44")),
    ]
