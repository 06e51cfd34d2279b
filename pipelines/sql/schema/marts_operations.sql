-- Operations marts (issue #5): alerts, documentation time, home-care visits and care-plan
-- reviews, rebuilt whole from core.* by every load (pipelines/marts/operations.py). Only current
-- versions with status 'final' count; days, months and hours are Europe/London of the instant,
-- weeks are ISO weeks named by their Monday. No person_id, staff_id or free text.
-- Definitions: docs/metrics.md#operations-marts.
create schema if not exists marts;

-- One row per location, Europe/London day of raised_at and alert category with alerts raised
-- (shared/spec/metrics-v1.md). Spec columns first, then extensions. Unique on (provider_id,
-- location_id, day, category) by construction, without a primary key: the tables with a row
-- per alert or per day carry no index, since each load deletes every row first and deleting
-- through an index cost 1.2 s for the demo's 32,648 alerts against 0.01 s without.
create table if not exists marts.alerts_daily (
    provider_id                     varchar not null,
    location_id                     varchar not null,
    day                             date not null,
    category                        varchar not null,
    alerts_raised                   bigint not null,
    alerts_resolved_within_24h      bigint not null,   -- resolved_at - raised_at <= 24 hours
    false_alarms                    bigint not null,   -- outcome false_alarm
    median_minutes_to_acknowledge   double,            -- null when none acknowledged
    duplicates                      bigint not null,   -- outcome duplicate
    actioned                        bigint not null,   -- outcome actioned
    no_action_needed                bigint not null,   -- outcome no_action_needed
    open_alerts                     bigint not null,   -- outcome null
    acknowledged_alerts             bigint not null    -- with acknowledged_at
);

-- One row per location per Europe/London ISO week of raised_at, from the location's first to
-- its last week with alerts (weeks in between with none get zero counts).
create table if not exists marts.alerts_weekly (
    provider_id                     varchar not null,
    location_id                     varchar not null,
    week                            date not null,     -- the Monday of the ISO week
    alerts_raised                   bigint not null,
    alerts_closed                   bigint not null,   -- outcome not null
    false_alarms                    bigint not null,
    duplicates                      bigint not null,
    false_alarm_share               double,            -- false_alarms / alerts_closed
    primary key (provider_id, location_id, week)
);

-- One row per current final alert: timings and outcome, without person, staff or free text.
-- Unique on (provider_id, record_uid) as core.alerts is; no primary key (see alerts_daily).
create table if not exists marts.alert_facts (
    provider_id                     varchar not null,
    location_id                     varchar not null,
    record_uid                      varchar not null,
    category                        varchar not null,
    severity                        varchar,
    raised_at                       timestamptz not null,
    day                             date not null,     -- Europe/London day of raised_at
    hour                            integer not null,  -- Europe/London hour of raised_at, 0-23
    weekday                         integer not null,  -- ISO: 1 Monday to 7 Sunday
    minutes_to_acknowledge          double,            -- null when not acknowledged
    minutes_to_resolve              double,            -- null when not resolved
    outcome                         varchar,           -- null while open
    is_open                         boolean not null,  -- outcome null
    resolved_within_24h             boolean,           -- null when resolved_at is null
    data_as_of                      timestamptz        -- the provider's latest export generated_at
);

-- One row per location per Europe/London month, from its first to its last month with alerts,
-- shifts or completed visits: alerts per manager shift and per care-worker shift.
create table if not exists marts.alert_burden_monthly (
    provider_id                     varchar not null,
    location_id                     varchar not null,
    month                           date not null,     -- first day of the month
    shift_basis                     varchar not null,  -- 'shifts' | 'visit_days' (home care)
    alerts_raised                   bigint not null,
    manager_shifts                  bigint not null,   -- role manager or deputy_manager
    care_worker_shifts              bigint not null,   -- care_worker, senior_care_worker, nurse
    alerts_per_manager_shift        double,
    alerts_per_care_worker_shift    double,
    primary key (provider_id, location_id, month)
);

-- One row per location per Europe/London month, from its first to its last month with care
-- notes, shifts (care homes) or completed visits (home care) (shared/spec/metrics-v1.md).
-- Spec columns first, then extensions.
create table if not exists marts.documentation_monthly (
    provider_id                         varchar not null,
    location_id                         varchar not null,
    month                               date not null,     -- first day of the month
    care_notes                          bigint not null,   -- notes with care_at in the month
    entry_minutes                       double,            -- sum of entry_seconds / 60
    shifts                              bigint not null,   -- shifts, or completed visits
    entry_minutes_per_shift             double,            -- entry_minutes / shifts
    notes_recorded_within_15_minutes    double,            -- share, 0 to 1
    service_type                        varchar not null,
    shift_basis                         varchar not null,  -- 'shifts' | 'visits' (home care)
    notes_with_entry_seconds            bigint not null,
    offline_notes                       bigint not null,   -- recorded_offline true
    offline_share                       double,            -- of notes with recorded_offline known
    minutes_per_shift_p10               double,            -- over the month's days
    minutes_per_shift_p90               double,
    -- care-worker extensions: care homes count only the shifts of care_worker,
    -- senior_care_worker and nurse staff (home care: completed visits, as shifts), and the
    -- minutes of notes by those roles or by no known member of staff
    care_shifts                         bigint,
    care_entry_minutes                  double,
    entry_minutes_per_care_shift        double,            -- care_entry_minutes / care_shifts
    care_minutes_per_shift_p10          double,            -- over the month's days
    care_minutes_per_shift_p90          double,
    primary key (provider_id, location_id, month)
);

-- One row per location per Europe/London day, from its first to its last day with care notes,
-- shifts or completed visits. Unique on (provider_id, location_id, day); no primary key (see
-- alerts_daily).
create table if not exists marts.documentation_daily (
    provider_id                     varchar not null,
    location_id                     varchar not null,
    day                             date not null,
    care_notes                      bigint not null,
    entry_minutes                   double,
    shifts                          bigint not null,
    entry_minutes_per_shift         double,
    care_shifts                     bigint,            -- as in documentation_monthly
    care_entry_minutes              double,
    entry_minutes_per_care_shift    double
);

-- Warehouses published before the care-worker extensions gain them here (every load rebuilds
-- these marts whole, so the new columns are filled at once).
alter table marts.documentation_monthly add column if not exists care_shifts bigint;
alter table marts.documentation_monthly add column if not exists care_entry_minutes double;
alter table marts.documentation_monthly add column if not exists
    entry_minutes_per_care_shift double;
alter table marts.documentation_monthly add column if not exists
    care_minutes_per_shift_p10 double;
alter table marts.documentation_monthly add column if not exists
    care_minutes_per_shift_p90 double;
alter table marts.documentation_daily add column if not exists care_shifts bigint;
alter table marts.documentation_daily add column if not exists care_entry_minutes double;
alter table marts.documentation_daily add column if not exists
    entry_minutes_per_care_shift double;

-- One row per home-care location per Europe/London month of scheduled_start, from its first to
-- its last month with visits.
create table if not exists marts.visits_monthly (
    provider_id                     varchar not null,
    location_id                     varchar not null,
    month                           date not null,
    visits_scheduled                bigint not null,   -- every final visit
    visits_completed                bigint not null,
    visits_missed                   bigint not null,
    visits_cancelled_by_person      bigint not null,
    visits_cancelled_by_provider    bigint not null,
    visits_late                     bigint not null,   -- completed, checked in > N min late
    visits_on_time_share            double,            -- on time / completed with check-in
    median_minutes_late             double,            -- over late visits
    missed_share                    double,            -- missed / (completed + missed)
    primary key (provider_id, location_id, month)
);

-- One row per location per Europe/London month of due_date, from its first to its last month
-- with reviews due or completed.
create table if not exists marts.care_plan_reviews_monthly (
    provider_id                     varchar not null,
    location_id                     varchar not null,
    month                           date not null,     -- month of due_date
    reviews_due                     bigint not null,
    reviews_on_time                 bigint not null,   -- completed on or before due_date
    reviews_late                    bigint not null,   -- completed after due_date
    reviews_outstanding             bigint not null,   -- not completed
    on_time_share                   double,            -- reviews_on_time / reviews_due
    reviews_completed               bigint not null,   -- of those due: on time + late
    reviews_completed_in_month      bigint not null,   -- completed_at in the month, any due date
    primary key (provider_id, location_id, month)
);
