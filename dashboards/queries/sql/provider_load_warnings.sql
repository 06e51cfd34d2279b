-- audience: person
-- One row per warning raised in one run on files of the caller's provider (the row was loaded
-- anyway); `line_number` is null for a warning about a whole file. Person-level: messages
-- quote values found in rows. audit.warnings has no provider: a warning belongs to the
-- provider when every file of its export in that run is the provider's. A quality lead limited
-- to some locations sees only warnings on rows of those locations (found through the loaded
-- row in staging); file-level warnings and warnings on rows not stored are left out for them.
with provider_exports as (
    select export_id
    from audit.load_files
    where run_id = $run_id
    group by export_id
    having bool_and(coalesce(provider_id = $scope_provider_id, false))
),

provider_warnings as (
    select
        warnings.export_id,
        warnings.file_name,
        warnings.line_number,
        warnings.rule,
        warnings.message
    from audit.warnings as warnings
    inner join provider_exports on warnings.export_id = provider_exports.export_id
    where warnings.run_id = $run_id
),

-- Only read when the caller is limited to some locations.
loaded_rows as (
    select source_file, source_line, location_id from staging.locations
    where $scope_location_ids is not null and run_id = $run_id
    union all
    select source_file, source_line, location_id from staging.people
    where $scope_location_ids is not null and run_id = $run_id
    union all
    select source_file, source_line, location_id from staging.staff
    where $scope_location_ids is not null and run_id = $run_id
    union all
    select source_file, source_line, location_id from staging.occupancy
    where $scope_location_ids is not null and run_id = $run_id
    union all
    select source_file, source_line, location_id from staging.shifts
    where $scope_location_ids is not null and run_id = $run_id
    union all
    select source_file, source_line, location_id from staging.care_notes
    where $scope_location_ids is not null and run_id = $run_id
    union all
    select source_file, source_line, location_id from staging.incidents
    where $scope_location_ids is not null and run_id = $run_id
    union all
    select source_file, source_line, location_id from staging.medication_administrations
    where $scope_location_ids is not null and run_id = $run_id
    union all
    select source_file, source_line, location_id from staging.alerts
    where $scope_location_ids is not null and run_id = $run_id
    union all
    select source_file, source_line, location_id from staging.visits
    where $scope_location_ids is not null and run_id = $run_id
    union all
    select source_file, source_line, location_id from staging.care_plan_reviews
    where $scope_location_ids is not null and run_id = $run_id
),

warning_locations as (
    select distinct
        provider_warnings.export_id,
        provider_warnings.file_name,
        provider_warnings.line_number,
        trim(loaded_rows.location_id) as location_id
    from provider_warnings
    inner join loaded_rows
        on loaded_rows.source_file = provider_warnings.export_id || '/' || provider_warnings.file_name
        and loaded_rows.source_line = provider_warnings.line_number
)

select
    provider_warnings.export_id,
    provider_warnings.file_name,
    provider_warnings.line_number,
    provider_warnings.rule,
    provider_warnings.message
from provider_warnings
where
    $scope_location_ids is null
    or exists (
        select 1
        from warning_locations
        where
            warning_locations.export_id = provider_warnings.export_id
            and warning_locations.file_name = provider_warnings.file_name
            and warning_locations.line_number = provider_warnings.line_number
            and list_contains($scope_location_ids, warning_locations.location_id)
    )
order by
    provider_warnings.export_id,
    provider_warnings.file_name,
    provider_warnings.line_number nulls first,
    provider_warnings.rule
