-- audience: provider
-- Response times per location in scope and for all of them together (location_id null):
-- alerts raised from Europe/London day $day_from to $day_to (both included), how many were
-- closed, false alarms, duplicates and still open; the median and 90th percentile minutes to
-- acknowledge and to resolve (quantile_cont, as docs/metrics.md defines percentiles; null when
-- none); alerts resolved within 24 hours; and, whatever the period, the alerts open now and
-- open for more than 24 hours at the instant the data describe (data_as_of). $location_id
-- null for every location. Aggregates only: no person-level column.
with facts as (
    select *
    from marts.alert_facts
    where
        provider_id = $scope_provider_id
        and ($scope_location_ids is null or list_contains($scope_location_ids, location_id))
        and ($location_id is null or location_id = $location_id)
),

in_period as (
    select
        location_id,
        count(*) as alerts_raised,
        count(*) filter (where not is_open) as alerts_closed,
        count(*) filter (where outcome = 'false_alarm') as false_alarms,
        count(*) filter (where outcome = 'duplicate') as duplicates,
        count(minutes_to_acknowledge) as acknowledged,
        quantile_cont(minutes_to_acknowledge, 0.5) as median_minutes_to_acknowledge,
        quantile_cont(minutes_to_acknowledge, 0.9) as p90_minutes_to_acknowledge,
        count(minutes_to_resolve) as resolved,
        quantile_cont(minutes_to_resolve, 0.5) as median_minutes_to_resolve,
        quantile_cont(minutes_to_resolve, 0.9) as p90_minutes_to_resolve,
        count(*) filter (where resolved_within_24h) as resolved_within_24h
    from facts
    where day between $day_from and $day_to
    group by grouping sets ((location_id), ())
),

open_now as (
    select
        location_id,
        count(*) filter (where is_open) as open_alerts,
        -- raised_at against data_as_of less 24 hours, not their difference against 24 hours:
        -- the same alerts, without an interval per row (a third of the query's time).
        count(*) filter (
            where is_open and raised_at < data_as_of - interval 24 hour
        ) as open_over_24h
    from facts
    group by grouping sets ((location_id), ())
)

select
    coalesce(in_period.location_id, open_now.location_id) as location_id,
    coalesce(in_period.alerts_raised, 0) as alerts_raised,
    coalesce(in_period.alerts_closed, 0) as alerts_closed,
    coalesce(in_period.false_alarms, 0) as false_alarms,
    coalesce(in_period.duplicates, 0) as duplicates,
    coalesce(in_period.acknowledged, 0) as acknowledged,
    in_period.median_minutes_to_acknowledge,
    in_period.p90_minutes_to_acknowledge,
    coalesce(in_period.resolved, 0) as resolved,
    in_period.median_minutes_to_resolve,
    in_period.p90_minutes_to_resolve,
    coalesce(in_period.resolved_within_24h, 0) as resolved_within_24h,
    coalesce(open_now.open_alerts, 0) as open_alerts,
    coalesce(open_now.open_over_24h, 0) as open_over_24h
from in_period
full join open_now on in_period.location_id is not distinct from open_now.location_id
order by location_id nulls last
