"""Typed queries behind the measure pages: incident lists, the falls heatmap and dose counts.

The incident list is of the ``person`` audience (it names the provider's own ``person_id`` and
the incident's ``record_uid``, never its free-text ``description``); the heatmap and the dose
counts are ``provider`` aggregates. Every query filters by the caller's provider and, for a
quality lead limited to some locations, by those locations: the reader binds the scope, never
the caller. Incidents count as ``marts.quality_monthly`` counts them, so a chart's point and
the list behind it agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import polars as pl

from dashboards.measures import QualityMeasure
from dashboards.queries.quality import Grain
from dashboards.queries.reader import WarehouseReader
from dashboards.roles import Identity

INCIDENT_ROW_LIMIT = 100
"""Incidents shown on a page at most (a download has them all)."""

HARM_LEVELS = ("no_harm", "low", "moderate", "severe", "fatal")
"""LFPSE physical harm levels (ODE-1 ``incidents.harm``), least first."""
SUBTYPES: dict[QualityMeasure, tuple[str, ...]] = {
    QualityMeasure.FALLS: (),
    QualityMeasure.FALLS_WITH_HARM: (),
    QualityMeasure.MEDICATION_ERRORS: (
        "omission",
        "wrong_time",
        "wrong_dose",
        "wrong_person",
        "wrong_medicine",
        "discontinued_given",
        "documentation",
        "other",
    ),
    QualityMeasure.PRESSURE_ULCERS: (
        "category_1",
        "category_2",
        "category_3",
        "category_4",
        "unstageable",
        "deep_tissue_injury",
    ),
}
"""The subtypes ODE-1 allows for each measure's incidents (falls have none)."""


@dataclass(frozen=True, slots=True)
class IncidentFilter:
    """Which incidents of a measure to list; ``None`` in a field means no filter on it.

    Attributes:
        measure: The measure whose incidents to list.
        location_id: Only this location.
        period_start: Only incidents on or after this Europe/London day.
        period_end: Only incidents before this Europe/London day.
        harm: Only this harm level (one of :data:`HARM_LEVELS`).
        subtype: Only this subtype (one of :data:`SUBTYPES` of the measure).
    """

    measure: QualityMeasure
    location_id: str | None = None
    period_start: date | None = None
    period_end: date | None = None
    harm: str | None = None
    subtype: str | None = None


@dataclass(frozen=True, slots=True)
class IncidentList:
    """Incidents listed, and how many matched before the row limit.

    Attributes:
        rows: One row per incident, newest first: ``record_uid``, ``occurred_at`` (UTC),
            ``location_id``, ``location_name``, ``incident_type``, ``subtype``, ``harm``,
            ``person_id`` (the provider's own identifier; null for someone not in its care).
        matched: Incidents matching the filter (``rows`` may hold fewer).
    """

    rows: pl.DataFrame
    matched: int


def measure_incidents(
    *,
    reader: WarehouseReader,
    identity: Identity,
    incident_filter: IncidentFilter,
    row_limit: int | None = INCIDENT_ROW_LIMIT,
) -> IncidentList:
    """Return the incidents of one measure in the caller's scope that pass ``incident_filter``.

    Args:
        reader: The warehouse reader.
        identity: Who is asking; only their provider's (and locations') incidents come back.
        incident_filter: The measure and the optional filters.
        row_limit: At most this many rows, newest first; ``None`` for all.

    Returns:
        The rows (person-level) and the number that matched.
    """
    frame = reader.query(
        "incidents_list",
        identity=identity,
        measure=str(QualityMeasure(incident_filter.measure)),
        location_id=incident_filter.location_id,
        period_start=incident_filter.period_start,
        period_end=incident_filter.period_end,
        harm=incident_filter.harm,
        subtype=incident_filter.subtype,
        row_limit=row_limit,
    )
    matched = int(frame.item(0, "incidents_matched")) if frame.height else 0
    return IncidentList(rows=frame.drop("incidents_matched"), matched=matched)


def falls_heatmap(
    *,
    reader: WarehouseReader,
    identity: Identity,
    location_id: str,
    measure: QualityMeasure | str = QualityMeasure.FALLS,
    period_start: date | None = None,
    period_end: date | None = None,
) -> pl.DataFrame:
    """Return falls at one location by Europe/London day of the week and hour of the day.

    Args:
        reader: The warehouse reader.
        identity: Who is asking (a location out of scope gives no rows).
        location_id: The CQC location.
        measure: ``falls`` or ``falls_with_harm``.
        period_start: Only falls on or after this Europe/London day (``None``: from the first).
        period_end: Only falls before this Europe/London day (``None``: to the last), so a
            month runs from its first day to the first day of the next, as in
            :class:`IncidentFilter`.

    Returns:
        One row per weekday (1 Monday to 7 Sunday) and hour (0 to 23) with at least one fall:
        ``weekday``, ``hour``, ``falls``.

    Raises:
        ValueError: If ``measure`` is not a falls measure.
    """
    checked = QualityMeasure(measure)
    if checked not in (QualityMeasure.FALLS, QualityMeasure.FALLS_WITH_HARM):
        raise ValueError(f"the heatmap is of falls, not {checked}")
    return reader.query(
        "falls_heatmap",
        identity=identity,
        location_id=location_id,
        measure=str(checked),
        period_start=period_start,
        period_end=period_end,
    )


def medication_doses(
    *, reader: WarehouseReader, identity: Identity, location_id: str, grain: Grain = "month"
) -> pl.DataFrame:
    """Return scheduled, missed and late doses and medication errors per period at one location.

    Args:
        reader: The warehouse reader.
        identity: Who is asking (a location out of scope gives no rows).
        location_id: The CQC location.
        grain: ``"month"`` or ``"week"``.

    Returns:
        One row per period, oldest first: ``period`` (first day of the month, or the Monday),
        ``scheduled_doses``, ``missed_doses``, ``late_doses``, ``medication_errors`` and
        ``medication_errors_per_1000_doses`` (null without scheduled doses).

    Raises:
        ValueError: If ``grain`` is unknown.
    """
    if grain not in ("month", "week"):
        raise ValueError(f"grain must be 'month' or 'week', not {grain!r}")
    return reader.query("medication_doses", identity=identity, location_id=location_id, grain=grain)
