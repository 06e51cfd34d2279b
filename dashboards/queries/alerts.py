"""Typed queries behind the alerts page: volumes, response times, burden, triage, ICB rows.

Every query reads the operations marts of issue 5 (``marts.alert_facts``, ``alerts_daily``,
``alerts_weekly``, ``alert_burden_monthly``) or the triage outputs
(``marts.alert_triage_scores``, ``audit.model_runs``) and filters by the caller's scope: the
reader binds it, never the caller. Periods are Europe/London days from ``day_from`` to
``day_to``, both included. The open-alert list is of the ``person`` audience (single alerts,
with their record ids); the ICB rows are disclosure-controlled per provider.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import polars as pl

from dashboards.queries.reader import WarehouseReader
from dashboards.roles import Identity

OPEN_ALERT_ROW_LIMIT = 50
"""Open alerts listed on the page at most (a download has them all)."""


@dataclass(frozen=True, slots=True)
class AlertBounds:
    """The span of the alerts a caller may see.

    Attributes:
        first_day: The first Europe/London day with an alert raised (``None``: no alerts).
        last_day: The last such day; the page's periods end on it.
        data_as_of: The instant the data describe (the latest export), if known.
        alerts: Alerts in scope (0 for an ICB lead, whose bounds carry no count).
    """

    first_day: date | None
    last_day: date | None
    data_as_of: Any = None
    alerts: int = 0


@dataclass(frozen=True, slots=True)
class OpenAlerts:
    """Open alerts ranked by score, and how many there are before the row limit.

    Attributes:
        rows: ``record_uid``, ``raised_at``, ``location_id``, ``location_name``, ``category``,
            ``severity``, ``score``, ``reason``, ``hours_open``, ``model_run_id``.
        matched: Scored open alerts in scope (``rows`` may hold fewer).
    """

    rows: pl.DataFrame
    matched: int


def alert_bounds(*, reader: WarehouseReader, identity: Identity) -> AlertBounds:
    """Return the span of the alerts of the caller's provider (or locations).

    Args:
        reader: The warehouse reader.
        identity: An owner, quality lead or inspector.
    """
    row = reader.query("alerts_bounds", identity=identity).row(0, named=True)
    return AlertBounds(
        first_day=row["first_day"],
        last_day=row["last_day"],
        data_as_of=row["data_as_of"],
        alerts=int(row["alerts"] or 0),
    )


def icb_alert_bounds(*, reader: WarehouseReader, identity: Identity) -> AlertBounds:
    """Return the span of the alerts of the providers in the caller's ICB (an ICB lead)."""
    row = reader.query("alerts_icb_bounds", identity=identity).row(0, named=True)
    return AlertBounds(first_day=row["first_day"], last_day=row["last_day"])


def alert_summary(
    *,
    reader: WarehouseReader,
    identity: Identity,
    day_from: date,
    day_to: date,
    location_id: str | None = None,
) -> pl.DataFrame:
    """Return response times per location and for all of them (``location_id`` null, last).

    Args:
        reader: The warehouse reader.
        identity: Who is asking.
        day_from: First Europe/London day of the period.
        day_to: Last day of the period (included).
        location_id: One location in scope, or ``None`` for all.

    Returns:
        One row per location with alerts and one for all together: counts in the period,
        median and 90th percentile minutes to acknowledge and resolve, resolved within 24
        hours, and open now and open for more than 24 hours (whatever the period).
    """
    return reader.query(
        "alerts_summary",
        identity=identity,
        day_from=day_from,
        day_to=day_to,
        location_id=location_id,
    )


def alert_daily_volumes(
    *,
    reader: WarehouseReader,
    identity: Identity,
    day_from: date,
    day_to: date,
    location_id: str | None = None,
) -> pl.DataFrame:
    """Return alerts per day, location and category in the period, with their outcomes.

    Args:
        reader: The warehouse reader.
        identity: Who is asking.
        day_from: First Europe/London day of the period.
        day_to: Last day (included).
        location_id: One location in scope, or ``None`` for all.
    """
    return reader.query(
        "alerts_daily_volumes",
        identity=identity,
        day_from=day_from,
        day_to=day_to,
        location_id=location_id,
    )


def alert_weekly_share(
    *, reader: WarehouseReader, identity: Identity, location_id: str | None = None
) -> pl.DataFrame:
    """Return the weekly false-alarm share of every week, summed over the chosen locations.

    Args:
        reader: The warehouse reader.
        identity: Who is asking.
        location_id: One location in scope, or ``None`` for all.

    Returns:
        ``week``, ``alerts_raised``, ``alerts_closed``, ``false_alarms``, ``duplicates``,
        ``false_alarm_share`` (null when none closed), oldest first.
    """
    return reader.query("alerts_weekly_share", identity=identity, location_id=location_id)


def alert_burden(
    *,
    reader: WarehouseReader,
    identity: Identity,
    day_from: date,
    day_to: date,
    location_id: str | None = None,
) -> pl.DataFrame:
    """Return alerts, shifts and alerts per shift per month and location, for the period.

    Args:
        reader: The warehouse reader.
        identity: Who is asking.
        day_from: First day of the period (its month is the first row's).
        day_to: Last day of the period.
        location_id: One location in scope, or ``None`` for all.
    """
    return reader.query(
        "alerts_burden",
        identity=identity,
        day_from=day_from,
        day_to=day_to,
        location_id=location_id,
    )


def alert_heatmap(
    *,
    reader: WarehouseReader,
    identity: Identity,
    day_from: date,
    day_to: date,
    location_id: str | None = None,
) -> pl.DataFrame:
    """Return alerts by Europe/London weekday (1 to 7) and hour (0 to 23) in the period.

    Args:
        reader: The warehouse reader.
        identity: Who is asking.
        day_from: First day of the period.
        day_to: Last day (included).
        location_id: One location in scope, or ``None`` for all.

    Returns:
        ``weekday``, ``hour``, ``alerts`` where at least one alert was raised.
    """
    return reader.query(
        "alerts_heatmap",
        identity=identity,
        day_from=day_from,
        day_to=day_to,
        location_id=location_id,
    )


def open_alert_scores(
    *,
    reader: WarehouseReader,
    identity: Identity,
    location_id: str | None = None,
    row_limit: int | None = OPEN_ALERT_ROW_LIMIT,
) -> OpenAlerts:
    """Return open alerts ranked by the triage score (likeliest to need action first).

    Args:
        reader: The warehouse reader.
        identity: Who is asking (person-level: owners, quality leads, inspectors).
        location_id: One location in scope, or ``None`` for all.
        row_limit: At most this many rows; ``None`` for all.
    """
    frame = reader.query(
        "alerts_open_scores", identity=identity, location_id=location_id, row_limit=row_limit
    )
    matched = int(frame.item(0, "alerts_matched")) if frame.height else 0
    return OpenAlerts(rows=frame.drop("alerts_matched"), matched=matched)


def latest_triage_run(*, reader: WarehouseReader, identity: Identity) -> dict[str, Any] | None:
    """Return the latest training of the alert triage model (metrics and card), if any."""
    frame = reader.query("alerts_model_run", identity=identity)
    return frame.row(0, named=True) if frame.height else None


def icb_alert_providers(
    *, reader: WarehouseReader, identity: Identity, day_from: date, day_to: date
) -> pl.DataFrame:
    """Return one disclosure-controlled row per provider in the caller's ICB.

    Args:
        reader: The warehouse reader.
        identity: An ICB lead.
        day_from: First day of the period.
        day_to: Last day (included).

    Returns:
        ``provider_id``, ``alerts_raised``, ``alerts_closed``, ``false_alarms`` (controlled:
        null when suppressed) and ``false_alarm_share`` (from the unrounded counts).
    """
    return reader.query("alerts_icb_providers", identity=identity, day_from=day_from, day_to=day_to)
