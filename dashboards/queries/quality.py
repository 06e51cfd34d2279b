"""Typed queries over the care-quality marts (``marts.quality_*``) for the quality pages.

Every query is of the ``provider`` audience: rows about the caller's provider's locations, and
for a quality lead limited to some locations only those (the reader binds the scope, never the
caller). Measures are named by :class:`~dashboards.measures.QualityMeasure`; the columns each
reads are in :mod:`dashboards.measures`.
"""

from __future__ import annotations

from typing import Literal

import polars as pl

from dashboards.measures import QualityMeasure
from dashboards.queries.reader import WarehouseReader
from dashboards.roles import Identity

Grain = Literal["month", "week"]
"""The period of a quality series: Europe/London calendar months or ISO weeks (Mondays)."""

_SERIES_QUERY: dict[str, str] = {"month": "quality_series_monthly", "week": "quality_series_weekly"}


def quality_locations(*, reader: WarehouseReader, identity: Identity) -> pl.DataFrame:
    """Return the locations in the caller's scope, by name.

    Returns:
        ``location_id``, ``location_name``, ``service_type`` (``care_home``,
        ``care_home_nursing`` or ``home_care``) and ``dscr_go_live_date`` (null if none).
    """
    return reader.query("quality_locations", identity=identity)


def quality_monthly_rates(*, reader: WarehouseReader, identity: Identity) -> pl.DataFrame:
    """Return every month of every location in scope from ``marts.quality_monthly``.

    Returns:
        ``location_id``, ``month`` (first day), the exposures ``occupied_bed_days`` (null for
        home care) and ``scheduled_doses``, each measure's count and each rate column of
        :data:`dashboards.measures.MEASURES`; by location and month.
    """
    return reader.query("quality_monthly_rates", identity=identity)


def quality_series(
    *,
    reader: WarehouseReader,
    identity: Identity,
    location_id: str,
    measure: QualityMeasure | str,
    grain: Grain = "month",
) -> pl.DataFrame:
    """Return one measure's series at one location, oldest period first.

    A location out of the caller's scope gives no rows, as does an unknown location.

    Args:
        reader: The warehouse reader.
        identity: Who is asking.
        location_id: The CQC location.
        measure: The measure (its value as text is accepted).
        grain: ``"month"`` (``marts.quality_monthly``) or ``"week"`` (``marts.quality_weekly``).

    Returns:
        ``period`` (date: first day of the month, or the Monday of the week), ``count``,
        ``exposure`` (occupied bed days, or scheduled doses for medication errors) and
        ``rate`` (per 1,000; null when the exposure is 0 or null).

    Raises:
        ValueError: If ``measure`` or ``grain`` is unknown.
    """
    checked = QualityMeasure(measure)
    if grain not in _SERIES_QUERY:
        raise ValueError(f"grain must be 'month' or 'week', not {grain!r}")
    return reader.query(
        _SERIES_QUERY[grain], identity=identity, location_id=location_id, measure=str(checked)
    )


def quality_impact(
    *,
    reader: WarehouseReader,
    identity: Identity,
    location_id: str | None = None,
    measure: QualityMeasure | str | None = None,
) -> pl.DataFrame:
    """Return the before/after go-live estimates of the locations in scope.

    Args:
        reader: The warehouse reader.
        identity: Who is asking.
        location_id: Only this location (``None``: every location in scope).
        measure: Only this measure (``None``: all four).

    Returns:
        The columns of ``marts.quality_impact`` but ``provider_id``: one row per location and
        measure, with ``status`` saying why there is no estimate when there is none.

    Raises:
        ValueError: If ``measure`` is given and unknown.
    """
    checked = str(QualityMeasure(measure)) if measure is not None else None
    return reader.query(
        "quality_impact", identity=identity, location_id=location_id, measure=checked
    )


def quality_counterfactual(
    *,
    reader: WarehouseReader,
    identity: Identity,
    location_id: str,
    measure: QualityMeasure | str,
) -> pl.DataFrame:
    """Return observed and counterfactual events per month since go-live at one location.

    Returns:
        ``month``, ``observed``, ``expected`` (had the location not gone live), and the 95%
        interval ``expected_lower``, ``expected_upper``; no rows without an estimate.

    Raises:
        ValueError: If ``measure`` is unknown.
    """
    checked = QualityMeasure(measure)
    return reader.query(
        "quality_counterfactual", identity=identity, location_id=location_id, measure=str(checked)
    )
