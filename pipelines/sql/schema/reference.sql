-- Section 5 inputs beside the exports (shared/spec/dscr-export-v1.md section 5), written by
-- pipelines/inputs. Every row keeps the input file it came from and the run that loaded it.
create schema if not exists reference;

-- CQC care directory (5.1). Grain: one row per CQC location per directory snapshot.
-- A snapshot is one directory file, dated by its preamble ("Data as at ...") or file name, else
-- by the run date. A later file for the same snapshot_date replaces that snapshot whole.
create table if not exists reference.cqc_locations (
    snapshot_date                date not null,
    location_id                  varchar not null,     -- CQC location ID, 1-123456789
    location_name                varchar not null,
    is_dormant                   boolean,              -- Dormant (Y/N)
    is_care_home                 boolean,              -- Care home?
    care_home_beds               integer,              -- Care homes beds; null unless a care home
    inspection_directorate       varchar,              -- e.g. Adult social care
    primary_inspection_category  varchar,
    local_authority              varchar,
    onspd_ccg_code               varchar,              -- sub-ICB ONS code; joins sub_icb_lookup
    provider_id                  varchar not null,
    provider_name                varchar,
    is_adult_social_care         boolean,              -- directorate = 'Adult social care'
    source_file                  varchar not null,
    run_id                       varchar not null,
    primary key (snapshot_date, location_id)
);

-- The current universe: the latest snapshot only. Grain: one row per CQC location.
create or replace view reference.cqc_locations_current as
select *
from reference.cqc_locations
where snapshot_date = (select max(snapshot_date) from reference.cqc_locations);

-- Sub-ICB to ICB lookup (5.2). Grain: one row per sub-ICB per valid_from.
-- valid_from null = valid always; on a date the latest row valid on that date wins.
-- (sub_icb_ons_code, valid_from) is unique, enforced by the loader because valid_from may be
-- null. Identical re-delivered rows are duplicates; a changed row replaces the stored one.
create table if not exists reference.sub_icb_lookup (
    sub_icb_ons_code    varchar not null,   -- E38000014
    sub_icb_name        varchar,
    icb_ods_code        varchar not null,   -- QOP
    icb_ons_code        varchar,            -- E54000057
    icb_name            varchar not null,
    region_name         varchar,
    valid_from          date,
    source_file         varchar not null,
    run_id              varchar not null
);

-- DSCR adoption returns (5.3). Grain: one row per location per PIR submission date.
-- Identical re-deliveries are duplicates; a different answer in a later file replaces it.
create table if not exists reference.adoption_returns (
    location_id          varchar not null,
    pir_submission_date  date not null,
    pir_type             varchar,            -- residential | community
    uses_dscr            boolean not null,   -- "Use a Digital Social Care Record system?"
    dscr_supplier        varchar,
    dscr_status          varchar,            -- live | implementing | not_started | abandoned
    source_file          varchar not null,
    run_id               varchar not null,
    primary key (location_id, pir_submission_date)
);

-- Cost lines (5.4). Grain: one row per cost line of each provider's latest cost statement.
-- costs.csv is the provider's full statement: a new file for a provider replaces all of that
-- provider's lines (an identical statement again is counted as duplicates and left in place).
create table if not exists reference.cost_lines (
    provider_id         varchar not null,
    source_line         bigint not null,         -- physical line in source_file (header = 1)
    category            varchar not null,        -- data_contracts.enums.CostCategory
    item                varchar not null,
    cost_type           varchar not null,        -- upfront | recurrent
    unit_cost_gbp       decimal(18, 4) not null, -- not negative
    quantity            decimal(18, 4) not null, -- not negative
    frequency           varchar not null,        -- one_off | monthly | annual
    start_date          date not null,
    end_date            date,                    -- on or after start_date
    replacement_years   decimal(18, 4),          -- years
    annual_loss_rate    decimal(18, 4),          -- share per year, 0 to 1
    source_file         varchar not null,
    run_id              varchar not null,
    primary key (provider_id, source_line)
);
