-- audience: provider
-- One row per location in scope per Europe/London month of marts.documentation_monthly:
-- measured documentation time (minutes per shift in care homes, per completed visit in home
-- care), notes recorded within 15 minutes of the care, offline recording, and the daily spread
-- of minutes per shift; then the care-worker columns the page charts and counts hours released
-- from (care_shifts, care_entry_minutes, entry_minutes_per_care_shift and its daily spread:
-- managers' and other non-care staff's shifts and notes left out). after_go_live marks the months the time released counts: the first
-- whole month after DSCR go-live onwards (the month's first day on or after the go-live date),
-- as pipelines/sql/marts/time_documentation.sql does.
select
    documentation.location_id,
    locations.location_name,
    documentation.month,
    documentation.service_type,
    documentation.shift_basis,
    documentation.care_notes,
    documentation.entry_minutes,
    documentation.shifts,
    documentation.entry_minutes_per_shift,
    documentation.notes_recorded_within_15_minutes,
    documentation.notes_with_entry_seconds,
    documentation.offline_notes,
    documentation.offline_share,
    documentation.minutes_per_shift_p10,
    documentation.minutes_per_shift_p90,
    documentation.care_shifts,
    documentation.care_entry_minutes,
    documentation.entry_minutes_per_care_shift,
    documentation.care_minutes_per_shift_p10,
    documentation.care_minutes_per_shift_p90,
    locations.dscr_go_live_date,
    coalesce(documentation.month >= locations.dscr_go_live_date, false) as after_go_live
from marts.documentation_monthly as documentation
inner join core.locations as locations
    on documentation.provider_id = locations.provider_id
    and documentation.location_id = locations.location_id
where
    documentation.provider_id = $scope_provider_id
    and (
        $scope_location_ids is null
        or list_contains($scope_location_ids, documentation.location_id)
    )
order by documentation.location_id, documentation.month
