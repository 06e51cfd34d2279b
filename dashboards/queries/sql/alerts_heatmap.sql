-- audience: provider
-- Alerts raised by Europe/London day of the week (1 Monday to 7 Sunday) and hour of the day
-- (0 to 23) from $day_from to $day_to (both included), at the locations in scope
-- ($location_id null) or one of them: one row per weekday and hour with at least one alert.
select
    weekday,
    hour,
    count(*) as alerts
from marts.alert_facts
where
    provider_id = $scope_provider_id
    and ($scope_location_ids is null or list_contains($scope_location_ids, location_id))
    and ($location_id is null or location_id = $location_id)
    and day between $day_from and $day_to
group by all
order by weekday, hour
