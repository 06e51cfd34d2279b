"""Cost model: pure ROI functions over the five DSCR cost categories (issue 6).

The assumptions registry (:mod:`cost_model.assumptions`) holds every default the time and ROI
figures rest on, with its source.
"""

from __future__ import annotations

from cost_model.assumptions import (
    ASSUMPTIONS,
    Assumption,
    AssumptionBasis,
    AssumptionName,
    AssumptionUnit,
    OnCostRules,
    Reference,
    ResolvedAssumption,
    assumption,
    check_value,
    employer_on_cost_share,
    resolve_assumptions,
)
from cost_model.errors import AssumptionError, CostModelError

__all__ = [
    "ASSUMPTIONS",
    "Assumption",
    "AssumptionBasis",
    "AssumptionError",
    "AssumptionName",
    "AssumptionUnit",
    "CostModelError",
    "OnCostRules",
    "Reference",
    "ResolvedAssumption",
    "assumption",
    "check_value",
    "employer_on_cost_share",
    "resolve_assumptions",
]
