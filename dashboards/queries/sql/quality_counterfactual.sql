-- audience: provider
-- Observed and counterfactual (no go-live) events per month after go-live, with the 95%
-- interval of the counterfactual, for one location in the caller's scope and one measure.
select
    month,
    observed,
    expected,
    expected_lower,
    expected_upper
from marts.quality_counterfactual
where
    provider_id = $scope_provider_id
    and ($scope_location_ids is null or list_contains($scope_location_ids, location_id))
    and location_id = $location_id
    and measure = $measure
order by month
