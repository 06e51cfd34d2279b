-- Staff time released (issue 5): the providers' assumptions as published by each load, the
-- monthly hours released and their value, and the benefit streams the ROI model reads.
-- Built by pipelines/assumptions.py and pipelines/marts/time_released.py; docs/time-released.md.
create schema if not exists reference;
create schema if not exists marts;

-- One row per provider and assumption with a value in force (entered in the dashboard; the
-- accounts file's provider_assumptions history, latest row wins). Names not here use the
-- registry's default (cost_model/assumptions.py), if it has one.
create table if not exists reference.provider_assumptions (
    provider_id     varchar not null,
    name            varchar not null,   -- cost_model.assumptions.AssumptionName
    value           decimal(18, 6) not null,
    unit            varchar not null,   -- cost_model.assumptions.AssumptionUnit
    note            varchar,            -- why, as the setter wrote it (free text)
    set_at          timestamptz not null,
    run_id          varchar not null,   -- the load that published it
    primary key (provider_id, name)
);

-- One row per live location per Europe/London calendar month with documentation measured,
-- from the first whole month after DSCR go-live (month on or after dscr_go_live_date).
-- Measured: care-worker shifts (completed visits in home care) and the care workers' minutes
-- per care-worker shift, from marts.documentation_monthly's care_shifts and
-- entry_minutes_per_care_shift (managers' shifts and notes left out). Entered: the paper-era
-- baseline; pay and on-costs are entered or the registry's defaults (the *_basis columns say
-- which). Hours and money are null when no baseline is entered; negative hours mean more time
-- recording than on paper.
create table if not exists marts.time_released_monthly (
    provider_id                     varchar not null,
    location_id                     varchar not null,
    month                           date not null,          -- first day of the month
    service_type                    varchar not null,
    shift_basis                     varchar not null,       -- 'shifts' | 'visits' (home care)
    shifts                          bigint not null,        -- measured: care-worker shifts
    measured_minutes_per_shift      double,                 -- measured, per care-worker shift
    minutes_per_shift_p10           double,                 -- measured, over the days
    minutes_per_shift_p90           double,
    baseline_minutes_per_shift      decimal(18, 6),         -- entered, per care-worker shift
                                                            -- (per visit in home care)
    baseline_basis                  varchar not null,       -- 'entered' | 'not_entered'
    hours_released                  decimal(18, 2),         -- (baseline - measured) x shifts / 60
    hours_released_low              decimal(18, 2),         -- with the p90 minutes per shift
    hours_released_high             decimal(18, 2),         -- with the p10 minutes per shift
    hourly_pay_gbp                  decimal(18, 6) not null,
    hourly_pay_basis                varchar not null,       -- 'entered' | 'default'
    on_cost_share                   decimal(18, 6) not null,
    on_cost_basis                   varchar not null,       -- 'entered' | 'default'
    hourly_cost_gbp                 decimal(18, 4) not null, -- pay x (1 + on-cost share)
    value_gbp                       decimal(18, 2),
    value_low_gbp                   decimal(18, 2),
    value_high_gbp                  decimal(18, 2),
    primary key (provider_id, location_id, month)
);

-- One row per benefit stream per location (null: provider-wide) per Europe/London calendar
-- month with a figure; the ROI model's input (issue 6). Streams without the entries they need
-- have no rows. Time is never cash-releasing: the hours go back into care, not out of the
-- budget. basis_note says which parts were measured, entered or defaults.
create table if not exists marts.benefit_streams (
    provider_id         varchar not null,
    location_id         varchar,                -- null: provider-wide
    month               date not null,          -- first day of the month
    stream              varchar not null,       -- cost_model.streams.BenefitStream
    basis               varchar not null,       -- 'measured' | 'assumed' | 'measured_and_assumed'
    basis_note          varchar not null,
    cash_releasing      boolean not null,
    quantity            decimal(18, 2) not null,
    unit                varchar not null,       -- 'hours'
    value_gbp           decimal(18, 2) not null,
    value_low_gbp       decimal(18, 2) not null,
    value_high_gbp      decimal(18, 2) not null
);
