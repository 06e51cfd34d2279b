"""The funnel plots' named query for ICB leads: providers sharing data, counts and disclosure.

A hand-made warehouse (every figure below is worked out from the rows in ``_QUALITY``):

- ``P1`` has a care home ``L1`` and a home-care location ``L2`` in ICB ``QAA`` and a care home
  ``L3`` in ``QBB``;
- ``P2`` has one care home ``L4`` in ``QAA`` with few falls;
- ``P3`` is home care only (``L5`` in ``QAA``);
- ``P4`` has a location ``L6`` in ``QAA`` and no quality rows;
- ``P5`` is in ``QBB`` only (``L7``).

The period is January and February 2026; March rows must be left out.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import pytest
from audit_sample import identity_for

from dashboards.access import AccessDeniedError
from dashboards.queries import WarehouseReader
from dashboards.roles import Role
from pipelines import warehouse

RUN = "20260401T020000Z-fnnl"
_LOCATIONS = [
    # provider, location, service type, ICB
    ("P1", "L1", "care_home", "QAA"),
    ("P1", "L2", "home_care", "QAA"),
    ("P1", "L3", "care_home", "QBB"),
    ("P2", "L4", "care_home", "QAA"),
    ("P3", "L5", "home_care", "QAA"),
    ("P4", "L6", "care_home", "QAA"),
    ("P5", "L7", "care_home", "QBB"),
]
_QUALITY = [
    # provider, location, month, occupied bed days, falls, scheduled doses, medication errors
    ("P1", "L1", date(2026, 1, 1), 900, 6, 3000, 4),
    ("P1", "L1", date(2026, 2, 1), 841, 5, 2800, 5),
    ("P1", "L1", date(2026, 3, 1), 930, 50, 3100, 40),  # after the period
    ("P1", "L2", date(2026, 1, 1), None, 3, 1000, 2),  # home care: no bed days
    ("P1", "L3", date(2026, 1, 1), 600, 20, 2000, 9),  # in the other ICB
    ("P2", "L4", date(2026, 1, 1), 600, 3, 2000, 9),
    ("P2", "L4", date(2026, 2, 1), 560, 2, 1900, 0),
    ("P3", "L5", date(2026, 1, 1), None, 2, 500, 0),
]
PERIOD = {"month_from": date(2026, 1, 1), "month_to": date(2026, 2, 1)}


def _write_warehouse(path: Path) -> Path:
    with duckdb.connect(str(path)) as connection:
        warehouse.create_schema(connection)
        for line, (provider, location, service_type, icb) in enumerate(_LOCATIONS, start=2):
            connection.execute(
                "insert into staging.locations (provider_id, location_id, location_name,"
                " service_type, icb_code, content_hash, export_id, export_sequence, run_id,"
                " source_file, source_line) values (?, ?, ?, ?, ?, 0, ?, 1, ?, ?, ?)",
                [
                    provider,
                    location,
                    f"Location {location}",
                    service_type,
                    icb,
                    f"{provider}_2026-03-31_0001",
                    RUN,
                    "locations.csv",
                    line,
                ],
            )
        warehouse.refresh_current(connection, run_id=RUN)
        connection.execute(
            "insert into reference.cqc_locations (snapshot_date, location_id, location_name,"
            " provider_id, provider_name, source_file, run_id) values"
            " ('2026-03-01', 'L1', 'Location L1', 'P1', 'Provider One', 'directory.csv', ?)",
            [RUN],
        )
        connection.executemany(
            "insert into marts.quality_monthly (provider_id, location_id, month,"
            " occupied_bed_days, falls, falls_with_harm, scheduled_doses, missed_doses,"
            " late_doses, medication_errors, pressure_ulcers)"
            " values (?, ?, ?, ?, ?, 0, ?, 0, 0, ?, 0)",
            _QUALITY,
        )
    return path


@pytest.fixture(scope="module")
def reader(tmp_path_factory: pytest.TempPathFactory) -> WarehouseReader:
    """A reader over the hand-made funnel warehouse."""
    path = _write_warehouse(tmp_path_factory.mktemp("funnel") / "carelens.duckdb")
    return WarehouseReader(path)


def test_icb_a_gets_each_sharing_provider_with_controlled_counts(reader: WarehouseReader) -> None:
    # When QAA's lead asks for January and February 2026
    rows = reader.query("adoption_funnel", identity=identity_for(Role.ICB_LEAD), **PERIOD)

    # Then P1 to P4, with counts from their QAA locations only:
    # P1: falls 6 + 5 = 11 -> 10 (the home-care 3 have no bed days), bed days 900 + 841 =
    #     1,741 -> 1,740, errors 4 + 5 + 2 = 11 -> 10, doses 3,000 + 2,800 + 1,000 = 6,800;
    # P2: falls 3 + 2 = 5 -> suppressed, bed days 1,160, errors 9 -> 10, doses 3,900;
    # P3: home care only: no falls counted and 0 bed days, errors 0, doses 500;
    # P4: nothing in the period: zeros
    assert rows.select(
        "provider_id",
        "provider_name",
        "falls",
        "occupied_bed_days",
        "medication_errors",
        "scheduled_doses",
    ).rows() == [
        ("P1", "Provider One", 10, 1740, 10, 6800),
        ("P2", None, None, 1160, 10, 3900),
        ("P3", None, 0, 0, 0, 500),
        ("P4", None, 0, 0, 0, 0),
    ]
    # and the rates come from the unrounded counts: 11 / 1,741 and 11 / 6,800 for P1,
    # 9 / 3,900 for P2 (its falls rate suppressed with its falls), 0 / 500 for P3
    falls_rate = rows["falls_rate"].to_list()
    errors_rate = rows["medication_errors_rate"].to_list()
    assert falls_rate[0] == pytest.approx(11 / 1741)
    assert falls_rate[1:] == [None, None, None]
    assert errors_rate[:3] == pytest.approx([11 / 6800, 9 / 3900, 0.0])
    assert errors_rate[3] is None


def test_icb_b_sees_only_its_own_locations(reader: WarehouseReader) -> None:
    # When QBB's lead asks for the same months
    rows = reader.query(
        "adoption_funnel", identity=identity_for(Role.ICB_LEAD, code="QBB"), **PERIOD
    )

    # Then P1 appears with L3's figures only (20 falls, 600 bed days, 9 -> 10 errors, 2,000
    # doses), and P5, which has no quality rows, with zeros
    assert rows.select(
        "provider_id", "falls", "occupied_bed_days", "medication_errors", "scheduled_doses"
    ).rows() == [("P1", 20, 600, 10, 2000), ("P5", 0, 0, 0, 0)]
    assert rows["falls_rate"][0] == pytest.approx(20 / 600)


def test_a_provider_role_may_not_read_it(reader: WarehouseReader) -> None:
    with pytest.raises(AccessDeniedError):
        reader.query("adoption_funnel", identity=identity_for(Role.OWNER, code="P1"), **PERIOD)
