-- marts.alert_facts: one row per current alert with status 'final' (its timings and outcome,
-- without person, staff or free text), the base of the other alert marts and of any median or
-- percentile over a window the pages choose. Day, hour and weekday are Europe/London of
-- raised_at; minutes are exact (microseconds / 60,000,000).
--
-- data_as_of: the latest generated_at of the provider's loaded export packages, else its latest
-- raised_at; open alerts older than 24 hours are counted at read time against it.

with as_of as (
    select provider_id, max(generated_at) as generated_at
    from audit.packages
    group by provider_id
),

alerts as (
    select *
    from core.alerts
    where status = 'final'
),

latest_raised as (
    select provider_id, max(raised_at) as raised_at
    from alerts
    group by provider_id
)

select
    alerts.provider_id,
    alerts.location_id,
    alerts.record_uid,
    alerts.category,
    alerts.severity,
    alerts.raised_at,
    timezone('Europe/London', alerts.raised_at)::date as day,
    hour(timezone('Europe/London', alerts.raised_at))::integer as hour,
    isodow(timezone('Europe/London', alerts.raised_at))::integer as weekday,
    (epoch_us(alerts.acknowledged_at) - epoch_us(alerts.raised_at)) / 60000000::double
        as minutes_to_acknowledge,
    (epoch_us(alerts.resolved_at) - epoch_us(alerts.raised_at)) / 60000000::double
        as minutes_to_resolve,
    alerts.outcome,
    alerts.outcome is null as is_open,
    epoch_us(alerts.resolved_at) - epoch_us(alerts.raised_at) <= 24 * 3600 * 1000000::bigint
        as resolved_within_24h,
    coalesce(as_of.generated_at, latest_raised.raised_at) as data_as_of
from alerts
inner join latest_raised using (provider_id)
left join as_of using (provider_id)
order by alerts.provider_id, alerts.location_id, alerts.raised_at, alerts.record_uid
