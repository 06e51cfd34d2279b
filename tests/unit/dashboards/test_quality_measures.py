"""The measure specs: columns, units, directions and which measures apply to home care."""

from __future__ import annotations

import pytest

from dashboards.measures import (
    MEASURES,
    Exposure,
    QualityMeasure,
    measure_spec,
    measures_for_service,
)


def test_every_measure_has_a_spec_that_decreases_per_1000() -> None:
    # Given the four measures
    # When their specs are read
    specs = [measure_spec(measure) for measure in QualityMeasure]

    # Then each improves when it decreases, per 1,000 of its exposure, in enum order
    assert [spec.measure for spec in specs] == list(QualityMeasure)
    assert {spec.improvement for spec in specs} == {"decrease"}
    assert {spec.per for spec in specs} == {1000}
    assert list(MEASURES) == list(QualityMeasure)


def test_falls_link_to_the_falls_page_of_a_location() -> None:
    # Given the falls spec
    spec = measure_spec("falls")

    # Then its columns and unit are the mart's and its link names the location
    assert (spec.count_column, spec.exposure, spec.rate_column) == (
        "falls",
        Exposure.OCCUPIED_BED_DAYS,
        "falls_per_1000_bed_days",
    )
    assert spec.unit_label == "per 1,000 occupied bed days"
    assert spec.page_href("1-201000001") == "/falls?location=1-201000001&measure=falls"
    assert measure_spec("medication_errors").unit_label == "per 1,000 scheduled doses"
    assert measure_spec("pressure_ulcers").page_path == "/pressure-ulcers"


def test_home_care_has_only_medication_errors() -> None:
    # Given a home-care location and a nursing home
    # When the measures with a rate there are listed
    home_care = [spec.measure for spec in measures_for_service("home_care")]
    nursing = [spec.measure for spec in measures_for_service("care_home_nursing")]

    # Then home care has medication errors only, the care home all four
    assert home_care == [QualityMeasure.MEDICATION_ERRORS]
    assert nursing == list(QualityMeasure)


def test_unknown_measure_is_refused() -> None:
    # When an unknown measure is asked for, Then ValueError
    with pytest.raises(ValueError, match="bedsores"):
        measure_spec("bedsores")
