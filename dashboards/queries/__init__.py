"""The only way the web app reads the warehouse: read-only, named SQL, polars frames out."""

from __future__ import annotations

from dashboards.queries.accounts import (
    EventFilters,
    access_events,
    filtered_access_events,
    first_broken_link,
    user_accounts,
)
from dashboards.queries.audit import (
    DISPLAY_ROW_LIMIT,
    icb_provider_load_counts,
    icb_provider_loads,
    load_warnings,
    operations_load_files,
    operations_load_runs,
    provider_load_files,
    provider_load_runs,
    quarantine_count,
    quarantine_reasons,
    quarantine_rows,
    table_checks,
)
from dashboards.queries.incidents import (
    HARM_LEVELS,
    INCIDENT_ROW_LIMIT,
    SUBTYPES,
    IncidentFilter,
    IncidentList,
    falls_heatmap,
    measure_incidents,
    medication_doses,
)
from dashboards.queries.quality import (
    Grain,
    quality_counterfactual,
    quality_impact,
    quality_locations,
    quality_monthly_rates,
    quality_series,
)
from dashboards.queries.reader import (
    NOT_LOADED_MESSAGE,
    DisclosureError,
    QueryAudit,
    QueryDeclarationError,
    WarehouseReader,
)

__all__ = [
    "DISPLAY_ROW_LIMIT",
    "HARM_LEVELS",
    "INCIDENT_ROW_LIMIT",
    "NOT_LOADED_MESSAGE",
    "SUBTYPES",
    "DisclosureError",
    "EventFilters",
    "Grain",
    "IncidentFilter",
    "IncidentList",
    "QueryAudit",
    "QueryDeclarationError",
    "WarehouseReader",
    "access_events",
    "falls_heatmap",
    "filtered_access_events",
    "first_broken_link",
    "icb_provider_load_counts",
    "icb_provider_loads",
    "load_warnings",
    "measure_incidents",
    "medication_doses",
    "operations_load_files",
    "operations_load_runs",
    "provider_load_files",
    "provider_load_runs",
    "quality_counterfactual",
    "quality_impact",
    "quality_locations",
    "quality_monthly_rates",
    "quality_series",
    "quarantine_count",
    "quarantine_reasons",
    "quarantine_rows",
    "table_checks",
    "user_accounts",
]
