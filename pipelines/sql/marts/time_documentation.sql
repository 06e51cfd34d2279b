-- Inputs of marts.time_released_monthly: one row per live location per Europe/London month of
-- marts.documentation_monthly, from the first whole month after DSCR go-live (the month's first
-- day on or after dscr_go_live_date: the go-live month mixes paper and digital days, and its
-- shifts before go-live have no recorded minutes). Locations not live have no rows.
-- The time released is a care worker's (the government's claim is per care worker per shift),
-- so shifts are the care-worker shifts (care_shifts: care_worker, senior_care_worker and nurse
-- staff in care homes, managers' shifts left out; completed visits in home care) and the
-- measured minutes are the carers' notes' (care_entry_minutes, notes by those roles or by no
-- known member of staff). entry_seconds gives those minutes exactly (core holds whole
-- seconds).

select
    documentation.provider_id,
    documentation.location_id,
    documentation.month,
    documentation.service_type,
    documentation.shift_basis,
    documentation.care_shifts as shifts,
    round(documentation.care_entry_minutes * 60)::bigint as entry_seconds,
    documentation.entry_minutes_per_care_shift as measured_minutes_per_shift,
    documentation.care_minutes_per_shift_p10 as minutes_per_shift_p10,
    documentation.care_minutes_per_shift_p90 as minutes_per_shift_p90
from marts.documentation_monthly as documentation
inner join core.locations as locations
    on documentation.provider_id = locations.provider_id
    and documentation.location_id = locations.location_id
where locations.dscr_go_live_date is not null
    and documentation.month >= locations.dscr_go_live_date
order by documentation.provider_id, documentation.location_id, documentation.month
