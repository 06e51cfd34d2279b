-- Audit tables of the table-level checks (pipelines/checks/): counts the next run compares with.
create schema if not exists audit;

-- One row per current-state table per run whose checks ran; grain: run_id x table_name.
create table if not exists audit.table_counts (
    run_id              varchar not null,
    table_name          varchar not null,      -- e.g. core.care_notes
    row_count           bigint not null,
    counted_at          timestamptz not null,  -- the run's start, UTC
    primary key (run_id, table_name)
);
