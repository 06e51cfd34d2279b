-- audience: provider
-- The assumption values the provider's owners entered, as the last load published them
-- (reference.provider_assumptions).
select name, value, note
from reference.provider_assumptions
where provider_id = $scope_provider_id
order by name
