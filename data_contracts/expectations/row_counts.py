"""Suite: rows in each current-state table against the previous published load."""

from __future__ import annotations

from collections.abc import Sequence

import great_expectations as gx
from great_expectations.expectations.metadata_types import FailureSeverity

SUITE_NAME = "row_counts"


def build_row_counts_suite(*, tables: Sequence[str], tolerance: float) -> gx.ExpectationSuite:
    """Build the suite that warns when a table's row count moves more than ``tolerance``.

    The validated frame has one row and one float column per table, named after the table
    (``core.care_notes``): the absolute relative change of its row count against the previous
    load, ``|current - previous| / previous``. The value is null when there is nothing to
    compare (first load, a new table, or an empty previous table), and a null passes.

    Args:
        tables: Qualified names of the tables checked, e.g. ``core.care_notes``.
        tolerance: Largest relative change that passes, e.g. 0.5 for 50%.

    Returns:
        The suite, with warning severity and the table as ``meta["target"]``.
    """
    return gx.ExpectationSuite(
        name=SUITE_NAME,
        expectations=[
            gx.expectations.ExpectColumnValuesToBeBetween(
                column=table,
                min_value=0,
                max_value=tolerance,
                severity=FailureSeverity.WARNING,
                meta={"target": table},
                description=(
                    f"Rows in {table} change by at most {tolerance:.0%} against the previous load."
                ),
            )
            for table in tables
        ],
    )
