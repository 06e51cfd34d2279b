"""What the Time page reads for one view.

The caller's locations, the chosen one's measured rows, and the provider's assumptions in
force. Used by the layout, the save callback and the downloads alike, so each reads the same
rows through the same scoped queries.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import polars as pl

from cost_model.assumptions import AssumptionName, resolve_assumptions
from dashboards import queries
from dashboards.accounts import ProviderAssumption
from dashboards.components.time_results import (
    Resolved,
    documentation_released,
    managerial_released,
)
from dashboards.context import current_reader, current_services
from dashboards.queries import time as time_queries
from dashboards.roles import Identity


@dataclass(frozen=True, slots=True)
class Assumptions:
    """A provider's assumptions: the values entered and in force, and the value used for each.

    Attributes:
        entered: The rows in force from the accounts file, by name.
        resolved: Entered over the registry's defaults, for every name.
    """

    entered: dict[AssumptionName, ProviderAssumption]
    resolved: Resolved


def read_assumptions(identity: Identity) -> Assumptions:
    """The caller's provider's assumptions as they stand now (read-only for everyone)."""
    provider_id = identity.scope.provider_id
    entered = current_services().accounts.current_assumptions(provider_id) if provider_id else {}
    values = {name.value: row.value for name, row in entered.items()}
    return Assumptions(entered=entered, resolved=resolve_assumptions(entered=values))


@dataclass(frozen=True, slots=True)
class TimeView:
    """Everything the provider view of the page shows for one location.

    Attributes:
        locations: The caller's locations (``queries.quality_locations``).
        location: The chosen location's row (id, name, service type, go-live).
        documentation: Its ``queries.time_documentation`` rows.
        visits: Its ``queries.time_visits`` rows (none outside home care).
        reviews: Its ``queries.time_reviews`` rows.
        all_reviews: Every location's reviews (the managers' time is provider-wide).
        months_live: Months with care-worker shifts (or completed visits) after go-live at any
            location in scope, as the load gives audits and handovers.
        assumptions: The provider's assumptions.
    """

    locations: pl.DataFrame
    location: dict[str, Any]
    documentation: pl.DataFrame
    visits: pl.DataFrame
    reviews: pl.DataFrame
    all_reviews: pl.DataFrame
    months_live: list[date]
    assumptions: Assumptions

    @property
    def location_id(self) -> str:
        """The chosen location."""
        return str(self.location["location_id"])

    @property
    def go_live(self) -> date | None:
        """The chosen location's DSCR go-live date."""
        value = self.location["dscr_go_live_date"]
        return value if isinstance(value, date) else None

    def released(self) -> pl.DataFrame:
        """The chosen location's documentation hours released, worked out now."""
        return documentation_released(self.documentation, resolved=self.assumptions.resolved)

    def managerial(self) -> pl.DataFrame:
        """The managers' hours released across the locations in scope, worked out now."""
        return managerial_released(
            self.all_reviews, months=self.months_live, resolved=self.assumptions.resolved
        )


def read_locations(identity: Identity) -> pl.DataFrame:
    """The caller's locations, by name."""
    return queries.quality_locations(reader=current_reader(), identity=identity)


def chosen_location(locations: pl.DataFrame, wanted: object) -> dict[str, Any] | None:
    """The row of ``wanted`` if it is one of the caller's locations, else ``None``."""
    if not isinstance(wanted, str) or wanted not in locations["location_id"].to_list():
        return None
    return locations.filter(pl.col("location_id") == wanted).row(0, named=True)


def read_view(identity: Identity, *, locations: pl.DataFrame, location: dict[str, Any]) -> TimeView:
    """Read the measured rows of ``location`` (one of ``locations``) and the assumptions."""
    reader = current_reader()
    documentation = time_queries.time_documentation(reader=reader, identity=identity)
    reviews = time_queries.time_reviews(reader=reader, identity=identity)
    here = pl.col("location_id") == location["location_id"]
    visits = (
        time_queries.time_visits(reader=reader, identity=identity).filter(here)
        if location["service_type"] == "home_care"
        else pl.DataFrame()
    )
    months_live = sorted(
        set(
            documentation.filter(pl.col("after_go_live") & (pl.col("care_shifts") > 0))[
                "month"
            ].to_list()
        )
    )
    return TimeView(
        locations=locations,
        location=location,
        documentation=documentation.filter(here),
        visits=visits,
        reviews=reviews.filter(here),
        all_reviews=reviews,
        months_live=months_live,
        assumptions=read_assumptions(identity),
    )
