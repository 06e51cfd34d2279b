"""Suite: every reference in a current-state table resolves within the same provider."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import great_expectations as gx
from great_expectations.expectations.metadata_types import FailureSeverity

from data_contracts.ode1.entities import ENTITIES, ENTITY_ORDER, Entity

SUITE_NAME = "referential_integrity"


@dataclass(frozen=True, slots=True)
class Reference:
    """One declared reference: ``table.column`` points at ``referenced_table.referenced_column``."""

    table: str
    column: str
    referenced_table: str
    referenced_column: str

    @property
    def name(self) -> str:
        """Column name of this reference in the validated frame, e.g. ``core.visits.staff_id``."""
        return f"{self.table}.{self.column}"


def declared_references(
    *, entities: Sequence[Entity] = ENTITY_ORDER, schema: str = "core"
) -> tuple[Reference, ...]:
    """List the references the ODE-1 declarations make, as tables of ``schema``."""
    return tuple(
        Reference(
            table=f"{schema}.{entity.name}",
            column=column,
            referenced_table=f"{schema}.{target}",
            referenced_column=ENTITIES[target].key[0],
        )
        for entity in entities
        for column, target in entity.references.items()
    )


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
