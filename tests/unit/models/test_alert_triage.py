"""Tests for models.alert_triage: metrics by hand, determinism, base rate, calibration, skips."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
import polars as pl
import pytest

from models.alert_triage import (
    FEATURES,
    TriageStatus,
    calibration_json,
    evaluate,
    label,
    model_card,
    score_alerts,
    term_contributions,
    train_alert_triage,
)

START = datetime(2025, 1, 6, tzinfo=UTC)
CATEGORIES = ("incident_reported", "missed_medication", "low_fluid_intake", "visit_not_signed_out")
FALSE_ALARM = {  # chance of a false alarm or duplicate by category (planted)
    "incident_reported": 0.03,
    "missed_medication": 0.08,
    "low_fluid_intake": 0.35,
    "visit_not_signed_out": 0.55,
}


def alerts(n: int, *, seed: int = 3, open_alerts: int = 0) -> pl.DataFrame:
    """``n`` resolved alerts over 40 weeks whose outcome depends on category and evening hour."""
    rng = np.random.default_rng(seed)
    category = rng.choice(CATEGORIES, n)
    hour = rng.integers(6, 23, n)
    p_false = np.array([FALSE_ALARM[c] for c in category]) * np.where(hour >= 20, 1.5, 0.9)
    false = rng.random(n) < p_false
    outcome = np.where(
        false, "false_alarm", np.where(rng.random(n) < 0.2, "no_action_needed", "actioned")
    )
    raised = [START + timedelta(minutes=int(m)) for m in np.sort(rng.integers(0, 40 * 7 * 1440, n))]
    frame = pl.DataFrame(
        {
            "provider_id": "P1",
            "location_id": rng.choice(["L1", "L2"], n),
            "record_uid": [f"AL-{i:06d}" for i in range(n)],
            "category": category,
            "severity": rng.choice(["low", "medium", "high"], n),
            "raised_at": raised,
            "outcome": outcome,
            "hour": hour,
            "weekday": rng.integers(1, 8, n),
            "service_type": "care_home",
            "months_since_go_live": rng.uniform(0, 12, n),
            "location_false_alarm_share_28d": rng.uniform(0.1, 0.3, n),
            "category_false_alarm_share_28d": np.where(rng.random(n) < 0.1, np.nan, p_false),
            "staff_offline_share_28d": np.full(n, np.nan),
            "visit_status": "not_a_visit_alert",
            "repeat_within_2h": rng.random(n) < 0.05,
        }
    ).with_columns(pl.col("category_false_alarm_share_28d").fill_nan(None))
    if open_alerts:
        frame = frame.with_columns(
            outcome=pl.when(pl.int_range(pl.len()) >= n - open_alerts)
            .then(None)
            .otherwise("outcome")
        )
    return frame


def test_metrics_match_a_hand_worked_example() -> None:
    # Given four alerts: three needed action (scored 0.9, 0.6, 0.4), one false alarm (0.2)
    y = np.array([1, 0, 1, 1])
    predicted = np.array([0.9, 0.2, 0.6, 0.4])

    # When they are evaluated
    metrics = evaluate(y, predicted)

    # Then every figure is the hand-worked one
    assert metrics.base_rate == 0.75
    assert metrics.average_precision == 1.0  # every action ranked above the false alarm
    assert metrics.average_precision_false_alarm == 1.0
    assert metrics.roc_auc == 1.0
    assert metrics.brier == pytest.approx((0.1**2 + 0.2**2 + 0.4**2 + 0.6**2) / 4)  # 0.1425
    assert metrics.brier_base_rate == pytest.approx(0.75 * 0.25)  # 0.1875
    assert metrics.precision_top_decile == 1.0  # ceil(4 / 10) = 1 alert: the 0.9, actioned
    # Bins 0.2-0.3, 0.4-0.5, 0.6-0.7 and 0.9-1.0 hold one alert each.
    assert [b.alerts for b in metrics.calibration] == [0, 0, 1, 0, 1, 0, 1, 0, 0, 1]
    assert metrics.expected_calibration_error == pytest.approx((0.1 + 0.2 + 0.4 + 0.6) / 4)
    assert calibration_json(metrics).startswith(
        '[{"lower":0.0,"upper":0.1,"alerts":0,"mean_predicted":null,"observed_share":null}'
    )


def test_label_counts_actioned_and_no_action_needed_as_needing_action() -> None:
    # Given the four outcomes
    outcomes = pl.Series(["actioned", "no_action_needed", "false_alarm", "duplicate"])

    # When labelled / Then only the first two need action
    assert label(outcomes).tolist() == [1, 1, 0, 0]


def test_training_twice_on_the_same_alerts_gives_the_same_scores() -> None:
    # Given the same 3,000 alerts, 40 of them open
    frame = alerts(3000, open_alerts=40)

    # When the model is trained twice and scores the open alerts
    first = train_alert_triage(frame)
    second = train_alert_triage(frame)
    assert first.model is not None
    assert second.model is not None
    open_alerts = frame.filter(pl.col("outcome").is_null())
    scores = [score_alerts(run.model, open_alerts) for run in (first, second)]

    # Then metrics, scores and reasons are identical
    assert first.metrics == second.metrics
    assert scores[0].equals(scores[1])
    assert scores[0].height == 40


def test_the_model_beats_the_base_rate_and_is_calibrated() -> None:
    # Given 6,000 alerts whose false alarms depend on category and evening hours
    frame = alerts(6000)

    # When trained with the last 8 weeks held out
    training = train_alert_triage(frame)

    # Then it ranks false alarms well above chance and its probabilities are calibrated
    metrics = training.metrics
    assert training.status is TriageStatus.TRAINED
    assert metrics is not None
    assert training.test_rows + training.train_rows == 6000
    assert metrics.average_precision_false_alarm >= 1.5 * (1 - metrics.base_rate)
    assert metrics.roc_auc >= 0.70
    assert metrics.brier < metrics.brier_base_rate
    assert metrics.expected_calibration_error <= 0.05


def test_the_test_window_is_the_last_weeks_and_never_overlaps_training() -> None:
    # Given alerts over 40 weeks
    frame = alerts(3000)

    # When trained with a 4-week test window
    training = train_alert_triage(frame, test_weeks=4)

    # Then the test alerts are exactly those raised in the last 4 weeks
    assert training.window_end == frame["raised_at"].max()
    assert training.test_start == training.window_end - timedelta(weeks=4)
    expected_test = frame.filter(pl.col("raised_at") > training.test_start).height
    assert training.test_rows == expected_test
    assert training.train_rows == 3000 - expected_test


def test_too_few_resolved_alerts_skip_training_with_the_reason() -> None:
    # Given 150 resolved alerts (the minimum is 200)
    training = train_alert_triage(alerts(150))

    # Then nothing is trained and the reason says why
    assert training.status is TriageStatus.SKIPPED
    assert training.model is None
    assert training.metrics is None
    assert training.reason == "150 resolved alerts, fewer than 200"


def test_one_class_only_skips_training() -> None:
    # Given 1,000 alerts that all needed action
    frame = alerts(1000).with_columns(outcome=pl.lit("actioned"))

    # When trained
    training = train_alert_triage(frame)

    # Then it is skipped: a model cannot learn false alarms it never saw
    assert training.status is TriageStatus.SKIPPED
    assert training.reason is not None
    assert "0 not" in training.reason


def test_open_alerts_only_are_not_training_data() -> None:
    # Given no resolved alerts at all
    frame = alerts(300).with_columns(outcome=pl.lit(None, dtype=pl.String))

    # Then training is skipped
    assert train_alert_triage(frame).reason == "no resolved alerts"


def test_reasons_name_the_largest_terms_in_plain_english() -> None:
    # Given a model trained on alerts where category matters most
    frame = alerts(4000)
    training = train_alert_triage(frame)
    assert training.model is not None
    probe = frame.head(1).with_columns(
        category=pl.lit("visit_not_signed_out"),
        hour=pl.lit(21),
        category_false_alarm_share_28d=pl.lit(0.41),
        repeat_within_2h=pl.lit(False),
    )

    # When the sign-out alert raised at 21:00 is scored
    scored = score_alerts(training.model, probe)
    contributions = term_contributions(training.model, probe)

    # Then its score is low, and the reason names its two largest terms, pushing down
    reason = scored["reason"][0]
    assert scored["score"][0] < 0.75
    assert contributions.columns == list(FEATURES)
    top = sorted(FEATURES, key=lambda name: -abs(contributions[name][0]))[:2]
    assert all(contributions[name][0] < 0 for name in top)
    assert reason.endswith(".")
    phrases = {
        "category": "Visit not signed out alerts are false alarms more often",
        "category_false_alarm_share_28d": "isit not signed out alerts at this location were "
        "false alarms 41% of the time in the last 28 days",
        "hour": "aised at 21:00, an hour with more false alarms",
    }
    for name in top:
        assert phrases[name] in reason
    assert "AL-" not in reason
    assert "P1" not in reason


def test_the_model_card_states_window_metrics_and_features() -> None:
    # Given a trained model
    training = train_alert_triage(alerts(3000))
    trained_at = datetime(2026, 11, 22, 2, 30, tzinfo=UTC)

    # When its card is written
    card = model_card(training, run_id="RUN-1", trained_at=trained_at)

    # Then it names the run, the window, every metric against its base rate and every feature
    metrics = training.metrics
    assert metrics is not None
    assert "- Load run: `RUN-1`; trained 2026-11-22 02:30 UTC." in card
    assert f"tested on the {training.test_rows:,} raised after" in card
    assert (
        "| Average precision, false alarm or duplicate | "
        f"{metrics.average_precision_false_alarm:.3f} | {1 - metrics.base_rate:.3f} |"
    ) in card
    assert all(f"- `{name}`:" in card for name in FEATURES)
    for heading in ("## Data window", "## Limitations", "## Intended use", "## Ethical notes"):
        assert heading in card


def test_a_skipped_run_still_gets_a_card_saying_why() -> None:
    # Given a skipped training
    training = train_alert_triage(alerts(100))

    # When its card is written
    card = model_card(training, run_id="RUN-2", trained_at=datetime(2026, 1, 1, tzinfo=UTC))

    # Then it says skipped and why, with no metrics
    assert "- Status: **skipped** (100 resolved alerts, fewer than 200)." in card
    assert "None: the model was not trained." in card
