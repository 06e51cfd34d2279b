-- audience: icb
-- labels: first_day, last_day
-- The span of alerts raised at the providers of the caller's ICB: the first and last
-- Europe/London day with an alert. One row (nulls when there are none). No counts.
select
    min(facts.day) as first_day,
    max(facts.day) as last_day
from marts.alert_facts as facts
where facts.provider_id in (
    select provider_id from core.locations where icb_code = $scope_icb_code
)
