-- quality_daily: the shared input of marts.quality_monthly and marts.quality_weekly (a temporary
-- table of the build, not published). One row per location per Europe/London calendar day with
-- occupied beds or events; occupied_beds is null where no bed is known (home care, or a care
-- home with neither occupancy.csv nor a stay that day). Current versions (core.*) with status
-- 'final' only.
--
-- Parameters: $care_home_types (list of service types with beds), $late_dose_minutes and
-- $late_dose_minutes_time_critical (PipelineConfig).

with locations as (
    select
        provider_id,
        location_id,
        list_contains($care_home_types, service_type) as is_care_home
    from core.locations
),

export_coverage as (
    -- the period the provider's exports carry records of
    select
        provider_id,
        min(extract_from) as covered_from,
        max(extract_to) as covered_to
    from audit.packages
    group by provider_id
),

incidents as (
    select
        provider_id,
        location_id,
        timezone('Europe/London', occurred_at)::date as day,
        count(*) filter (incident_type = 'fall' and person_id is not null) as falls,
        count(*) filter (
            incident_type = 'fall'
            and person_id is not null
            and harm in ('moderate', 'severe', 'fatal')
        ) as falls_with_harm,
        count(*) filter (incident_type = 'medication_error') as medication_errors,
        count(*) filter (incident_type = 'pressure_ulcer') as pressure_ulcers
    from core.incidents
    where status = 'final'
    group by all
),

administrations as (
    select
        provider_id,
        location_id,
        -- PRN doses are activity on the day they were recorded but never scheduled doses
        timezone('Europe/London', coalesce(scheduled_at, recorded_at))::date as day,
        scheduled_at is not null and not coalesce(is_prn, false) as is_scheduled,
        outcome = 'given'
        and epoch_us(recorded_at) - epoch_us(scheduled_at) > 60000000::bigint * (
            case
                when coalesce(is_time_critical, false) then $late_dose_minutes_time_critical
                else $late_dose_minutes
            end
        ) as is_late,
        outcome in ('omitted', 'not_available') as is_missed
    from core.medication_administrations
    where status = 'final'
),

doses as (
    select
        provider_id,
        location_id,
        day,
        count(*) filter (is_scheduled) as scheduled_doses,
        count(*) filter (is_scheduled and is_missed) as missed_doses,
        count(*) filter (is_scheduled and is_late) as late_doses
    from administrations
    group by all
),

occupancy_days as (
    select
        occupancy.provider_id,
        occupancy.location_id,
        occupancy.date as day,
        occupancy.occupied_beds
    from core.occupancy as occupancy
    inner join locations using (provider_id, location_id)
    where locations.is_care_home
),

windows as (
    -- the days each location's months and weeks can span: from the start of the month (or
    -- week) of its first event, occupancy.csv row or covered day to the end of the month (or
    -- week) of its last; stays are expanded to days only inside it
    select
        provider_id,
        location_id,
        least(date_trunc('month', min(first_day)), date_trunc('week', min(first_day)))::date
            as window_from,
        greatest(
            date_trunc('month', max(last_day)) + interval 1 month,
            date_trunc('week', max(last_day)) + interval 7 day
        )::date as window_to
    from (
        select provider_id, location_id, day as first_day, day as last_day
        from incidents
        union all
        select provider_id, location_id, day, day
        from doses
        union all
        select provider_id, location_id, day, day
        from occupancy_days
        union all
        select locations.provider_id, locations.location_id, covered_from, covered_to
        from locations
        inner join export_coverage using (provider_id)
        where locations.is_care_home
    )
    group by all
),

stays as (
    -- a stay occupies a bed on each date from start_date up to the day before end_date; an
    -- ongoing stay up to and including its provider's latest extract_to (dscr-export-v1.md)
    select
        people.provider_id,
        people.location_id,
        people.start_date,
        coalesce(people.end_date, export_coverage.covered_to + 1) as end_exclusive
    from core.people as people
    inner join locations using (provider_id, location_id)
    left join export_coverage using (provider_id)
    where locations.is_care_home
),

stay_changes as (
    select provider_id, location_id, start_date as day, 1 as change
    from stays
    where end_exclusive > start_date
    union all
    select provider_id, location_id, end_exclusive as day, -1 as change
    from stays
    where end_exclusive > start_date
),

stay_levels as (
    -- beds occupied by stays from each day a stay starts or ends until the next such day
    select
        provider_id,
        location_id,
        day as from_day,
        lead(day) over (partition by provider_id, location_id order by day) as to_day,
        sum(sum(change)) over (partition by provider_id, location_id order by day) as beds
    from stay_changes
    group by provider_id, location_id, day
),

stay_days as (
    select
        provider_id,
        location_id,
        unnest(generate_series(
            greatest(from_day, window_from), least(to_day, window_to) - 1, interval 1 day
        ))::date as day,
        beds
    from stay_levels
    inner join windows using (provider_id, location_id)
    where beds > 0
),

bed_days as (
    -- occupancy.csv where it has the location and day, else stays. A stay day counts as
    -- activity only inside the exports' coverage, so an admission years before the first
    -- export does not start the mart years early with false zero counts.
    select
        provider_id,
        location_id,
        day,
        coalesce(occupancy_days.occupied_beds, stay_days.beds)::bigint as occupied_beds,
        occupancy_days.day is not null
        or day between export_coverage.covered_from and export_coverage.covered_to
            as is_active
    from occupancy_days
    full outer join stay_days using (provider_id, location_id, day)
    left join export_coverage using (provider_id)
),

parts as (
    select provider_id, location_id, day, occupied_beds, is_active
    from bed_days
    union all by name
    select *, true as is_active
    from incidents
    union all by name
    select *, true as is_active
    from doses
)

select
    parts.provider_id,
    parts.location_id,
    parts.day,
    locations.is_care_home,
    sum(parts.occupied_beds)::bigint as occupied_beds,
    bool_or(is_active) as is_active,
    coalesce(sum(falls), 0)::bigint as falls,
    coalesce(sum(falls_with_harm), 0)::bigint as falls_with_harm,
    coalesce(sum(scheduled_doses), 0)::bigint as scheduled_doses,
    coalesce(sum(missed_doses), 0)::bigint as missed_doses,
    coalesce(sum(late_doses), 0)::bigint as late_doses,
    coalesce(sum(medication_errors), 0)::bigint as medication_errors,
    coalesce(sum(pressure_ulcers), 0)::bigint as pressure_ulcers
from parts
inner join locations using (provider_id, location_id)
group by all
