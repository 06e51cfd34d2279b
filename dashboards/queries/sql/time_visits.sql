-- audience: provider
-- One row per home-care location in scope per Europe/London month of scheduled_start
-- (marts.visits_monthly): visits scheduled, completed, missed and late, the share on time and
-- the share missed.
select
    visits.location_id,
    visits.month,
    visits.visits_scheduled,
    visits.visits_completed,
    visits.visits_missed,
    visits.visits_cancelled_by_person,
    visits.visits_cancelled_by_provider,
    visits.visits_late,
    visits.visits_on_time_share,
    visits.median_minutes_late,
    visits.missed_share
from marts.visits_monthly as visits
where
    visits.provider_id = $scope_provider_id
    and ($scope_location_ids is null or list_contains($scope_location_ids, visits.location_id))
order by visits.location_id, visits.month
