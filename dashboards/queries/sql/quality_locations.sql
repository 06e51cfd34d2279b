-- audience: provider
-- One row per location of the caller's provider in scope (a quality lead limited to some
-- locations sees only those), by name: its service type and DSCR go-live date.
select
    location_id,
    location_name,
    service_type,
    dscr_go_live_date
from core.locations
where
    provider_id = $scope_provider_id
    and ($scope_location_ids is null or list_contains($scope_location_ids, location_id))
order by location_name, location_id
