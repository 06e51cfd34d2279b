-- Alert triage (models/alert_triage.py, pipelines/steps/alert_triage.py, docs/alert-triage.md).
create schema if not exists marts;
create schema if not exists audit;

-- One row per open current final alert (outcome null) scored by the latest training; replaced
-- whole by every load, empty when the training was skipped. No person or staff identifier.
create table if not exists marts.alert_triage_scores (
    provider_id     varchar not null,
    location_id     varchar not null,
    record_uid      varchar not null,
    category        varchar not null,
    severity        varchar,
    raised_at       timestamptz not null,
    score           double not null,   -- calibrated probability the alert needs action (0..1)
    reason          varchar not null,  -- the model's largest terms in plain English
    model_run_id    varchar not null,  -- audit.model_runs row that produced the score
    primary key (provider_id, record_uid)
);

-- One row per training of a model by a load (history kept); metrics are on the test window.
create table if not exists audit.model_runs (
    model_run_id                    varchar primary key,  -- <model>-<run_id>
    run_id                          varchar not null,     -- the load run that trained it
    model                           varchar not null,     -- alert_triage
    trained_at                      timestamptz not null,
    status                          varchar not null,     -- trained | skipped
    status_reason                   varchar,              -- why skipped
    window_start                    timestamptz,          -- first raised_at of resolved alerts used
    window_end                      timestamptz,          -- last raised_at of resolved alerts used
    test_start                      timestamptz,          -- alerts raised after it were the test set
    train_rows                      integer not null,
    test_rows                       integer not null,
    base_rate                       double,  -- share of test alerts needing action
    average_precision               double,  -- of "needs action" (chance = base_rate)
    average_precision_false_alarm   double,  -- of "false alarm or duplicate" (chance = 1 - base_rate)
    roc_auc                         double,
    brier                           double,
    brier_base_rate                 double,  -- Brier of predicting the test base rate for all
    precision_top_decile            double,  -- share needing action in the top-scored tenth
    expected_calibration_error      double,
    calibration_json                varchar, -- 10 bins: lower, upper, alerts, mean_predicted, observed_share
    features_json                   varchar, -- feature names and meanings
    scored_alerts                   integer not null,  -- rows written to marts.alert_triage_scores
    seconds                         double not null,   -- features, training and scoring
    card_markdown                   varchar not null   -- the model card (also model_cards/<model_run_id>.md)
);
