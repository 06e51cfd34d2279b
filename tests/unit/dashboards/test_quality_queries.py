"""The quality queries over a hand-written warehouse: values, scope and refusals."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from audit_sample import identity_for
from quality_sample import (
    ALDER,
    ALDER_GO_LIVE,
    ASH,
    BIRCH,
    PROVIDER_B,
    write_quality_warehouse,
)

from dashboards import queries
from dashboards.access import AccessDeniedError
from dashboards.measures import QualityMeasure
from dashboards.queries import WarehouseReader
from dashboards.roles import Role

OWNER_A = identity_for(Role.OWNER)
OWNER_B = identity_for(Role.OWNER, code=PROVIDER_B)
LEAD_ALDER = identity_for(Role.QUALITY_LEAD, location_ids=frozenset({ALDER}))
INSPECTOR_A = identity_for(Role.INSPECTOR)
ICB_LEAD = identity_for(Role.ICB_LEAD)


@pytest.fixture(scope="module")
def quality_reader(tmp_path_factory: pytest.TempPathFactory) -> WarehouseReader:
    """A reader over the quality sample warehouse."""
    path = write_quality_warehouse(tmp_path_factory.mktemp("quality") / "carelens.duckdb")
    return WarehouseReader(Path(path))


def test_locations_are_those_in_scope(quality_reader: WarehouseReader) -> None:
    # Given provider A's owner, A's quality lead for Alder only, and B's owner
    # When each asks for the quality locations
    owner = queries.quality_locations(reader=quality_reader, identity=OWNER_A)
    lead = queries.quality_locations(reader=quality_reader, identity=LEAD_ALDER)
    other = queries.quality_locations(reader=quality_reader, identity=OWNER_B)

    # Then each sees only its own, by name, with service type and go-live date
    assert owner.rows() == [
        (ALDER, "Alder House", "care_home", ALDER_GO_LIVE),
        (ASH, "Ash Court", "home_care", None),
    ]
    assert lead["location_id"].to_list() == [ALDER]
    assert other["location_id"].to_list() == [BIRCH]


def test_monthly_falls_series_has_hand_worked_rates(quality_reader: WarehouseReader) -> None:
    # Given Alder's four months (bed days 1000, 1000, 500, 800; falls 5, 4, 3, 2)
    # When the monthly falls series is read
    series = queries.quality_series(
        reader=quality_reader, identity=OWNER_A, location_id=ALDER, measure=QualityMeasure.FALLS
    )

    # Then it is oldest first with falls per 1,000 bed days 5.0, 4.0, 6.0 and 2.5
    assert series.columns == ["period", "count", "exposure", "rate"]
    assert series.rows() == [
        (date(2025, 11, 1), 5, 1000, 5.0),
        (date(2025, 12, 1), 4, 1000, 4.0),
        (date(2026, 1, 1), 3, 500, 6.0),
        (date(2026, 2, 1), 2, 800, 2.5),
    ]


def test_medication_series_uses_doses_and_has_no_rate_without_doses(
    quality_reader: WarehouseReader,
) -> None:
    # Given Alder's doses 2000, 2000, 0, 4000 and errors 2, 1, 0, 3
    # When the medication errors series is read (the measure given as text)
    series = queries.quality_series(
        reader=quality_reader, identity=OWNER_A, location_id=ALDER, measure="medication_errors"
    )

    # Then the exposure is scheduled doses and January (no doses) has no rate
    assert series["exposure"].to_list() == [2000, 2000, 0, 4000]
    assert series["rate"].to_list() == [1.0, 0.5, None, 0.75]


def test_home_care_has_counts_but_no_bed_day_rates(quality_reader: WarehouseReader) -> None:
    # Given Ash Court, home care (no occupied bed days)
    # When its falls and medication errors series are read
    falls = queries.quality_series(
        reader=quality_reader, identity=OWNER_A, location_id=ASH, measure="falls"
    )
    errors = queries.quality_series(
        reader=quality_reader, identity=OWNER_A, location_id=ASH, measure="medication_errors"
    )

    # Then falls are counted but have no rate; medication errors have 1.0 and 2.0 per 1,000
    assert falls["count"].to_list() == [2, 1]
    assert falls["rate"].to_list() == [None, None]
    assert errors["rate"].to_list() == [1.0, 2.0]


def test_weekly_series_reads_the_weekly_mart(quality_reader: WarehouseReader) -> None:
    # Given Alder's two weeks (200 and 250 bed days; 0 and 1 pressure ulcers)
    # When the weekly pressure ulcer series is read
    series = queries.quality_series(
        reader=quality_reader,
        identity=OWNER_A,
        location_id=ALDER,
        measure="pressure_ulcers",
        grain="week",
    )

    # Then each Monday has its rate: 0.0 and 4.0 per 1,000 bed days
    assert series.rows() == [(date(2026, 2, 2), 0, 200, 0.0), (date(2026, 2, 9), 1, 250, 4.0)]


def test_series_of_a_location_out_of_scope_is_empty(quality_reader: WarehouseReader) -> None:
    # Given A's owner and A's quality lead for Alder only
    # When they ask for Birch (provider B) and Ash (not the lead's) by id
    birch = queries.quality_series(
        reader=quality_reader, identity=OWNER_A, location_id=BIRCH, measure="falls"
    )
    ash = queries.quality_series(
        reader=quality_reader, identity=LEAD_ALDER, location_id=ASH, measure="falls", grain="week"
    )

    # Then nothing comes back
    assert birch.is_empty()
    assert ash.is_empty()


def test_monthly_rates_cover_every_location_in_scope(quality_reader: WarehouseReader) -> None:
    # Given provider A's owner and the lead for Alder
    # When the summary's input is read
    owner = queries.quality_monthly_rates(reader=quality_reader, identity=OWNER_A)
    lead = queries.quality_monthly_rates(reader=quality_reader, identity=LEAD_ALDER)

    # Then the owner gets Alder's 4 and Ash's 2 months, the lead Alder's 4 only
    assert owner.group_by("location_id").len().sort("location_id").rows() == [(ALDER, 4), (ASH, 2)]
    assert set(lead["location_id"]) == {ALDER}
    assert lead["falls_per_1000_bed_days"].to_list() == [5.0, 4.0, 6.0, 2.5]


def test_impact_filters_by_scope_location_and_measure(quality_reader: WarehouseReader) -> None:
    # Given provider A's estimates (Alder estimated, Ash no exposure) and B's
    # When all of A's, Alder's falls, and the lead's are read
    every = queries.quality_impact(reader=quality_reader, identity=OWNER_A)
    alder = queries.quality_impact(
        reader=quality_reader, identity=OWNER_A, location_id=ALDER, measure="falls"
    )
    lead = queries.quality_impact(reader=quality_reader, identity=LEAD_ALDER, location_id=ASH)

    # Then the owner sees both of A's and none of B's; Alder's falls avoided 4 - 2 = 2
    assert every.select("location_id", "status").rows() == [
        (ALDER, "estimated"),
        (ASH, "no_exposure"),
    ]
    assert alder.select("level_change_ratio", "avoided_since_go_live").rows() == [(0.5, 2.0)]
    assert lead.is_empty()


def test_counterfactual_of_one_location_and_measure(quality_reader: WarehouseReader) -> None:
    # Given Alder's one month after go-live and B's two
    # When A's owner reads Alder's and Birch's falls counterfactual
    alder = queries.quality_counterfactual(
        reader=quality_reader, identity=OWNER_A, location_id=ALDER, measure="falls"
    )
    birch = queries.quality_counterfactual(
        reader=quality_reader, identity=OWNER_A, location_id=BIRCH, measure="falls"
    )

    # Then Alder's month comes back and Birch's do not
    assert alder.rows() == [(date(2026, 2, 1), 2.0, 4.0, 3.0, 5.5)]
    assert birch.is_empty()


def test_inspector_reads_and_icb_lead_is_refused(quality_reader: WarehouseReader) -> None:
    # Given an inspector of A and an ICB lead
    # When each reads Alder's falls
    inspected = queries.quality_series(
        reader=quality_reader, identity=INSPECTOR_A, location_id=ALDER, measure="falls"
    )

    # Then the inspector gets the rows and the ICB lead is refused
    assert inspected.height == 4
    with pytest.raises(AccessDeniedError):
        queries.quality_series(
            reader=quality_reader, identity=ICB_LEAD, location_id=ALDER, measure="falls"
        )


def test_unknown_measure_or_grain_is_refused(quality_reader: WarehouseReader) -> None:
    # Given a measure and a grain that do not exist
    # When a series is asked for, Then ValueError is raised before any query runs
    with pytest.raises(ValueError, match="falls_in_love"):
        queries.quality_series(
            reader=quality_reader, identity=OWNER_A, location_id=ALDER, measure="falls_in_love"
        )
    with pytest.raises(ValueError, match="grain"):
        queries.quality_series(
            reader=quality_reader,
            identity=OWNER_A,
            location_id=ALDER,
            measure="falls",
            grain="year",  # type: ignore[arg-type]
        )
