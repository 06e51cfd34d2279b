-- audience: provider
-- The provider's name as the CQC directory gives it (reference.cqc_locations), for the
-- business-case report's title.
select min(provider_name) as provider_name
from reference.cqc_locations
where provider_id = $scope_provider_id
