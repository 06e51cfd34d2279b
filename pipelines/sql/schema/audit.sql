-- Load accounting (shared/spec/metrics-v1.md, "Load accounting") and the run log.
create schema if not exists audit;

-- One row per run of `carelens load`.
create table if not exists audit.load_runs (
    run_id              varchar primary key,   -- e.g. 20261122T020000Z-3f2a
    started_at          timestamptz not null,
    finished_at         timestamptz,
    inbox               varchar not null,
    status              varchar not null,      -- clean | quarantined | rejected | failed
    exit_code           integer not null,
    packages_found      integer not null default 0,
    packages_loaded     integer not null default 0,
    packages_skipped    integer not null default 0,
    packages_rejected   integer not null default 0,
    files_rejected      integer not null default 0,
    rows_read           bigint not null default 0,
    rows_loaded         bigint not null default 0,
    duplicates_skipped  bigint not null default 0,
    rows_quarantined    bigint not null default 0,
    checks_passed       boolean,               -- all great-expectations suites succeeded
    data_docs_path      varchar,               -- GX Data Docs index.html for this run
    message             varchar                -- one-line summary as printed on the terminal
);

-- One row per file per load (spec: audit.load_files).
create table if not exists audit.load_files (
    run_id              varchar not null,
    export_id           varchar not null,      -- package folder name, or the input file name
    provider_id         varchar,
    file_name           varchar not null,
    entity              varchar,               -- ODE-1 entity or section 5 input kind
    rows_read           bigint not null,
    rows_loaded         bigint not null,
    duplicates_skipped  bigint not null,
    rows_quarantined    bigint not null,
    status              varchar not null,      -- loaded | partial | rejected | skipped_already_loaded
    rejection_reason    varchar,
    encoding            varchar,
    sha256              varchar,
    loaded_at           timestamptz not null
);

-- One row per quarantined row (spec: audit.quarantine).
create table if not exists audit.quarantine (
    run_id              varchar not null,
    export_id           varchar not null,
    provider_id         varchar,
    file_name           varchar not null,
    entity              varchar,
    line_number         bigint not null,       -- physical line of the record in the file (header = 1)
    rule                varchar not null,      -- short rule code, e.g. date_format, unresolved_reference
    reason              varchar not null,      -- human-readable: column, value where safe, rule
    record_json         varchar                -- the row as read, NHS numbers masked
);

-- Warnings that load the row anyway (discarded NHS numbers, ambiguous local times, extra columns).
create table if not exists audit.warnings (
    run_id              varchar not null,
    export_id           varchar not null,
    file_name           varchar not null,
    line_number         bigint,                -- null for file-level warnings
    rule                varchar not null,
    message             varchar not null
);

-- One row per ODE-1 package ever applied; a repeated (provider_id, extract_id) is skipped.
create table if not exists audit.packages (
    provider_id         varchar not null,
    extract_id          varchar not null,
    export_id           varchar not null,
    supplier            varchar,
    extract_from        date,
    extract_to          date,
    generated_at        timestamptz,
    run_id              varchar not null,
    sequence            bigint not null,       -- global order of application
    primary key (provider_id, extract_id)
);

-- Section 5 input files already applied, by content hash.
create table if not exists audit.input_files (
    sha256              varchar primary key,
    file_name           varchar not null,
    input_kind          varchar not null,
    run_id              varchar not null
);

-- Table-level great-expectations results, one row per expectation per run.
create table if not exists audit.validation_results (
    run_id              varchar not null,
    suite               varchar not null,
    expectation         varchar not null,
    target              varchar,               -- table or column the expectation is about
    success             boolean not null,
    severity            varchar not null,      -- error (blocks publication) | warning
    observed            varchar,
    details_json        varchar
);
