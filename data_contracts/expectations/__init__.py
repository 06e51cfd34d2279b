"""Great Expectations suite builders for table-level checks of the warehouse (GX 1.x API only).

Each module builds one suite in code from the thresholds it is given and documents the small
aggregate frame the suite validates. Importing this package imports great_expectations, which
takes seconds; the shared vocabulary in ``data_contracts`` never imports it.
"""

from __future__ import annotations

from data_contracts.expectations.freshness import build_freshness_suite
from data_contracts.expectations.key_uniqueness import build_key_uniqueness_suite
from data_contracts.expectations.occupancy import build_occupancy_suite
from data_contracts.expectations.referential_integrity import (
    Reference,
    build_referential_integrity_suite,
    declared_references,
)
from data_contracts.expectations.row_counts import build_row_counts_suite

__all__ = [
    "Reference",
    "build_freshness_suite",
    "build_key_uniqueness_suite",
    "build_occupancy_suite",
    "build_referential_integrity_suite",
    "build_row_counts_suite",
    "declared_references",
]
