"""Suite: every reference in a current-state table resolves within the same provider."""

from __future__ import annotations

from collections.abc import Sequence

import great_expectations as gx
from great_expectations.expectations.metadata_types import FailureSeverity

from data_contracts.ode1.references import Reference, declared_references

SUITE_NAME = "referential_integrity"
__all__ = ["SUITE_NAME", "Reference", "build_referential_integrity_suite", "declared_references"]


def build_referential_integrity_suite(*, references: Sequence[Reference]) -> gx.ExpectationSuite:
    """Build the suite that blocks publication when a reference does not resolve.

    The validated frame has one row and one integer column per reference, named
    ``<table>.<column>``: how many rows carry a non-null value with no row of the referenced
    table for the same provider. The loader quarantines such rows, so any count is a bug.

    Returns:
        The suite, with critical severity (an error: it blocks publication).
    """
    return gx.ExpectationSuite(
        name=SUITE_NAME,
        expectations=[
            gx.expectations.ExpectColumnMaxToBeBetween(
                column=ref.name,
                max_value=0,
                severity=FailureSeverity.CRITICAL,
                meta={"target": ref.name, "references": ref.referenced_table},
                description=(
                    f"Every {ref.name} exists as {ref.referenced_table}.{ref.referenced_column} "
                    "of the same provider."
                ),
            )
            for ref in references
        ],
    )
