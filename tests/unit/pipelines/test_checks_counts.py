"""Tests for pipelines.checks.counts beyond what the run of the checks shows."""

from __future__ import annotations

from dataclasses import astuple

from data_contracts.expectations import declared_references as declared_in_contracts
from pipelines.checks.counts import declared_references


def test_references_match_the_suite_builders_declarations():
    # Given the references the suite module declares (it imports great-expectations)
    expected = [astuple(reference) for reference in declared_in_contracts()]

    # When the checks derive them without great-expectations
    derived = [astuple(reference) for reference in declared_references()]

    # Then they are the same, in the same order
    assert derived == expected
    assert derived
