-- Inputs of the managerial care-plan review stream of marts.benefit_streams: reviews completed
-- in each Europe/London month (completed_at in the month, whatever the due date), per live
-- location, from the first whole month after DSCR go-live (as time_documentation.sql).

select
    reviews.provider_id,
    reviews.location_id,
    reviews.month,
    reviews.reviews_completed_in_month
from marts.care_plan_reviews_monthly as reviews
inner join core.locations as locations
    on reviews.provider_id = locations.provider_id
    and reviews.location_id = locations.location_id
where locations.dscr_go_live_date is not null
    and reviews.month >= locations.dscr_go_live_date
order by reviews.provider_id, reviews.location_id, reviews.month
