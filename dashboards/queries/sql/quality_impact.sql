-- audience: provider
-- The before/after go-live estimates (marts.quality_impact) of the locations in the caller's
-- scope, optionally of one location and one measure (null: all), by location and measure.
select
    location_id,
    measure,
    go_live_date,
    months_before,
    months_after,
    status,
    model,
    has_seasonal_term,
    level_change_ratio,
    level_change_lower,
    level_change_upper,
    slope_change_ratio,
    slope_change_lower,
    slope_change_upper,
    observed_since_go_live,
    expected_since_go_live,
    avoided_since_go_live,
    avoided_lower,
    avoided_upper,
    exposure_unit,
    run_id
from marts.quality_impact
where
    provider_id = $scope_provider_id
    and ($scope_location_ids is null or list_contains($scope_location_ids, location_id))
    and ($location_id is null or location_id = $location_id)
    and ($measure is null or measure = $measure)
order by location_id, measure
