"""Models: statistics and machine learning over warehouse frames."""

from models.spc import SpcInputError, SpcSummary, summarise, xmr

__all__ = ["SpcInputError", "SpcSummary", "summarise", "xmr"]
