"""The adoption marts after a real nightly load of hand-written section 5 files (issue #7).

An ICB the generator has never produced (QRV, Riverside) and its neighbour QRW, whose sub-ICB
E38000102 joins QRV on 1 June 2025. The files are written here in their real shapes: CQC's care
directory with filters (four preamble lines, columns in CQC's order with ones carelens does not
use), CQC's plain directory (four preamble lines, a later date, no directorate and no CCG code,
so it cannot be a universe), the sub-ICB lookup with a valid_from change, and adoption returns.
The real runner loads them into a DuckDB file and every figure is compared with a hand count.

Directory of 1 May 2025 (the only universe, so every month uses it):

| location | care home | beds | dormant | directorate | sub-ICB |
|---|---|---|---|---|---|
| A1 Alder House | Y | 40 | N | Adult social care | E38000101 (QRV) |
| A2 Birch Lodge | Y | 6 | Y | Adult social care | E38000101 |
| A3 Cedar Home Care | N | | N | Adult social care | E38000101 |
| A4 Riverside Dental | N | | N | Primary medical services | E38000101 |
| A5 Elm Court | Y | 55 | N | Adult social care | E38000102 (QRW, QRV from June) |
| A6 Fir Grange | Y | 20 | N | Adult social care | E38000101 |
| A7 Hazel Nursing | Y | 24 | N | Adult social care | E38000101 |

Returns: A1 No 3 Mar, Yes 30 Apr (last day), Yes 10 Jul; A2 Yes 10 Mar (dormant); A3 Yes
15 May; A4 Yes 20 Mar (not adult social care); A5 Yes 31 Mar (last day), No 30 Jun (last day,
status abandoned); A6 none; A7 No 5 Mar, No 1 Apr, Yes 31 May (last day), Yes 31 Jul (last
day). Months run March (the first return) to July (the last).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import pytest
from conftest import make_config

from pipelines.runner import RunSummary, run_nightly

_DIRECTORY = """\
Care directory with filters (hand-written test data for carelens)
HSCA_Active_Locations
Data as at 01 May 2025

Location ID,Location ODS Code,Location Name,Dormant (Y/N),Care home?,Care homes beds,\
Location Type/Sector,Location Inspection Directorate,Location Primary Inspection Category,\
Location Local Authority,Location ONSPD CCG Code,Location ONSPD CCG,Provider ID,Provider Name
1-200000001,VR101,Alder House,N,Y,40,Social Care Org,Adult social care,Residential social \
care,Riverside,E38000101,NHS Riverside ICB - North,1-300000001,Alder Care Ltd
1-200000002,VR102,Birch Lodge,Y,Y,6,Social Care Org,Adult social care,Residential social \
care,Riverside,E38000101,NHS Riverside ICB - North,1-300000002,Birch Care Ltd
1-200000003,VR103,Cedar Home Care,N,N,,Social Care Org,Adult social care,Community based \
adult social services,Riverside,E38000101,NHS Riverside ICB - North,1-300000003,"Cedar, Home \
& Care Ltd"
1-200000004,VR104,Riverside Dental,N,N,,Primary Dental Care,Primary medical services,\
Dentists,Riverside,E38000101,NHS Riverside ICB - North,1-300000004,Riverside Dental LLP
1-200000005,VR105,Elm Court,N,Y,55,Social Care Org,Adult social care,Residential social \
care,Westvale,E38000102,NHS Westvale ICB - Elm,1-300000005,Elm Court Care Ltd
1-200000006,VR106,Fir Grange,N,Y,20,Social Care Org,Adult social care,Residential social \
care,Riverside,E38000101,NHS Riverside ICB - North,1-300000006,Fir Grange Ltd
1-200000007,VR107,Hazel Nursing,N,Y,24,Social Care Org,Adult social care,Residential social \
care,Riverside,E38000101,NHS Riverside ICB - North,1-300000007,Hazel Nursing Ltd
"""
_PLAIN_DIRECTORY = """\
CQC directory (hand-written test data for carelens)
Data as at 1 July 2025
Locations registered with CQC
Active locations only
Name,Also known as,Address,Postcode,Phone number,Service's website (if available),\
Service types,Date of latest check,Specialisms/services,Provider name,Local authority,Region,\
Location URL,CQC Location ID (for office use only),CQC Provider ID (for office use only)
Alder House,,"1 Alder Road, Riverside",QR1 1AA,01632 960101,,Residential homes,01/10/2024,\
Older people,Alder Care Ltd,Riverside,North West,https://example.invalid/1-200000001,\
1-200000001,1-300000001
"""
_LOOKUP = """\
sub_icb_ons_code,sub_icb_name,icb_ods_code,icb_ons_code,icb_name,region_name,valid_from
E38000101,NHS Riverside ICB - North,QRV,E54000101,Riverside ICB,North West,2022-07-01
E38000102,NHS Westvale ICB - Elm,QRW,E54000102,Westvale ICB,North West,2022-07-01
E38000102,NHS Riverside ICB - Elm,QRV,E54000101,Riverside ICB,North West,2025-06-01
"""
_RETURNS = """\
Location ID,PIR submission date,PIR type,Use a Digital Social Care Record system?,\
DSCR supplier,DSCR status
1-200000001,2025-03-03,Residential,No,,not_started
1-200000001,2025-04-30,Residential,Yes,Riverlog,live
1-200000001,2025-07-10,Residential,Yes,Riverlog,live
1-200000002,2025-03-10,Residential,Yes,Riverlog,live
1-200000003,2025-05-15,Community,Yes,,live
1-200000004,2025-03-20,Community,Yes,Riverlog,live
1-200000005,2025-03-31,Residential,Yes,Elmsoft,live
1-200000005,2025-06-30,Residential,No,Elmsoft,abandoned
1-200000007,2025-03-05,Residential,No,,not_started
1-200000007,2025-04-01,Residential,No,,implementing
1-200000007,2025-05-31,Residential,Yes,Hazelnote,live
1-200000007,2025-07-31,Residential,Yes,Hazelnote,live
"""
MAR, APR, MAY, JUN, JUL = (date(2025, month, 1) for month in range(3, 8))
SNAPSHOT = date(2025, 5, 1)


@pytest.fixture(scope="module")
def load(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, RunSummary]:
    """The four hand-written files loaded by the real runner into a fresh warehouse."""
    root = tmp_path_factory.mktemp("adoption")
    inbox = root / "inbox"
    inbox.mkdir()
    for name, text in {
        "care_directory_with_filters.csv": _DIRECTORY,
        "CQC_directory.csv": _PLAIN_DIRECTORY,
        "sub_icb_lookup.csv": _LOOKUP,
        "adoption_returns.csv": _RETURNS,
    }.items():
        (inbox / name).write_text(text, encoding="utf-8")
    path = root / "carelens.duckdb"
    summary = run_nightly(inbox=inbox, config=make_config(path))
    return path, summary


@pytest.fixture(scope="module")
def warehouse(load: tuple[Path, RunSummary]) -> Path:
    """The published warehouse of the load."""
    return load[0]


def _query(path: Path, sql: str) -> list[tuple[object, ...]]:
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute(sql).fetchall()


def test_every_file_loads_into_its_reference_table(load: tuple[Path, RunSummary]) -> None:
    # Given the four files loaded by the real runner (fixture)
    warehouse, summary = load

    # When the reference tables are counted by snapshot
    found = (
        _query(
            warehouse,
            "select snapshot_date, count(*), count(is_adult_social_care) "
            "from reference.cqc_locations group by 1 order by 1",
        ),
        _query(warehouse, "select count(*) from reference.sub_icb_lookup"),
        _query(warehouse, "select count(*) from reference.adoption_returns"),
    )

    # Then every row of every file is loaded, none quarantined or rejected
    assert sorted(
        (f.file_name, f.status.value, f.rows_read, f.rows_loaded) for f in summary.files
    ) == [
        ("CQC_directory.csv", "loaded", 1, 1),
        ("adoption_returns.csv", "loaded", 12, 12),
        ("care_directory_with_filters.csv", "loaded", 7, 7),
        ("sub_icb_lookup.csv", "loaded", 3, 3),
    ]
    # and the filtered directory's 7 rows are dated by its preamble, the plain directory's
    # one row by its own (no directorate), with 3 lookup rows and 12 returns
    assert found == (
        [(SNAPSHOT, 7, 7), (date(2025, 7, 1), 1, 0)],
        [(3,)],
        [(12,)],
    )


def test_monthly_adoption_matches_the_hand_count(warehouse: Path) -> None:
    # Given the four files loaded by the real runner (fixture)

    # When the ICB figures are read
    found = _query(
        warehouse,
        "select icb_code, month, active_locations, adopted_locations, no_return_locations, "
        "care_home_beds, adopted_care_home_beds, returned_no_locations, universe_snapshot_date "
        "from marts.adoption_monthly order by icb_code, month",
    )

    # Then, by hand (A2 dormant and A4 a dentist never count; A5 is QRW's until May and
    # QRV's from June; every month is counted on the 1 May directory, the plain one of
    # 1 July having no directorate):
    # QRV Mar: A1 No, A7 No, A3 and A6 no return; beds 40 + 20 + 24 = 84
    # QRV Apr: A1 Yes on 30 April (last day); A7 still No (1 April); adopted beds 40
    # QRV May: A3 Yes 15 May, A7 Yes 31 May (last day); A6 no return; adopted beds 64
    # QRV Jun, Jul: A5 joins with 55 beds and its No of 30 June (last day); beds 139
    # QRW Mar to May: A5 Yes on 31 March (last day)
    assert found == [
        ("QRV", MAR, 4, 0, 2, 84, 0, 2, SNAPSHOT),
        ("QRV", APR, 4, 1, 2, 84, 40, 1, SNAPSHOT),
        ("QRV", MAY, 4, 3, 1, 84, 64, 0, SNAPSHOT),
        ("QRV", JUN, 5, 3, 1, 139, 64, 1, SNAPSHOT),
        ("QRV", JUL, 5, 3, 1, 139, 64, 1, SNAPSHOT),
        ("QRW", MAR, 1, 1, 0, 55, 55, 0, SNAPSHOT),
        ("QRW", APR, 1, 1, 0, 55, 55, 0, SNAPSHOT),
        ("QRW", MAY, 1, 1, 0, 55, 55, 0, SNAPSHOT),
    ]


def test_monthly_rates_match_the_hand_count(warehouse: Path) -> None:
    # Given the four files loaded by the real runner (fixture)

    # When QRV's rates are read
    found = _query(
        warehouse,
        "select month, adoption_rate, adoption_rate_beds, adoption_rate_of_returns "
        "from marts.adoption_monthly where icb_code = 'QRV' order by month",
    )

    # Then adopted / active, by beds, and Yes / (Yes + No)
    assert found == [
        (MAR, 0.0, 0.0, 0.0),
        (APR, pytest.approx(1 / 4), pytest.approx(40 / 84), pytest.approx(1 / 2)),
        (MAY, pytest.approx(3 / 4), pytest.approx(64 / 84), 1.0),
        (JUN, pytest.approx(3 / 5), pytest.approx(64 / 139), pytest.approx(3 / 4)),
        (JUL, pytest.approx(3 / 5), pytest.approx(64 / 139), pytest.approx(3 / 4)),
    ]


def test_july_suppliers_and_sizes_match_the_hand_count(warehouse: Path) -> None:
    # Given the four files loaded by the real runner (fixture)

    # When QRV's July breakdowns by supplier and size band are read
    found = _query(
        warehouse,
        "select dimension, category, active_locations, adopted_locations "
        "from marts.adoption_breakdown_monthly where icb_code = 'QRV' and month = '2025-07-01' "
        "and dimension in ('supplier', 'size_band') order by dimension, category",
    )

    # Then A1 (40 beds) uses Riverlog, A7 (24 beds) Hazelnote, A3 (community) names none;
    # A5 (55 beds, No) and A6 (20 beds, no return) have no DSCR
    assert found == [
        ("size_band", "10-24 beds", 2, 1),
        ("size_band", "25-49 beds", 1, 1),
        ("size_band", "50+ beds", 1, 0),
        ("size_band", "community", 1, 1),
        ("supplier", "Hazelnote", 1, 1),
        ("supplier", "No DSCR", 2, 0),
        ("supplier", "Not known", 1, 1),
        ("supplier", "Riverlog", 1, 1),
    ]


def test_the_abandoned_location_is_at_risk_in_its_new_icb(warehouse: Path) -> None:
    # Given the four files loaded by the real runner (fixture)

    # When the at-risk list is read
    found = _query(
        warehouse,
        "select icb_code, location_name, provider_name, reason, evidence_date, "
        "previous_return_date from marts.adoption_at_risk order by reason",
    )

    # Then Elm Court turned from Yes (31 March) to No (30 June) and gave the status abandoned;
    # on the run date its sub-ICB is QRV's; A2 is dormant and nobody sends exports
    assert found == [
        ("QRV", "Elm Court", "Elm Court Care Ltd", "returned_no_after_yes", date(2025, 6, 30),
         date(2025, 3, 31)),
        ("QRV", "Elm Court", "Elm Court Care Ltd", "status_abandoned", date(2025, 6, 30), None),
    ]  # fmt: skip
