-- audience: provider
-- Falls at one location in the caller's scope by Europe/London day of the week and hour of
-- the day (wall-clock time, so an hour that a clock change skips has none and the hour it
-- repeats counts both): one row per weekday (1 Monday to 7 Sunday) and hour (0 to 23) with at
-- least one fall. Falls as marts.quality_monthly counts them: final current versions of
-- incidents of type fall with a person_id; $measure 'falls_with_harm' keeps those with harm
-- moderate, severe or fatal. Optional window, null for all: Europe/London calendar days from
-- $period_start up to (not including) $period_end, as incidents_list.sql counts them.
-- Aggregates only: no person-level column.
with falls as (
    select timezone('Europe/London', occurred_at) as london_at
    from core.incidents
    where
        provider_id = $scope_provider_id
        and ($scope_location_ids is null or list_contains($scope_location_ids, location_id))
        and location_id = $location_id
        and status = 'final'
        and incident_type = 'fall'
        and person_id is not null
        and ($measure = 'falls' or harm in ('moderate', 'severe', 'fatal'))
),

in_window as (
    select london_at
    from falls
    where
        ($period_start is null or london_at::date >= $period_start)
        and ($period_end is null or london_at::date < $period_end)
)

select
    isodow(london_at)::integer as weekday,
    hour(london_at)::integer as hour,
    count(*) as falls
from in_window
group by all
order by weekday, hour
