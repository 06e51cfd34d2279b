"""Funnel plots of rates against exposure: exact Poisson control limits around a pooled average.

A funnel plot compares units (here, providers) on one rate, such as falls per 1,000 occupied
bed days, without ranking them. Each unit is a point at its exposure (bed days, doses) and its
rate; around the pooled average two pairs of control limits narrow as exposure grows, so a
small provider's high rate is not mistaken for a real difference (Spiegelhalter, "Funnel plots
for comparing institutional performance", Statistics in Medicine 24, 2005).

The limits are exact Poisson limits: for a unit with exposure ``n`` and the pooled rate
``theta`` (events per unit of exposure), the expected count is ``theta * n`` and a limit at
probability ``p`` is the ``p``-quantile of Poisson(``theta * n``), interpolated between whole
counts as Spiegelhalter's appendix does so that the curves are smooth:

    ``r`` = the smallest count with ``P(Y <= r) >= p``,
    ``alpha = (P(Y <= r) - p) / P(Y = r)``, limit = ``r - alpha`` (at least 0), rate = limit / n.

95% limits use ``p`` = 0.025 and 0.975 (about 2 standard deviations), 99.8% limits 0.001 and
0.999 (about 3). A unit's position compares its count with the limits at its own exposure, so
it matches the drawn curves: a point on a limit is within it.

Pure: numbers in, numbers out; no SciPy (the web app draws these and SciPy's import alone takes
over a second), the Poisson tail sums are done here with NumPy.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

import numpy as np

LOWER_95 = 0.025
UPPER_95 = 0.975
LOWER_99_8 = 0.001
UPPER_99_8 = 0.999
CURVE_POINTS = 120
"""Exposures at which the limit curves are computed (evenly spaced on a log scale)."""
CURVE_FROM = 0.5
"""The curves start at this fraction of the smallest plotted exposure..."""
CURVE_TO = 1.1
"""...and end at this multiple of the largest."""
_WINDOW_SIGMAS = 10.0
"""Counts further than this many standard deviations (plus 10) from the mean are ignored."""


class FunnelInputError(ValueError):
    """The units or pooled totals given to :func:`funnel` cannot be plotted."""


class FunnelPosition(StrEnum):
    """Where a unit's rate lies against the limits at its own exposure."""

    WITHIN = "within"
    ABOVE_95 = "above_95"
    ABOVE_99_8 = "above_99_8"
    BELOW_95 = "below_95"
    BELOW_99_8 = "below_99_8"


@dataclass(frozen=True, slots=True)
class FunnelUnit:
    """One unit to plot, as the caller has it after disclosure control.

    Attributes:
        label: What the point is called (a provider's name or code).
        events: The count (falls, medication errors); ``None`` when suppressed.
        exposure: Bed days or doses; ``None`` when suppressed. Zero: no rate, not plotted.
        unrounded_rate: Optional: events per one unit of exposure computed from the unrounded
            counts (the reader's rate column, e.g. ``falls / occupied_bed_days``). When counts
            have been rounded to the nearest 5, ``events / exposure`` can be a third away from
            the true rate (8 rounds to 10), so the point and its position use this instead; the
            rounded ``events`` are still what the point reports.
    """

    label: str
    events: int | None
    exposure: float | None
    unrounded_rate: float | None = None


@dataclass(frozen=True, slots=True)
class FunnelPoint:
    """A plotted unit.

    Attributes:
        label: As given.
        events: As given (rounded if the caller's counts were).
        exposure: As given.
        rate: Events per ``per`` units of exposure (from ``unrounded_rate`` when given).
        position: A :class:`FunnelPosition` value.
    """

    label: str
    events: int
    exposure: float
    rate: float
    position: str


@dataclass(frozen=True, slots=True)
class FunnelLimits:
    """The control limit curves, as rates per ``per`` at each exposure (all the same length).

    Attributes:
        exposure: Exposures, ascending.
        lower_95: Lower 95% limit at each exposure.
        upper_95: Upper 95% limit.
        lower_99_8: Lower 99.8% limit.
        upper_99_8: Upper 99.8% limit.
    """

    exposure: tuple[float, ...]
    lower_95: tuple[float, ...]
    upper_95: tuple[float, ...]
    lower_99_8: tuple[float, ...]
    upper_99_8: tuple[float, ...]


@dataclass(frozen=True, slots=True)
class Funnel:
    """A funnel plot's content.

    Attributes:
        average: The pooled rate per ``per`` (the centre line); ``None`` with no exposure.
        points: The plotted units, in the order given.
        suppressed: Labels of the units not plotted because a count was suppressed.
        limits: The limit curves (empty when nothing is plotted).
    """

    average: float | None
    points: tuple[FunnelPoint, ...]
    suppressed: tuple[str, ...]
    limits: FunnelLimits


_NO_LIMITS = FunnelLimits(exposure=(), lower_95=(), upper_95=(), lower_99_8=(), upper_99_8=())


def poisson_limits(expected: float, *, probabilities: Sequence[float]) -> tuple[float, ...]:
    """Return interpolated Poisson quantiles (as counts) of a mean, one per probability.

    For each ``p``: ``r`` is the smallest whole count with ``P(Y <= r) >= p`` for ``Y`` Poisson
    with mean ``expected``, and the limit is ``r - (P(Y <= r) - p) / P(Y = r)``, at least 0.
    Hand-worked: mean 50, ``p`` = 0.975: ``P(Y <= 63)`` = 0.96816 < 0.975 <= ``P(Y <= 64)`` =
    0.97640, ``P(Y = 64)`` = 0.008240, so the limit is 64 - 0.00140 / 0.00824 = 63.83.

    Args:
        expected: The Poisson mean (at least 0).
        probabilities: Each strictly between 0 and 1.

    Raises:
        FunnelInputError: If the mean is negative or not finite, or a probability is not
            strictly between 0 and 1.
    """
    if not math.isfinite(expected) or expected < 0:
        raise FunnelInputError(f"a Poisson mean must be a finite number >= 0, not {expected}")
    if any(not 0.0 < p < 1.0 for p in probabilities):
        raise FunnelInputError(f"probabilities must be strictly between 0 and 1: {probabilities}")
    if expected == 0:
        return tuple(0.0 for _ in probabilities)
    spread = _WINDOW_SIGMAS * math.sqrt(expected) + 10.0
    first = max(0, math.floor(expected - spread))
    counts = np.arange(first, math.ceil(expected + spread) + 1, dtype=np.float64)
    # log P(Y = first), then each next term is the last times expected / k.
    log_first = first * math.log(expected) - expected - math.lgamma(first + 1)
    steps = np.log(expected / counts[1:])
    log_pmf = log_first + np.concatenate(([0.0], np.cumsum(steps)))
    pmf = np.exp(log_pmf)
    cdf = np.cumsum(pmf)
    limits: list[float] = []
    for p in probabilities:
        index = min(int(np.searchsorted(cdf, p, side="left")), len(counts) - 1)
        alpha = (float(cdf[index]) - p) / float(pmf[index])
        limits.append(max(0.0, float(counts[index]) - alpha))
    return tuple(limits)


_PROBABILITIES = (LOWER_99_8, LOWER_95, UPPER_95, UPPER_99_8)


def _position(observed: float, limits: tuple[float, ...]) -> FunnelPosition:
    lower_99_8, lower_95, upper_95, upper_99_8 = limits
    if observed > upper_99_8:
        return FunnelPosition.ABOVE_99_8
    if observed > upper_95:
        return FunnelPosition.ABOVE_95
    if observed < lower_99_8:
        return FunnelPosition.BELOW_99_8
    if observed < lower_95:
        return FunnelPosition.BELOW_95
    return FunnelPosition.WITHIN


def _check(units: Sequence[FunnelUnit], *, per: float) -> None:
    if not math.isfinite(per) or per <= 0:
        raise FunnelInputError(f"per must be a positive number, not {per}")
    for unit in units:
        if unit.events is not None and unit.events < 0:
            raise FunnelInputError(f"{unit.label}: events cannot be negative ({unit.events})")
        if unit.exposure is not None and not (math.isfinite(unit.exposure) and unit.exposure >= 0):
            raise FunnelInputError(f"{unit.label}: exposure must be >= 0 ({unit.exposure})")
        if unit.unrounded_rate is not None and not (
            math.isfinite(unit.unrounded_rate) and unit.unrounded_rate >= 0
        ):
            raise FunnelInputError(f"{unit.label}: a rate must be >= 0 ({unit.unrounded_rate})")


def _pooled_rate(
    shown: Sequence[tuple[FunnelUnit, float, float]],
    *,
    pooled_events: int | None,
    pooled_exposure: float | None,
) -> float | None:
    """Events per one unit of exposure, from the totals given or else the shown units."""
    if (pooled_events is None) != (pooled_exposure is None):
        raise FunnelInputError("give both pooled_events and pooled_exposure, or neither")
    if pooled_events is not None and pooled_exposure is not None:
        if pooled_events < 0 or not (math.isfinite(pooled_exposure) and pooled_exposure > 0):
            raise FunnelInputError(
                "pooled totals need events >= 0 and exposure > 0, not "
                f"{pooled_events} over {pooled_exposure}"
            )
        return pooled_events / pooled_exposure
    exposure = math.fsum(n for _, n, _ in shown)
    if exposure == 0:
        return None
    return math.fsum(observed for _, _, observed in shown) / exposure


def _curves(exposures: Sequence[float], *, theta: float, per: float) -> FunnelLimits:
    low, high = min(exposures), max(exposures)
    start, stop = math.log(CURVE_FROM * low), math.log(CURVE_TO * high)
    grid = [math.exp(value) for value in np.linspace(start, stop, CURVE_POINTS)]
    columns: list[list[float]] = [[], [], [], []]
    for n in grid:
        for column, limit in zip(
            columns, poisson_limits(theta * n, probabilities=_PROBABILITIES), strict=True
        ):
            column.append(limit / n * per)
    lower_99_8, lower_95, upper_95, upper_99_8 = columns
    return FunnelLimits(
        exposure=tuple(grid),
        lower_95=tuple(lower_95),
        upper_95=tuple(upper_95),
        lower_99_8=tuple(lower_99_8),
        upper_99_8=tuple(upper_99_8),
    )


def funnel(
    units: Sequence[FunnelUnit],
    *,
    per: float = 1000.0,
    pooled_events: int | None = None,
    pooled_exposure: float | None = None,
) -> Funnel:
    """Place units on a funnel plot around their pooled rate, with exact Poisson limits.

    A unit whose ``events`` or ``exposure`` is ``None`` (suppressed) is not plotted and is
    listed in :attr:`Funnel.suppressed`; a unit with zero exposure has no rate and is left out.
    The average is ``pooled_events / pooled_exposure`` when both are given, else the plotted
    units' events over their exposure (with ``unrounded_rate * exposure`` as a unit's events
    when it has one).

    Args:
        units: The units, in the order their points should keep.
        per: Rates are per this many units of exposure (1,000 bed days; 1,000 doses).
        pooled_events: Total events behind the average, if not the plotted units' own.
        pooled_exposure: Total exposure behind the average; given with ``pooled_events``.

    Returns:
        The average, the points with their positions, the suppressed labels and the limit
        curves from half the smallest plotted exposure to 1.1 times the largest.

    Raises:
        FunnelInputError: If ``per`` is not positive, a count, exposure or rate is negative,
            or only one pooled total is given, or the pooled exposure is not positive.
    """
    _check(units, per=per)
    suppressed = tuple(unit.label for unit in units if unit.events is None or unit.exposure is None)
    shown: list[tuple[FunnelUnit, float, float]] = []
    for unit in units:
        if unit.events is None or unit.exposure is None or unit.exposure == 0:
            continue
        observed = (
            unit.events if unit.unrounded_rate is None else unit.unrounded_rate * unit.exposure
        )
        shown.append((unit, unit.exposure, float(observed)))
    theta = _pooled_rate(shown, pooled_events=pooled_events, pooled_exposure=pooled_exposure)
    if theta is None:
        return Funnel(average=None, points=(), suppressed=suppressed, limits=_NO_LIMITS)
    points = tuple(
        FunnelPoint(
            label=unit.label,
            events=int(unit.events or 0),
            exposure=exposure,
            rate=observed / exposure * per,
            position=_position(
                observed, poisson_limits(theta * exposure, probabilities=_PROBABILITIES)
            ),
        )
        for unit, exposure, observed in shown
    )
    limits = (
        _curves([exposure for _, exposure, _ in shown], theta=theta, per=per)
        if shown
        else _NO_LIMITS
    )
    return Funnel(average=theta * per, points=points, suppressed=suppressed, limits=limits)
