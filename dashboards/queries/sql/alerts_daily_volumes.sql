-- audience: provider
-- Alerts raised per Europe/London day, location in scope and category from $day_from to
-- $day_to (both included), from marts.alerts_daily (rows only where alerts were raised), with
-- their outcomes so far. $location_id null for every location. Aggregates only.
select
    day,
    location_id,
    category,
    alerts_raised,
    false_alarms,
    duplicates,
    actioned,
    no_action_needed,
    open_alerts,
    alerts_resolved_within_24h
from marts.alerts_daily
where
    provider_id = $scope_provider_id
    and ($scope_location_ids is null or list_contains($scope_location_ids, location_id))
    and ($location_id is null or location_id = $location_id)
    and day between $day_from and $day_to
order by day, location_id, category
