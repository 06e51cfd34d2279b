-- audience: provider
-- The last day the provider's exports cover: the month before it is the last complete one
-- unless the exports reach the month's end.
select max(extract_to) as extract_to
from audit.packages
where provider_id = $scope_provider_id
