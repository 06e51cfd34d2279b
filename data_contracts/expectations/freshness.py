"""Suite: each provider's latest export is recent enough."""

from __future__ import annotations

import great_expectations as gx
from great_expectations.expectations.metadata_types import FailureSeverity

SUITE_NAME = "freshness"
TARGET = "audit.packages"


def build_freshness_suite(*, freshness_days: int) -> gx.ExpectationSuite:
    """Build the suite that warns about providers whose latest export is stale.

    The validated frame has one row per provider: ``provider_id``, ``latest_extract_to`` (the
    latest ``extract_to`` of its applied packages, ISO date text) and ``days_since_extract``
    (days from that date to the run date, Europe/London calendar). Indexed by provider, so
    failure reports and Data Docs name the stale providers.

    Args:
        freshness_days: Largest number of days between the latest extract and the run date.

    Returns:
        The suite, with warning severity.
    """
    return gx.ExpectationSuite(
        name=SUITE_NAME,
        expectations=[
            gx.expectations.ExpectColumnValuesToBeBetween(
                column="days_since_extract",
                max_value=freshness_days,
                severity=FailureSeverity.WARNING,
                meta={"target": TARGET},
                description=(
                    f"Every provider's latest export ends at most {freshness_days} days "
                    "before the run date."
                ),
            ),
        ],
    )
