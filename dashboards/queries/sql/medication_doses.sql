-- audience: provider
-- Scheduled, missed and late doses and medication errors per period at one location in the
-- caller's scope, oldest first: Europe/London calendar months (marts.quality_monthly) when
-- $grain is 'month', ISO weeks from their Monday (marts.quality_weekly) when it is 'week'.
select
    month as period,
    scheduled_doses,
    missed_doses,
    late_doses,
    medication_errors,
    medication_errors_per_1000_doses
from marts.quality_monthly
where
    $grain = 'month'
    and provider_id = $scope_provider_id
    and ($scope_location_ids is null or list_contains($scope_location_ids, location_id))
    and location_id = $location_id
union all
select
    week as period,
    scheduled_doses,
    missed_doses,
    late_doses,
    medication_errors,
    medication_errors_per_1000_doses
from marts.quality_weekly
where
    $grain = 'week'
    and provider_id = $scope_provider_id
    and ($scope_location_ids is null or list_contains($scope_location_ids, location_id))
    and location_id = $location_id
order by period
