-- audience: provider
-- One measure's monthly series at one location in the caller's scope, oldest first: the
-- period's first day, the count of events, the exposure (occupied bed days or scheduled
-- doses) and the rate per 1,000 (null when the exposure is 0 or null).
select
    month as period,
    case $measure
        when 'falls' then falls
        when 'falls_with_harm' then falls_with_harm
        when 'medication_errors' then medication_errors
        when 'pressure_ulcers' then pressure_ulcers
    end as count,
    case $measure
        when 'medication_errors' then scheduled_doses
        else occupied_bed_days
    end as exposure,
    case $measure
        when 'falls' then falls_per_1000_bed_days
        when 'falls_with_harm' then falls_with_harm_per_1000_bed_days
        when 'medication_errors' then medication_errors_per_1000_doses
        when 'pressure_ulcers' then pressure_ulcers_per_1000_bed_days
    end as rate
from marts.quality_monthly
where
    provider_id = $scope_provider_id
    and ($scope_location_ids is null or list_contains($scope_location_ids, location_id))
    and location_id = $location_id
order by month
