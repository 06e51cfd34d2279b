-- marts.alert_burden_monthly: one row per location per Europe/London calendar month, from its
-- first to its last month with alerts raised or counted shifts (months in between get zeros):
-- alerts raised per manager shift and per care-worker shift.
--
-- Care homes count final shifts by the month of start_at; home care has no shifts.csv, so a
-- "shift" is a distinct staff member and Europe/London day with at least one completed final
-- visit (by scheduled_start), shift_basis 'visit_days'. The staff member's role (core.staff)
-- puts a shift in manager_shifts (manager, deputy_manager) or care_worker_shifts (care_worker,
-- senior_care_worker, nurse); other roles and unknown staff count in neither. Rates are null
-- when there is no such shift.
--
-- Parameters: $home_care_types.

with locations as (
    select
        provider_id,
        location_id,
        list_contains($home_care_types, service_type) as is_home_care
    from core.locations
),

roles as (
    select
        provider_id,
        staff_id,
        case
            when role in ('manager', 'deputy_manager') then 'manager'
            when role in ('care_worker', 'senior_care_worker', 'nurse') then 'care_worker'
        end as role_group
    from core.staff
),

care_home_shifts as (
    select
        shifts.provider_id,
        shifts.location_id,
        date_trunc('month', timezone('Europe/London', shifts.start_at))::date as month,
        roles.role_group
    from core.shifts as shifts
    inner join locations using (provider_id, location_id)
    inner join roles using (provider_id, staff_id)
    where shifts.status = 'final' and not locations.is_home_care and roles.role_group is not null
),

visit_hours as (
    -- staff and UTC hour first (integer arithmetic), then each hour's London day: London is
    -- always a whole number of hours from UTC, so an hour never straddles two London days
    select distinct
        visits.provider_id,
        visits.location_id,
        visits.staff_id,
        epoch_us(visits.scheduled_start) // 3600000000 as utc_hour
    from core.visits as visits
    inner join locations using (provider_id, location_id)
    where
        visits.status = 'final'
        and visits.visit_status = 'completed'
        and visits.staff_id is not null
        and locations.is_home_care
),

visit_days as (
    select distinct
        provider_id,
        location_id,
        staff_id,
        timezone('Europe/London', make_timestamptz(utc_hour * 3600000000))::date as day
    from visit_hours
),

home_care_shifts as (
    select
        visit_days.provider_id,
        visit_days.location_id,
        date_trunc('month', visit_days.day)::date as month,
        roles.role_group
    from visit_days
    inner join roles using (provider_id, staff_id)
    where roles.role_group is not null
),

shift_counts as (
    select
        provider_id,
        location_id,
        month,
        count(*) filter (role_group = 'manager') as manager_shifts,
        count(*) filter (role_group = 'care_worker') as care_worker_shifts
    from (
        select * from care_home_shifts
        union all
        select * from home_care_shifts
    )
    group by all
),

alert_counts as (
    select
        provider_id,
        location_id,
        date_trunc('month', day)::date as month,
        count(*) as alerts_raised
    from marts.alert_facts
    group by all
),

spans as (
    select provider_id, location_id, min(month) as first_month, max(month) as last_month
    from (
        select provider_id, location_id, month from shift_counts
        union all
        select provider_id, location_id, month from alert_counts
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
    case when locations.is_home_care then 'visit_days' else 'shifts' end as shift_basis,
    coalesce(alert_counts.alerts_raised, 0)::bigint as alerts_raised,
    coalesce(shift_counts.manager_shifts, 0)::bigint as manager_shifts,
    coalesce(shift_counts.care_worker_shifts, 0)::bigint as care_worker_shifts,
    coalesce(alert_counts.alerts_raised, 0) / nullif(shift_counts.manager_shifts, 0)::double
        as alerts_per_manager_shift,
    coalesce(alert_counts.alerts_raised, 0) / nullif(shift_counts.care_worker_shifts, 0)::double
        as alerts_per_care_worker_shift
from calendar
inner join locations using (provider_id, location_id)
left join alert_counts using (provider_id, location_id, month)
left join shift_counts using (provider_id, location_id, month)
order by calendar.provider_id, calendar.location_id, calendar.month
