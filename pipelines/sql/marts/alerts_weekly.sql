-- marts.alerts_weekly: one row per location per Europe/London ISO week of raised_at (named by
-- its Monday), from the location's first to its last week with alerts; weeks in between with
-- none get zero counts and a null share. false_alarm_share = false_alarms / alerts_closed, the
-- series the alerts page charts as an XmR chart. Reads marts.alert_facts.

with weeks as (
    select
        provider_id,
        location_id,
        date_trunc('week', day)::date as week,
        count(*) as alerts_raised,
        count(*) filter (not is_open) as alerts_closed,
        count(*) filter (outcome = 'false_alarm') as false_alarms,
        count(*) filter (outcome = 'duplicate') as duplicates
    from marts.alert_facts
    group by all
),

spans as (
    select provider_id, location_id, min(week) as first_week, max(week) as last_week
    from weeks
    group by all
),

calendar as (
    select
        provider_id,
        location_id,
        unnest(generate_series(first_week, last_week, interval 7 day))::date as week
    from spans
)

select
    calendar.provider_id,
    calendar.location_id,
    calendar.week,
    coalesce(weeks.alerts_raised, 0)::bigint as alerts_raised,
    coalesce(weeks.alerts_closed, 0)::bigint as alerts_closed,
    coalesce(weeks.false_alarms, 0)::bigint as false_alarms,
    coalesce(weeks.duplicates, 0)::bigint as duplicates,
    weeks.false_alarms / nullif(weeks.alerts_closed, 0)::double as false_alarm_share
from calendar
left join weeks using (provider_id, location_id, week)
order by calendar.provider_id, calendar.location_id, calendar.week
