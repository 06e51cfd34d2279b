-- Before/after DSCR go-live (pipelines/steps/impact.py, models/impact.py, docs/impact.md).
-- Both tables are rebuilt whole from marts.quality_monthly and core.locations by every load.
create schema if not exists marts;

-- One row per location and measure (every location in core.locations, four measures each).
-- status says why a row has no estimate; the estimate columns are null unless 'estimated'.
create table if not exists marts.quality_impact (
    provider_id             varchar not null,
    location_id             varchar not null,
    measure                 varchar not null,  -- falls | falls_with_harm | medication_errors | pressure_ulcers
    go_live_date            date,              -- core.locations.dscr_go_live_date
    months_before           integer not null,  -- months with exposure before the go-live month
    months_after            integer not null,  -- months with exposure from the first full month after
    status                  varchar not null,  -- estimated | no_go_live | too_few_months_before | too_few_months_after | no_exposure | no_events | did_not_converge
    model                   varchar,           -- poisson | negative_binomial
    has_seasonal_term       boolean,
    level_change_ratio      double,            -- rate ratio at go-live
    level_change_lower      double,            -- 95% interval
    level_change_upper      double,
    slope_change_ratio      double,            -- multiplicative change in the monthly trend
    slope_change_lower      double,
    slope_change_upper      double,
    observed_since_go_live  double,            -- events, months after go-live
    expected_since_go_live  double,            -- counterfactual events (no go-live)
    avoided_since_go_live   double,            -- expected - observed
    avoided_lower           double,            -- 95% interval
    avoided_upper           double,
    exposure_unit           varchar not null,  -- occupied_bed_days | scheduled_doses
    run_id                  varchar not null,  -- load run that fitted it
    primary key (provider_id, location_id, measure)
);

-- One row per estimated location and measure per month after go-live; events.
create table if not exists marts.quality_counterfactual (
    provider_id     varchar not null,
    location_id     varchar not null,
    measure         varchar not null,
    month           date not null,   -- first day of the month
    observed        double not null,
    expected        double not null, -- counterfactual: the fitted model without the change
    expected_lower  double not null, -- 95% interval from the coefficients' uncertainty
    expected_upper  double not null,
    primary key (provider_id, location_id, measure, month)
);
