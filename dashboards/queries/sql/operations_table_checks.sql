-- audience: operations
-- One row per table-level expectation checked in one run, failures first.
select
    suite,
    expectation,
    target,
    success,
    severity,
    observed
from audit.validation_results
where run_id = $run_id
order by success, severity, suite, expectation, target
