-- audience: provider
-- Alert burden per Europe/London month and location in scope, for the months that overlap
-- $day_from to $day_to: alerts raised, manager and care-worker shifts (visit days in home
-- care: shift_basis) and alerts per shift, from marts.alert_burden_monthly. $location_id null
-- for every location. Aggregates only.
select
    month,
    location_id,
    shift_basis,
    alerts_raised,
    manager_shifts,
    care_worker_shifts,
    alerts_per_manager_shift,
    alerts_per_care_worker_shift
from marts.alert_burden_monthly
where
    provider_id = $scope_provider_id
    and ($scope_location_ids is null or list_contains($scope_location_ids, location_id))
    and ($location_id is null or location_id = $location_id)
    and month between date_trunc('month', $day_from::date) and $day_to
order by month, location_id
