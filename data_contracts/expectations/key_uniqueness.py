"""Suite: current-state tables hold one row per key."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import great_expectations as gx
from great_expectations.expectations.metadata_types import FailureSeverity

SUITE_NAME = "key_uniqueness"


def build_key_uniqueness_suite(*, keys: Mapping[str, Sequence[str]]) -> gx.ExpectationSuite:
    """Build the suite that blocks publication when a current-state table repeats a key.

    The validated frame has one row and one integer column per table, named after the table
    (``core.care_notes``): the number of rows beyond the first for each repeated key.

    Args:
        keys: Key columns of each checked table, e.g. ``{"core.care_notes": ("provider_id",
            "record_uid")}``.

    Returns:
        The suite, with critical severity (an error: it blocks publication).
    """
    return gx.ExpectationSuite(
        name=SUITE_NAME,
        expectations=[
            gx.expectations.ExpectColumnMaxToBeBetween(
                column=table,
                max_value=0,
                severity=FailureSeverity.CRITICAL,
                meta={"target": table, "key": list(key)},
                description=f"{table} holds one row per ({', '.join(key)}).",
            )
            for table, key in keys.items()
        ],
    )
