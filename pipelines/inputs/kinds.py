"""The kinds of section 5 input, and the declarations each kind is read with."""

from __future__ import annotations

from enum import StrEnum

from data_contracts.inputs import (
    ADOPTION_RETURNS,
    COSTS,
    CQC_DIRECTORY,
    CQC_PLAIN_DIRECTORY,
    SUB_ICB_LOOKUP,
    InputFile,
)


class InputKind(StrEnum):
    """A section 5 input file beside the ODE-1 exports (audit.load_files.entity)."""

    CQC_DIRECTORY = "cqc_directory"
    SUB_ICB_LOOKUP = "sub_icb_lookup"
    ADOPTION_RETURNS = "adoption_returns"
    COSTS = "costs"


LAYOUTS: dict[InputKind, tuple[InputFile, ...]] = {
    InputKind.ADOPTION_RETURNS: (ADOPTION_RETURNS,),
    # The filtered directory is the one the spec names; CQC's plain directory is accepted too.
    InputKind.CQC_DIRECTORY: (CQC_DIRECTORY, CQC_PLAIN_DIRECTORY),
    InputKind.SUB_ICB_LOOKUP: (SUB_ICB_LOOKUP,),
    InputKind.COSTS: (COSTS,),
}
"""Declarations of each kind, in the order detection tries them (adoption returns before the
CQC directory: both have ``Location ID``, only the returns have ``PIR submission date``)."""
SPREADSHEET_KINDS = frozenset({InputKind.CQC_DIRECTORY})
"""Kinds that may come as XLSX or ODS; the others are CSV only (spec 5.2 to 5.4)."""


def kind_of(spec: InputFile) -> InputKind:
    """The kind a declaration belongs to."""
    for kind, specs in LAYOUTS.items():
        if spec in specs:
            return kind
    raise KeyError(spec.name)
