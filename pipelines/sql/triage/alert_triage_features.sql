-- One row per current final alert with the features the triage model uses
-- (pipelines/steps/alert_triage.py, docs/alert-triage.md). Every feature is what was known at
-- the alert's raised_at: history counts only alerts closed, notes recorded and visits
-- scheduled or checked in before that instant, so a later outcome never changes an earlier
-- alert's features. Hours, weekdays and months are Europe/London.
with alerts as (
    select
        a.provider_id,
        a.location_id,
        a.record_uid,
        a.person_id,
        a.staff_id,
        a.category,
        a.severity,
        a.raised_at,
        a.resolved_at,
        a.outcome
    from core.alerts a
    where a.status = 'final' and a.raised_at is not null and a.category is not null
),
closed as (
    -- Alerts with an outcome, at the instant they were closed.
    select provider_id, location_id, category, resolved_at, outcome = 'false_alarm' as false_alarm
    from alerts
    where outcome is not null and resolved_at is not null
),
location_history as (
    select
        a.provider_id,
        a.record_uid,
        count(c.resolved_at) as closed_28d,
        count(c.resolved_at) filter (where c.false_alarm) as false_alarms_28d,
        count(c.resolved_at) filter (where c.category = a.category) as category_closed_28d,
        count(c.resolved_at) filter (
            where c.category = a.category and c.false_alarm
        ) as category_false_alarms_28d
    from alerts a
    join closed c
        on c.provider_id = a.provider_id
        and c.location_id = a.location_id
        and c.resolved_at < a.raised_at
        and c.resolved_at >= a.raised_at - interval 28 day
    group by a.provider_id, a.record_uid
),
repeats as (
    -- Another alert of the same category at the same location in the 2 hours before.
    select distinct a.provider_id, a.record_uid
    from alerts a
    join alerts b
        on b.provider_id = a.provider_id
        and b.location_id = a.location_id
        and b.category = a.category
        and b.raised_at < a.raised_at
        and b.raised_at >= a.raised_at - interval 2 hour
),
staff_notes as (
    select
        a.provider_id,
        a.record_uid,
        count(*) as notes_28d,
        count(*) filter (where n.recorded_offline) as offline_notes_28d
    from alerts a
    join core.care_notes n
        on n.provider_id = a.provider_id
        and n.staff_id = a.staff_id
        and n.recorded_at < a.raised_at
        and n.recorded_at >= a.raised_at - interval 28 day
    where a.staff_id is not null and n.status = 'final' and n.recorded_offline is not null
    group by a.provider_id, a.record_uid
),
latest_visit as (
    -- The person's latest visit scheduled in the 12 hours before a missed or late visit alert.
    select
        a.provider_id,
        a.record_uid,
        arg_max(
            v.check_in_at is not null and v.check_in_at <= a.raised_at, v.scheduled_start
        ) as checked_in
    from alerts a
    join core.visits v
        on v.provider_id = a.provider_id
        and v.person_id = a.person_id
        and v.scheduled_start <= a.raised_at
        and v.scheduled_start >= a.raised_at - interval 12 hour
    where a.category in ('missed_visit', 'late_visit') and a.person_id is not null
        and v.status = 'final'
    group by a.provider_id, a.record_uid
)
select
    a.provider_id,
    a.location_id,
    a.record_uid,
    a.category,
    coalesce(a.severity, 'unknown') as severity,
    a.raised_at,
    a.resolved_at,
    a.outcome,
    extract(hour from timezone('Europe/London', a.raised_at))::integer as hour,
    extract(isodow from timezone('Europe/London', a.raised_at))::integer as weekday,
    coalesce(l.service_type, 'unknown') as service_type,
    coalesce(
        greatest(
            date_diff('day', l.dscr_go_live_date, timezone('Europe/London', a.raised_at)::date),
            0
        ) / 30.44,
        0
    )::double as months_since_go_live,
    h.false_alarms_28d / nullif(h.closed_28d, 0) as location_false_alarm_share_28d,
    h.category_false_alarms_28d / nullif(h.category_closed_28d, 0)
        as category_false_alarm_share_28d,
    s.offline_notes_28d / nullif(s.notes_28d, 0) as staff_offline_share_28d,
    case
        when a.category not in ('missed_visit', 'late_visit') then 'not_a_visit_alert'
        when v.checked_in is null then 'no_recent_visit'
        when v.checked_in then 'checked_in'
        else 'not_checked_in'
    end as visit_status,
    r.record_uid is not null as repeat_within_2h
from alerts a
left join core.locations l using (provider_id, location_id)
left join location_history h using (provider_id, record_uid)
left join repeats r using (provider_id, record_uid)
left join staff_notes s using (provider_id, record_uid)
left join latest_visit v using (provider_id, record_uid)
order by a.raised_at, a.provider_id, a.record_uid
