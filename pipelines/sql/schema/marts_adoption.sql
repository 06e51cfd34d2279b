-- DSCR adoption across an ICB (issue 7): shared/spec/metrics-v1.md "marts.adoption_monthly"
-- and dscr-export-v1.md section 5.3, from reference.cqc_locations, reference.sub_icb_lookup
-- and reference.adoption_returns (plus core.locations and audit.packages for the ODE-1
-- exports). Built by pipelines/marts/adoption.py after every load; docs/adoption.md.
--
-- Month rules (every table): `month` is the first day of a Europe/London calendar month and
-- its last day (`month_end`) is the reference date. Months run from the month of the earliest
-- adoption return to the month of the latest return or directory snapshot, whichever is later,
-- and never past the load's run date. A month's universe is the latest directory snapshot on
-- or before its month end, or the earliest snapshot for months before the first one
-- (`universe_snapshot_date` says which was used). A location's ICB on a month end is found
-- from its `onspd_ccg_code` in reference.sub_icb_lookup: rows with valid_from null or on or
-- before the month end, the latest valid_from winning (null counts as earliest).
create schema if not exists marts;

-- One row per location of the universe per month: active (non-dormant) adult social care
-- locations only, whether or not their ICB is known (icb_code null: the code is missing or
-- not in the lookup; such rows count in no ICB and the page lists how many there are).
create table if not exists marts.adoption_location_monthly (
    month                   date not null,      -- first day of the month
    month_end               date not null,      -- the reference date
    icb_code                varchar,            -- ICB ODS code, e.g. QOP; null: not mapped
    icb_name                varchar,
    location_id             varchar not null,
    location_name           varchar not null,
    provider_id             varchar not null,
    provider_name           varchar,
    local_authority         varchar,            -- 'Unknown' when the directory has none
    service_type            varchar not null,   -- 'care_home' | 'community'
    care_home_beds          integer,            -- null unless a care home
    size_band               varchar not null,   -- 'community', '1-9 beds', '10-24 beds',
                                                -- '25-49 beds', '50+ beds', 'beds unknown'
    universe_snapshot_date  date not null,
    latest_return_date      date,               -- latest PIR on or before month end
    latest_uses_dscr        boolean,            -- its answer; null: no return
    latest_dscr_status      varchar,            -- its status, if given
    dscr_supplier           varchar,            -- latest supplier named on or before month
                                                -- end in a return, else core.locations'
                                                -- dscr_supplier, else null
    has_return              boolean not null,
    is_adopted              boolean not null,   -- latest return says Yes
    primary key (month, location_id)
);

-- One row per ICB per month: the spec's columns first, exactly as metrics-v1.md defines them,
-- then extensions.
create table if not exists marts.adoption_monthly (
    icb_code                   varchar not null,
    month                      date not null,
    active_locations           bigint not null,
    adopted_locations          bigint not null,
    no_return_locations        bigint not null,
    adoption_rate              double,          -- adopted / active; null when active = 0
    care_home_beds             bigint not null,
    adopted_care_home_beds     bigint not null,
    adoption_rate_beds         double,          -- null when care_home_beds = 0
    -- extensions
    icb_name                   varchar,
    month_end                  date not null,
    returned_no_locations      bigint not null, -- latest return says No
    adoption_rate_of_returns   double,          -- Yes / (Yes + No): NHS England's measure
    universe_snapshot_date     date not null,
    primary key (icb_code, month)
);

-- The same counts broken down, one row per ICB, month, dimension and category.
-- dimension: 'service_type' (care_home | community), 'size_band' (as above),
-- 'local_authority', 'supplier' (adopted locations' supplier, 'Not known' when none is named;
-- non-adopted locations are 'No DSCR' in this dimension).
create table if not exists marts.adoption_breakdown_monthly (
    icb_code                   varchar not null,
    month                      date not null,
    dimension                  varchar not null,
    category                   varchar not null,
    active_locations           bigint not null,
    adopted_locations          bigint not null,
    no_return_locations        bigint not null,
    adoption_rate              double,
    care_home_beds             bigint not null,
    adopted_care_home_beds     bigint not null,
    adoption_rate_beds         double,
    primary key (icb_code, month, dimension, category)
);

-- Locations at risk of dropping their DSCR, as at the load: one row per location and reason.
-- reason: 'returned_no_after_yes' (latest return says No, the one before it Yes),
-- 'status_abandoned' (latest return's DSCR status is abandoned), 'exports_stopped' (the
-- provider sends ODE-1 exports for this location but the latest covers to more than
-- PipelineConfig.freshness_days days before the run date). Only locations active in the
-- latest universe.
create table if not exists marts.adoption_at_risk (
    icb_code                varchar,
    location_id             varchar not null,
    location_name           varchar not null,
    provider_id             varchar not null,
    provider_name           varchar,
    reason                  varchar not null,
    evidence                varchar not null,   -- in words, with the dates
    evidence_date           date not null,      -- the return, or the last day exported
    previous_return_date    date,               -- returned_no_after_yes: the Yes
    latest_return_date      date,
    last_export_to          date,               -- exports_stopped: latest extract_to
    days_without_export     integer,            -- run date - last_export_to
    as_of                   date not null,      -- the run date (Europe/London)
    primary key (location_id, reason)
);

-- The growth model of each ICB's monthly adoption rate (models/adoption_trajectory.py),
-- refitted by every load: a binomial logistic regression of adopted of active locations on
-- months since `origin_month`, with a quasi-binomial scale. The page projects it to any date
-- with the same module; the fitted parameters are stored so it needs no refit.
create table if not exists marts.adoption_trajectory (
    icb_code                varchar not null primary key,
    status                  varchar not null,   -- 'fitted' | 'reached' | 'not_rising' |
                                                -- 'too_few_months'
    origin_month            date not null,      -- t = 0 (first month fitted)
    months_fitted           integer not null,
    intercept               double,
    slope                   double,             -- per month, on the logit scale
    var_intercept           double,             -- covariance of the two, scale applied
    var_slope               double,
    cov_intercept_slope     double,
    scale                   double,             -- Pearson chi-squared / df, at least 1
    target_rate             double not null,    -- 0.80
    month_reaching_target   date,               -- central estimate; null if never at pace
    month_reaching_low      date,               -- 80% interval (P10 and P90 months)
    month_reaching_high     date,
    latest_month            date not null,
    latest_rate             double,
    run_id                  varchar not null,
    interval_method         varchar             -- 'binomial' | 'location_clustered': the
                                                -- covariance above (docs/adoption-trajectory.md)
);
-- Warehouses made before interval_method existed.
alter table marts.adoption_trajectory add column if not exists interval_method varchar;
