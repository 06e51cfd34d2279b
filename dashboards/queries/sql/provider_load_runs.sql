-- audience: provider
-- One row per run that applied files of the caller's provider, newest first. Every figure is
-- that provider's share of the run (its files only); the run's install-wide totals, message
-- and table checks cover other providers and are left out.
with provider_files as (
    select *
    from audit.load_files
    where provider_id = $scope_provider_id
),

packages as (
    select
        run_id,
        export_id,
        bool_or(status in ('loaded', 'partial')) as applied,
        bool_and(status = 'skipped_already_loaded') as skipped,
        bool_and(status = 'rejected') as rejected
    from provider_files
    group by run_id, export_id
),

package_counts as (
    select
        run_id,
        count(*) filter (where applied) as packages_loaded,
        count(*) filter (where skipped) as packages_skipped,
        count(*) filter (where rejected) as packages_rejected
    from packages
    group by run_id
),

file_counts as (
    select
        run_id,
        count(*) filter (where status = 'rejected') as files_rejected,
        sum(rows_read)::bigint as rows_read,
        sum(rows_loaded)::bigint as rows_loaded,
        sum(duplicates_skipped)::bigint as duplicates_skipped,
        sum(rows_quarantined)::bigint as rows_quarantined
    from provider_files
    group by run_id
)

select
    runs.run_id,
    runs.started_at,
    runs.finished_at,
    case
        when runs.status = 'failed' then 'failed'
        when file_counts.files_rejected > 0 then 'rejected'
        when file_counts.rows_quarantined > 0 then 'quarantined'
        else 'clean'
    end as status,
    package_counts.packages_loaded,
    package_counts.packages_skipped,
    package_counts.packages_rejected,
    file_counts.files_rejected,
    file_counts.rows_read,
    file_counts.rows_loaded,
    file_counts.duplicates_skipped,
    file_counts.rows_quarantined
from audit.load_runs as runs
inner join file_counts on runs.run_id = file_counts.run_id
inner join package_counts on runs.run_id = package_counts.run_id
order by runs.started_at desc, runs.run_id desc
