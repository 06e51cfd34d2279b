-- audience: person
-- One row per quarantined row of the caller's provider in one run, in file order, at most
-- $row_limit rows. Person-level: `reason` quotes the values found in the row (person and
-- staff identifiers among them; NHS numbers are never quoted). A quality lead limited to some
-- locations sees only rows of those locations; rows that name no location are left out.
with scoped as (
    select
        export_id,
        file_name,
        line_number,
        rule,
        reason,
        trim(json_extract_string(record_json, '$.location_id')) as location_id
    from audit.quarantine
    where run_id = $run_id and provider_id = $scope_provider_id
)

select
    export_id,
    file_name,
    line_number,
    location_id,
    rule,
    reason
from scoped
where $scope_location_ids is null or list_contains($scope_location_ids, location_id)
order by export_id, file_name, line_number
limit $row_limit
