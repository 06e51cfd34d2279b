-- audience: provider
-- Every row of marts.quality_monthly for the locations in the caller's scope, by location and
-- month: the counts, exposures and rates of every measure (the Quality summary's input).
select
    location_id,
    month,
    occupied_bed_days,
    scheduled_doses,
    falls,
    falls_with_harm,
    medication_errors,
    pressure_ulcers,
    falls_per_1000_bed_days,
    falls_with_harm_per_1000_bed_days,
    medication_errors_per_1000_doses,
    pressure_ulcers_per_1000_bed_days
from marts.quality_monthly
where
    provider_id = $scope_provider_id
    and ($scope_location_ids is null or list_contains($scope_location_ids, location_id))
order by location_id, month
