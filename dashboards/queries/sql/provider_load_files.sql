-- audience: provider
-- One row per file of the caller's provider applied in one run.
select
    export_id,
    file_name,
    entity,
    rows_read,
    rows_loaded,
    duplicates_skipped,
    rows_quarantined,
    status,
    rejection_reason
from audit.load_files
where run_id = $run_id and provider_id = $scope_provider_id
order by export_id, file_name
