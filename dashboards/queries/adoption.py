"""Typed queries for the DSCR adoption page: one ICB's uptake, its gaps and who is at risk.

ICB leads read their own ICB (``audience: icb``): the reader binds the ICB, checks every
column against the query's header and disclosure-controls the counts (metrics-v1.md: 1 to 7
suppressed, the rest rounded to the nearest 5; rates from the unrounded counts, suppressed with
them). Owners read their own provider's locations (``audience: provider``) and the monthly
figures of the ICBs those locations are in, which are published outside the provider: those
rows are disclosure-controlled here with the counts and rates ``adoption_monthly.sql``
declares, so both roles see the same controlled figures.
"""

from __future__ import annotations

import polars as pl

from dashboards.disclosure import apply_disclosure_control
from dashboards.queries.reader import WarehouseReader
from dashboards.roles import Identity

ICB_MONTHLY_QUERY = "adoption_monthly"
FUNNEL_QUERY = "adoption_funnel"


def icb_monthly(*, reader: WarehouseReader, identity: Identity) -> pl.DataFrame:
    """Return every month of the caller's ICB's adoption, oldest first (ICB leads).

    Returns:
        ``icb_code``, ``icb_name``, ``month`` (first day), ``month_end``,
        ``universe_snapshot_date``; controlled counts ``active_locations``,
        ``adopted_locations``, ``no_return_locations``, ``returned_no_locations``,
        ``returned_locations`` (Yes + No), ``care_home_beds``, ``adopted_care_home_beds``
        (null where suppressed); rates ``adoption_rate``, ``adoption_rate_beds`` and
        ``adoption_rate_of_returns`` from the unrounded counts (null with them).
    """
    return reader.query(ICB_MONTHLY_QUERY, identity=identity)


def icb_breakdown(*, reader: WarehouseReader, identity: Identity) -> pl.DataFrame:
    """Return the caller's ICB's latest month broken down by four dimensions (ICB leads).

    Returns:
        ``month``, ``dimension`` (``service_type``, ``size_band``, ``local_authority``,
        ``supplier``), ``category``, controlled counts ``active_locations``,
        ``adopted_locations``, ``no_return_locations``, ``care_home_beds``,
        ``adopted_care_home_beds`` and the rates ``adoption_rate`` and ``adoption_rate_beds``.
    """
    return reader.query("adoption_breakdown", identity=identity)


def icb_trajectory(*, reader: WarehouseReader, identity: Identity) -> dict[str, object] | None:
    """Return the growth model the last load fitted to the caller's ICB, if there is one.

    Returns:
        The row of ``marts.adoption_trajectory`` (without ``run_id``) as a mapping, for
        ``TrajectoryFit.from_row``; ``None`` when the ICB has no fit.
    """
    frame = reader.query("adoption_trajectory", identity=identity)
    return frame.row(0, named=True) if frame.height else None


def icb_at_risk(*, reader: WarehouseReader, identity: Identity) -> pl.DataFrame:
    """Return the caller's ICB's locations at risk of dropping their DSCR, with the evidence.

    Returns:
        ``location_id``, ``location_name``, ``provider_id``, ``provider_name``,
        ``risk_reason`` (``returned_no_after_yes``, ``status_abandoned``,
        ``exports_stopped``), ``evidence`` (in words), ``evidence_date``,
        ``previous_return_date``, ``latest_return_date``, ``last_export_to``,
        ``days_without_export`` and ``as_of``; oldest evidence first.
    """
    return reader.query("adoption_at_risk", identity=identity)


def icb_no_return(*, reader: WarehouseReader, identity: Identity) -> pl.DataFrame:
    """Return the caller's ICB's active locations with no return in its latest month.

    Returns:
        ``month``, ``location_id``, ``location_name``, ``provider_id``, ``provider_name``,
        ``local_authority``, ``service_type`` and ``size_band``, by name.
    """
    return reader.query("adoption_no_return", identity=identity)


def icb_funnel(
    *, reader: WarehouseReader, identity: Identity, month_from: object, month_to: object
) -> pl.DataFrame:
    """Return falls and medication errors of each provider sharing data with the caller's ICB.

    Args:
        reader: The warehouse reader.
        identity: The ICB lead.
        month_from: First month of the period (a first-of-month date).
        month_to: Last month of the period.

    Returns:
        The rows of ``adoption_funnel.sql`` (one per provider, controlled counts ``falls``,
        ``occupied_bed_days``, ``medication_errors``, ``scheduled_doses`` and their rates).
    """
    return reader.query(FUNNEL_QUERY, identity=identity, month_from=month_from, month_to=month_to)


def provider_locations(*, reader: WarehouseReader, identity: Identity) -> pl.DataFrame:
    """Return the caller's provider's locations in the latest month, with their DSCR status.

    Returns:
        ``month``, ``location_id``, ``location_name``, ``icb_code``, ``icb_name``,
        ``service_type``, ``care_home_beds``, ``size_band``, ``latest_return_date``,
        ``latest_uses_dscr``, ``latest_dscr_status``, ``dscr_supplier``, ``has_return`` and
        ``is_adopted``.
    """
    return reader.query("adoption_provider_locations", identity=identity)


def provider_at_risk(*, reader: WarehouseReader, identity: Identity) -> pl.DataFrame:
    """Return the caller's provider's locations the ICB lead sees as at risk.

    Returns:
        The columns of :func:`icb_at_risk` but the provider's.
    """
    return reader.query("adoption_provider_at_risk", identity=identity)


def provider_icb_monthly(*, reader: WarehouseReader, identity: Identity) -> pl.DataFrame:
    """Return every month of the ICBs the caller's provider's locations are in, controlled.

    The figures are ICB-wide, so they are disclosure-controlled exactly as an ICB lead sees
    them: with the counts and rates ``adoption_monthly.sql`` declares.

    Returns:
        The columns of :func:`icb_monthly`, by ICB and month.
    """
    frame = reader.query("adoption_provider_icb_monthly", identity=identity)
    header = reader.header(ICB_MONTHLY_QUERY)
    return apply_disclosure_control(frame, counts=header.counts, rates=header.rates)
