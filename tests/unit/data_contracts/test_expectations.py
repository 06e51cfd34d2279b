"""Tests for the GX suite builders in data_contracts.expectations, on small pandas frames."""

from __future__ import annotations

import itertools

import great_expectations as gx
import pandas as pd
import pytest
from great_expectations.data_context.types.base import (
    DataContextConfig,
    InMemoryStoreBackendDefaults,
    ProgressBarsConfig,
)

from data_contracts.expectations import (
    Reference,
    build_freshness_suite,
    build_key_uniqueness_suite,
    build_occupancy_suite,
    build_referential_integrity_suite,
    build_row_counts_suite,
    declared_references,
)
from data_contracts.ode1.entities import ENTITY_ORDER

_names = itertools.count()


@pytest.fixture(scope="module")
def context():
    return gx.get_context(
        mode="ephemeral",
        project_config=DataContextConfig(
            store_backend_defaults=InMemoryStoreBackendDefaults(init_temp_docs_sites=False),
            analytics_enabled=False,
            progress_bars=ProgressBarsConfig(globally=False),
        ),
    )


def _validate(context, suite: gx.ExpectationSuite, frame: pd.DataFrame) -> dict[str, bool]:
    """Validate ``frame`` against ``suite``; return success per expectation target."""
    name = f"{suite.name}-{next(_names)}"
    suite.name = name
    batch = (
        context.data_sources.add_pandas(name)
        .add_dataframe_asset(name)
        .add_batch_definition_whole_dataframe(name)
    )
    definition = gx.ValidationDefinition(name=name, data=batch, suite=context.suites.add(suite))
    result = context.validation_definitions.add(definition).run(
        batch_parameters={"dataframe": frame}
    )
    return {r.expectation_config.meta["target"]: r.success for r in result.results}


class TestRowCountsSuite:
    def test_passes_within_tolerance_and_without_a_previous_load(self, context):
        # Given one table that moved 40% and one with nothing to compare
        suite = build_row_counts_suite(tables=["core.a", "core.b"], tolerance=0.5)
        frame = pd.DataFrame({"core.a": [0.4], "core.b": pd.Series([None], dtype="float64")})

        # When validated
        outcome = _validate(context, suite, frame)

        # Then both pass
        assert outcome == {"core.a": True, "core.b": True}

    def test_fails_beyond_tolerance_as_a_warning(self, context):
        # Given a table whose rows changed by 61%
        suite = build_row_counts_suite(tables=["core.a"], tolerance=0.5)

        # When validated
        outcome = _validate(context, suite, pd.DataFrame({"core.a": [0.61]}))

        # Then it fails, and the expectation only warns
        assert outcome == {"core.a": False}
        assert suite.expectations[0].severity.value == "warning"


class TestFreshnessSuite:
    @pytest.mark.parametrize(("days", "expected"), [(45, True), (46, False)])
    def test_allows_up_to_freshness_days(self, context, days, expected):
        # Given one provider whose latest extract ended `days` before the run
        frame = pd.DataFrame(
            {
                "provider_id": ["P1"],
                "latest_extract_to": ["2025-01-31"],
                "days_since_extract": [days],
            }
        )

        # When validated against a 45-day limit
        outcome = _validate(context, build_freshness_suite(freshness_days=45), frame)

        # Then only more than 45 days fails
        assert outcome == {"audit.packages": expected}


class TestOccupancySuite:
    @pytest.mark.parametrize(("difference", "expected"), [(0.1, True), (0.11, False)])
    def test_allows_the_tolerance(self, context, difference, expected):
        # Given one location-month whose two sources differ by `difference`
        frame = pd.DataFrame(
            {
                "provider_id": ["P1"],
                "location_id": ["L1"],
                "month": ["2025-01"],
                "occupancy_bed_days": [100],
                "stay_bed_days": [100],
                "relative_difference": [difference],
            }
        )

        # When validated against a 10% tolerance
        outcome = _validate(context, build_occupancy_suite(tolerance=0.1), frame)

        # Then only more than 10% fails
        assert outcome == {"core.occupancy": expected}

    def test_passes_when_no_month_has_both_sources(self, context):
        # Given nothing to compare
        frame = pd.DataFrame({"relative_difference": pd.Series([], dtype="float64")})

        # When validated
        outcome = _validate(context, build_occupancy_suite(tolerance=0.1), frame)

        # Then it passes
        assert outcome == {"core.occupancy": True}


class TestKeyUniquenessSuite:
    def test_fails_only_the_table_with_repeated_keys_as_an_error(self, context):
        # Given one clean table and one with 2 repeated rows
        suite = build_key_uniqueness_suite(
            keys={"core.a": ("provider_id", "record_uid"), "core.b": ("provider_id", "b_id")}
        )

        # When validated
        outcome = _validate(context, suite, pd.DataFrame({"core.a": [0], "core.b": [2]}))

        # Then only that table fails, with critical (blocking) severity
        assert outcome == {"core.a": True, "core.b": False}
        assert {e.severity.value for e in suite.expectations} == {"critical"}


class TestReferentialIntegritySuite:
    def test_fails_only_the_reference_with_unresolved_rows_as_an_error(self, context):
        # Given two references, one with an unresolved row
        refs = [
            Reference("core.visits", "person_id", "core.people", "person_id"),
            Reference("core.visits", "staff_id", "core.staff", "staff_id"),
        ]
        frame = pd.DataFrame({"core.visits.person_id": [0], "core.visits.staff_id": [1]})

        # When validated
        suite = build_referential_integrity_suite(references=refs)
        outcome = _validate(context, suite, frame)

        # Then only that reference fails, with critical (blocking) severity
        assert outcome == {"core.visits.person_id": True, "core.visits.staff_id": False}
        assert {e.severity.value for e in suite.expectations} == {"critical"}


def test_declared_references_cover_every_entity_reference():
    # Given the ODE-1 declarations
    expected = sum(len(entity.references) for entity in ENTITY_ORDER)

    # When listed as core-table references
    refs = declared_references()

    # Then each appears once and points at the referenced entity's key
    assert len({ref.name for ref in refs}) == expected
    assert Reference("core.alerts", "staff_id", "core.staff", "staff_id") in refs
