"""Synthetic ICB data: ODE-1 exports, section 5 inputs and the truth to check them against."""

from __future__ import annotations

from pipelines.synthetic.errors import SyntheticDataError
from pipelines.synthetic.icb import generate_icb
from pipelines.synthetic.night import generate_night
from pipelines.synthetic.summary import GenerationSummary

__all__ = ["GenerationSummary", "SyntheticDataError", "generate_icb", "generate_night"]
