"""Suite: occupied bed days from occupancy.csv agree with those derived from people's stays."""

from __future__ import annotations

import great_expectations as gx
from great_expectations.expectations.metadata_types import FailureSeverity

SUITE_NAME = "occupancy"
TARGET = "core.occupancy"


def build_occupancy_suite(*, tolerance: float) -> gx.ExpectationSuite:
    """Build the suite that warns when the two sources of occupied bed days disagree.

    The validated frame has one row per care-home location and calendar month where both
    sources exist: ``provider_id``, ``location_id``, ``month`` (``YYYY-MM``),
    ``occupancy_bed_days`` (sum of ``occupied_beds`` over the days occupancy.csv covers),
    ``stay_bed_days`` (beds occupied by stays on those same days) and
    ``relative_difference``: ``|stay - occupancy| / max(occupancy, 1)``. Indexed by
    ``"<location_id> <month>"``, so failure reports and Data Docs name the location-months.

    Args:
        tolerance: Largest relative difference that passes, e.g. 0.1 for 10%.

    Returns:
        The suite, with warning severity.
    """
    return gx.ExpectationSuite(
        name=SUITE_NAME,
        expectations=[
            gx.expectations.ExpectColumnValuesToBeBetween(
                column="relative_difference",
                min_value=0,
                max_value=tolerance,
                severity=FailureSeverity.WARNING,
                meta={"target": TARGET},
                description=(
                    "Occupied bed days from occupancy.csv and from stays differ by at most "
                    f"{tolerance:.0%} in every care-home location and month."
                ),
            ),
        ],
    )
