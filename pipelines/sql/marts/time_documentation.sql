-- Inputs of marts.time_released_monthly: one row per live location per Europe/London month of
-- marts.documentation_monthly, from the first whole month after DSCR go-live (the month's first
-- day on or after dscr_go_live_date: the go-live month mixes paper and digital days, and its
-- shifts before go-live have no recorded minutes). Locations not live have no rows.
-- entry_seconds gives the measured minutes exactly (core holds whole seconds).

select
    documentation.provider_id,
    documentation.location_id,
    documentation.month,
    documentation.service_type,
    documentation.shift_basis,
    documentation.shifts,
    round(documentation.entry_minutes * 60)::bigint as entry_seconds,
    documentation.entry_minutes_per_shift as measured_minutes_per_shift,
    documentation.minutes_per_shift_p10,
    documentation.minutes_per_shift_p90
from marts.documentation_monthly as documentation
inner join core.locations as locations
    on documentation.provider_id = locations.provider_id
    and documentation.location_id = locations.location_id
where locations.dscr_go_live_date is not null
    and documentation.month >= locations.dscr_go_live_date
order by documentation.provider_id, documentation.location_id, documentation.month
