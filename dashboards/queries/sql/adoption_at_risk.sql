-- audience: icb
-- not-counts: days_without_export
-- labels: location_id, location_name, provider_id, provider_name, risk_reason, evidence, evidence_date, previous_return_date, latest_return_date, last_export_to, as_of
-- Locations of the caller's ICB at risk of dropping their DSCR as at the last load
-- (marts.adoption_at_risk), one row per location and reason, with the evidence in words and
-- its dates: the latest return turned from Yes to No, the status is abandoned, or the
-- provider's ODE-1 exports for the location stopped. Organisations and dates only: no counts.
select
    location_id,
    location_name,
    provider_id,
    provider_name,
    reason as risk_reason,
    evidence,
    evidence_date,
    previous_return_date,
    latest_return_date,
    last_export_to,
    days_without_export,
    as_of
from marts.adoption_at_risk
where icb_code = $scope_icb_code
order by evidence_date, location_name, location_id, reason
