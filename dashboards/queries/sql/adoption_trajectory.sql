-- audience: icb
-- not-counts: months_fitted, intercept, slope, var_intercept, var_slope, cov_intercept_slope, scale, target_rate, latest_rate
-- labels: icb_code, status, origin_month, month_reaching_target, month_reaching_low, month_reaching_high, latest_month
-- The growth model fitted to the caller's ICB's monthly adoption rate by the last load
-- (marts.adoption_trajectory, models/adoption_trajectory.py): at most one row. The
-- parameters are a model's, not counts; the page projects them with the same module and
-- shows the trajectory only when the latest month's counts are not suppressed.
select
    icb_code,
    status,
    origin_month,
    months_fitted,
    intercept,
    slope,
    var_intercept,
    var_slope,
    cov_intercept_slope,
    scale,
    target_rate,
    month_reaching_target,
    month_reaching_low,
    month_reaching_high,
    latest_month,
    latest_rate
from marts.adoption_trajectory
where icb_code = $scope_icb_code
