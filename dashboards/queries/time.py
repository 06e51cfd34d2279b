"""Typed queries for the Time page: measured documentation time, visits and care-plan reviews.

The provider queries read the operations marts (``marts.documentation_monthly``,
``marts.visits_monthly``, ``marts.care_plan_reviews_monthly``) for the caller's locations; the
ICB query gives a disclosure-controlled summary per provider of the measured documentation time
only. The reader binds the scope; the caller never passes it. The hours released are worked out
on the page from these rows and the assumptions in force (``models.time_released``), not read
from ``marts.time_released_monthly``, which only changes at the next nightly load.
"""

from __future__ import annotations

import polars as pl

from dashboards.queries.reader import WarehouseReader
from dashboards.roles import Identity


def time_documentation(*, reader: WarehouseReader, identity: Identity) -> pl.DataFrame:
    """Return every month of measured documentation time at each location in scope.

    Returns:
        ``location_id``, ``location_name``, ``month`` (first day), ``service_type``,
        ``shift_basis`` (``shifts`` or ``visits``), ``care_notes``, ``entry_minutes``,
        ``shifts``, ``entry_minutes_per_shift``, ``notes_recorded_within_15_minutes`` (a
        share), ``notes_with_entry_seconds``, ``offline_notes``, ``offline_share``,
        ``minutes_per_shift_p10``, ``minutes_per_shift_p90``, the care-worker columns
        ``care_shifts``, ``care_entry_minutes``, ``entry_minutes_per_care_shift``,
        ``care_minutes_per_shift_p10`` and ``care_minutes_per_shift_p90`` (managers' shifts
        and notes left out: what the page charts and counts hours from),
        ``dscr_go_live_date`` and ``after_go_live`` (the month counts towards the time
        released); by location and month.
    """
    return reader.query("time_documentation", identity=identity)


def time_visits(*, reader: WarehouseReader, identity: Identity) -> pl.DataFrame:
    """Return every month of home-care visits at each home-care location in scope.

    Returns:
        The columns of ``marts.visits_monthly`` but ``provider_id``, by location and month.
    """
    return reader.query("time_visits", identity=identity)


def time_reviews(*, reader: WarehouseReader, identity: Identity) -> pl.DataFrame:
    """Return every month of care-plan reviews at each location in scope.

    Returns:
        The columns of ``marts.care_plan_reviews_monthly`` but ``provider_id``, and
        ``after_go_live``; by location and month of the due date.
    """
    return reader.query("time_reviews", identity=identity)


def time_icb_documentation(*, reader: WarehouseReader, identity: Identity) -> pl.DataFrame:
    """Return the measured documentation time of each provider of the caller's ICB.

    Over the latest three months of documentation in the ICB, months after go-live only.

    Returns:
        ``provider_id``, ``shift_basis``, ``period_start`` and ``period_end`` (ISO dates),
        disclosure-controlled counts ``shifts`` (care-worker shifts, or completed visits),
        ``care_notes``, ``notes_within_15_minutes`` and ``entry_seconds`` (of the carers'
        notes) (null where suppressed), ``seconds_per_shift`` and
        ``share_within_15_minutes`` from the unrounded counts (null with a suppressed count),
        and ``minutes_per_shift`` (``seconds_per_shift / 60``).
    """
    frame = reader.query("time_icb_documentation", identity=identity)
    return frame.with_columns(minutes_per_shift=pl.col("seconds_per_shift") / 60)
