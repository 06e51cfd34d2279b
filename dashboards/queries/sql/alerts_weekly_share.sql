-- audience: provider
-- The weekly false-alarm share over every week with alerts (the SPC chart's series): per ISO
-- week (Monday, Europe/London) alerts raised, closed and false alarms summed over the
-- locations in scope ($location_id null) or of one location, and false_alarms / alerts_closed
-- (null when none closed), as marts.alerts_weekly defines it. Weeks between a location's
-- first and last with alerts are in the mart with zeros; weeks no location covers are absent.
select
    week,
    sum(alerts_raised)::bigint as alerts_raised,
    sum(alerts_closed)::bigint as alerts_closed,
    sum(false_alarms)::bigint as false_alarms,
    sum(duplicates)::bigint as duplicates,
    sum(false_alarms) / nullif(sum(alerts_closed), 0) as false_alarm_share
from marts.alerts_weekly
where
    provider_id = $scope_provider_id
    and ($scope_location_ids is null or list_contains($scope_location_ids, location_id))
    and ($location_id is null or location_id = $location_id)
group by week
order by week
