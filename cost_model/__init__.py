"""Cost model: pure ROI functions over the five DSCR cost categories (issue 6).

The assumptions registry (:mod:`cost_model.assumptions`) holds every default the time and ROI
figures rest on, with its source.
"""

from __future__ import annotations

from cost_model.appraisal import (
    Appraisal,
    AppraisalSettings,
    BenefitResult,
    MonthRow,
    YearRow,
    appraise,
)
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
from cost_model.benefits import (
    Benefit,
    MeasuredMonth,
    benefits_from_assumptions,
    project_benefits,
)
from cost_model.errors import AppraisalError, AssumptionError, CostModelError
from cost_model.lines import CashFlow, CostFrequency, CostLine, cost_flows, default_start
from cost_model.uncertainty import (
    MonteCarloResult,
    NpvSummary,
    Scenario,
    ScenarioResult,
    TornadoBar,
    UncertaintyError,
    UncertaintyModel,
    UncertainValue,
    compare_scenarios,
    monte_carlo,
    optimism_bias_scenarios,
    prepare_uncertainty,
    registry_uncertainties,
    tornado,
)

__all__ = [
    "ASSUMPTIONS",
    "Appraisal",
    "AppraisalError",
    "AppraisalSettings",
    "Assumption",
    "AssumptionBasis",
    "AssumptionError",
    "AssumptionName",
    "AssumptionUnit",
    "Benefit",
    "BenefitResult",
    "CashFlow",
    "CostFrequency",
    "CostLine",
    "CostModelError",
    "MeasuredMonth",
    "MonteCarloResult",
    "MonthRow",
    "NpvSummary",
    "OnCostRules",
    "Reference",
    "ResolvedAssumption",
    "Scenario",
    "ScenarioResult",
    "TornadoBar",
    "UncertainValue",
    "UncertaintyError",
    "UncertaintyModel",
    "YearRow",
    "appraise",
    "assumption",
    "benefits_from_assumptions",
    "check_value",
    "compare_scenarios",
    "cost_flows",
    "default_start",
    "employer_on_cost_share",
    "monte_carlo",
    "optimism_bias_scenarios",
    "prepare_uncertainty",
    "project_benefits",
    "registry_uncertainties",
    "resolve_assumptions",
    "tornado",
]
