"""build_adoption_marts on the hand-built world of adoption_world.py (issue #7).

Every expected number is counted by hand from the world's tables (its docstring). Months run
from December 2024 (L1's first return) to March 2025 (the latest return, 31 March, is later than
the latest snapshot, 20 March); December to February use the February snapshot S1 (the only
one on or before February's end, and the earliest for December and January), March uses S2.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import duckdb
import pytest
from adoption_world import (
    CONFIG,
    L1,
    L3,
    L5,
    L6,
    L7,
    L8,
    S1,
    S2,
    TODAY,
    add_snapshot,
    empty_warehouse,
    rows,
    world,
)

from pipelines.marts import build_adoption_marts

DEC, JAN, FEB, MAR = date(2024, 12, 1), date(2025, 1, 1), date(2025, 2, 1), date(2025, 3, 1)


@pytest.fixture
def con() -> Iterator[duckdb.DuckDBPyConnection]:
    """The world, with the adoption marts built as at 10 April 2025."""
    connection = world()
    build_adoption_marts(connection, config=CONFIG, today=TODAY)
    yield connection
    connection.close()


def test_icb_monthly_counts_match_the_hand_count(con: duckdb.DuckDBPyConnection):
    # Given the world built as at 10 April 2025 (fixture)

    # When the ICB figures are read
    found = rows(
        con,
        "select icb_code, month, active_locations, adopted_locations, no_return_locations, "
        "care_home_beds, adopted_care_home_beds, returned_no_locations, universe_snapshot_date, "
        "month_end, icb_name from marts.adoption_monthly order by icb_code, month",
    )

    # Then, by hand (QAA = L1, L3, L7 on E1, plus L5 and L8 in March; QBB = L5 until February;
    # L2 dormant, L4 a GP practice and L6 unmapped are in no ICB):
    # QAA Dec: L1 says No, L3 and L7 no return; beds L1 30 + L7 12 = 42
    # QAA Jan: L1 Yes on 31 January (the last day counts); adopted beds 30
    # QAA Feb: L3 Yes on 14 February too
    # QAA Mar: L1 No (5 March); L3, L5 (Yes 28 Feb) and L8 (Yes 31 Mar) adopted; L7 no return;
    #          beds 30 + 12 + 60 = 102, adopted 60
    # QBB Dec: L5 no return; Jan: L5 says No; Feb: L5 Yes on 28 February; Mar: L5 gone to QAA
    assert found == [
        ("QAA", DEC, 3, 0, 2, 42, 0, 1, S1, date(2024, 12, 31), "Alpha ICB"),
        ("QAA", JAN, 3, 1, 2, 42, 30, 0, S1, date(2025, 1, 31), "Alpha ICB"),
        ("QAA", FEB, 3, 2, 1, 42, 30, 0, S1, date(2025, 2, 28), "Alpha ICB"),
        ("QAA", MAR, 5, 3, 1, 102, 60, 1, S2, date(2025, 3, 31), "Alpha ICB"),
        ("QBB", DEC, 1, 0, 1, 60, 0, 0, S1, date(2024, 12, 31), "Beta ICB"),
        ("QBB", JAN, 1, 0, 0, 60, 0, 1, S1, date(2025, 1, 31), "Beta ICB"),
        ("QBB", FEB, 1, 1, 0, 60, 60, 0, S1, date(2025, 2, 28), "Beta ICB"),
    ]


def test_rates_are_computed_from_the_counts_and_null_when_undefined(
    con: duckdb.DuckDBPyConnection,
):
    # Given the world built as at 10 April 2025 (fixture)

    # When the rates are read
    found = rows(
        con,
        "select icb_code, month, adoption_rate, adoption_rate_beds, adoption_rate_of_returns "
        "from marts.adoption_monthly order by icb_code, month",
    )

    # Then adopted / active, adopted beds / beds, and Yes / (Yes + No) (NHS England's measure);
    # QBB in December has no return at all, so its rate of returns is null
    assert found == [
        ("QAA", DEC, 0.0, 0.0, 0.0),
        ("QAA", JAN, pytest.approx(1 / 3), pytest.approx(30 / 42), 1.0),
        ("QAA", FEB, pytest.approx(2 / 3), pytest.approx(30 / 42), 1.0),
        ("QAA", MAR, pytest.approx(3 / 5), pytest.approx(60 / 102), pytest.approx(3 / 4)),
        ("QBB", DEC, 0.0, 0.0, None),
        ("QBB", JAN, 0.0, 0.0, 0.0),
        ("QBB", FEB, 1.0, 1.0, 1.0),
    ]


def test_location_months_keep_unmapped_locations_and_leave_out_dormant_and_other_sectors(
    con: duckdb.DuckDBPyConnection,
):
    # Given the world built as at 10 April 2025 (fixture)

    # When the location-months of March are read
    found = rows(
        con,
        "select location_id, icb_code, service_type, care_home_beds, size_band, "
        "local_authority, latest_return_date, latest_uses_dscr, latest_dscr_status, "
        "dscr_supplier, has_return, is_adopted from marts.adoption_location_monthly "
        "where month = '2025-03-01' order by location_id",
    )

    # Then L2 (dormant) and L4 (a GP practice) are absent; L6 has no ICB (E3 is not in the
    # lookup) and unknown beds; L1 keeps the supplier its January return named; L3's 1 June
    # return is after the run date and is not seen; L8's supplier comes from its export; L7's
    # sub-ICB ' e1 ' maps to QAA like E1, and its blank local authority reads 'Unknown'
    assert found == [
        (L1, "QAA", "care_home", 30, "25-49 beds", "Northfield", date(2025, 3, 5), False,
         "abandoned", "Alpha Care Records", True, False),
        (L3, "QAA", "community", None, "community", "Northfield", date(2025, 2, 14), True,
         "live", None, True, True),
        (L5, "QAA", "care_home", 60, "50+ beds", "Southmere", date(2025, 2, 28), True, "live",
         "Beta Notes", True, True),
        (L6, None, "care_home", None, "beds unknown", "Eastbrook", date(2025, 1, 20), True,
         "live", "Gamma", True, True),
        (L7, "QAA", "care_home", 12, "10-24 beds", "Unknown", None, None, None, None, False,
         False),
        (L8, "QAA", "community", None, "community", "Northfield", date(2025, 3, 31), True,
         "live", "Export Supplier", True, True),
    ]  # fmt: skip
    # and every month holds the five active locations of S1, then the six of S2
    assert rows(
        con, "select month, count(*) from marts.adoption_location_monthly group by 1 order by 1"
    ) == [(DEC, 5), (JAN, 5), (FEB, 5), (MAR, 6)]


def test_breakdowns_of_march_match_the_hand_count(con: duckdb.DuckDBPyConnection):
    # Given the world built as at 10 April 2025 (fixture)

    # When QAA's March breakdowns are read
    found = rows(
        con,
        "select dimension, category, active_locations, adopted_locations, "
        "no_return_locations, care_home_beds, adopted_care_home_beds, adoption_rate_beds "
        "from marts.adoption_breakdown_monthly where icb_code = 'QAA' and month = '2025-03-01' "
        "order by dimension, category",
    )

    # Then (QAA in March: L1 care home 30 beds No, L3 community Yes, L5 care home 60 beds Yes,
    # L7 care home 12 beds no return, L8 community Yes): L3 is adopted with no supplier named
    # anywhere ('Not known'), L1 and L7 are 'No DSCR'
    assert found == [
        ("local_authority", "Northfield", 3, 2, 0, 30, 0, 0.0),
        ("local_authority", "Southmere", 1, 1, 0, 60, 60, 1.0),
        ("local_authority", "Unknown", 1, 0, 1, 12, 0, 0.0),
        ("service_type", "care_home", 3, 1, 1, 102, 60, pytest.approx(60 / 102)),
        ("service_type", "community", 2, 2, 0, 0, 0, None),
        ("size_band", "10-24 beds", 1, 0, 1, 12, 0, 0.0),
        ("size_band", "25-49 beds", 1, 0, 0, 30, 0, 0.0),
        ("size_band", "50+ beds", 1, 1, 0, 60, 60, 1.0),
        ("size_band", "community", 2, 2, 0, 0, 0, None),
        ("supplier", "Beta Notes", 1, 1, 0, 60, 60, 1.0),
        ("supplier", "Export Supplier", 1, 1, 0, 0, 0, None),
        ("supplier", "No DSCR", 2, 0, 1, 42, 0, 0.0),
        ("supplier", "Not known", 1, 1, 0, 0, 0, None),
    ]


def test_each_breakdown_dimension_adds_up_to_the_icb_figures(con: duckdb.DuckDBPyConnection):
    # Given the world built as at 10 April 2025 (fixture)

    # When each dimension's categories are summed per ICB and month
    mismatches = rows(
        con,
        "select b.icb_code, b.month, b.dimension from marts.adoption_breakdown_monthly b "
        "join marts.adoption_monthly m using (icb_code, month) group by all "
        "having sum(b.active_locations) <> any_value(m.active_locations) "
        "or sum(b.adopted_locations) <> any_value(m.adopted_locations) "
        "or sum(b.no_return_locations) <> any_value(m.no_return_locations) "
        "or sum(b.care_home_beds) <> any_value(m.care_home_beds) "
        "or sum(b.adopted_care_home_beds) <> any_value(m.adopted_care_home_beds)",
    )
    dimensions = rows(
        con,
        "select count(distinct (icb_code, month, dimension)) from marts.adoption_breakdown_monthly",
    )

    # Then none differs, and all four dimensions exist for each of the 7 ICB-months
    assert mismatches == []
    assert dimensions == [(28,)]


def test_at_risk_lists_the_yes_to_no_the_abandoned_and_the_stopped_exports(
    con: duckdb.DuckDBPyConnection,
):
    # Given the world built as at 10 April 2025 (fixture)

    # When the at-risk list is read
    found = rows(
        con,
        "select location_id, icb_code, reason, evidence, evidence_date, previous_return_date, "
        "latest_return_date, last_export_to, days_without_export, as_of, provider_name "
        "from marts.adoption_at_risk order by location_id, reason",
    )

    # Then L1 turned from Yes (31 January) to No (5 March) and gave the status abandoned;
    # L8's provider last exported to 20 February, 49 days before 10 April (more than 45);
    # L3's provider stopped exactly 45 days before, which is not more than 45; L2 also turned
    # Yes to No but is dormant
    assert found == [
        (L1, "QAA", "returned_no_after_yes",
         "Latest return, of 5 March 2025, says No; the one before, of 31 January 2025, said "
         "Yes (supplier Alpha Care Records)",
         date(2025, 3, 5), date(2025, 1, 31), date(2025, 3, 5), None, None, TODAY,
         "Heron House Ltd"),
        (L1, "QAA", "status_abandoned",
         "Latest return, of 5 March 2025, gives the DSCR status abandoned",
         date(2025, 3, 5), None, date(2025, 3, 5), None, None, TODAY, "Heron House Ltd"),
        (L8, "QAA", "exports_stopped",
         "Latest ODE-1 export covers to 20 February 2025, 49 days before the run on "
         "10 April 2025 (more than 45 days)",
         date(2025, 2, 20), None, date(2025, 3, 31), date(2025, 2, 20), 49, TODAY,
         "Curlew Care at Home Ltd"),
    ]  # fmt: skip


def test_months_stop_at_the_run_date_and_later_returns_are_not_seen():
    # Given the world, built as at 15 February 2025 instead
    con = world()

    # When the marts are built
    build_adoption_marts(con, config=CONFIG, today=date(2025, 2, 15))

    # Then months run December to February only, and L5's Yes of 28 February is not yet seen:
    # QBB in February still reads L5's No of 15 January
    assert rows(
        con,
        "select icb_code, month, active_locations, adopted_locations, returned_no_locations "
        "from marts.adoption_monthly where icb_code = 'QBB' order by month",
    ) == [("QBB", DEC, 1, 0, 0), ("QBB", JAN, 1, 0, 1), ("QBB", FEB, 1, 0, 1)]
    # and the at-risk list uses S1, the latest snapshot on or before the run date: L8 (in S2
    # only) is not listed though its exports stopped, and L1's latest return is a Yes
    assert rows(con, "select location_id, reason from marts.adoption_at_risk") == []


def test_a_plain_directory_snapshot_is_not_used_as_a_universe():
    # Given the world plus a later snapshot of CQC's plain directory (no directorate, no CCG
    # code, no dormancy), dated 25 March 2025
    con = world()
    con.execute(
        "insert into reference.cqc_locations (snapshot_date, location_id, location_name, "
        "is_care_home, provider_id, source_file, run_id) values "
        f"('2025-03-25', '{L1}', 'Heron House', true, '1-100000001', 'plain.csv', 'r')"
    )

    # When the marts are built as at 10 April 2025
    build_adoption_marts(con, config=CONFIG, today=TODAY)

    # Then March is still counted on S2, with the same figures
    assert rows(
        con,
        "select universe_snapshot_date, active_locations, adopted_locations "
        "from marts.adoption_monthly where icb_code = 'QAA' and month = '2025-03-01'",
    ) == [(S2, 5, 3)]


def test_a_second_build_replaces_the_rows_rather_than_adding_to_them(
    con: duckdb.DuckDBPyConnection,
):
    # Given the marts built once (fixture)
    before = {
        table: rows(con, f"select count(*) from {table}")
        for table in (
            "marts.adoption_location_monthly",
            "marts.adoption_monthly",
            "marts.adoption_breakdown_monthly",
            "marts.adoption_at_risk",
        )
    }

    # When they are built again
    built = build_adoption_marts(con, config=CONFIG, today=TODAY)

    # Then every table holds the same number of rows: 21 location-months (5 + 5 + 5 + 6),
    # 7 ICB-months, 3 at-risk rows
    assert {table: [(count,)] for table, count in built.rows.items()} == before
    assert built.rows["marts.adoption_location_monthly"] == 21
    assert built.rows["marts.adoption_monthly"] == 7
    assert built.rows["marts.adoption_at_risk"] == 3


def test_an_empty_warehouse_builds_empty_marts():
    # Given a warehouse with no directory, lookup, returns or exports
    con = empty_warehouse()

    # When the marts are built
    built = build_adoption_marts(con, config=CONFIG, today=TODAY)

    # Then every table is empty, without error
    assert set(built.rows.values()) == {0}


def test_a_directory_without_returns_counts_from_its_own_month():
    # Given only the S1 snapshot and the lookup: no return yet
    con = empty_warehouse()
    add_snapshot(
        con,
        snapshot=S1,
        rows=[(L1, "Heron House", True, 30, False, "Adult social care", "E1", "Northfield",
               "1-100000001")],
    )  # fmt: skip
    con.execute(
        "insert into reference.sub_icb_lookup (sub_icb_ons_code, icb_ods_code, icb_name, "
        "source_file, run_id) values ('E1', 'QAA', 'Alpha ICB', 'lookup.csv', 'r')"
    )

    # When the marts are built as at 10 April 2025
    build_adoption_marts(con, config=CONFIG, today=TODAY)

    # Then February 2025, the snapshot's month, shows one location, not adopted, no return
    assert rows(
        con,
        "select month, active_locations, adopted_locations, no_return_locations, adoption_rate "
        "from marts.adoption_monthly",
    ) == [(FEB, 1, 0, 1, 0.0)]
