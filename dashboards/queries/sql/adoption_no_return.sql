-- audience: icb
-- labels: month, location_id, location_name, provider_id, provider_name, local_authority, service_type, size_band
-- Active locations of the caller's ICB with no Provider Information Return on or before the
-- end of the ICB's latest month (marts.adoption_location_monthly): who to ask. Directory
-- facts only: no counts.
with latest as (
    select max(month) as month
    from marts.adoption_location_monthly
    where icb_code = $scope_icb_code
)

select
    locations.month,
    locations.location_id,
    locations.location_name,
    locations.provider_id,
    locations.provider_name,
    locations.local_authority,
    locations.service_type,
    locations.size_band
from marts.adoption_location_monthly as locations
inner join latest on locations.month = latest.month
where
    locations.icb_code = $scope_icb_code
    and not locations.has_return
order by locations.location_name, locations.location_id
