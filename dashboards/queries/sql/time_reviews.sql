-- audience: provider
-- One row per location in scope per Europe/London month of due_date
-- (marts.care_plan_reviews_monthly): reviews due, done on time, late and outstanding, the share
-- on time, and the reviews completed in the month whatever their due date (the count the
-- managerial time released uses). after_go_live as in time_documentation.sql.
select
    reviews.location_id,
    reviews.month,
    reviews.reviews_due,
    reviews.reviews_on_time,
    reviews.reviews_late,
    reviews.reviews_outstanding,
    reviews.on_time_share,
    reviews.reviews_completed,
    reviews.reviews_completed_in_month,
    coalesce(reviews.month >= locations.dscr_go_live_date, false) as after_go_live
from marts.care_plan_reviews_monthly as reviews
inner join core.locations as locations
    on reviews.provider_id = locations.provider_id
    and reviews.location_id = locations.location_id
where
    reviews.provider_id = $scope_provider_id
    and ($scope_location_ids is null or list_contains($scope_location_ids, reviews.location_id))
order by reviews.location_id, reviews.month
