"""Section 5 inputs beside the exports: CQC care directory, sub-ICB lookup, adoption, costs.

``detect_input`` recognises a file by its header row; ``apply_input`` validates it with the
row contracts of ``data_contracts.inputs`` and writes its good rows to the ``reference`` tables
(``pipelines/sql/schema/reference.sql``), returning the file's ``FileOutcome``.
"""

from __future__ import annotations

from pipelines.inputs.apply import apply_input, detect_input
from pipelines.inputs.kinds import InputKind

__all__ = ["InputKind", "apply_input", "detect_input"]
