-- documentation_days: the shared input of marts.documentation_daily and
-- marts.documentation_monthly (a temporary table of the build, not published). One row per
-- location per Europe/London calendar day, from the location's first to its last day with care
-- notes or shifts (days in between with neither get zero counts). Current versions (core.*)
-- with status 'final' only.
--
-- Shifts: care homes count shifts by the day of start_at; home care counts completed visits by
-- the day of scheduled_start (shared/spec/metrics-v1.md, documentation_monthly.shifts).
--
-- Care-worker extensions (the time released is a care worker's, per care-worker shift):
-- care_shifts counts, in care homes, only the shifts of staff whose role (core.staff) is
-- care_worker, senior_care_worker or nurse (the care roles of alert_burden_monthly; managers'
-- and other roles' shifts, and shifts of staff not in core.staff, are left out); in home care
-- it is the completed visits, as shifts. The carers' notes are those whose staff_id has one of
-- those roles or is null or not in core.staff (a note with no known author is taken as a
-- carer's); carer_notes, carer_notes_with_entry_seconds and carer_entry_seconds count them.
--
-- Parameters: $home_care_types (service types whose shifts are completed visits).

with locations as (
    select
        provider_id,
        location_id,
        service_type,
        list_contains($home_care_types, service_type) as is_home_care
    from core.locations
),

care_roles as (
    select provider_id, staff_id
    from core.staff
    where role in ('care_worker', 'senior_care_worker', 'nurse')
),

other_roles as (
    -- staff known to core.staff in any other role: their notes are not carers' notes
    select provider_id, staff_id
    from core.staff
    where role not in ('care_worker', 'senior_care_worker', 'nurse')
),

note_hours as (
    -- counted first by UTC hour (integer arithmetic), then each hour is given its London day:
    -- Europe/London is always a whole number of hours from UTC, so an hour never straddles two
    -- London days, and converting some 17,000 hours a location-year is far cheaper than
    -- converting every note
    select
        notes.provider_id,
        notes.location_id,
        epoch_us(notes.care_at) // 3600000000 as utc_hour,
        count(*) as care_notes,
        count(notes.entry_seconds) as notes_with_entry_seconds,
        sum(notes.entry_seconds) as entry_seconds,
        count(*) filter (
            epoch_us(notes.recorded_at) - epoch_us(notes.care_at) <= 15 * 60000000::bigint
        ) as notes_within_15_minutes,
        count(*) filter (notes.recorded_offline) as offline_notes,
        count(notes.recorded_offline) as notes_with_offline_known,
        count(*) filter (other_roles.staff_id is null) as carer_notes,
        count(notes.entry_seconds) filter (other_roles.staff_id is null)
            as carer_notes_with_entry_seconds,
        sum(notes.entry_seconds) filter (other_roles.staff_id is null) as carer_entry_seconds
    from core.care_notes as notes
    left join other_roles
        on notes.provider_id = other_roles.provider_id
        and notes.staff_id = other_roles.staff_id
    where notes.status = 'final'
    group by all
),

notes as (
    select
        provider_id,
        location_id,
        timezone('Europe/London', make_timestamptz(utc_hour * 3600000000))::date as day,
        sum(care_notes) as care_notes,
        sum(notes_with_entry_seconds) as notes_with_entry_seconds,
        sum(entry_seconds) as entry_seconds,
        sum(notes_within_15_minutes) as notes_within_15_minutes,
        sum(offline_notes) as offline_notes,
        sum(notes_with_offline_known) as notes_with_offline_known,
        sum(carer_notes) as carer_notes,
        sum(carer_notes_with_entry_seconds) as carer_notes_with_entry_seconds,
        sum(carer_entry_seconds) as carer_entry_seconds
    from note_hours
    group by all
),

care_home_shifts as (
    select
        shifts.provider_id,
        shifts.location_id,
        timezone('Europe/London', shifts.start_at)::date as day,
        count(*) as shifts,
        count(care_roles.staff_id) as care_shifts
    from core.shifts as shifts
    inner join locations using (provider_id, location_id)
    left join care_roles
        on shifts.provider_id = care_roles.provider_id
        and shifts.staff_id = care_roles.staff_id
    where shifts.status = 'final' and not locations.is_home_care
    group by all
),

visit_hours as (
    -- by UTC hour first, like note_hours
    select
        visits.provider_id,
        visits.location_id,
        epoch_us(visits.scheduled_start) // 3600000000 as utc_hour,
        count(*) as shifts
    from core.visits as visits
    inner join locations using (provider_id, location_id)
    where visits.status = 'final' and visits.visit_status = 'completed' and locations.is_home_care
    group by all
),

completed_visits as (
    select
        provider_id,
        location_id,
        timezone('Europe/London', make_timestamptz(utc_hour * 3600000000))::date as day,
        sum(shifts) as shifts,
        sum(shifts) as care_shifts
    from visit_hours
    group by all
),

activity as (
    select
        provider_id,
        location_id,
        day,
        sum(care_notes) as care_notes,
        sum(notes_with_entry_seconds) as notes_with_entry_seconds,
        sum(entry_seconds) as entry_seconds,
        sum(notes_within_15_minutes) as notes_within_15_minutes,
        sum(offline_notes) as offline_notes,
        sum(notes_with_offline_known) as notes_with_offline_known,
        sum(carer_notes) as carer_notes,
        sum(carer_notes_with_entry_seconds) as carer_notes_with_entry_seconds,
        sum(carer_entry_seconds) as carer_entry_seconds,
        sum(shifts) as shifts,
        sum(care_shifts) as care_shifts
    from (
        select * from notes
        union all by name
        select * from care_home_shifts
        union all by name
        select * from completed_visits
    )
    group by all
),

spans as (
    select provider_id, location_id, min(day) as first_day, max(day) as last_day
    from activity
    group by all
),

calendar as (
    select
        provider_id,
        location_id,
        unnest(generate_series(first_day, last_day, interval 1 day))::date as day
    from spans
)

select
    calendar.provider_id,
    calendar.location_id,
    calendar.day,
    locations.service_type,
    case when locations.is_home_care then 'visits' else 'shifts' end as shift_basis,
    coalesce(activity.care_notes, 0)::bigint as care_notes,
    coalesce(activity.notes_with_entry_seconds, 0)::bigint as notes_with_entry_seconds,
    coalesce(activity.entry_seconds, 0)::bigint as entry_seconds,
    coalesce(activity.notes_within_15_minutes, 0)::bigint as notes_within_15_minutes,
    coalesce(activity.offline_notes, 0)::bigint as offline_notes,
    coalesce(activity.notes_with_offline_known, 0)::bigint as notes_with_offline_known,
    coalesce(activity.carer_notes, 0)::bigint as carer_notes,
    coalesce(activity.carer_notes_with_entry_seconds, 0)::bigint
        as carer_notes_with_entry_seconds,
    coalesce(activity.carer_entry_seconds, 0)::bigint as carer_entry_seconds,
    coalesce(activity.shifts, 0)::bigint as shifts,
    coalesce(activity.care_shifts, 0)::bigint as care_shifts
from calendar
inner join locations using (provider_id, location_id)
left join activity using (provider_id, location_id, day)
