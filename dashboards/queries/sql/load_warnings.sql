-- One row per warning raised in one run (the row was loaded anyway).
select
    export_id,
    file_name,
    line_number,
    rule,
    message
from audit.warnings
where run_id = $run_id
order by export_id, file_name, line_number nulls first, rule
