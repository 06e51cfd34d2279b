"""Load steps that derive warehouse tables from the marts with models (after the SQL marts)."""

from __future__ import annotations

from pipelines.steps.impact import IMPACT_TABLES, ImpactBuilt, ImpactMeasure, build_quality_impact

__all__ = ["IMPACT_TABLES", "ImpactBuilt", "ImpactMeasure", "build_quality_impact"]
