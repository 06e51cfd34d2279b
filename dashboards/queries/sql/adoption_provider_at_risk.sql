-- audience: provider
-- The caller's provider's locations in marts.adoption_at_risk, with the evidence: what the
-- ICB lead sees about them.
select
    location_id,
    location_name,
    reason as risk_reason,
    evidence,
    evidence_date,
    previous_return_date,
    latest_return_date,
    last_export_to,
    days_without_export,
    as_of
from marts.adoption_at_risk
where provider_id = $scope_provider_id
order by evidence_date, location_name, location_id, reason
