-- marts.documentation_daily: one row per location per Europe/London day, from its first to its
-- last day with care notes or shifts (completed visits in home care). Reads the build's
-- temporary table documentation_days (documentation_days.sql).
--
-- entry_minutes is 0 on a day without notes and null on a day whose notes carry no
-- entry_seconds at all (time not measured); entry_minutes_per_shift is null without shifts.
-- Then the care-worker extensions (documentation_days.sql says which shifts and notes are the
-- care workers'): care_shifts, care_entry_minutes (as entry_minutes, over the carers' notes
-- only) and entry_minutes_per_care_shift (null without care shifts).

select
    provider_id,
    location_id,
    day,
    care_notes,
    case
        when care_notes > 0 and notes_with_entry_seconds = 0 then null
        else entry_seconds / 60
    end::double as entry_minutes,
    shifts,
    case
        when care_notes > 0 and notes_with_entry_seconds = 0 then null
        else entry_seconds / 60 / nullif(shifts, 0)
    end::double as entry_minutes_per_shift,
    care_shifts,
    case
        when carer_notes > 0 and carer_notes_with_entry_seconds = 0 then null
        else carer_entry_seconds / 60
    end::double as care_entry_minutes,
    case
        when carer_notes > 0 and carer_notes_with_entry_seconds = 0 then null
        else carer_entry_seconds / 60 / nullif(care_shifts, 0)
    end::double as entry_minutes_per_care_shift
from documentation_days
order by provider_id, location_id, day
