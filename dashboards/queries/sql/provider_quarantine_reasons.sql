-- audience: provider
-- One row per rule per file of the caller's provider in one run, with the number of rows it
-- quarantined (rule codes only, no values). A quality lead limited to some locations counts
-- only rows of those locations; rows that name no location are left out for them.
with scoped as (
    select
        rule,
        export_id,
        file_name,
        trim(json_extract_string(record_json, '$.location_id')) as location_id
    from audit.quarantine
    where run_id = $run_id and provider_id = $scope_provider_id
)

select
    rule,
    export_id,
    file_name,
    count(*) as rows_count
from scoped
where $scope_location_ids is null or list_contains($scope_location_ids, location_id)
group by rule, export_id, file_name
order by rows_count desc, rule, export_id, file_name
