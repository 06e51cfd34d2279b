-- Public marts (shared/spec/metrics-v1.md), rebuilt from core.* by every load (pipelines/marts/).
create schema if not exists marts;

-- One row per location per Europe/London calendar month, from the location's first to its last
-- month with occupancy or events (months in between with nothing get zero counts).
-- Spec columns plus provider_id and two rates (extensions). Rates are null when the
-- denominator is 0 or null; occupied_bed_days is null for home care.
create table if not exists marts.quality_monthly (
    provider_id                         varchar not null,
    location_id                         varchar not null,
    month                               date not null,     -- first day of the month
    occupied_bed_days                   bigint,            -- bed days; null for home care
    falls                               bigint not null,   -- falls of people drawing on care
    falls_with_harm                     bigint not null,   -- harm moderate, severe or fatal
    falls_per_1000_bed_days             double,
    falls_with_harm_per_1000_bed_days   double,
    scheduled_doses                     bigint not null,   -- scheduled_at in the month, not PRN
    missed_doses                        bigint not null,   -- outcome omitted or not_available
    late_doses                          bigint not null,   -- given beyond the late-dose window
    medication_errors                   bigint not null,
    medication_errors_per_1000_doses    double,
    pressure_ulcers                     bigint not null,
    pressure_ulcers_per_1000_bed_days   double,
    primary key (provider_id, location_id, month)
);

-- The same per Europe/London ISO week; week is its Monday.
create table if not exists marts.quality_weekly (
    provider_id                         varchar not null,
    location_id                         varchar not null,
    week                                date not null,     -- the Monday of the ISO week
    occupied_bed_days                   bigint,
    falls                               bigint not null,
    falls_with_harm                     bigint not null,
    falls_per_1000_bed_days             double,
    falls_with_harm_per_1000_bed_days   double,
    scheduled_doses                     bigint not null,
    missed_doses                        bigint not null,
    late_doses                          bigint not null,
    medication_errors                   bigint not null,
    medication_errors_per_1000_doses    double,
    pressure_ulcers                     bigint not null,
    pressure_ulcers_per_1000_bed_days   double,
    primary key (provider_id, location_id, week)
);
