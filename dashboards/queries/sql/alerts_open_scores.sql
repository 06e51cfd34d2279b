-- audience: person
-- Open alerts at the locations in scope ($location_id null) or one of them, ranked by the
-- triage model's score (the probability the alert needs action), highest first: when raised,
-- the location, category, severity, score, the model's reason in plain English and the
-- alert's record id (the provider's own; no person or staff identifier), with how many
-- hours it had been open at the instant the data describe. Person-level audience because it
-- lists single alerts. $row_limit null for all.
select
    scores.record_uid,
    scores.raised_at,
    scores.location_id,
    coalesce(locations.location_name, scores.location_id) as location_name,
    scores.category,
    scores.severity,
    scores.score,
    scores.reason,
    date_diff('minute', scores.raised_at, facts.data_as_of) / 60.0 as hours_open,
    scores.model_run_id,
    count(*) over () as alerts_matched
from marts.alert_triage_scores as scores
left join core.locations as locations
    on scores.provider_id = locations.provider_id and scores.location_id = locations.location_id
left join marts.alert_facts as facts
    on scores.provider_id = facts.provider_id and scores.record_uid = facts.record_uid
where
    scores.provider_id = $scope_provider_id
    and ($scope_location_ids is null or list_contains($scope_location_ids, scores.location_id))
    and ($location_id is null or scores.location_id = $location_id)
order by scores.score desc, scores.raised_at, scores.record_uid
limit coalesce($row_limit, 1000000)
