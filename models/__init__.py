"""Models: statistics and machine learning over warehouse frames."""

from models.impact import ImpactEstimate, estimate_impact
from models.spc import SpcInputError, SpcSummary, summarise, xmr

__all__ = ["ImpactEstimate", "SpcInputError", "SpcSummary", "estimate_impact", "summarise", "xmr"]
