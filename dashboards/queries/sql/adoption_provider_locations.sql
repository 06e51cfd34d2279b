-- audience: provider
-- The caller's provider's locations in the latest month of marts.adoption_location_monthly
-- that holds any of them: each location's ICB, latest Provider Information Return and its
-- DSCR answer, status and supplier. The provider's own rows: no disclosure control.
with latest as (
    select max(month) as month
    from marts.adoption_location_monthly
    where provider_id = $scope_provider_id
)

select
    locations.month,
    locations.location_id,
    locations.location_name,
    locations.icb_code,
    locations.icb_name,
    locations.service_type,
    locations.care_home_beds,
    locations.size_band,
    locations.latest_return_date,
    locations.latest_uses_dscr,
    locations.latest_dscr_status,
    locations.dscr_supplier,
    locations.has_return,
    locations.is_adopted
from marts.adoption_location_monthly as locations
inner join latest on locations.month = latest.month
where locations.provider_id = $scope_provider_id
order by locations.location_name, locations.location_id
