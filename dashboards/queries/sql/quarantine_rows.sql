-- One row per quarantined row in one run, in file order, at most $row_limit rows.
select
    export_id,
    file_name,
    line_number,
    rule,
    reason
from audit.quarantine
where run_id = $run_id
order by export_id, file_name, line_number
limit $row_limit
