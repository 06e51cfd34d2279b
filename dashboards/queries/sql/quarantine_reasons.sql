-- One row per rule per file in one run, with the number of rows it quarantined.
select
    rule,
    export_id,
    file_name,
    count(*) as rows_count
from audit.quarantine
where run_id = $run_id
group by rule, export_id, file_name
order by rows_count desc, rule, export_id, file_name
