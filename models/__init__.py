"""Models: statistics and machine learning over warehouse frames.

The facade imports lazily: the web app imports ``models.spc`` (polars only) without paying for
``models.impact`` (statsmodels), which only the nightly load needs.
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "TriageModel": "models.alert_triage",
    "TriageTraining": "models.alert_triage",
    "score_alerts": "models.alert_triage",
    "train_alert_triage": "models.alert_triage",
    "ImpactEstimate": "models.impact",
    "estimate_impact": "models.impact",
    "SpcInputError": "models.spc",
    "SpcSummary": "models.spc",
    "summarise": "models.spc",
    "xmr": "models.spc",
    "TimeReleased": "models.time_released",
    "documentation_time_released": "models.time_released",
    "task_time_released": "models.time_released",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    """Import ``name`` from its module the first time it is asked for."""
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'models' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)
