-- audience: icb
-- counts: alerts_raised, alerts_closed, false_alarms
-- rates: false_alarm_share = false_alarms / alerts_closed
-- labels: provider_id
-- One row per provider with a location in the caller's ICB: alerts raised from Europe/London
-- day $day_from to $day_to (both included) at all its locations, how many of them were closed
-- and how many were false alarms. Counts are disclosure-controlled by the reader, and the
-- false-alarm share is computed there from the unrounded counts. No alert-level, location or
-- person-level column.
with providers as (
    select distinct provider_id
    from core.locations
    where icb_code = $scope_icb_code
),

alerts as (
    select
        provider_id,
        count(*) as alerts_raised,
        count(*) filter (where not is_open) as alerts_closed,
        count(*) filter (where outcome = 'false_alarm') as false_alarms
    from marts.alert_facts
    where
        provider_id in (select provider_id from providers)
        and day between $day_from and $day_to
    group by provider_id
)

select
    providers.provider_id,
    coalesce(alerts.alerts_raised, 0) as alerts_raised,
    coalesce(alerts.alerts_closed, 0) as alerts_closed,
    coalesce(alerts.false_alarms, 0) as false_alarms
from providers
left join alerts on providers.provider_id = alerts.provider_id
order by providers.provider_id
