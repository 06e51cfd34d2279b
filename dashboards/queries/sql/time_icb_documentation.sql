-- audience: icb
-- counts: shifts, care_notes, notes_within_15_minutes, entry_seconds
-- rates: seconds_per_shift = entry_seconds / shifts, share_within_15_minutes = notes_within_15_minutes / care_notes
-- labels: provider_id, shift_basis, period_start, period_end
-- One row per provider with a location in the caller's ICB and per shift basis ('shifts' in
-- care homes, 'visits' in home care): measured documentation time and notes recorded within
-- 15 minutes of the care, over the latest three Europe/London months of documentation in the
-- ICB, months after each location's DSCR go-live only (as the provider's Time page counts
-- them). Like the provider's page, the time is a care worker's: shifts are the care-worker
-- shifts (care_shifts: managers' and other non-care staff's shifts left out; completed visits
-- in home care) and entry_seconds the carers' notes' (care_entry_minutes); the notes and the
-- share within 15 minutes are over all notes. No assumption is used. The reader disclosure-controls the counts and computes the
-- rates from the unrounded ones; entry_seconds is whole seconds of recording time.
with live as (
    select
        documentation.provider_id,
        documentation.shift_basis,
        documentation.month,
        documentation.care_shifts,
        documentation.care_notes,
        documentation.care_entry_minutes,
        documentation.notes_recorded_within_15_minutes
    from marts.documentation_monthly as documentation
    inner join core.locations as locations
        on documentation.provider_id = locations.provider_id
        and documentation.location_id = locations.location_id
    where
        locations.icb_code = $scope_icb_code
        and locations.dscr_go_live_date is not null
        and documentation.month >= locations.dscr_go_live_date
        and documentation.care_entry_minutes is not null
),

window_end as (
    select max(month) as period_end from live
)

select
    live.provider_id,
    live.shift_basis,
    strftime(window_end.period_end - interval 2 month, '%Y-%m-%d') as period_start,
    strftime(window_end.period_end, '%Y-%m-%d') as period_end,
    sum(live.care_shifts)::bigint as shifts,
    sum(live.care_notes)::bigint as care_notes,
    sum(round(live.notes_recorded_within_15_minutes * live.care_notes))::bigint
        as notes_within_15_minutes,
    sum(round(live.care_entry_minutes * 60))::bigint as entry_seconds
from live
cross join window_end
where live.month > window_end.period_end - interval 3 month
group by live.provider_id, live.shift_basis, window_end.period_end
order by live.provider_id, live.shift_basis
