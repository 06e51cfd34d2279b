-- The number of rows quarantined in one run.
select count(*) as rows_count
from audit.quarantine
where run_id = $run_id
