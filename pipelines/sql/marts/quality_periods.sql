-- marts.quality_monthly and marts.quality_weekly: one row per location per Europe/London
-- {period} (a calendar month, or an ISO week named by its Monday), from the location's first
-- to its last {period} with occupancy or events; {period}s in between with nothing
-- get zero counts (shared/spec/metrics-v1.md, plus provider_id and two rates).
-- Reads the build's temporary table quality_daily (quality_daily.sql).

with daily as (
    select * from quality_daily
),

periods as (
    select
        provider_id,
        location_id,
        date_trunc('{period}', day)::date as {period},
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
        min(date_trunc('{period}', day))::date as first_period,
        max(date_trunc('{period}', day))::date as last_period
    from daily
    where is_active
    group by all
),

calendar as (
    select
        provider_id,
        location_id,
        is_care_home,
        unnest(generate_series(first_period, last_period, interval 1 {period}))::date as {period}
    from spans
),

counts as (
    select
        calendar.provider_id,
        calendar.location_id,
        calendar.{period},
        -- home care has no beds; a care-home {period} with no bed known has 0 bed days
        case when calendar.is_care_home then coalesce(periods.occupied_bed_days, 0) end::bigint
            as occupied_bed_days,
        coalesce(periods.falls, 0)::bigint as falls,
        coalesce(periods.falls_with_harm, 0)::bigint as falls_with_harm,
        coalesce(periods.scheduled_doses, 0)::bigint as scheduled_doses,
        coalesce(periods.missed_doses, 0)::bigint as missed_doses,
        coalesce(periods.late_doses, 0)::bigint as late_doses,
        coalesce(periods.medication_errors, 0)::bigint as medication_errors,
        coalesce(periods.pressure_ulcers, 0)::bigint as pressure_ulcers
    from calendar
    left join periods using (provider_id, location_id, {period})
)

select
    provider_id,
    location_id,
    {period},
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
order by provider_id, location_id, {period}
