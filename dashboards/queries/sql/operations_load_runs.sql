-- audience: operations
-- One row per run of `carelens load` across the installation, newest first.
select
    run_id,
    started_at,
    finished_at,
    status,
    exit_code,
    packages_found,
    packages_loaded,
    packages_skipped,
    packages_rejected,
    files_rejected,
    rows_read,
    rows_loaded,
    duplicates_skipped,
    rows_quarantined,
    checks_passed,
    data_docs_path,
    message
from audit.load_runs
order by started_at desc, run_id desc
