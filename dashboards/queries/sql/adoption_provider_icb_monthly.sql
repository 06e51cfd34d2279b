-- audience: provider
-- Every month of marts.adoption_monthly for each ICB holding one of the caller's provider's
-- locations in its latest month, with the columns of adoption_monthly.sql. These are ICB-wide
-- figures published outside the providers that make them up, so the page disclosure-controls
-- them with adoption_monthly.sql's declared counts and rates before showing or sending them.
with latest as (
    select max(month) as month
    from marts.adoption_location_monthly
    where provider_id = $scope_provider_id
),

icbs as (
    select distinct locations.icb_code
    from marts.adoption_location_monthly as locations
    inner join latest on locations.month = latest.month
    where
        locations.provider_id = $scope_provider_id
        and locations.icb_code is not null
)

select
    monthly.icb_code,
    monthly.icb_name,
    monthly.month,
    monthly.month_end,
    monthly.universe_snapshot_date,
    monthly.active_locations,
    monthly.adopted_locations,
    monthly.no_return_locations,
    monthly.returned_no_locations,
    (monthly.adopted_locations + monthly.returned_no_locations)::bigint as returned_locations,
    monthly.care_home_beds,
    monthly.adopted_care_home_beds
from marts.adoption_monthly as monthly
where monthly.icb_code in (select icb_code from icbs)
order by monthly.icb_code, monthly.month
