"""marts.quality_monthly and marts.quality_weekly, hand-checked against small ODE-1 packages.

Each test writes packages (``odepackages``), loads them with the real nightly runner into a
fresh warehouse and reads the published marts. Every expected number is worked out by hand in
the test; rates are compared rounded to 6 decimal places.

Calendar facts used below (2025): 1 January is a Wednesday; clocks go forward at 01:00 UTC on
Sunday 30 March and back at 01:00 UTC on Sunday 26 October; Mondays include 27 January,
24 and 31 March, 28 April, 26 May, 2, 9 and 30 June, 29 September, 20 and 27 October and
24 November.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path

import pytest
from conftest import LoadedInbox, make_config
from odepackages import LOCATION, PROVIDER, location, person, query, write_package

from pipelines.config import PipelineConfig
from pipelines.runner import RunSummary, run_nightly

pytestmark = pytest.mark.integration

HOME_CARE = "1-100000102"
SECOND_HOME = "1-100000103"

MONTHLY = """
select month, occupied_bed_days, falls, falls_with_harm,
    round(falls_per_1000_bed_days, 6), round(falls_with_harm_per_1000_bed_days, 6),
    scheduled_doses, missed_doses, late_doses,
    medication_errors, round(medication_errors_per_1000_doses, 6),
    pressure_ulcers, round(pressure_ulcers_per_1000_bed_days, 6)
from marts.quality_monthly
where provider_id = ? and location_id = ?
order by month
"""
"""Every column of one location's months, in table order (after the keys)."""


def incident(uid: str, occurred_at: str, **overrides: str | None) -> dict[str, str | None]:
    """A final version-1 fall of P1 at the test location with low harm."""
    return {
        "record_uid": uid,
        "version": "1",
        "status": "final",
        "location_id": LOCATION,
        "person_id": "P1",
        "occurred_at": occurred_at,
        "reported_at": overrides.get("reported_at", occurred_at),
        "incident_type": "fall",
        "subtype": None,
        "harm": "low",
        "witnessed": "no",
        "description": "Found on the floor",
        **overrides,
    }


def dose(
    uid: str, scheduled_at: str | None, recorded_at: str, **overrides: str | None
) -> dict[str, str | None]:
    """A final version-1 scheduled dose of P1 at the test location, given, not time-critical."""
    return {
        "record_uid": uid,
        "version": "1",
        "status": "final",
        "person_id": "P1",
        "location_id": LOCATION,
        "staff_id": None,
        "medicine": "Paracetamol 500mg",
        "dmd_code": None,
        "scheduled_at": scheduled_at,
        "recorded_at": recorded_at,
        "outcome": "given",
        "is_prn": "no",
        "is_time_critical": "no",
        **overrides,
    }


class Warehouse:
    """A warehouse in a folder, fed from an inbox beside it by the real nightly runner."""

    def __init__(self, root: Path, *, config: PipelineConfig | None = None) -> None:
        self.inbox = root / "inbox"
        self.inbox.mkdir(parents=True)
        self.path = root / "carelens.duckdb"
        self.config = config or make_config(self.path)

    def deliver(
        self,
        files: Mapping[str, object],
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
        """One nightly run over the inbox; it must publish."""
        summary = run_nightly(inbox=self.inbox, config=self.config)
        assert summary.failure is None, summary.failure
        assert summary.exit_code == 0, summary.message
        return summary

    def rows(self, sql: str, params: Sequence[object] = ()) -> list[tuple]:
        """Rows of ``sql`` against the published warehouse."""
        return query(self.path, sql, params)

    def monthly(self, location_id: str = LOCATION) -> list[tuple]:
        """Every column of one location's months (see ``MONTHLY``)."""
        return self.rows(MONTHLY, [PROVIDER, location_id])

    def weekly(self, columns: str, location_id: str = LOCATION) -> list[tuple]:
        """``columns`` of one location's weeks, in week order."""
        return self.rows(
            f"select {columns} from marts.quality_weekly "
            "where provider_id = ? and location_id = ? order by week",
            [PROVIDER, location_id],
        )

    def weekly_totals(self, aggregates: str, location_id: str = LOCATION) -> tuple:
        """``aggregates`` over one location's weeks."""
        (row,) = self.rows(
            f"select {aggregates} from marts.quality_weekly "
            "where provider_id = ? and location_id = ?",
            [PROVIDER, location_id],
        )
        return row


@pytest.fixture
def warehouse(tmp_path: Path) -> Warehouse:
    """An empty warehouse and inbox."""
    return Warehouse(tmp_path)


# Months and weeks of the instant in Europe/London


def test_events_near_midnight_and_clock_changes_fall_in_their_london_month_and_week(
    warehouse: Warehouse,
) -> None:
    # Given P1 resident from 1 January and 13 falls near midnight, month ends and clock changes
    falls = [
        incident("F01", "2025-01-31T23:30:00Z"),  # Fri 31 Jan 23:30 GMT: January
        incident("F02", "2025-03-30T00:30:00Z"),  # Sun 30 Mar 00:30 GMT, before the change: March
        incident("F03", "2025-03-30T23:30:00Z"),  # Mon 31 Mar 00:30 BST: March, week 31 Mar
        incident("F04", "2025-03-31T22:59:00Z", harm="moderate"),  # Mon 31 Mar 23:59 BST: March
        incident("F05", "2025-03-31T23:30:00Z", harm="severe"),  # Tue 1 Apr 00:30 BST: April
        incident("F06", "2025-05-01T00:30:00+01:00"),  # Thu 1 May 00:30 BST (30 Apr 23:30Z): May
        incident("F07", "2025-06-29T23:30:00Z"),  # Mon 30 Jun 00:30 BST: June, week 30 Jun
        incident("F08", "2025-09-30T23:30:00Z"),  # Wed 1 Oct 00:30 BST: October, week 29 Sep
        incident("F09", "2025-10-25T23:30:00Z"),  # Sun 26 Oct 00:30 BST, before the change
        incident("F10", "2025-10-26T23:30:00Z"),  # Sun 26 Oct 23:30 GMT: week 20 Oct
        incident("F11", "2025-10-27T00:00:00Z"),  # Mon 27 Oct 00:00 GMT: week 27 Oct
        incident("F12", "2025-10-31T23:30:00Z"),  # Fri 31 Oct 23:30 GMT: October
        incident("F13", "2025-11-30T23:30:00"),  # no offset: London wall clock, Sun 30 Nov
    ]
    warehouse.deliver(
        {
            "locations.csv": [location()],
            "people.csv": [person(start_date="2025-01-01")],
            "incidents.csv": falls,
        },
        extract_id="0001",
        extract_from="2025-01-01",
        extract_to="2025-11-30",
        generated_at="2025-12-01T02:00:00Z",
    )

    # When
    warehouse.load()

    # Then one bed a day (the ongoing stay runs to extract_to) and the falls in London months
    months = [row[:6] for row in warehouse.monthly()]
    assert months == [
        (date(2025, 1, 1), 31, 1, 0, 32.258065, 0.0),  # 1 / 31 * 1000
        (date(2025, 2, 1), 28, 0, 0, 0.0, 0.0),
        (date(2025, 3, 1), 31, 3, 1, 96.774194, 32.258065),  # 3 / 31 * 1000; F04
        (date(2025, 4, 1), 30, 1, 1, 33.333333, 33.333333),  # F05
        (date(2025, 5, 1), 31, 1, 0, 32.258065, 0.0),
        (date(2025, 6, 1), 30, 1, 0, 33.333333, 0.0),
        (date(2025, 7, 1), 31, 0, 0, 0.0, 0.0),
        (date(2025, 8, 1), 31, 0, 0, 0.0, 0.0),
        (date(2025, 9, 1), 30, 0, 0, 0.0, 0.0),
        (date(2025, 10, 1), 31, 5, 0, 161.290323, 0.0),  # 5 / 31 * 1000
        (date(2025, 11, 1), 30, 1, 0, 33.333333, 0.0),
    ]
    # weeks run from the week of 1 January (Monday 30 December 2024) to that of 30 November
    # (Monday 24 November): 329 days apart, so 48 weeks
    assert warehouse.weekly_totals("count(*), min(week), max(week), sum(falls)") == (
        48,
        date(2024, 12, 30),
        date(2025, 11, 24),
        13,
    )
    first_week = warehouse.weekly("week, occupied_bed_days, falls")[0]
    assert first_week == (date(2024, 12, 30), 5, 0)  # the stay starts on Wednesday 1 January
    weeks_with_falls = [
        row
        for row in warehouse.weekly(
            "week, occupied_bed_days, falls, falls_with_harm, round(falls_per_1000_bed_days, 6)"
        )
        if row[2]
    ]
    assert weeks_with_falls == [
        (date(2025, 1, 27), 7, 1, 0, 142.857143),  # 1 / 7 * 1000
        (date(2025, 3, 24), 7, 1, 0, 142.857143),  # F02
        (date(2025, 3, 31), 7, 3, 2, 428.571429),  # F03, F04, F05 (3 / 7 * 1000)
        (date(2025, 4, 28), 7, 1, 0, 142.857143),  # F06
        (date(2025, 6, 30), 7, 1, 0, 142.857143),  # F07
        (date(2025, 9, 29), 7, 1, 0, 142.857143),  # F08
        (date(2025, 10, 20), 7, 2, 0, 285.714286),  # F09, F10
        (date(2025, 10, 27), 7, 2, 0, 285.714286),  # F11, F12
        (date(2025, 11, 24), 7, 1, 0, 142.857143),  # F13
    ]


# Versions and retractions


def _june_and_july_packages() -> tuple[dict[str, object], dict[str, object]]:
    """Package A (June) and package B (July) whose incidents revise A's."""
    first = {
        "locations.csv": [location()],
        "people.csv": [person(start_date="2025-06-01")],
        "incidents.csv": [
            incident("I1", "2025-06-05T10:00:00Z"),  # low harm
            incident("I2", "2025-06-06T10:00:00Z", harm="moderate"),
            incident("I3", "2025-06-07T10:00:00Z", harm="no_harm"),
            incident("I4", "2025-06-30T23:30:00Z"),  # 1 July 00:30 BST
            incident("I5", "2025-06-08T10:00:00Z", person_id=None),  # a visitor: not counted
            incident(
                "I6",
                "2025-06-09T10:00:00Z",
                person_id=None,
                incident_type="pressure_ulcer",
                subtype="category_2",
            ),
            incident(
                "I7", "2025-06-10T10:00:00Z", incident_type="medication_error", subtype="omission"
            ),
        ],
    }
    second = {
        "incidents.csv": [
            incident("I1", "2025-06-05T10:00:00Z", version="2", harm="severe"),
            incident("I2", "2025-06-06T10:00:00Z", version="2", incident_type="skin_tear"),
            incident("I3", "2025-06-07T10:00:00Z", version="2", status="entered_in_error"),
            incident("I4", "2025-06-15T10:00:00Z", version="2"),  # moved into June
            incident(
                "I7",
                "2025-06-10T10:00:00Z",
                version="2",
                status="entered_in_error",
                incident_type="medication_error",
                subtype="omission",
            ),
            incident("I8", "2025-07-10T10:00:00Z"),
        ],
    }
    return first, second


def _deliver_june(warehouse: Warehouse, files: Mapping[str, object]) -> None:
    warehouse.deliver(
        files,
        extract_id="0001",
        extract_from="2025-06-01",
        extract_to="2025-06-30",
        generated_at="2025-07-01T02:00:00Z",
    )


def _deliver_july(warehouse: Warehouse, files: Mapping[str, object]) -> None:
    warehouse.deliver(
        files,
        extract_id="0002",
        extract_from="2025-07-01",
        extract_to="2025-07-31",
        generated_at="2025-08-01T02:00:00Z",
    )


# After package B: June has I1 (now severe) and I4 (moved into June) of 30 bed days, the
# ulcer I6 without a person, and no medication error (I7 retracted); July has I8 and P1's
# 31 bed days (the ongoing stay now runs to B's extract_to).
_AFTER_REVISIONS = [
    # month, bed days, falls, with harm, per 1000, with harm per 1000, doses, missed, late,
    # medication errors, per 1000 doses, pressure ulcers, per 1000 bed days
    (date(2025, 6, 1), 30, 2, 1, 66.666667, 33.333333, 0, 0, 0, 0, None, 1, 33.333333),
    (date(2025, 7, 1), 31, 1, 0, 32.258065, 0.0, 0, 0, 0, 0, None, 0, 0.0),
]


def test_later_versions_in_a_later_export_replace_earlier_ones_and_retractions_leave(
    warehouse: Warehouse,
) -> None:
    # Given package A loaded on its own night
    first, second = _june_and_july_packages()
    _deliver_june(warehouse, first)
    warehouse.load()

    # Then June counts I1, I2 and I3 (I2 with harm), not the visitor's fall I5; I4 is in July,
    # a month of a care home with no bed occupied yet (the stay runs to A's extract_to, 30 June)
    assert warehouse.monthly() == [
        # 3 / 30 * 1000 = 100 falls and 1 / 30 * 1000 with harm and ulcers per 1000 bed days;
        # no dose scheduled, so no medication error rate
        (date(2025, 6, 1), 30, 3, 1, 100.0, 33.333333, 0, 0, 0, 1, None, 1, 33.333333),
        (date(2025, 7, 1), 0, 1, 0, None, None, 0, 0, 0, 0, None, 0, None),
    ]

    # When package B, a later export, revises harm and type, retracts I3 and I7 and moves I4
    _deliver_july(warehouse, second)
    warehouse.load()

    # Then
    assert warehouse.monthly() == _AFTER_REVISIONS


def test_revisions_delivered_in_the_same_night_give_the_same_marts(warehouse: Warehouse) -> None:
    # Given packages A and B in the inbox together
    first, second = _june_and_july_packages()
    _deliver_june(warehouse, first)
    _deliver_july(warehouse, second)

    # When
    warehouse.load()

    # Then
    assert warehouse.monthly() == _AFTER_REVISIONS


# Range of months, home care


def test_home_care_has_null_bed_days_and_rates_and_zero_months_inside_its_range(
    warehouse: Warehouse,
) -> None:
    # Given a home-care location with falls in January and April and nothing in between
    client = person(person_id="P2", location_id=HOME_CARE, start_date="2025-01-01")
    warehouse.deliver(
        {
            "locations.csv": [
                location(
                    location_id=HOME_CARE,
                    location_name="Test Home Care",
                    service_type="home_care",
                    registered_beds=None,
                )
            ],
            "people.csv": [client],
            "incidents.csv": [
                incident(
                    "H1",
                    "2025-01-15T10:00:00Z",
                    location_id=HOME_CARE,
                    person_id="P2",
                    harm="fatal",
                ),
                incident("H2", "2025-04-20T10:00:00Z", location_id=HOME_CARE, person_id="P2"),
                incident(
                    "H3",
                    "2025-04-21T10:00:00Z",
                    location_id=HOME_CARE,
                    person_id="P2",
                    incident_type="pressure_ulcer",
                    subtype="category_1",
                ),
                incident(
                    "H4",
                    "2025-04-21T11:00:00Z",
                    location_id=HOME_CARE,
                    person_id="P2",
                    incident_type="medication_error",
                    subtype="wrong_time",
                ),
            ],
            "medication_administrations.csv": [
                dose(
                    "D1",
                    "2025-04-21T08:00:00Z",
                    "2025-04-21T08:10:00Z",
                    person_id="P2",
                    location_id=HOME_CARE,
                ),
                dose(
                    "D2",
                    "2025-04-21T18:00:00Z",
                    "2025-04-21T18:10:00Z",
                    person_id="P2",
                    location_id=HOME_CARE,
                ),
            ],
        },
        extract_id="0001",
        extract_from="2025-01-01",
        extract_to="2025-04-30",
        generated_at="2025-05-01T02:00:00Z",
    )

    # When
    warehouse.load()

    # Then January to April, February and March all zero, and no bed-day figure anywhere
    assert warehouse.monthly(HOME_CARE) == [
        (date(2025, 1, 1), None, 1, 1, None, None, 0, 0, 0, 0, None, 0, None),
        (date(2025, 2, 1), None, 0, 0, None, None, 0, 0, 0, 0, None, 0, None),
        (date(2025, 3, 1), None, 0, 0, None, None, 0, 0, 0, 0, None, 0, None),
        # 1 medication error / 2 scheduled doses * 1000 = 500
        (date(2025, 4, 1), None, 1, 0, None, None, 2, 0, 0, 1, 500.0, 1, None),
    ]
    # weeks from Monday 13 January (Wed 15th) to Monday 21 April: 98 days apart, 15 weeks
    assert warehouse.weekly_totals(
        "count(*), min(week), max(week), count(occupied_bed_days), "
        "count(falls_per_1000_bed_days), sum(falls)",
        HOME_CARE,
    ) == (15, date(2025, 1, 13), date(2025, 4, 21), 0, 0, 2)


# Occupied bed days: occupancy.csv, else stays


def test_occupied_bed_days_come_from_occupancy_csv_on_its_days_and_from_stays_otherwise(
    warehouse: Warehouse,
) -> None:
    # Given June: occupancy.csv for 1 to 5 June (25 beds, then 0 on the 5th) and three stays:
    # P1 from 1 June (ongoing), P2 10 to 20 June, P3 25 May to 3 June; a second care home
    # whose only resident, P4, arrives on 1 July
    second_home = location(location_id=SECOND_HOME, location_name="Second House")
    people = [
        person(person_id="P1", start_date="2025-06-01"),
        person(person_id="P2", start_date="2025-06-10", end_date="2025-06-20"),
        person(person_id="P3", start_date="2025-05-25", end_date="2025-06-03"),
        person(person_id="P4", location_id=SECOND_HOME, start_date="2025-07-01"),
    ]
    occupancy_rows = [
        {"location_id": LOCATION, "date": f"2025-06-0{day}", "occupied_beds": "25"}
        for day in range(1, 5)
    ] + [{"location_id": LOCATION, "date": "2025-06-05", "occupied_beds": "0"}]
    _deliver_june(
        warehouse,
        {
            "locations.csv": [location(), second_home],
            "people.csv": people,
            "occupancy.csv": occupancy_rows,
            "incidents.csv": [
                incident("O1", "2025-06-12T10:00:00Z"),
                incident("O2", "2025-06-15T10:00:00Z", location_id=SECOND_HOME, person_id="P4"),
            ],
        },
    )
    # and July: no occupancy.csv, one fall in the second care home
    _deliver_july(
        warehouse,
        {
            "incidents.csv": [
                incident("O3", "2025-07-20T10:00:00Z", location_id=SECOND_HOME, person_id="P4")
            ]
        },
    )

    # When
    warehouse.load()

    # Then June: 4 x 25 + 0 from occupancy.csv, then 6 to 30 June from stays: P1 25 days and
    # P2 10 (10 to 19 June) = 135; July: P1 alone, 31 days, with no event but inside the exports
    months = [row[:5] for row in warehouse.monthly()]
    assert months == [
        (date(2025, 6, 1), 135, 1, 0, 7.407407),  # 1 / 135 * 1000
        (date(2025, 7, 1), 31, 0, 0, 0.0),
    ]
    # the week of Sunday 1 June starts on Monday 26 May: P3's 26 to 31 May (6) + 25 on 1 June;
    # week of 2 June: occupancy.csv 25 x 3 + 0 (P3's 2 June is not counted twice) + P1's 6 to
    # 8 June (3); week of 9 June: P1 7 days + P2's 10 to 15 June (6)
    assert warehouse.weekly("week, occupied_bed_days, falls")[:3] == [
        (date(2025, 5, 26), 31, 0),
        (date(2025, 6, 2), 78, 0),
        (date(2025, 6, 9), 13, 1),
    ]
    # the second home: a fall in June with no bed occupied (rate null), P4's 31 days in July
    assert [row[:5] for row in warehouse.monthly(SECOND_HOME)] == [
        (date(2025, 6, 1), 0, 1, 0, None),
        (date(2025, 7, 1), 31, 1, 0, 32.258065),  # 1 / 31 * 1000
    ]


def test_a_stay_from_years_before_the_first_export_does_not_start_the_months_early(
    warehouse: Warehouse,
) -> None:
    # Given a resident admitted in 2019 and exports covering June 2025 only
    _deliver_june(
        warehouse,
        {"locations.csv": [location()], "people.csv": [person(start_date="2019-03-10")]},
    )

    # When
    warehouse.load()

    # Then one month, June, with the resident's 30 bed days (no zero months back to 2019)
    assert [row[:3] for row in warehouse.monthly()] == [(date(2025, 6, 1), 30, 0)]
    # and the week of Sunday 1 June (Monday 26 May) has all 7 of its bed days; the week of
    # Monday 30 June has 1 (the ongoing stay runs to extract_to, 30 June)
    assert warehouse.weekly("week, occupied_bed_days") == [
        (date(2025, 5, 26), 7),
        (date(2025, 6, 2), 7),
        (date(2025, 6, 9), 7),
        (date(2025, 6, 16), 7),
        (date(2025, 6, 23), 7),
        (date(2025, 6, 30), 1),
    ]


# Scheduled, missed and late doses


def _dose_package() -> dict[str, object]:
    """Doses of P1 in June (and one scheduled at 00:30 on 1 July, London time)."""
    critical = {"is_time_critical": "yes"}
    return {
        "locations.csv": [location()],
        "people.csv": [person(start_date="2025-06-01")],
        "medication_administrations.csv": [
            dose("D01", "2025-06-10T08:00:00Z", "2025-06-10T09:00:00Z"),  # 60 min: on time
            dose("D02", "2025-06-10T12:00:00Z", "2025-06-10T13:01:00Z"),  # 61 min: late
            dose("D03", "2025-06-11T08:00:00Z", "2025-06-11T08:30:00Z", **critical),  # 30: on time
            dose("D04", "2025-06-11T12:00:00Z", "2025-06-11T12:31:00Z", **critical),  # 31: late
            dose("D05", "2025-06-12T08:00:00Z", "2025-06-12T09:00:30Z"),  # 60.5 min: late
            dose("D06", "2025-06-12T12:00:00Z", "2025-06-12T12:05:00Z", outcome="omitted"),
            dose("D07", "2025-06-13T08:00:00Z", "2025-06-13T08:05:00Z", outcome="not_available"),
            dose("D08", "2025-06-13T12:00:00Z", "2025-06-13T14:05:00Z", outcome="refused"),
            dose("D09", "2025-06-14T08:00:00Z", "2025-06-14T08:05:00Z", outcome="held"),
            dose("D10", "2025-06-14T12:00:00Z", "2025-06-14T14:00:00Z", status="entered_in_error"),
            dose("D11", None, "2025-06-15T15:00:00Z", is_prn="yes"),  # PRN
            dose("D12", "2025-06-15T08:00:00Z", "2025-06-15T12:00:00Z", is_prn="yes"),  # PRN
            dose("D13", "2025-06-16T08:00:00Z", "2025-06-16T08:05:00Z", outcome="omitted"),
            dose("D13", "2025-06-16T08:00:00Z", "2025-06-16T08:10:00Z", version="2"),  # given
            dose("D14", "2025-06-30T23:30:00Z", "2025-06-30T23:40:00Z"),  # 1 July 00:30 BST
        ],
        "incidents.csv": [
            incident("E1", "2025-06-20T10:00:00Z", incident_type="medication_error", subtype=None)
        ],
    }


def test_scheduled_missed_and_late_doses_follow_the_late_dose_windows(
    warehouse: Warehouse,
) -> None:
    # Given the doses of _dose_package
    _deliver_june(warehouse, _dose_package())

    # When
    warehouse.load()

    # Then June schedules D01-D09 and D13 (10; PRN D11 and D12 and retracted D10 excluded),
    # misses D06 and D07 (D13's current version was given), and D02, D04 and D05 were late;
    # D14 belongs to July, when no bed is occupied (the stay runs to extract_to, 30 June)
    assert [row[6:11] for row in warehouse.monthly()] == [
        (10, 2, 3, 1, 100.0),  # 1 medication error / 10 doses * 1000
        (1, 0, 0, 0, 0.0),
    ]


def test_late_doses_use_the_configured_windows(tmp_path: Path) -> None:
    # Given windows of 30 minutes (15 when time-critical) instead of 60 and 30
    path = tmp_path / "carelens.duckdb"
    config = dataclasses.replace(
        make_config(path), late_dose_minutes=30, late_dose_minutes_time_critical=15
    )
    warehouse = Warehouse(tmp_path, config=config)
    _deliver_june(warehouse, _dose_package())

    # When
    warehouse.load()

    # Then D01, D02, D05 (60 to 61 minutes) and D03, D04 (30 and 31, time-critical) are late
    assert [row[6:9] for row in warehouse.monthly()] == [(10, 2, 5), (1, 0, 0)]


# The generated ICB


def test_generated_inbox_marts_agree_with_the_core_tables(loaded: LoadedInbox) -> None:
    # Given the generated inbox loaded by the real runner (fixture)

    # When the marts' totals and core's counts of the same records are read
    counts = (
        "sum(falls), sum(falls_with_harm), sum(medication_errors), sum(pressure_ulcers), "
        "sum(scheduled_doses), sum(missed_doses), sum(late_doses)"
    )
    monthly = loaded.query(f"select {counts} from marts.quality_monthly")
    weekly = loaded.query(f"select {counts} from marts.quality_weekly")
    incidents = loaded.query(
        "select count(*) filter (incident_type = 'fall' and person_id is not null), "
        "count(*) filter (incident_type = 'fall' and person_id is not null "
        "and harm in ('moderate', 'severe', 'fatal')), "
        "count(*) filter (incident_type = 'medication_error'), "
        "count(*) filter (incident_type = 'pressure_ulcer') "
        "from core.incidents where status = 'final'"
    )
    doses = loaded.query(
        "select count(*), count(*) filter (outcome in ('omitted', 'not_available')), "
        "count(*) filter (outcome = 'given' and recorded_at - scheduled_at > "
        "case when is_time_critical then interval 30 minute else interval 60 minute end) "
        "from core.medication_administrations "
        "where status = 'final' and scheduled_at is not null and not coalesce(is_prn, false)"
    )

    # Then every final record is counted once, by month and by week
    assert incidents[0][0] > 0
    assert doses[0][2] > 0
    assert monthly == weekly == [incidents[0] + doses[0]]


def test_generated_inbox_marts_have_one_row_per_location_and_period_without_gaps(
    loaded: LoadedInbox,
) -> None:
    # Given the generated inbox loaded by the real runner (fixture)

    # When each location's rows are counted against its span of months and weeks
    gaps = {
        grain: loaded.query(
            f"select count(*), count(distinct (provider_id, location_id, {grain})), "
            f"count(*) filter (rows <> date_diff('{grain}', first, last) + 1) "
            f"from (select *, count(*) over w as rows, min({grain}) over w as first, "
            f"max({grain}) over w as last from marts.quality_{table} "
            "window w as (partition by provider_id, location_id))"
        )[0]
        for grain, table in (("month", "monthly"), ("week", "weekly"))
    }
    bed_days = loaded.query(
        "select l.service_type = 'home_care', count(*), count(m.occupied_bed_days), "
        "count(m.falls_per_1000_bed_days), count(m.pressure_ulcers_per_1000_bed_days) "
        "from marts.quality_monthly as m inner join core.locations as l "
        "using (provider_id, location_id) group by all order by 1"
    )

    # Then no period is repeated or missing inside a location's span, and only care homes
    # have bed days and bed-day rates (every care-home month here has residents)
    for rows, distinct, rows_off_span in gaps.values():
        assert rows == distinct > 0
        assert rows_off_span == 0
    care_homes, home_care = bed_days
    assert care_homes[0] is False
    assert care_homes[1] == care_homes[2] == care_homes[3] == care_homes[4] > 0
    assert home_care[0] is True
    assert home_care[1] > 0
    assert home_care[2:] == (0, 0, 0)


def test_generated_inbox_bed_days_equal_occupancy_csv_where_it_covers_the_whole_month(
    loaded: LoadedInbox,
) -> None:
    # Given the generated inbox loaded by the real runner (fixture)

    # When months where occupancy.csv has a row for every day are compared with the mart
    compared = loaded.query(
        "with covered as (select provider_id, location_id, date_trunc('month', date)::date "
        "as month, count(*) as days, sum(occupied_beds) as beds from core.occupancy "
        "group by all having count(*) = day(last_day(min(date)))) "
        "select count(*), count(*) filter (m.occupied_bed_days = c.beds) "
        "from covered as c inner join marts.quality_monthly as m "
        "using (provider_id, location_id, month)"
    )

    # Then they agree in every such month
    assert compared[0][0] > 0
    assert compared[0][0] == compared[0][1]
