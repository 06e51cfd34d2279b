"""Before/after DSCR go-live: an interrupted time-series count model of one monthly series.

The model is a log-linear regression of monthly event counts with the month's exposure (bed
days or scheduled doses) as offset::

    log E[count] = log(exposure) + b0 + b1·t + b2·after + b3·(t − t0)·after
                   [+ c1·sin(2πm/12) + c2·cos(2πm/12)]

``t`` counts calendar months from the first month fitted, ``t0`` is the first month after
go-live, ``m`` the calendar month (1–12). ``exp(b2)`` is the change in rate at go-live and
``exp(b3)`` the change in the monthly trend. Poisson first; negative binomial (NB2, its
dispersion estimated by maximum likelihood) when the Poisson fit is overdispersed. See
docs/impact.md for every choice and its reason.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from statistics import NormalDist

import numpy as np
import polars as pl

MIN_MONTHS = 6
"""Full months needed on each side of go-live to fit a level and a slope."""
SEASONAL_MIN_MONTHS = 24
"""Months fitted in all (before plus after) from which the seasonal terms are added."""
OVERDISPERSION_THRESHOLD = 1.5
"""Pearson χ² / residual df of the Poisson fit above which negative binomial is used."""
DRAWS = 2_000
"""Coefficient draws for the intervals of expected and avoided events."""
SEED = 20_240_401
"""Default seed of those draws: the same series always gives the same intervals."""
_Z = NormalDist().inv_cdf(0.975)
_MAX_ABS_LOG = 50.0  # a coefficient this large means separation, not an estimate
SERIES_COLUMNS = ("month", "events", "exposure")
"""Columns ``estimate_impact`` reads: month (date, first day), events (count), exposure."""


class ImpactInputError(ValueError):
    """A series handed to ``estimate_impact`` is not one row per month with the columns named."""


class ImpactStatus(StrEnum):
    """Whether a series was estimated and, if not, why."""

    ESTIMATED = "estimated"
    NO_GO_LIVE = "no_go_live"
    TOO_FEW_MONTHS_BEFORE = "too_few_months_before"
    TOO_FEW_MONTHS_AFTER = "too_few_months_after"
    NO_EXPOSURE = "no_exposure"
    NO_EVENTS = "no_events"
    DID_NOT_CONVERGE = "did_not_converge"


class CountModel(StrEnum):
    """The count distribution fitted."""

    POISSON = "poisson"
    NEGATIVE_BINOMIAL = "negative_binomial"


@dataclass(frozen=True, slots=True)
class Interval:
    """An estimate and its 95% interval."""

    estimate: float
    lower: float
    upper: float


@dataclass(frozen=True, slots=True)
class ImpactEstimate:
    """The before/after estimate of one series.

    Attributes:
        status: ``estimated`` or why not.
        months_before: Months with exposure before go-live that the fit used (or would use).
        months_after: Months with exposure from the first full month after go-live.
        model: Count model fitted; ``None`` unless estimated.
        has_seasonal_term: Whether the sin/cos terms were fitted; ``None`` unless estimated.
        level_change: Rate ratio at go-live (``exp(b2)``).
        slope_change: Multiplicative change per month in the trend (``exp(b3)``).
        observed_since_go_live: Events in the months after go-live.
        expected_since_go_live: Counterfactual events in those months (no go-live).
        avoided: Expected minus observed events, with a 95% interval.
        counterfactual: One row per month after go-live: ``month``, ``observed``, ``expected``,
            ``expected_lower``, ``expected_upper`` (events); empty unless estimated.
    """

    status: ImpactStatus
    months_before: int
    months_after: int
    model: CountModel | None = None
    has_seasonal_term: bool | None = None
    level_change: Interval | None = None
    slope_change: Interval | None = None
    observed_since_go_live: float | None = None
    expected_since_go_live: float | None = None
    avoided: Interval | None = None
    counterfactual: pl.DataFrame | None = None


def first_month_after(go_live: date) -> date:
    """First calendar month counted as after go-live.

    A go-live on the 1st makes its own month the first after; otherwise the go-live month is
    a transition month, half paper and half digital, and is left out of the fit.
    """
    if go_live.day == 1:
        return go_live
    return date(go_live.year + go_live.month // 12, go_live.month % 12 + 1, 1)


def estimate_impact(
    series: pl.DataFrame,
    *,
    go_live: date | None,
    min_months: int = MIN_MONTHS,
    overdispersion_threshold: float = OVERDISPERSION_THRESHOLD,
    seasonal_min_months: int = SEASONAL_MIN_MONTHS,
    draws: int = DRAWS,
    seed: int = SEED,
) -> ImpactEstimate:
    """Estimate the change at go-live in one monthly count series.

    Args:
        series: One row per calendar month: ``month`` (date, first day), ``events`` (count;
            null counts as 0) and ``exposure`` (bed days or doses). Months with null or zero
            exposure are left out.
        go_live: DSCR go-live date; ``None`` if the location is not live.
        min_months: Months needed on each side of go-live.
        overdispersion_threshold: Pearson χ²/df above which negative binomial replaces Poisson.
        seasonal_min_months: Months fitted in all from which sin/cos terms are added.
        draws: Coefficient draws for the intervals of expected and avoided events.
        seed: Seed of those draws.

    Returns:
        The estimate, or a status saying why there is none.

    Raises:
        ImpactInputError: If a column is missing or a month appears twice.
    """
    usable = _usable_months(series)
    if go_live is None:
        return ImpactEstimate(status=ImpactStatus.NO_GO_LIVE, months_before=0, months_after=0)
    after_from = first_month_after(go_live)
    before = usable.filter(pl.col("month") < date(go_live.year, go_live.month, 1))
    after = usable.filter(pl.col("month") >= after_from)
    status = _status_before_fit(before=before, after=after, min_months=min_months)
    fitted = None
    if status is None:
        frame = pl.concat([before, after])
        seasonal = frame.height >= seasonal_min_months
        design = _design(frame, after_from=after_from, seasonal=seasonal)
        fitted = _fit(frame=frame, design=design, overdispersion_threshold=overdispersion_threshold)
    estimate = None
    if fitted is not None:
        model, params, cov = fitted
        estimate = _summarise(
            frame=frame,
            design=design,
            model=model,
            params=params,
            cov=cov,
            seasonal=seasonal,
            rng=np.random.default_rng(seed),
            draws=draws,
            months=(before.height, after.height),
        )
    if estimate is not None:
        return estimate
    return ImpactEstimate(
        status=status or ImpactStatus.DID_NOT_CONVERGE,
        months_before=before.height,
        months_after=after.height,
    )


def _status_before_fit(
    *, before: pl.DataFrame, after: pl.DataFrame, min_months: int
) -> ImpactStatus | None:
    """Why a series cannot be fitted, or ``None`` if it can."""
    if before.is_empty() and after.is_empty():
        return ImpactStatus.NO_EXPOSURE
    if before.height < min_months:
        return ImpactStatus.TOO_FEW_MONTHS_BEFORE
    if after.height < min_months:
        return ImpactStatus.TOO_FEW_MONTHS_AFTER
    if before["events"].sum() == 0 or after["events"].sum() == 0:
        # The log rate ratio would be infinite: no estimate, however long the series.
        return ImpactStatus.NO_EVENTS
    return None


def _usable_months(series: pl.DataFrame) -> pl.DataFrame:
    missing = [c for c in SERIES_COLUMNS if c not in series.columns]
    if missing:
        raise ImpactInputError(f"series lacks column(s) {', '.join(missing)}")
    if series["month"].is_duplicated().any():
        raise ImpactInputError("series has more than one row for a month")
    return (
        series.select(
            pl.col("month").cast(pl.Date),
            pl.col("events").fill_null(0).cast(pl.Float64),
            pl.col("exposure").cast(pl.Float64),
        )
        .filter(pl.col("exposure") > 0)
        .sort("month")
    )


def _month_index(months: pl.Series) -> np.ndarray:
    return (months.dt.year() * 12 + months.dt.month()).to_numpy().astype(np.float64)


def _design(frame: pl.DataFrame, *, after_from: date, seasonal: bool) -> np.ndarray:
    """Columns: constant, t, after, (t − t0)·after[, sin, cos] (t in months, 0 at the first)."""
    index = _month_index(frame["month"])
    t = index - index[0]
    t0 = after_from.year * 12 + after_from.month - index[0]
    after = (t >= t0).astype(np.float64)
    columns = [np.ones_like(t), t, after, (t - t0) * after]
    if seasonal:
        angle = 2 * np.pi * frame["month"].dt.month().to_numpy() / 12
        columns += [np.sin(angle), np.cos(angle)]
    return np.column_stack(columns)


def _fit(
    *, frame: pl.DataFrame, design: np.ndarray, overdispersion_threshold: float
) -> tuple[CountModel, np.ndarray, np.ndarray] | None:
    """Fitted model, coefficients and their covariance; ``None`` if a fit failed."""
    # statsmodels takes over a second to import: only a load that fits pays for it, not every
    # importer of the models package (the web app imports models.spc).
    from statsmodels.genmod.families import NegativeBinomial, Poisson
    from statsmodels.genmod.generalized_linear_model import GLM
    from statsmodels.tools.sm_exceptions import ConvergenceWarning, ModelWarning

    y = frame["events"].to_numpy()
    exposure = frame["exposure"].to_numpy()
    with warnings.catch_warnings():
        # Separation and singular Hessians are caught by the checks below; a fit that did
        # not converge must not pass as an estimate.
        warnings.simplefilter("ignore", ModelWarning)
        warnings.simplefilter("ignore", RuntimeWarning)
        warnings.simplefilter("error", ConvergenceWarning)
        try:
            poisson = GLM(y, design, family=Poisson(), exposure=exposure).fit()
            dispersion = poisson.pearson_chi2 / poisson.df_resid
            if not dispersion > overdispersion_threshold:
                return _checked(CountModel.POISSON, poisson.params, poisson.cov_params())
            alpha = _nb_alpha(y=y, design=design, exposure=exposure, start=poisson.params)
            if alpha is None:
                return None
            family = NegativeBinomial(alpha=alpha)
            nb = GLM(y, design, family=family, exposure=exposure).fit()
            scale = max(1.0, nb.pearson_chi2 / nb.df_resid)
            return _checked(CountModel.NEGATIVE_BINOMIAL, nb.params, nb.cov_params() * scale)
        except (ConvergenceWarning, np.linalg.LinAlgError, ValueError):
            return None


def _nb_alpha(
    *, y: np.ndarray, design: np.ndarray, exposure: np.ndarray, start: np.ndarray
) -> float | None:
    """NB2 dispersion by maximum likelihood, from the Poisson coefficients."""
    from statsmodels.discrete.discrete_model import NegativeBinomial as NegativeBinomialMle

    mle = NegativeBinomialMle(y, design, loglike_method="nb2", exposure=exposure)
    result = mle.fit(start_params=np.append(start, 0.1), method="bfgs", maxiter=500, disp=0)
    alpha = float(result.params[-1])
    if not result.mle_retvals.get("converged", False) or not np.isfinite(alpha) or alpha <= 0:
        return None
    return alpha


def _checked(
    model: CountModel, params: np.ndarray, cov: np.ndarray
) -> tuple[CountModel, np.ndarray, np.ndarray] | None:
    params, cov = np.asarray(params, dtype=np.float64), np.asarray(cov, dtype=np.float64)
    finite = np.isfinite(params).all() and np.isfinite(cov).all()
    if not finite or np.abs(params).max() > _MAX_ABS_LOG or (np.diag(cov) <= 0).any():
        return None
    return model, params, cov


def _ratio(params: np.ndarray, cov: np.ndarray, column: int) -> Interval:
    estimate, se = params[column], float(np.sqrt(cov[column, column]))
    return Interval(
        estimate=float(np.exp(estimate)),
        lower=float(np.exp(estimate - _Z * se)),
        upper=float(np.exp(estimate + _Z * se)),
    )


def _summarise(
    *,
    frame: pl.DataFrame,
    design: np.ndarray,
    model: CountModel,
    params: np.ndarray,
    cov: np.ndarray,
    seasonal: bool,
    rng: np.random.Generator,
    draws: int,
    months: tuple[int, int],
) -> ImpactEstimate | None:
    """Ratios with Wald intervals; counterfactual and avoided events by simulation.

    ``None`` when a figure overflows: a fit so uncertain that an interval has no finite end.
    """
    rows = design[:, 2] == 1
    counterfactual_design = design[rows].copy()
    counterfactual_design[:, 2:4] = 0  # no level and no slope change: the world without go-live
    log_exposure = np.log(frame["exposure"].to_numpy()[rows])
    simulated = rng.multivariate_normal(params, cov, size=draws)
    with np.errstate(over="ignore", invalid="ignore"):
        expected = np.exp(counterfactual_design @ params + log_exposure)
        expected_draws = np.exp(counterfactual_design @ simulated.T + log_exposure[:, None])
        observed = frame["events"].to_numpy()[rows]
        avoided_draws = expected_draws.sum(axis=0) - observed.sum()
        lower, upper = np.percentile(expected_draws, [2.5, 97.5], axis=1)
        avoided_lower, avoided_upper = np.percentile(avoided_draws, [2.5, 97.5])
        level, slope = _ratio(params, cov, 2), _ratio(params, cov, 3)
    figures = [level.lower, level.upper, slope.lower, slope.upper, avoided_lower, avoided_upper]
    if not (np.isfinite(figures).all() and np.isfinite(upper).all()):
        return None
    return ImpactEstimate(
        status=ImpactStatus.ESTIMATED,
        model=model,
        has_seasonal_term=seasonal,
        level_change=level,
        slope_change=slope,
        observed_since_go_live=float(observed.sum()),
        expected_since_go_live=float(expected.sum()),
        avoided=Interval(
            estimate=float(expected.sum() - observed.sum()),
            lower=float(avoided_lower),
            upper=float(avoided_upper),
        ),
        counterfactual=pl.DataFrame(
            {
                "month": frame["month"].filter(pl.Series(rows)),
                "observed": observed,
                "expected": expected,
                "expected_lower": lower,
                "expected_upper": upper,
            }
        ),
        months_before=months[0],
        months_after=months[1],
    )
