-- audience: icb
-- counts: active_locations, adopted_locations, no_return_locations, returned_no_locations, returned_locations, care_home_beds, adopted_care_home_beds
-- rates: adoption_rate = adopted_locations / active_locations, adoption_rate_beds = adopted_care_home_beds / care_home_beds, adoption_rate_of_returns = adopted_locations / returned_locations
-- labels: icb_code, icb_name, month, month_end, universe_snapshot_date
-- One row per month of the caller's ICB in marts.adoption_monthly (metrics-v1.md), oldest
-- first: active adult social care locations, those whose latest return says Yes (adopted), No,
-- or that have no return, and care-home beds. returned_locations = Yes + No, the denominator
-- of NHS England's measure. The reader disclosure-controls every count and works out the three
-- rates from the unrounded counts (suppressed with them), replacing the mart's own.
select
    icb_code,
    icb_name,
    month,
    month_end,
    universe_snapshot_date,
    active_locations,
    adopted_locations,
    no_return_locations,
    returned_no_locations,
    (adopted_locations + returned_no_locations)::bigint as returned_locations,
    care_home_beds,
    adopted_care_home_beds
from marts.adoption_monthly
where icb_code = $scope_icb_code
order by month
