-- marts.alerts_daily: one row per location, Europe/London day of raised_at and alert category
-- with alerts raised (shared/spec/metrics-v1.md; spec columns first, then extensions). Reads
-- marts.alert_facts, built just before from the current final alerts.
--
-- median_minutes_to_acknowledge: the middle value of acknowledged_at - raised_at over the
-- acknowledged alerts (the mean of the two middle values when their number is even); null when
-- none was acknowledged.

select
    provider_id,
    location_id,
    day,
    category,
    count(*) as alerts_raised,
    count(*) filter (resolved_within_24h) as alerts_resolved_within_24h,
    count(*) filter (outcome = 'false_alarm') as false_alarms,
    quantile_cont(minutes_to_acknowledge, 0.5) as median_minutes_to_acknowledge,
    count(*) filter (outcome = 'duplicate') as duplicates,
    count(*) filter (outcome = 'actioned') as actioned,
    count(*) filter (outcome = 'no_action_needed') as no_action_needed,
    count(*) filter (is_open) as open_alerts,
    count(minutes_to_acknowledge) as acknowledged_alerts
from marts.alert_facts
group by all
order by provider_id, location_id, day, category
