-- audience: person
-- One row per incident behind a measure page: the current version of each final incident of
-- the caller's provider (and, for a quality lead limited to some, locations) of the measure's
-- kind, counted as marts.quality_monthly counts it (falls only of people drawing on care).
-- Optional filters, null for all: one location, Europe/London calendar days from
-- $period_start up to (not including) $period_end, one harm level and one subtype. Newest
-- first, at most $row_limit rows; incidents_matched is the number of rows before the limit.
-- Person-level: record_uid and the provider's own person_id. Never description.
with scoped as (
    select
        incidents.record_uid,
        incidents.occurred_at,
        incidents.incident_type,
        incidents.subtype,
        incidents.harm,
        incidents.person_id,
        incidents.location_id,
        locations.location_name,
        timezone('Europe/London', incidents.occurred_at)::date as london_day
    from core.incidents as incidents
    left join core.locations as locations using (provider_id, location_id)
    where
        incidents.provider_id = $scope_provider_id
        and (
            $scope_location_ids is null
            or list_contains($scope_location_ids, incidents.location_id)
        )
        and incidents.status = 'final'
),

of_measure as (
    select *
    from scoped
    where
        case $measure
            when 'falls' then incident_type = 'fall' and person_id is not null
            when 'falls_with_harm'
                then
                    incident_type = 'fall'
                    and person_id is not null
                    and harm in ('moderate', 'severe', 'fatal')
            when 'medication_errors' then incident_type = 'medication_error'
            when 'pressure_ulcers' then incident_type = 'pressure_ulcer'
            else false
        end
)

select
    record_uid,
    occurred_at,
    location_id,
    location_name,
    incident_type,
    subtype,
    harm,
    person_id,
    count(*) over () as incidents_matched
from of_measure
where
    ($location_id is null or location_id = $location_id)
    and ($period_start is null or london_day >= $period_start)
    and ($period_end is null or london_day < $period_end)
    and ($harm is null or harm = $harm)
    and ($subtype is null or subtype = $subtype)
order by occurred_at desc, record_uid
limit $row_limit
