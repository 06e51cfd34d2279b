-- audience: provider
-- The number of rows of the caller's provider (and locations) quarantined in one run.
with scoped as (
    select trim(json_extract_string(record_json, '$.location_id')) as location_id
    from audit.quarantine
    where run_id = $run_id and provider_id = $scope_provider_id
)

select count(*) as rows_count
from scoped
where $scope_location_ids is null or list_contains($scope_location_ids, location_id)
