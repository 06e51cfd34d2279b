-- marts.care_plan_reviews_monthly: one row per location per Europe/London calendar month of
-- due_date, from its first to its last month with reviews due or completed (months in between
-- get zero counts). A review is on time when completed on or before the end of its due_date
-- (the Europe/London calendar day of completed_at is on or before due_date), late when
-- completed after, outstanding while completed_at is null. Current final versions only.

with reviews as (
    select
        provider_id,
        location_id,
        due_date,
        timezone('Europe/London', completed_at)::date as completed_day
    from core.care_plan_reviews
    where status = 'final'
),

due as (
    select
        provider_id,
        location_id,
        date_trunc('month', due_date)::date as month,
        count(*) as reviews_due,
        count(*) filter (completed_day <= due_date) as reviews_on_time,
        count(*) filter (completed_day > due_date) as reviews_late,
        count(*) filter (completed_day is null) as reviews_outstanding
    from reviews
    group by all
),

completed as (
    select
        provider_id,
        location_id,
        date_trunc('month', completed_day)::date as month,
        count(*) as reviews_completed_in_month
    from reviews
    where completed_day is not null
    group by all
),

spans as (
    select provider_id, location_id, min(month) as first_month, max(month) as last_month
    from (
        select provider_id, location_id, month from due
        union all
        select provider_id, location_id, month from completed
    )
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
    coalesce(due.reviews_due, 0)::bigint as reviews_due,
    coalesce(due.reviews_on_time, 0)::bigint as reviews_on_time,
    coalesce(due.reviews_late, 0)::bigint as reviews_late,
    coalesce(due.reviews_outstanding, 0)::bigint as reviews_outstanding,
    due.reviews_on_time / nullif(due.reviews_due, 0)::double as on_time_share,
    coalesce(due.reviews_on_time + due.reviews_late, 0)::bigint as reviews_completed,
    coalesce(completed.reviews_completed_in_month, 0)::bigint as reviews_completed_in_month
from calendar
left join due using (provider_id, location_id, month)
left join completed using (provider_id, location_id, month)
order by calendar.provider_id, calendar.location_id, calendar.month
