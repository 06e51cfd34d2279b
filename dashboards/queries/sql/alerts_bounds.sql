-- audience: provider
-- The span of the caller's alerts (every location in scope): the first and last Europe/London
-- day with an alert raised, the instant the data describe (the latest data_as_of of
-- marts.alert_facts: the provider's latest export), and the alerts in scope. One row; nulls
-- and 0 when there are no alerts. The alerts page's periods end on last_day.
select
    min(day) as first_day,
    max(day) as last_day,
    max(data_as_of) as data_as_of,
    count(*) as alerts
from marts.alert_facts
where
    provider_id = $scope_provider_id
    and ($scope_location_ids is null or list_contains($scope_location_ids, location_id))
