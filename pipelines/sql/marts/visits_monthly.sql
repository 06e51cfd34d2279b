-- marts.visits_monthly: one row per home-care location per Europe/London calendar month of
-- scheduled_start, from its first to its last month with visits (months in between get zero
-- counts and null shares). Current final visits only.
--
-- A completed visit with a check-in is late when check_in_at is more than $visit_late_minutes
-- after scheduled_start (PipelineConfig.visit_late_minutes, a carelens default of 15 minutes,
-- not a national standard), on time otherwise (early check-ins included). minutes late are
-- exact (microseconds / 60,000,000).
--
-- Parameters: $home_care_types, $visit_late_minutes.

with visits as (
    select
        visits.provider_id,
        visits.location_id,
        epoch_us(visits.scheduled_start) // 3600000000 as utc_hour,
        visits.visit_status,
        visits.visit_status = 'completed' and visits.check_in_at is not null as is_checked_in,
        (epoch_us(visits.check_in_at) - epoch_us(visits.scheduled_start)) / 60000000::double
            as minutes_after_start
    from core.visits as visits
    inner join core.locations as locations using (provider_id, location_id)
    where visits.status = 'final' and list_contains($home_care_types, locations.service_type)
),

hours as (
    -- counted by UTC hour first (integer arithmetic), then each hour is given its London
    -- month: London is always a whole number of hours from UTC, so an hour never straddles two
    -- London months, and converting the hours is far cheaper than converting every visit
    select
        provider_id,
        location_id,
        utc_hour,
        count(*) as visits_scheduled,
        count(*) filter (visit_status = 'completed') as visits_completed,
        count(*) filter (visit_status = 'missed') as visits_missed,
        count(*) filter (visit_status = 'cancelled_by_person') as visits_cancelled_by_person,
        count(*) filter (visit_status = 'cancelled_by_provider') as visits_cancelled_by_provider,
        count(*) filter (is_checked_in) as visits_checked_in,
        count(*) filter (is_checked_in and minutes_after_start > $visit_late_minutes)
            as visits_late
    from visits
    group by all
),

counts as (
    select
        provider_id,
        location_id,
        date_trunc(
            'month', timezone('Europe/London', make_timestamptz(utc_hour * 3600000000))
        )::date as month,
        sum(visits_scheduled) as visits_scheduled,
        sum(visits_completed) as visits_completed,
        sum(visits_missed) as visits_missed,
        sum(visits_cancelled_by_person) as visits_cancelled_by_person,
        sum(visits_cancelled_by_provider) as visits_cancelled_by_provider,
        sum(visits_checked_in) as visits_checked_in,
        sum(visits_late) as visits_late
    from hours
    group by all
),

late as (
    select
        provider_id,
        location_id,
        date_trunc(
            'month', timezone('Europe/London', make_timestamptz(utc_hour * 3600000000))
        )::date as month,
        quantile_cont(minutes_after_start, 0.5) as median_minutes_late
    from visits
    where is_checked_in and minutes_after_start > $visit_late_minutes
    group by all
),

months as (
    select *
    from counts
    left join late using (provider_id, location_id, month)
),

spans as (
    select provider_id, location_id, min(month) as first_month, max(month) as last_month
    from months
    group by all
),

calendar as (
    select
        provider_id,
        location_id,
        unnest(generate_series(first_month, last_month, interval 1 month))::date as month
    from spans
)

select
    calendar.provider_id,
    calendar.location_id,
    calendar.month,
    coalesce(months.visits_scheduled, 0)::bigint as visits_scheduled,
    coalesce(months.visits_completed, 0)::bigint as visits_completed,
    coalesce(months.visits_missed, 0)::bigint as visits_missed,
    coalesce(months.visits_cancelled_by_person, 0)::bigint as visits_cancelled_by_person,
    coalesce(months.visits_cancelled_by_provider, 0)::bigint as visits_cancelled_by_provider,
    coalesce(months.visits_late, 0)::bigint as visits_late,
    (months.visits_checked_in - months.visits_late) / nullif(months.visits_checked_in, 0)::double
        as visits_on_time_share,
    months.median_minutes_late,
    months.visits_missed / nullif(months.visits_completed + months.visits_missed, 0)::double
        as missed_share
from calendar
left join months using (provider_id, location_id, month)
order by calendar.provider_id, calendar.location_id, calendar.month
