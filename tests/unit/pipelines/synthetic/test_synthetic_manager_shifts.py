"""Tests of the care-home managers' weekday shifts (operations.manager_shifts) and their rows."""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from datetime import date, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np
from synthetic_readers import containers, decode, read_package

from pipelines.synthetic import clock
from pipelines.synthetic.operations import manager_shifts
from pipelines.synthetic.population import Population
from pipelines.synthetic.rates import DEFAULT_RATES, Rates
from pipelines.synthetic.sampling import GroupIndex
from pipelines.synthetic.world import World

LONDON = ZoneInfo("Europe/London")
NO_DAYS_OFF = replace(DEFAULT_RATES, manager_leave_share=0.0, manager_sickness_share=0.0)


def _world(*, go_live: date) -> World:
    """Provider 0 a care home going live on ``go_live`` (location 0), provider 1 home care."""
    return World(
        provider_id=["P0", "P1"],
        provider_name=["Home", "Agency"],
        provider_is_care_home=np.array([True, False]),
        provider_supplier=np.array([0, 0]),
        provider_go_live_class=["during_period", "before_period"],
        provider_go_live_day=np.array([clock.day_number(go_live), 0]),
        provider_writes_occupancy=np.array([True, False]),
        provider_falls_per_1000=np.zeros(2),
        provider_harm_relative=np.zeros(2),
        provider_documentation_relative=np.zeros(2),
        provider_entry_seconds_median=np.zeros(2),
        provider_false_alarm_start=np.zeros(2),
        provider_false_alarm_floor=np.zeros(2),
        location_id=["1-000000001", "1-000000002"],
        location_name=["Home", "Agency"],
        location_provider=np.array([0, 1]),
        location_service_type=["care_home", "home_care"],
        location_capacity=np.array([30, 60]),
        location_authority=["A", "A"],
        location_sub_icb=["E38999001", "E38999001"],
        location_postcode=["AA1 1AA", "AA1 1AA"],
    )


def _population(staff: list[tuple[int, str, date, date]]) -> Population:
    """Staff (location, role, first day worked, day after the last) over March 2025."""
    empty = np.array([], dtype=np.int64)
    return Population(
        first_day=clock.day_number(date(2025, 3, 1)),
        last_day=clock.day_number(date(2025, 3, 31)),
        person_location=empty,
        person_start=empty,
        person_end=empty,
        person_id=np.array([], dtype=object),
        person_nhs_number=np.array([], dtype=object),
        person_birth_year=empty,
        person_sex=np.array([], dtype=object),
        person_end_reason=np.array([], dtype=object),
        staff_location=np.array([s[0] for s in staff]),
        staff_start=np.array([clock.day_number(s[2]) for s in staff]),
        staff_end=np.array([clock.day_number(s[3]) for s in staff]),
        staff_id=np.array([f"STF-{i}" for i in range(len(staff))], dtype=object),
        staff_role=np.array([s[1] for s in staff], dtype=object),
        staff_employment=np.array(["employed"] * len(staff), dtype=object),
        day_person=empty,
        day_location=empty,
        day_day=empty,
        day_index=GroupIndex(empty),
        staff_day_staff=empty,
        staff_day_day=empty,
        staff_day_index=GroupIndex(empty),
        occupancy=np.zeros((2, 31), dtype=np.int64),
    )


# A manager employed for two weeks, Monday 3 to Sunday 16 March 2025, at the care home; a care
# worker there and the agency's manager over the same weeks.
TWO_WEEKS = [
    (0, "manager", date(2025, 3, 3), date(2025, 3, 17)),
    (0, "care_worker", date(2025, 3, 3), date(2025, 3, 17)),
    (1, "manager", date(2025, 3, 3), date(2025, 3, 17)),
]


def _days(frame_dates: list[datetime]) -> list[int]:
    return [d.day for d in frame_dates]


def test_a_manager_employed_two_weeks_works_the_ten_weekdays_without_days_off() -> None:
    # Given a home live since January, a manager employed for two weeks and no days off
    world, pop = _world(go_live=date(2025, 1, 1)), _population(TWO_WEEKS)

    # When the managers' shifts are drawn
    shifts = manager_shifts(rng=np.random.default_rng(3), world=world, pop=pop, rates=NO_DAYS_OFF)

    # Then the manager works Monday to Friday of both weeks, 10 shifts; the care worker and
    # the home-care manager none
    assert shifts["staff_id"].to_list() == ["STF-0"] * 10
    assert _days(shifts["start_at"].to_list()) == [3, 4, 5, 6, 7, 10, 11, 12, 13, 14]
    assert set(shifts["location_id"]) == {"1-000000001"}
    # each starts 0-10 minutes before 09:00 and ends 0-20 minutes after 17:00
    assert all(time(8, 50) <= t.time() <= time(9, 0) for t in shifts["start_at"])
    assert all(time(17, 0) <= t.time() <= time(17, 20) for t in shifts["end_at"])
    assert shifts["record_uid"].to_list() == [f"SM-0000-{n:08d}" for n in range(1, 11)]
    assert set(shifts["status"]) == {"final"}
    assert set(shifts["version"]) == {1}


def test_days_off_take_the_weekdays_whose_draw_falls_below_leave_plus_sickness() -> None:
    # Given the same fortnight and the default shares, leave 0.11 + sickness 0.02 = 0.13
    world, pop = _world(go_live=date(2025, 1, 1)), _population(TWO_WEEKS)
    assert DEFAULT_RATES.manager_leave_share + DEFAULT_RATES.manager_sickness_share == 0.13

    # When drawn with seed 3, whose first ten uniforms are 0.086 0.237 0.801 0.582 0.094 0.433
    # 0.479 0.160 0.735 0.114 (one per weekday, in order)
    shifts = manager_shifts(rng=np.random.default_rng(3), world=world, pop=pop, rates=DEFAULT_RATES)

    # Then the 1st, 5th and 10th weekdays (0.086, 0.094, 0.114 < 0.13) are days off: 10 - 3 = 7
    assert _days(shifts["start_at"].to_list()) == [4, 5, 6, 10, 11, 12, 13]


def test_shifts_start_at_go_live_and_stop_when_employment_ends() -> None:
    # Given go-live on Wednesday 5 March, a deputy manager employed to Tuesday 11 March
    # (day after the last: 12 March) and a manager who starts on Thursday 13 March
    world = _world(go_live=date(2025, 3, 5))
    pop = _population(
        [
            (0, "deputy_manager", date(2025, 2, 1), date(2025, 3, 12)),
            (0, "manager", date(2025, 3, 13), date(2025, 6, 1)),
        ]
    )

    # When drawn without days off
    shifts = manager_shifts(rng=np.random.default_rng(1), world=world, pop=pop, rates=NO_DAYS_OFF)

    # Then the deputy works 5-7 and 10-11 March and the manager 13-14, 17-21, 24-28 and 31
    # March, the window's last day
    by_staff = {
        staff: _days(group["start_at"].to_list())
        for (staff,), group in shifts.sort("start_at").group_by("staff_id")
    }
    assert by_staff == {
        "STF-0": [5, 6, 7, 10, 11],
        "STF-1": [13, 14, 17, 18, 19, 20, 21, 24, 25, 26, 27, 28, 31],
    }


def test_every_weekday_off_leaves_an_empty_frame() -> None:
    # Given days off at every weekday
    world, pop = _world(go_live=date(2025, 1, 1)), _population(TWO_WEEKS)
    rates = replace(DEFAULT_RATES, manager_leave_share=0.5, manager_sickness_share=0.5)

    # When drawn
    shifts = manager_shifts(rng=np.random.default_rng(3), world=world, pop=pop, rates=rates)

    # Then no shift, with the shifts columns still there
    assert shifts.height == 0
    assert {"staff_id", "start_at", "end_at", "record_uid"} <= set(shifts.columns)


def _csv(files: dict[str, bytes], name: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(decode(files[name])))) if name in files else []


def test_generated_manager_shifts_name_managers_listed_in_the_same_package(
    small_run: Path, truth: dict
) -> None:
    # Given the small generated ICB (seed 7, 4 providers, 4 months)
    roles: set[str] = set()
    manager_rows = 0
    for container in containers(small_run):
        files = read_package(small_run, container)
        staff = {row["staff_id"]: row["role"] for row in _csv(files, "staff.csv")}
        for row in _csv(files, "shifts.csv"):
            if not row["record_uid"].startswith("SM-"):
                continue
            manager_rows += 1
            # Then every manager shift names a manager or deputy listed in its package
            roles.add(staff[row["staff_id"]])
            start = datetime.fromisoformat(row["start_at"].replace("Z", "+00:00"))
            if start.tzinfo is not None:  # suppliers write UTC or an offset; others naive London
                start = start.astimezone(LONDON).replace(tzinfo=None)
            # on a weekday, starting 08:50-09:00
            assert start.weekday() < 5
            assert time(8, 50) <= start.time() <= time(9, 0)
    assert roles == {"manager", "deputy_manager"}
    # and truth.json counts them, none with a fault
    assert manager_rows == truth["manager_shifts"]["rows"] > 0
    assert not [f for f in truth["faults"] if str(f.get("record", "")).startswith("SM-")]


def test_rates_carry_the_day_off_shares() -> None:
    # Given the default rates, Then both shares are written with the rest of the rates
    rates = Rates().as_dict()
    assert rates["manager_leave_share"] == 0.11
    assert rates["manager_sickness_share"] == 0.02
