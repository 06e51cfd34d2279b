"""ODE-1, the Open DSCR Export format (shared/spec/dscr-export-v1.md), declared once."""

from __future__ import annotations

from data_contracts.ode1.entities import (
    ENTITIES,
    ENTITY_ORDER,
    Column,
    ColumnKind,
    Entity,
    entity_for_file,
)

__all__ = ["ENTITIES", "ENTITY_ORDER", "Column", "ColumnKind", "Entity", "entity_for_file"]
