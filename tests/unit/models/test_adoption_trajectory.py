"""The adoption trajectory (models.adoption_trajectory) on hand-worked monthly counts.

The main case, ``PACE``, is a logistic curve met exactly in whole numbers: in month ``t``
(January 2024 is ``t = 0``) ``3^t`` of ``3^t + 2^(t+2)`` active locations have adopted, so the
odds of adoption are ``3^t / 2^(t+2) = (1/4)·(3/2)^t`` and

    logit(rate) = a + b·t    with    a = ln(1/4) = −1.386294,  b = ln(3/2) = 0.405465.

The counts fit the curve exactly (Pearson χ² = 0, so the scale is 1), which makes the maximum
likelihood estimate the curve itself. The target 80% is logit ln 4 = 1.386294, crossed at
t = (ln 4 + ln 4) / ln 1.5 = 6.838: the first whole month at or above it is t = 7, August 2024
(odds 3^7/2^9 = 2187/512 = 4.27 > 4; July's are 729/256 = 2.85 < 4).
"""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import date

import numpy as np
import pytest

from models.adoption_trajectory import (
    TARGET_RATE,
    LocationMonth,
    LocationsNeeded,
    MonthCounts,
    Reaching,
    TrajectoryFit,
    TrajectoryInputError,
    TrajectoryStatus,
    fit_trajectory,
    locations_needed,
    month_reaching,
    project,
    with_location_clustering,
)

A, B = math.log(0.25), math.log(1.5)


def month(t: int) -> date:
    """The first day of month ``t``, January 2024 being ``t = 0``."""
    return date(2024 + t // 12, t % 12 + 1, 1)


PACE = [MonthCounts(month=month(t), active=3**t + 2 ** (t + 2), adopted=3**t) for t in range(6)]
"""Active 5, 11, 25, 59, 145, 371; adopted 1, 3, 9, 27, 81, 243 (latest rate 65.5%)."""


def counts(adopted: list[int], *, active: int) -> list[MonthCounts]:
    """Months from January 2024 with the same number of active locations."""
    return [MonthCounts(month=month(t), active=active, adopted=a) for t, a in enumerate(adopted)]


def test_exact_logistic_counts_give_back_the_curve_and_its_information() -> None:
    """It recovers a, b exactly and the covariance is the inverse of Σ w·x·xᵀ (scale 1)."""
    # Given the counts of the curve a = ln(1/4), b = ln(3/2)
    # When the trajectory is fitted
    fit = fit_trajectory(PACE)
    # Then a and b come back, and the covariance is the inverse Fisher information: with
    # w_t = adopted·(active − adopted)/active = 4/5, 24/11, 144/25, 864/59, 5184/145, 31104/371,
    # S0 = Σw = 142.975885, S1 = Σt·w = 619.832293, S2 = Σt²·w = 2825.002888 and
    # D = S0·S2 − S1² = 19 704.12: var a = S2/D, var b = S0/D, cov = −S1/D.
    assert fit.status is TrajectoryStatus.FITTED
    assert fit.intercept == pytest.approx(A, abs=1e-6)
    assert fit.slope == pytest.approx(B, abs=1e-6)
    assert fit.scale == 1.0
    assert fit.var_intercept == pytest.approx(0.1432905, abs=1e-6)
    assert fit.var_slope == pytest.approx(0.0072521, abs=1e-6)
    assert fit.cov_intercept_slope == pytest.approx(-0.0314393, abs=1e-6)
    assert (fit.origin_month, fit.latest_month, fit.months_fitted) == (month(0), month(5), 6)
    assert fit.latest_rate == pytest.approx(243 / 371)
    assert fit.target_rate == TARGET_RATE == 0.8


def test_counts_rounded_from_a_known_curve_recover_it_to_three_decimals() -> None:
    """It recovers a = −1.5, b = 0.1 from 24 months of a million locations, rounded."""
    # Given adopted = round(1,000,000 × expit(−1.5 + 0.1·t)) for t = 0..23
    rates = [1 / (1 + math.exp(1.5 - 0.1 * t)) for t in range(24)]
    series = counts([round(1_000_000 * rate) for rate in rates], active=1_000_000)
    # When fitted
    fit = fit_trajectory(series)
    # Then a and b agree to 3 decimals (rounding is the only noise, so the scale stays 1)
    assert fit.intercept == pytest.approx(-1.5, abs=5e-4)
    assert fit.slope == pytest.approx(0.1, abs=5e-4)
    assert fit.scale == 1.0


def test_the_target_month_is_the_first_whole_month_past_the_crossing() -> None:
    """It puts the central month at August 2024 and the 80% interval at August to September."""
    # Given the PACE fit
    fit = fit_trajectory(PACE)
    # When asked when it reaches 80%
    reaching = month_reaching(fit)
    # Then the central month is t = ceil(6.838) = 7. The interval, by hand from the normal
    # a + b·t: at t = 6 its mean is ln(729/256) = 1.046587 and its variance
    # var a + 36 var b + 12 cov = 0.027093 (sd 0.164600), so P(reached by July) =
    # P(z > (1.386294 − 1.046587)/0.1646 = 2.06) = 0.02; at t = 7 mean ln(2187/512) = 1.451986,
    # sd 0.241850, P = Φ(0.272) = 0.61; at t = 8 mean 1.857452, sd 0.323100, P = Φ(1.458) =
    # 0.93. The 10th percentile month is therefore August (0.02 < 0.1 ≤ 0.61) and the 90th
    # September (0.61 < 0.9 ≤ 0.93); every draw gets there within ten years.
    assert reaching == Reaching(
        central=date(2024, 8, 1),
        low=date(2024, 8, 1),
        high=date(2024, 9, 1),
        probability_by_horizon=1.0,
    )


def test_a_horizon_too_short_leaves_the_month_open() -> None:
    """It gives no central month when the crossing falls after the horizon."""
    # Given the PACE fit (latest month June 2024)
    fit = fit_trajectory(PACE)
    # When looking only one month ahead (July 2024)
    reaching = month_reaching(fit, horizon_months=1)
    # Then the central August is past it, and only about 2% of draws reach 80% in July
    assert reaching.central is None
    assert reaching.high is None
    assert reaching.probability_by_horizon == pytest.approx(0.02, abs=0.015)


def test_the_projection_carries_the_curve_and_its_80_percent_band() -> None:
    """It projects month by month from the origin with a Wald band on the logit scale."""
    # Given the PACE fit
    fit = fit_trajectory(PACE)
    # When projected through any day of August 2024
    projected = project(fit, through=date(2024, 8, 19))
    # Then there are 8 months, January to August; each rate is on the curve (August:
    # 2187 / (2187 + 512) = 0.810300), and August's band is expit(1.451986 ∓ 1.281552 ×
    # 0.241850) = expit(1.142046) to expit(1.761926) = 0.758050 to 0.853448.
    assert [p.month for p in projected] == [month(t) for t in range(8)]
    assert [p.rate for p in projected[:6]] == pytest.approx([a.adopted / a.active for a in PACE])
    august = projected[-1]
    assert august.month == date(2024, 8, 1)
    assert august.rate == pytest.approx(2187 / 2699)
    assert (august.low, august.high) == pytest.approx((0.758050, 0.853448), abs=1e-6)
    assert project(fit, through=date(2023, 12, 31)) == []


def test_locations_needed_counts_the_gap_now_and_at_the_current_pace() -> None:
    """It needs ceil(0.8 × 35) = 28, 8 more than 20, and the curve gives 26 by July."""
    # Given the PACE fit and an ICB of 35 active locations, 20 of them adopted
    fit = fit_trajectory(PACE)
    # When asked about 31 July 2024 and 1 August 2024
    by_july = locations_needed(fit, by=date(2024, 7, 31), active=35, adopted_now=20)
    by_august = locations_needed(fit, by=date(2024, 8, 1), active=35, adopted_now=20)
    # Then 28 are required (0.8 × 35 is 28.000000000000004 in floating point: it must not
    # become 29); July's curve rate 729/985 gives 35 × 0.740102 = 25.90 → 26, short by 2;
    # August's 2187/2699 gives 28.36 → 28, no shortfall.
    assert by_july == LocationsNeeded(
        by=date(2024, 7, 31),
        active=35,
        adopted_now=20,
        required=28,
        more_needed=8,
        projected_adopted=26,
        shortfall_at_pace=2,
    )
    assert (by_august.projected_adopted, by_august.shortfall_at_pace) == (28, 0)


def test_locations_needed_is_never_negative_and_has_no_pace_without_a_curve() -> None:
    """It gives 0 more needed past the target and no projection for too few months."""
    # Given a fit of five months only
    fit = fit_trajectory(PACE[:5])
    # When 30 of 35 have adopted
    needed = locations_needed(fit, by=date(2025, 1, 1), active=35, adopted_now=30)
    # Then nothing more is needed and there is no pace to project
    assert (needed.required, needed.more_needed) == (28, 0)
    assert (needed.projected_adopted, needed.shortfall_at_pace) == (None, None)


def test_a_gap_month_is_skipped_but_time_still_counts_calendar_months() -> None:
    """It skips a month with no active locations and keeps t in calendar months."""
    # Given the PACE months with March 2024 replaced by a month of no active locations, and
    # the curve continued to July (t = 6: 729 of 985)
    series = [*PACE, MonthCounts(month=month(6), active=729 + 256, adopted=729)]
    series[2] = MonthCounts(month=month(2), active=0, adopted=0)
    # When fitted
    fit = fit_trajectory(series)
    # Then six months are fitted and the curve is still a = ln(1/4), b = ln(3/2)
    assert fit.months_fitted == 6
    assert fit.intercept == pytest.approx(A, abs=1e-6)
    assert fit.slope == pytest.approx(B, abs=1e-6)
    assert fit.latest_month == month(6)


def test_a_rate_at_the_target_is_reached_on_the_first_month_observed_there() -> None:
    """It reports 'reached' with the first observed month at 80%, here May 2024."""
    # Given odds doubling monthly from 1/4 with 90 active: 18, 30, 45, 60, 72, 80 adopted
    # (rates 20%, 33%, 50%, 67%, 80%, 89%)
    fit = fit_trajectory(counts([18, 30, 45, 60, 72, 80], active=90))
    # When asked when it reaches 80%
    reaching = month_reaching(fit)
    # Then it is reached, in May (t = 4, exactly 72 of 90), and the curve is still fitted
    # (a = ln(1/4), b = ln 2)
    assert fit.status is TrajectoryStatus.REACHED
    assert fit.month_reached == date(2024, 5, 1)
    assert fit.slope == pytest.approx(math.log(2), abs=1e-6)
    assert reaching == Reaching(
        central=date(2024, 5, 1),
        low=date(2024, 5, 1),
        high=date(2024, 5, 1),
        probability_by_horizon=1.0,
    )


def test_a_flat_rate_is_not_rising_and_its_scale_is_pearsons() -> None:
    """It gives a = b = 0, scale 32/6 and the scaled covariance for a rate around 50%."""
    # Given 8 months of 100 locations at 60, 40, 40, 60, 40, 60, 60, 40 adopted: residuals
    # ±10 summing to 0 with Σt·r = 10·(0 + 3 + 5 + 6) − 10·(1 + 2 + 4 + 7) = 0, so the fit is
    # exactly a = 0, b = 0 (rate 50%)
    fit = fit_trajectory(counts([60, 40, 40, 60, 40, 60, 60, 40], active=100))
    # When its reaching month is asked for
    reaching = month_reaching(fit)
    # Then Pearson χ² = 8 × 10² / (100 × 0.25) = 32 on 6 df gives scale 5.333333, and the
    # information 25·[[8, 28], [28, 140]] inverts to [[140, −28], [−28, 8]] / 8400, so
    # var a = 140/8400 × 5.3333 = 0.088889, var b = 8/8400 × 5.3333 = 0.005079 and
    # cov = −28/8400 × 5.3333 = −0.017778. The slope is not positive: no central month.
    assert fit.status is TrajectoryStatus.NOT_RISING
    assert fit.intercept == pytest.approx(0.0, abs=1e-9)
    assert fit.slope == pytest.approx(0.0, abs=1e-9)
    assert fit.scale == pytest.approx(32 / 6)
    assert fit.var_intercept == pytest.approx(0.088889, abs=1e-6)
    assert fit.var_slope == pytest.approx(0.005079, abs=1e-6)
    assert fit.cov_intercept_slope == pytest.approx(-0.017778, abs=1e-6)
    assert reaching.central is None
    assert 0.0 < reaching.probability_by_horizon < 1.0


def test_a_falling_rate_is_not_rising() -> None:
    """It gives 'not_rising', no central month, and still projects the falling curve."""
    # Given a rate falling from 70% to 45% of 100 locations
    fit = fit_trajectory(counts([70, 65, 60, 55, 50, 45], active=100))
    # When projected and asked for its month
    projected = project(fit, through=month(8))
    reaching = month_reaching(fit)
    # Then the slope is negative, there is no central month, and the projection falls
    assert fit.status is TrajectoryStatus.NOT_RISING
    assert fit.slope is not None
    assert fit.slope < 0
    assert reaching.central is None
    assert projected[-1].rate < projected[0].rate


def test_the_current_pace_is_the_latest_24_months() -> None:
    """It fits the last 24 months only, so an old ramp does not hide a levelled-off rate."""
    # Given a year rising from 10 to 65 of 100 locations, then 24 months flat at 60 of 100
    ramp = [10 + 5 * t for t in range(12)]
    series = counts([*ramp, *[60] * 24], active=100)
    # When fitted at the current pace, and over all 36 months
    fit = fit_trajectory(series)
    whole = fit_trajectory(series, pace_months=36)
    # Then the pace fit starts in January 2025 (t = 12) with a = logit(0.6) = ln 1.5 =
    # 0.405465 and b = 0: not rising. With w = 100 × 0.6 × 0.4 = 24 a month, S0 = 24 × 24 =
    # 576, S1 = 24 × 276 = 6624, S2 = 24 × 4324 = 103 776, D = 576 × 103 776 − 6624² =
    # 15 897 600, so var b = 576 / 15 897 600 = 3.6232e-5. The whole history calls it rising.
    assert fit.origin_month == date(2025, 1, 1)
    assert fit.months_fitted == 24
    assert fit.status is TrajectoryStatus.NOT_RISING
    assert fit.intercept == pytest.approx(math.log(1.5), abs=1e-6)
    assert fit.slope == pytest.approx(0.0, abs=1e-9)
    assert fit.var_slope == pytest.approx(3.6232e-5, rel=1e-4)
    assert whole.status is TrajectoryStatus.FITTED
    assert whole.months_fitted == 36


def test_no_adoption_in_any_month_is_not_rising_without_a_curve() -> None:
    """It reports 'not_rising' with no coefficients when nobody has adopted."""
    # Given seven months of 90 active locations, none adopted
    fit = fit_trajectory(counts([0] * 7, active=90))
    # When projected
    # Then there is no curve, no projection and no month
    assert fit.status is TrajectoryStatus.NOT_RISING
    assert fit.intercept is None
    assert fit.scale is None
    assert fit.latest_rate == 0.0
    assert project(fit, through=month(12)) == []
    reaching = month_reaching(fit)
    assert (reaching.central, reaching.low, reaching.high) == (None, None, None)
    assert math.isnan(reaching.probability_by_horizon)


def test_fewer_than_six_months_are_too_few() -> None:
    """It fits nothing from five months."""
    # Given the first five PACE months
    fit = fit_trajectory(PACE[:5])
    # When projected
    # Then it says too few months, with the latest month and rate still given
    assert fit.status is TrajectoryStatus.TOO_FEW_MONTHS
    assert (fit.months_fitted, fit.intercept, fit.slope) == (5, None, None)
    assert fit.latest_rate == pytest.approx(81 / 145)
    assert project(fit, through=month(12)) == []
    assert month_reaching(fit).central is None


def test_adoption_only_in_the_last_month_is_too_few_to_estimate_a_pace() -> None:
    """It does not call a curve that runs to infinity 'not rising'."""
    # Given five months with no adoption then 3 of 10 (separation: the slope has no finite
    # maximum likelihood estimate)
    fit = fit_trajectory(counts([0, 0, 0, 0, 0, 3], active=10))
    # When fitted
    # Then there is no curve and the status says the months are too few
    assert fit.status is TrajectoryStatus.TOO_FEW_MONTHS
    assert fit.intercept is None
    assert fit.months_fitted == 6


def test_a_fit_survives_the_round_trip_through_a_mart_row() -> None:
    """It rebuilds the same fit from the row the load writes."""
    # Given a fitted and a reached fit, written as rows with the extra mart columns
    fitted = fit_trajectory(PACE)
    reached = fit_trajectory(counts([18, 30, 45, 60, 72, 80], active=90))
    rows = [
        {
            "icb_code": "QZZ",
            "status": fit.status.value,
            "origin_month": fit.origin_month,
            "months_fitted": fit.months_fitted,
            "intercept": fit.intercept,
            "slope": fit.slope,
            "var_intercept": fit.var_intercept,
            "var_slope": fit.var_slope,
            "cov_intercept_slope": fit.cov_intercept_slope,
            "scale": fit.scale,
            "target_rate": fit.target_rate,
            "month_reaching_target": fit.month_reached or date(2099, 1, 1),
            "latest_month": fit.latest_month,
            "latest_rate": fit.latest_rate,
            "run_id": "run-1",
        }
        for fit in (fitted, reached)
    ]
    # When rebuilt
    rebuilt = [TrajectoryFit.from_row(row) for row in rows]
    # Then both are the same fit (a fitted row's central month is not read back)
    assert rebuilt == [fitted, reached]


def test_another_target_moves_the_month() -> None:
    """It crosses 2/3 (logit ln 2) at t = (ln 2 + ln 4)/ln 1.5 = 5.13, so June 2024 → t = 6."""
    # Given the PACE counts judged against two thirds
    fit = fit_trajectory(PACE, target_rate=2 / 3)
    # When asked for the month
    # Then July 2024 (t = 6: odds 2.85 ≥ 2) is the first month after June's 65.5%
    assert fit.status is TrajectoryStatus.FITTED
    assert month_reaching(fit).central == date(2024, 7, 1)
    assert locations_needed(fit, by=month(6), active=30, adopted_now=0).required == 20


def test_the_same_seed_gives_the_same_interval() -> None:
    """It draws reproducibly."""
    # Given a noisy rising series
    rng = np.random.default_rng(3)
    adopted = [int(rng.binomial(80, 1 / (1 + math.exp(0.5 - 0.08 * t)))) for t in range(18)]
    fit = fit_trajectory(counts(adopted, active=80))
    # When asked twice with the same seed
    # Then the answers agree
    assert month_reaching(fit, seed=11) == month_reaching(fit, seed=11)


@pytest.mark.parametrize(
    ("series", "message"),
    [
        ([], "no months"),
        ([MonthCounts(month=date(2024, 1, 2), active=5, adopted=1)], "first days"),
        ([PACE[0], replace(PACE[0], adopted=2)], "given twice"),
        ([MonthCounts(month=month(0), active=5, adopted=6)], "adopted <= active"),
    ],
)
def test_bad_counts_are_refused(series: list[MonthCounts], message: str) -> None:
    """It refuses counts it cannot fit, saying why."""
    # Given bad counts
    # When fitted
    # Then a TrajectoryInputError names the problem
    with pytest.raises(TrajectoryInputError, match=message):
        fit_trajectory(series)


def test_bad_arguments_are_refused() -> None:
    """It refuses a target outside (0, 1), a short pace, a zero horizon and impossible counts."""
    # Given the PACE fit
    fit = fit_trajectory(PACE)
    # When called with impossible arguments
    # Then each is refused
    with pytest.raises(TrajectoryInputError, match="target_rate"):
        fit_trajectory(PACE, target_rate=1.0)
    with pytest.raises(TrajectoryInputError, match="pace_months"):
        fit_trajectory(PACE, pace_months=5)
    with pytest.raises(TrajectoryInputError, match="horizon"):
        month_reaching(fit, horizon_months=0)
    with pytest.raises(TrajectoryInputError, match="adopted_now"):
        locations_needed(fit, by=month(9), active=10, adopted_now=11)


def cohort() -> tuple[list[MonthCounts], list[LocationMonth]]:
    """40 locations over 7 months of 2024: location k says Yes from month k mod 10 on (never
    for k mod 10 of 7 to 9), so 4 more locations adopt each month and each stays adopted."""
    rows = [
        LocationMonth(location_id=f"1-{k:09d}", month=month(t), adopted=t >= k % 10)
        for k in range(40)
        for t in range(7)
    ]
    monthly = [
        MonthCounts(
            month=month(t),
            active=40,
            adopted=sum(row.adopted for row in rows if row.month == month(t)),
        )
        for t in range(7)
    ]
    return monthly, rows


def test_the_location_clustered_covariance_is_statsmodels_cluster_robust_one() -> None:
    # Given a cohort counted month after month: adopted 4, 8, …, 28 of 40
    monthly, rows = cohort()
    assert [m.adopted for m in monthly] == [4, 8, 12, 16, 20, 24, 28]
    fit = fit_trajectory(monthly)

    # When the covariance is made robust to the repeated locations
    clustered = with_location_clustering(fit, rows)

    # Then it is statsmodels' cluster-robust covariance of the same model on the
    #   location-months (same likelihood, so the same a and b), to a part in a million
    from statsmodels.genmod.families import Binomial
    from statsmodels.genmod.generalized_linear_model import GLM

    t = np.array([(row.month.year - 2024) * 12 + row.month.month - 1 for row in rows], float)
    y = np.array([row.adopted for row in rows], float)
    groups = np.array([int(row.location_id[2:]) for row in rows])
    reference = GLM(y, np.column_stack([np.ones_like(t), t]), family=Binomial()).fit(
        cov_type="cluster", cov_kwds={"groups": groups}
    )
    assert clustered.interval_method == "location_clustered"
    assert clustered.intercept == pytest.approx(reference.params[0], rel=1e-6)
    expected = np.asarray(reference.cov_params())
    assert clustered.var_intercept == pytest.approx(expected[0, 0], rel=1e-6)
    assert clustered.var_slope == pytest.approx(expected[1, 1], rel=1e-6)
    assert clustered.cov_intercept_slope == pytest.approx(expected[0, 1], rel=1e-6)
    # and it is larger than the binomial variance, which took 280 location-months for 280
    #   independent answers (this cohort is regular, so only by a fifth: 0.00641 against 0.00530)
    assert clustered.var_slope == pytest.approx(0.006405, abs=1e-6)
    assert fit.var_slope == pytest.approx(0.005298, abs=1e-6)


def test_the_clustered_interval_is_wider_and_survives_the_mart_row() -> None:
    # Given the cohort's fit, binomial and clustered
    monthly, rows = cohort()
    fit = fit_trajectory(monthly)
    clustered = with_location_clustering(fit, rows)

    # When the month of reaching 80% is estimated from each, the clustered one from its row
    narrow = month_reaching(fit)
    row = {
        "status": clustered.status.value,
        "origin_month": clustered.origin_month,
        "months_fitted": clustered.months_fitted,
        "intercept": clustered.intercept,
        "slope": clustered.slope,
        "var_intercept": clustered.var_intercept,
        "var_slope": clustered.var_slope,
        "cov_intercept_slope": clustered.cov_intercept_slope,
        "scale": clustered.scale,
        "target_rate": clustered.target_rate,
        "latest_month": clustered.latest_month,
        "latest_rate": clustered.latest_rate,
        "interval_method": clustered.interval_method,
    }
    wide = month_reaching(TrajectoryFit.from_row(row))

    # Then both have the same central month (September 2024), and the clustered interval is
    #   no narrower at either end
    assert TrajectoryFit.from_row(row) == clustered
    assert wide.central == narrow.central == date(2024, 9, 1)
    assert wide.low is not None
    assert narrow.low is not None
    assert narrow.high is not None
    assert wide.low <= narrow.low
    assert wide.high is None or wide.high >= narrow.high


def test_one_location_or_no_curve_leaves_the_fit_as_it_was() -> None:
    # Given a fit and a single location's months, and a fit with too few months
    monthly, rows = cohort()
    fit = fit_trajectory(monthly)
    alone = [row for row in rows if row.location_id == rows[0].location_id]
    short = fit_trajectory(monthly[:3])

    # When clustering is asked for, Then nothing changes
    assert with_location_clustering(fit, alone) is fit
    assert with_location_clustering(short, rows) is short
    assert fit.interval_method == "binomial"
