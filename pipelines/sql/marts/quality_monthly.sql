-- marts.quality_monthly: one row per location per Europe/London calendar month, from the
-- location's first to its last month with occupancy or events; months in between with nothing
-- get zero counts (shared/spec/metrics-v1.md, plus provider_id and two rates).
-- Reads the build's temporary table quality_daily (quality_daily.sql).

with daily as (
    select * from quality_daily
),

months as (
    select
        provider_id,
        location_id,
        date_trunc('month', day)::date as month,
        bool_or(is_active) as is_active,
        sum(occupied_beds) as occupied_bed_days,
        sum(falls) as falls,
        sum(falls_with_harm) as falls_with_harm,
        sum(scheduled_doses) as scheduled_doses,
        sum(missed_doses) as missed_doses,
        sum(late_doses) as late_doses,
        sum(medication_errors) as medication_errors,
        sum(pressure_ulcers) as pressure_ulcers
    from daily
    group by all
),

spans as (
    select
        provider_id,
        location_id,
        bool_or(is_care_home) as is_care_home,
        min(date_trunc('month', day))::date as first_month,
        max(date_trunc('month', day))::date as last_month
    from daily
    where is_active
    group by all
),

calendar as (
    select
        provider_id,
        location_id,
        is_care_home,
        unnest(generate_series(first_month, last_month, interval 1 month))::date as month
    from spans
),

counts as (
    select
        calendar.provider_id,
        calendar.location_id,
        calendar.month,
        -- home care has no beds; a care-home month with no bed known has 0 bed days
        case when calendar.is_care_home then coalesce(months.occupied_bed_days, 0) end::bigint
            as occupied_bed_days,
        coalesce(months.falls, 0)::bigint as falls,
        coalesce(months.falls_with_harm, 0)::bigint as falls_with_harm,
        coalesce(months.scheduled_doses, 0)::bigint as scheduled_doses,
        coalesce(months.missed_doses, 0)::bigint as missed_doses,
        coalesce(months.late_doses, 0)::bigint as late_doses,
        coalesce(months.medication_errors, 0)::bigint as medication_errors,
        coalesce(months.pressure_ulcers, 0)::bigint as pressure_ulcers
    from calendar
    left join months using (provider_id, location_id, month)
)

select
    provider_id,
    location_id,
    month,
    occupied_bed_days,
    falls,
    falls_with_harm,
    falls * 1000 / nullif(occupied_bed_days, 0)::double as falls_per_1000_bed_days,
    falls_with_harm * 1000 / nullif(occupied_bed_days, 0)::double
        as falls_with_harm_per_1000_bed_days,
    scheduled_doses,
    missed_doses,
    late_doses,
    medication_errors,
    medication_errors * 1000 / nullif(scheduled_doses, 0)::double
        as medication_errors_per_1000_doses,
    pressure_ulcers,
    pressure_ulcers * 1000 / nullif(occupied_bed_days, 0)::double
        as pressure_ulcers_per_1000_bed_days
from counts
order by provider_id, location_id, month
