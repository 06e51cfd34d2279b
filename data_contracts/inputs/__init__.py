"""Section 5 inputs (CQC directory, sub-ICB lookup, adoption returns, costs): declarations.

The row contracts live in ``data_contracts.inputs.contracts`` so that importing the declarations
never pulls in pandera.
"""

from __future__ import annotations

from data_contracts.inputs.declarations import (
    ADOPTION_RETURNS,
    COSTS,
    CQC_DIRECTORY,
    CQC_PLAIN_DIRECTORY,
    INPUT_FILES,
    SUB_ICB_LOOKUP,
    CellKind,
    InputColumn,
    InputFile,
    normalise_header,
)

__all__ = [
    "ADOPTION_RETURNS",
    "COSTS",
    "CQC_DIRECTORY",
    "CQC_PLAIN_DIRECTORY",
    "INPUT_FILES",
    "SUB_ICB_LOOKUP",
    "CellKind",
    "InputColumn",
    "InputFile",
    "normalise_header",
]
