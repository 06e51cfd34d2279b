-- One row per file applied in one run.
select
    export_id,
    provider_id,
    file_name,
    entity,
    rows_read,
    rows_loaded,
    duplicates_skipped,
    rows_quarantined,
    status,
    rejection_reason
from audit.load_files
where run_id = $run_id
order by export_id, file_name
