-- audience: provider
-- The latest training of the alert triage model (audit.model_runs, model 'alert_triage'):
-- its status, data window, metrics on the test window and model card. One model is trained
-- on every provider's resolved alerts, so the row describes the install's model, not the
-- caller's data; it is returned only to callers whose provider has a location (no scope, no
-- row). No person-level column.
select
    model_run_id,
    trained_at,
    status,
    status_reason,
    window_start,
    window_end,
    test_start,
    train_rows,
    test_rows,
    base_rate,
    average_precision,
    average_precision_false_alarm,
    roc_auc,
    brier,
    brier_base_rate,
    precision_top_decile,
    expected_calibration_error,
    scored_alerts,
    card_markdown
from audit.model_runs
where
    model = 'alert_triage'
    and exists (select 1 from core.locations where provider_id = $scope_provider_id)
order by trained_at desc, model_run_id desc
limit 1
