-- marts.documentation_monthly: one row per location per Europe/London calendar month, from its
-- first to its last month with care notes or shifts (completed visits in home care); months in
-- between with neither get zero counts (shared/spec/metrics-v1.md, spec columns first, then
-- extensions). Reads the build's temporary table documentation_days (documentation_days.sql).
--
-- minutes_per_shift_p10 and _p90: 10th and 90th percentiles (linear interpolation between the
-- closest ranks, quantile_cont) over the month's days of that day's entry_minutes / shifts,
-- days without shifts or without measured entry time left out.
--
-- Care-worker extensions (documentation_days.sql says which shifts and notes are the care
-- workers'): care_shifts; care_entry_minutes, as entry_minutes over the carers' notes only;
-- entry_minutes_per_care_shift = care_entry_minutes / care_shifts; and
-- care_minutes_per_shift_p10 and _p90, as minutes_per_shift_p10 and _p90 over each day's
-- care_entry_minutes / care_shifts.

with days as (
    select
        *,
        case
            when care_notes > 0 and notes_with_entry_seconds = 0 then null
            else entry_seconds / 60 / nullif(shifts, 0)
        end::double as day_minutes_per_shift,
        case
            when carer_notes > 0 and carer_notes_with_entry_seconds = 0 then null
            else carer_entry_seconds / 60 / nullif(care_shifts, 0)
        end::double as day_minutes_per_care_shift
    from documentation_days
),

months as (
    select
        provider_id,
        location_id,
        date_trunc('month', day)::date as month,
        any_value(service_type) as service_type,
        any_value(shift_basis) as shift_basis,
        sum(care_notes)::bigint as care_notes,
        sum(notes_with_entry_seconds)::bigint as notes_with_entry_seconds,
        sum(entry_seconds)::bigint as entry_seconds,
        sum(notes_within_15_minutes)::bigint as notes_within_15_minutes,
        sum(offline_notes)::bigint as offline_notes,
        sum(notes_with_offline_known)::bigint as notes_with_offline_known,
        sum(shifts)::bigint as shifts,
        quantile_cont(day_minutes_per_shift, 0.1) as minutes_per_shift_p10,
        quantile_cont(day_minutes_per_shift, 0.9) as minutes_per_shift_p90,
        sum(carer_notes)::bigint as carer_notes,
        sum(carer_notes_with_entry_seconds)::bigint as carer_notes_with_entry_seconds,
        sum(carer_entry_seconds)::bigint as carer_entry_seconds,
        sum(care_shifts)::bigint as care_shifts,
        quantile_cont(day_minutes_per_care_shift, 0.1) as care_minutes_per_shift_p10,
        quantile_cont(day_minutes_per_care_shift, 0.9) as care_minutes_per_shift_p90
    from days
    group by all
),

minutes as (
    select
        *,
        case
            when care_notes > 0 and notes_with_entry_seconds = 0 then null
            else entry_seconds / 60
        end::double as entry_minutes,
        case
            when carer_notes > 0 and carer_notes_with_entry_seconds = 0 then null
            else carer_entry_seconds / 60
        end::double as care_entry_minutes
    from months
)

select
    provider_id,
    location_id,
    month,
    care_notes,
    entry_minutes,
    shifts,
    entry_minutes / nullif(shifts, 0) as entry_minutes_per_shift,
    notes_within_15_minutes / nullif(care_notes, 0)::double as notes_recorded_within_15_minutes,
    service_type,
    shift_basis,
    notes_with_entry_seconds,
    offline_notes,
    offline_notes / nullif(notes_with_offline_known, 0)::double as offline_share,
    minutes_per_shift_p10,
    minutes_per_shift_p90,
    care_shifts,
    care_entry_minutes,
    care_entry_minutes / nullif(care_shifts, 0) as entry_minutes_per_care_shift,
    care_minutes_per_shift_p10,
    care_minutes_per_shift_p90
from minutes
order by provider_id, location_id, month
