"""The growth of an ICB's DSCR adoption rate: a logistic curve fitted to the monthly rates.

Each month ``t`` (calendar months since the first month fitted) has ``active`` locations of
which ``adopted`` say Yes. The model is a binomial regression with a logit link::

    adopted_t ~ Binomial(active_t, p_t),    logit(p_t) = a + b·t

fitted by statsmodels' GLM to the latest :data:`PACE_MONTHS` months (the current pace), with
a quasi-binomial scale ``max(1, Pearson χ² / df)`` applied to the covariance of ``a`` and ``b``
(locations adopt in groups, with their provider or supplier, so the months can vary more than
a binomial allows). The rate reaches the target ``r`` when
``a + b·t = logit(r)``; "at the current pace" means on this curve. Intervals are 80%: Wald on
the logit scale for the projected curve, and the 10th and 90th percentiles of the month
reached over draws of ``(a, b)`` from their (scaled) normal distribution for the month of
reaching the target. docs/adoption-trajectory.md gives every choice and a worked example.

Pure: no clock, no files, no warehouse. statsmodels is imported only by :func:`fit_trajectory`
(it takes over a second), so the web app can project a stored fit with numpy alone.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import ROUND_CEILING, Decimal
from enum import StrEnum
from statistics import NormalDist

import numpy as np

TARGET_RATE = 0.80
"""The national target: 80% of adult social care locations on a DSCR."""
MIN_MONTHS = 6
"""Months with active locations needed to fit the curve."""
PACE_MONTHS = 24
"""The current pace is the curve of the latest this many calendar months: two yearly rounds of
Provider Information Returns, so every location has answered at least once in it."""
INTERVAL = 0.80
"""Coverage of every interval: the 10th to the 90th percentile."""
FLAT_SLOPE = 1e-9
"""A slope at or below this (per month, logit scale) counts as not rising: it is zero in all
but floating-point noise, and would take over a billion months to move the rate by one logit."""
BINOMIAL = "binomial"
"""``interval_method``: the GLM's covariance, quasi-binomial scale applied."""
LOCATION_CLUSTERED = "location_clustered"
"""``interval_method``: the covariance robust to each location being counted every month."""
_Z = NormalDist().inv_cdf(0.5 + INTERVAL / 2)
_MAX_ABS_COEFFICIENT = 50.0  # a logit this large means separation, not an estimate
_CROSSING_TOLERANCE = 1e-9  # a crossing this close to a whole month falls on that month


class TrajectoryInputError(ValueError):
    """Monthly counts or arguments that the trajectory cannot be fitted to or projected with."""


class TrajectoryStatus(StrEnum):
    """What the fit can say about reaching the target.

    ``fitted``: rising, below the target. ``reached``: the latest month is at or above the
    target (with at least :data:`MIN_MONTHS` months). ``not_rising``: below the target and the
    fitted slope is not positive, or no location has adopted in any month.
    ``too_few_months``: fewer than :data:`MIN_MONTHS` months with active locations, or months
    that cannot identify a curve (every Yes in the last months after months of none, so the
    slope runs to infinity); nothing is projected.
    """

    FITTED = "fitted"
    REACHED = "reached"
    NOT_RISING = "not_rising"
    TOO_FEW_MONTHS = "too_few_months"


@dataclass(frozen=True, slots=True)
class MonthCounts:
    """One month of an ICB's adoption counts (``marts.adoption_monthly``).

    Attributes:
        month: The first day of the month.
        active: Active adult social care locations in the ICB.
        adopted: Of those, the ones whose latest return says Yes.
    """

    month: date
    active: int
    adopted: int


@dataclass(frozen=True, slots=True)
class LocationMonth:
    """One active location in one month of an ICB (``marts.adoption_location_monthly``).

    Attributes:
        location_id: The CQC location.
        month: The first day of the month.
        adopted: Whether its latest return on or before the month end says Yes.
    """

    location_id: str
    month: date
    adopted: bool


@dataclass(frozen=True, slots=True)
class TrajectoryFit:
    """One ICB's fitted curve: the fields of a ``marts.adoption_trajectory`` row.

    The coefficients and their covariance are ``None`` when nothing was fitted (too few
    months, or no slope could be estimated).

    Attributes:
        status: What the fit can say (see :class:`TrajectoryStatus`).
        origin_month: ``t = 0``: the first month fitted.
        months_fitted: Months with active locations (months with none are skipped).
        intercept: ``a``: the logit of the rate at the origin month.
        slope: ``b``: the change in logit per month.
        var_intercept: Variance of ``a``, scale applied.
        var_slope: Variance of ``b``, scale applied.
        cov_intercept_slope: Covariance of ``a`` and ``b``, scale applied.
        scale: Pearson χ² / residual df, at least 1.
        target_rate: The target the fit is judged against.
        latest_month: The last month fitted.
        latest_rate: Its adoption rate (adopted ÷ active).
        month_reached: ``reached`` only: the first month whose observed rate was at or above
            the target (stored as the row's ``month_reaching_target``).
        interval_method: Where the covariance comes from: ``binomial`` (the GLM's, scale
            applied) or ``location_clustered`` (robust to the same locations being counted
            every month: :func:`with_location_clustering`).
    """

    status: TrajectoryStatus
    origin_month: date
    months_fitted: int
    intercept: float | None
    slope: float | None
    var_intercept: float | None
    var_slope: float | None
    cov_intercept_slope: float | None
    scale: float | None
    target_rate: float
    latest_month: date
    latest_rate: float | None
    month_reached: date | None = None
    interval_method: str = "binomial"

    @classmethod
    def from_row(cls, row: Mapping[str, object]) -> TrajectoryFit:
        """Rebuild a fit from a ``marts.adoption_trajectory`` row, keyed by column name.

        Args:
            row: The row; extra columns (``icb_code``, ``run_id``, the reaching months) are
                ignored, except ``month_reaching_target`` of a ``reached`` row.

        Returns:
            The fit, ready for :func:`project`, :func:`month_reaching` and
            :func:`locations_needed` without refitting.
        """
        status = TrajectoryStatus(str(row["status"]))
        return cls(
            status=status,
            origin_month=_required_date(row["origin_month"]),
            months_fitted=int(str(row["months_fitted"])),
            intercept=_optional_float(row.get("intercept")),
            slope=_optional_float(row.get("slope")),
            var_intercept=_optional_float(row.get("var_intercept")),
            var_slope=_optional_float(row.get("var_slope")),
            cov_intercept_slope=_optional_float(row.get("cov_intercept_slope")),
            scale=_optional_float(row.get("scale")),
            target_rate=float(str(row["target_rate"])),
            latest_month=_required_date(row["latest_month"]),
            latest_rate=_optional_float(row.get("latest_rate")),
            month_reached=(
                _optional_date(row.get("month_reaching_target"))
                if status is TrajectoryStatus.REACHED
                else None
            ),
            interval_method=str(row.get("interval_method") or BINOMIAL),
        )


@dataclass(frozen=True, slots=True)
class ProjectedMonth:
    """The fitted rate of one month and its 80% interval (of the curve, not of a month's count).

    Attributes:
        month: The first day of the month.
        rate: The fitted adoption rate.
        low: The 10th percentile.
        high: The 90th percentile.
    """

    month: date
    rate: float
    low: float
    high: float


@dataclass(frozen=True, slots=True)
class Reaching:
    """When the rate reaches the target at the current pace.

    Attributes:
        central: The first month on the fitted curve at or above the target (after the latest
            month); ``None`` if not rising or not within the horizon. For ``reached``, the first
            month observed at or above the target.
        low: The 10th percentile month over the draws; ``None``: not within the horizon.
        high: The 90th percentile month; ``None``: not within the horizon.
        probability_by_horizon: Share of draws reaching the target within the horizon; 1 for
            ``reached``; NaN when there is no model to draw from.
    """

    central: date | None
    low: date | None
    high: date | None
    probability_by_horizon: float


@dataclass(frozen=True, slots=True)
class LocationsNeeded:
    """How many more locations must adopt to reach the target by a date.

    Attributes:
        by: The date asked about.
        active: Active locations (the caller's, usually the latest month's).
        adopted_now: Of those, adopted now.
        required: ``ceil(target × active)``.
        more_needed: ``max(0, required − adopted_now)``.
        projected_adopted: ``round(rate at by × active)`` on the fitted curve (halves up);
            ``None`` without a curve.
        shortfall_at_pace: ``max(0, required − projected_adopted)``; ``None`` without a curve.
    """

    by: date
    active: int
    adopted_now: int
    required: int
    more_needed: int
    projected_adopted: int | None
    shortfall_at_pace: int | None


@dataclass(frozen=True, slots=True)
class _Curve:
    intercept: float
    slope: float
    cov: np.ndarray


def fit_trajectory(
    counts: Sequence[MonthCounts],
    *,
    target_rate: float = TARGET_RATE,
    pace_months: int = PACE_MONTHS,
) -> TrajectoryFit:
    """Fit the logistic curve to one ICB's monthly counts of the latest ``pace_months``.

    Months with no active locations are skipped; ``t`` still counts calendar months from the
    first month fitted, so a gap does not bend the curve. Months before the pace window are not
    fitted (an early ramp would otherwise set the pace of a rate that has since levelled off),
    but count for ``month_reached``.

    Args:
        counts: One entry per month (first-of-month dates, any order, no month twice).
        target_rate: The target, strictly between 0 and 1.
        pace_months: Calendar months, ending with the latest month with active locations, to
            which the curve is fitted; at least :data:`MIN_MONTHS`.

    Returns:
        The fit. ``too_few_months`` below :data:`MIN_MONTHS` fitted months or when no curve
        can be estimated from months with some adoption (no coefficients); ``reached`` when
        the latest rate is at or above the target; ``not_rising`` when the slope is not
        positive or no location ever adopted; ``fitted`` otherwise.

    Raises:
        TrajectoryInputError: No months, a month not on its first day or given twice, negative
            counts, more adopted than active, a target outside (0, 1), or ``pace_months``
            below :data:`MIN_MONTHS`.
    """
    _check_target(target_rate)
    if pace_months < MIN_MONTHS:
        raise TrajectoryInputError(f"pace_months must be at least {MIN_MONTHS}, got {pace_months}")
    ordered = _checked_counts(counts)
    used = [month for month in ordered if month.active > 0]
    if not used:
        return TrajectoryFit(
            status=TrajectoryStatus.TOO_FEW_MONTHS,
            origin_month=ordered[0].month,
            months_fitted=0,
            intercept=None,
            slope=None,
            var_intercept=None,
            var_slope=None,
            cov_intercept_slope=None,
            scale=None,
            target_rate=target_rate,
            latest_month=ordered[-1].month,
            latest_rate=None,
        )
    latest = used[-1].month
    latest_rate = used[-1].adopted / used[-1].active
    reached = latest_rate >= target_rate
    month_reached = next(
        (month.month for month in used if month.adopted / month.active >= target_rate), None
    )
    used = [month for month in used if _months_between(month.month, latest) < pace_months]
    origin = used[0].month
    curve = scale = None
    if len(used) < MIN_MONTHS:
        status = TrajectoryStatus.TOO_FEW_MONTHS
    else:
        fitted = _fit(used, origin=origin)
        if fitted is not None:
            curve, scale = fitted
        if reached:
            status = TrajectoryStatus.REACHED
        elif curve is None and any(month.adopted for month in used):
            # Yes answers only after months of none: the pace cannot be estimated yet.
            status = TrajectoryStatus.TOO_FEW_MONTHS
        elif curve is None or curve.slope <= FLAT_SLOPE:
            status = TrajectoryStatus.NOT_RISING
        else:
            status = TrajectoryStatus.FITTED
    return TrajectoryFit(
        status=status,
        origin_month=origin,
        months_fitted=len(used),
        intercept=curve.intercept if curve else None,
        slope=curve.slope if curve else None,
        var_intercept=float(curve.cov[0, 0]) if curve else None,
        var_slope=float(curve.cov[1, 1]) if curve else None,
        cov_intercept_slope=float(curve.cov[0, 1]) if curve else None,
        scale=scale,
        target_rate=target_rate,
        latest_month=latest,
        latest_rate=latest_rate,
        month_reached=month_reached if status is TrajectoryStatus.REACHED else None,
    )


def with_location_clustering(
    fit: TrajectoryFit, location_months: Sequence[LocationMonth]
) -> TrajectoryFit:
    """The fit with a covariance that allows for the same locations being counted every month.

    The monthly counts are not independent draws: month after month they count the same
    locations, and a location that said Yes last month almost always says Yes this month. The
    binomial covariance (even with its quasi-binomial scale, which here stays at 1 because the
    months vary *less* than a binomial) treats every location-month as new evidence, so its
    interval is far too narrow. The cluster-robust ("sandwich") covariance by location
    (Liang and Zeger, 1986) counts each location once::

        cov = c · H⁻¹ (Σ_g s_g s_gᵀ) H⁻¹,   H = Σ p(1 − p) x xᵀ,   s_g = Σ_{i in g} (y_i − p_i) x_i

    over the location-months of the fitted window, ``x = (1, t)``, ``p`` the fitted rate, ``g``
    a location, and ``c = G/(G − 1) · (N − 1)/(N − 2)`` for G locations and N location-months
    (statsmodels' small-sample correction, so the two agree). The clustered covariance is used
    when its slope variance is the larger; otherwise the fit is returned as it was (never
    narrower than the binomial).

    Args:
        fit: A fit from :func:`fit_trajectory`.
        location_months: The ICB's active location-months (any months: those outside the
            fitted window are ignored), summing to the counts the fit was made from.

    Returns:
        The fit, with ``interval_method`` ``location_clustered`` when the covariance was
        replaced. Unchanged when it has no coefficients or fewer than two locations.
    """
    first, last = fit.origin_month, fit.latest_month
    rows = [row for row in location_months if first <= row.month <= last]
    index: dict[str, int] = {}
    for row in rows:
        index.setdefault(row.location_id, len(index))
    return with_location_clustering_arrays(
        fit,
        month_numbers=np.array([_month_number(row.month) for row in rows], dtype=np.int64),
        adopted=np.array([row.adopted for row in rows], dtype=np.float64),
        location_codes=np.array([index[row.location_id] for row in rows], dtype=np.int64),
    )


def with_location_clustering_arrays(
    fit: TrajectoryFit,
    *,
    month_numbers: np.ndarray,
    adopted: np.ndarray,
    location_codes: np.ndarray,
) -> TrajectoryFit:
    """:func:`with_location_clustering` on columns, for the load (millions of rows).

    Args:
        fit: A fit from :func:`fit_trajectory`.
        month_numbers: Each location-month's month as ``12 × year + month − 1``.
        adopted: 1 where the location's latest return says Yes, else 0.
        location_codes: The location of each row as a whole number (any coding, one per
            location).

    Returns:
        As :func:`with_location_clustering`.
    """
    curve = _curve(fit)
    if curve is None:
        return fit
    origin = _month_number(fit.origin_month)
    inside = (month_numbers >= origin) & (month_numbers <= _month_number(fit.latest_month))
    t = (month_numbers[inside] - origin).astype(np.float64)
    y = np.asarray(adopted, dtype=np.float64)[inside]
    _, g = np.unique(location_codes[inside], return_inverse=True)
    n_groups, n_rows = int(g.max()) + 1 if g.size else 0, int(t.size)
    if n_groups < 2:
        return fit
    x = np.column_stack([np.ones_like(t), t])
    p = 1.0 / (1.0 + np.exp(-(curve.intercept + curve.slope * t)))
    hessian = (x * (p * (1 - p))[:, None]).T @ x
    scores = np.zeros((n_groups, 2))
    np.add.at(scores, g, x * (y - p)[:, None])
    meat = scores.T @ scores
    try:
        bread = np.linalg.inv(hessian)
    except np.linalg.LinAlgError:
        return fit
    correction = n_groups / (n_groups - 1) * (n_rows - 1) / (n_rows - 2)
    clustered = correction * bread @ meat @ bread
    if not np.isfinite(clustered).all() or clustered[1, 1] <= (fit.var_slope or 0.0):
        return fit
    return replace(
        fit,
        var_intercept=float(clustered[0, 0]),
        var_slope=float(clustered[1, 1]),
        cov_intercept_slope=float(clustered[0, 1]),
        interval_method=LOCATION_CLUSTERED,
    )


def _month_number(day: date) -> int:
    return 12 * day.year + day.month - 1


def project(fit: TrajectoryFit, *, through: date) -> list[ProjectedMonth]:
    """The fitted curve month by month from the origin month to ``through``.

    Args:
        fit: A fit (from :func:`fit_trajectory` or :meth:`TrajectoryFit.from_row`).
        through: The last month wanted (any day of it).

    Returns:
        One entry per month, ``origin_month`` to ``through`` inclusive, each with its 80%
        interval (Wald on the logit scale, scale applied); empty when the fit has no
        coefficients (too few months, or no slope could be estimated) or ``through`` is before
        the origin.
    """
    curve = _curve(fit)
    if curve is None:
        return []
    last = _months_between(fit.origin_month, _first_of_month(through))
    projected = []
    for t in range(last + 1):
        logit, se = _linear_predictor(curve, t)
        projected.append(
            ProjectedMonth(
                month=_add_months(fit.origin_month, t),
                rate=_expit(logit),
                low=_expit(logit - _Z * se),
                high=_expit(logit + _Z * se),
            )
        )
    return projected


def month_reaching(
    fit: TrajectoryFit, *, horizon_months: int = 120, draws: int = 2000, seed: int = 7
) -> Reaching:
    """The month the rate reaches the target at the current pace, with its 80% interval.

    A curve (or a draw of one) reaches the target in the first whole month ``t`` after the
    latest month with ``a + b·t ≥ logit(target)``, searched up to ``horizon_months`` after the
    latest month. A curve already above the target at the month after the latest (the
    observed rate being below it) reaches it in that month.

    Args:
        fit: A fit.
        horizon_months: How far after the latest month to look.
        draws: Draws of ``(a, b)`` from their normal distribution for the interval.
        seed: Seed of the draws: the same fit always gives the same interval.

    Returns:
        The central month (from the fitted coefficients; ``None`` when ``not_rising``), the
        10th and 90th percentile months over the draws and the share of draws reaching the
        target within the horizon. ``reached``: the first month observed at the target, three
        times, with probability 1. No coefficients: all ``None``, probability NaN.

    Raises:
        TrajectoryInputError: ``horizon_months`` or ``draws`` below 1.
    """
    if horizon_months < 1 or draws < 1:
        raise TrajectoryInputError("horizon_months and draws must be at least 1")
    if fit.status is TrajectoryStatus.REACHED:
        reached = fit.month_reached or fit.latest_month
        return Reaching(central=reached, low=reached, high=reached, probability_by_horizon=1.0)
    curve = _curve(fit)
    if curve is None or fit.status is TrajectoryStatus.TOO_FEW_MONTHS:
        return Reaching(central=None, low=None, high=None, probability_by_horizon=math.nan)
    threshold = _logit(fit.target_rate)
    first = _months_between(fit.origin_month, fit.latest_month) + 1
    last = first - 1 + horizon_months
    central = None
    if fit.status is not TrajectoryStatus.NOT_RISING:
        t = _crossing_months(
            np.array([curve.intercept]), np.array([curve.slope]), threshold=threshold, first=first
        )[0]
        central = _month_or_none(fit.origin_month, t, last=last)
    rng = np.random.default_rng(seed)
    sample = rng.multivariate_normal([curve.intercept, curve.slope], curve.cov, size=draws)
    months = _crossing_months(sample[:, 0], sample[:, 1], threshold=threshold, first=first)
    months[months > last] = np.inf
    low, high = np.quantile(months, [0.5 - INTERVAL / 2, 0.5 + INTERVAL / 2], method="inverted_cdf")
    return Reaching(
        central=central,
        low=_month_or_none(fit.origin_month, low, last=last),
        high=_month_or_none(fit.origin_month, high, last=last),
        probability_by_horizon=float(np.isfinite(months).mean()),
    )


def locations_needed(
    fit: TrajectoryFit, *, by: date, active: int, adopted_now: int
) -> LocationsNeeded:
    """How many more locations must adopt by ``by``, and the shortfall at the current pace.

    Args:
        fit: A fit (its target and curve are used).
        by: The date asked about; the curve is read at its month.
        active: Active locations (usually the latest month's, unrounded).
        adopted_now: Of those, adopted now.

    Returns:
        The required count ``ceil(target × active)`` (exact decimal arithmetic), how many more
        are needed, and, when the fit has a curve, the count adopted on the curve at ``by`` and
        the shortfall from the required count.

    Raises:
        TrajectoryInputError: ``active`` negative or ``adopted_now`` outside ``0..active``.
    """
    if active < 0 or not 0 <= adopted_now <= active:
        raise TrajectoryInputError(
            f"need 0 <= adopted_now <= active, got adopted_now={adopted_now}, active={active}"
        )
    required = int((Decimal(repr(fit.target_rate)) * active).to_integral_value(ROUND_CEILING))
    curve = _curve(fit)
    projected = shortfall = None
    if curve is not None:
        t = _months_between(fit.origin_month, _first_of_month(by))
        rate = _expit(curve.intercept + curve.slope * t)
        projected = math.floor(rate * active + 0.5)
        shortfall = max(0, required - projected)
    return LocationsNeeded(
        by=by,
        active=active,
        adopted_now=adopted_now,
        required=required,
        more_needed=max(0, required - adopted_now),
        projected_adopted=projected,
        shortfall_at_pace=shortfall,
    )


def _fit(used: Sequence[MonthCounts], *, origin: date) -> tuple[_Curve, float] | None:
    """The coefficients, their scaled covariance and the scale; ``None`` if no fit."""
    adopted = np.array([month.adopted for month in used], dtype=np.float64)
    active = np.array([month.active for month in used], dtype=np.float64)
    if adopted.sum() == 0 or adopted.sum() == active.sum():
        return None  # no Yes (or no No) in any month: the curve runs off to ±infinity
    # statsmodels takes over a second to import: only the load that fits pays for it.
    from statsmodels.genmod.families import Binomial
    from statsmodels.genmod.generalized_linear_model import GLM
    from statsmodels.tools.sm_exceptions import (
        ConvergenceWarning,
        PerfectSeparationWarning,
    )

    t = np.array([_months_between(origin, month.month) for month in used], dtype=np.float64)
    design = np.column_stack([np.ones_like(t), t])
    endog = np.column_stack([adopted, active - adopted])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        warnings.simplefilter("error", ConvergenceWarning)
        # statsmodels also warns of "perfect prediction" when the curve fits every month
        # exactly; true separation shows as coefficients past _MAX_ABS_COEFFICIENT below.
        warnings.simplefilter("ignore", PerfectSeparationWarning)
        try:
            result = GLM(endog, design, family=Binomial()).fit()
        except (ConvergenceWarning, np.linalg.LinAlgError, ValueError):
            return None
    scale = max(1.0, float(result.pearson_chi2) / float(result.df_resid))
    params = np.asarray(result.params, dtype=np.float64)
    cov = np.asarray(result.cov_params(), dtype=np.float64) * scale
    usable = (
        np.isfinite(params).all()
        and np.isfinite(cov).all()
        and np.abs(params).max() <= _MAX_ABS_COEFFICIENT
        and (np.diag(cov) > 0).all()
    )
    if not usable:
        return None
    return _Curve(intercept=float(params[0]), slope=float(params[1]), cov=cov), scale


def _curve(fit: TrajectoryFit) -> _Curve | None:
    values = (
        fit.intercept,
        fit.slope,
        fit.var_intercept,
        fit.var_slope,
        fit.cov_intercept_slope,
    )
    intercept, slope, var_a, var_b, cov_ab = values
    if intercept is None or slope is None or var_a is None or var_b is None or cov_ab is None:
        return None
    return _Curve(
        intercept=intercept, slope=slope, cov=np.array([[var_a, cov_ab], [cov_ab, var_b]])
    )


def _crossing_months(
    intercept: np.ndarray, slope: np.ndarray, *, threshold: float, first: int
) -> np.ndarray:
    """First whole month ``t >= first`` with ``a + b·t >= threshold``; inf if never."""
    with np.errstate(divide="ignore", invalid="ignore"):
        crossing = np.ceil((threshold - intercept) / slope - _CROSSING_TOLERANCE)
    rising = slope > 0
    above_at_first = intercept + slope * first >= threshold - _CROSSING_TOLERANCE
    months = np.where(rising, np.maximum(crossing, first), np.inf)
    return np.where(above_at_first, float(first), months)


def _month_or_none(origin: date, t: float, *, last: int) -> date | None:
    if not np.isfinite(t) or t > last:
        return None
    return _add_months(origin, int(t))


def _linear_predictor(curve: _Curve, t: int) -> tuple[float, float]:
    """``a + b·t`` and its standard error."""
    x = np.array([1.0, float(t)])
    variance = float(x @ curve.cov @ x)
    return curve.intercept + curve.slope * t, math.sqrt(max(variance, 0.0))


def _expit(x: float) -> float:
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)
    return e / (1.0 + e)


def _logit(p: float) -> float:
    return math.log(p / (1.0 - p))


def _check_target(target_rate: float) -> None:
    if not 0.0 < target_rate < 1.0:
        raise TrajectoryInputError(f"target_rate must be between 0 and 1, got {target_rate}")


def _checked_counts(counts: Sequence[MonthCounts]) -> list[MonthCounts]:
    if not counts:
        raise TrajectoryInputError("no months to fit")
    ordered = sorted(counts, key=lambda month: month.month)
    for previous, month in zip([None, *ordered], ordered, strict=False):
        if month.month.day != 1:
            raise TrajectoryInputError(f"months are first days, got {month.month.isoformat()}")
        if previous is not None and previous.month == month.month:
            raise TrajectoryInputError(f"month {month.month.isoformat()} given twice")
        if month.active < 0 or not 0 <= month.adopted <= month.active:
            raise TrajectoryInputError(
                f"{month.month.isoformat()}: need 0 <= adopted <= active, "
                f"got adopted={month.adopted}, active={month.active}"
            )
    return ordered


def _first_of_month(day: date) -> date:
    return date(day.year, day.month, 1)


def _months_between(start: date, end: date) -> int:
    return (end.year - start.year) * 12 + end.month - start.month


def _add_months(start: date, months: int) -> date:
    index = start.year * 12 + start.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def _optional_float(value: object) -> float | None:
    if value is None:
        return None
    number = float(str(value))
    return None if math.isnan(number) else number


def _optional_date(value: object) -> date | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def _required_date(value: object) -> date:
    day = _optional_date(value)
    if day is None:
        raise TrajectoryInputError("a trajectory row needs origin_month and latest_month")
    return day
