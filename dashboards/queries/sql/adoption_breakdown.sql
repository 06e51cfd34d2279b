-- audience: icb
-- counts: active_locations, adopted_locations, no_return_locations, care_home_beds, adopted_care_home_beds
-- rates: adoption_rate = adopted_locations / active_locations, adoption_rate_beds = adopted_care_home_beds / care_home_beds
-- labels: month, dimension, category
-- The caller's ICB's adoption in its latest month, broken down by service type, size band,
-- local authority and supplier (marts.adoption_breakdown_monthly): one row per dimension and
-- category. The reader disclosure-controls the counts and works out the rates from the
-- unrounded ones (suppressed with them).
with latest as (
    select max(month) as month
    from marts.adoption_breakdown_monthly
    where icb_code = $scope_icb_code
)

select
    breakdown.month,
    breakdown.dimension,
    breakdown.category,
    breakdown.active_locations,
    breakdown.adopted_locations,
    breakdown.no_return_locations,
    breakdown.care_home_beds,
    breakdown.adopted_care_home_beds
from marts.adoption_breakdown_monthly as breakdown
inner join latest on breakdown.month = latest.month
where breakdown.icb_code = $scope_icb_code
order by breakdown.dimension, breakdown.category
