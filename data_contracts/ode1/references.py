"""The references ODE-1 declares between entities, as warehouse tables (no GX, no I/O)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from data_contracts.ode1.entities import ENTITIES, ENTITY_ORDER, Entity


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
