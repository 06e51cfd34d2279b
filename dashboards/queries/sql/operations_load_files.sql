-- audience: operations
-- One row per file applied in one run, every provider: counts and file-level outcomes only.
select
    provider_id,
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
where run_id = $run_id
order by provider_id nulls last, export_id, file_name
