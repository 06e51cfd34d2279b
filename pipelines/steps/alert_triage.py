"""Train the alert triage model, score open alerts and record the run (issue 5).

Every load computes each current final alert's features from ``core.*`` as they were when it
was raised (``pipelines/sql/triage/alert_triage_features.sql``), trains on resolved alerts
with a time-based test window (``models.alert_triage``), replaces
``marts.alert_triage_scores`` with the open alerts' scores and appends one row to
``audit.model_runs`` with the metrics and the model card. The card is also written to
``model_cards/<model_run_id>.md`` beside the warehouse file. Too few resolved alerts, or one
class only, records a skipped run with its reason and no scores; the load carries on.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path

import duckdb
import polars as pl

from models.alert_triage import (
    MIN_RESOLVED,
    TEST_WEEKS,
    TriageStatus,
    TriageTraining,
    calibration_json,
    features_json,
    model_card,
    score_alerts,
    train_alert_triage,
)
from pipelines import warehouse

log = logging.getLogger(__name__)

MODEL = "alert_triage"
"""The model's name in ``audit.model_runs``."""
SCORES_TABLE = "marts.alert_triage_scores"
RUNS_TABLE = "audit.model_runs"
CARDS_FOLDER = "model_cards"
"""Folder beside the warehouse file that receives every model card."""


@dataclass(frozen=True, slots=True)
class TriageBuilt:
    """What one training run wrote."""

    model_run_id: str
    status: TriageStatus
    reason: str | None
    scored: int
    """Open alerts scored (rows of ``marts.alert_triage_scores``)."""
    card_path: Path | None
    """The model card file, ``None`` if it could not be written."""
    seconds: float


def features_sql() -> str:
    """The feature query: one row per current final alert, known at its ``raised_at``."""
    return (
        resources.files("pipelines") / "sql" / "triage" / "alert_triage_features.sql"
    ).read_text()


def build_alert_triage(
    con: duckdb.DuckDBPyConnection,
    *,
    run_id: str,
    warehouse_path: Path,
    test_weeks: int = TEST_WEEKS,
    min_resolved: int = MIN_RESOLVED,
) -> TriageBuilt:
    """Train on resolved alerts, score open ones and record the run and its model card.

    Args:
        con: The load's build connection, with ``core.*`` current.
        run_id: The load run, part of the model run's id.
        warehouse_path: The published warehouse file; its folder gets ``model_cards/``.
        test_weeks: Weeks at the end of the resolved alerts held out for the metrics.
        min_resolved: Fewest resolved alerts to train at all.

    Returns:
        The model run id, status, alerts scored, card file and time taken.
    """
    started = time.perf_counter()
    trained_at = datetime.now(UTC)
    model_run_id = f"{MODEL}-{run_id}"
    frame = con.sql(features_sql()).pl()
    training = train_alert_triage(frame, test_weeks=test_weeks, min_resolved=min_resolved)
    scores = _scores(frame, training=training, model_run_id=model_run_id)
    con.execute(f"delete from {SCORES_TABLE}")
    warehouse.insert_frame(con, table=SCORES_TABLE, frame=scores)
    card = model_card(training, run_id=run_id, trained_at=trained_at)
    seconds = time.perf_counter() - started
    warehouse.insert_frame(
        con,
        table=RUNS_TABLE,
        frame=_run_row(
            training,
            model_run_id=model_run_id,
            run_id=run_id,
            trained_at=trained_at,
            scored=scores.height,
            seconds=seconds,
            card=card,
        ),
    )
    card_path = _write_card(warehouse_path.parent / CARDS_FOLDER / f"{model_run_id}.md", card)
    built = TriageBuilt(
        model_run_id=model_run_id,
        status=training.status,
        reason=training.reason,
        scored=scores.height,
        card_path=card_path,
        seconds=time.perf_counter() - started,
    )
    metrics = training.metrics
    log.info(
        "alert triage %s in %.2f s: %s rows %s, %s",
        training.status.value,
        built.seconds,
        SCORES_TABLE,
        f"{built.scored:,}",
        (
            f"AP {metrics.average_precision_false_alarm:.3f} (false alarm) vs base rate "
            f"{1 - metrics.base_rate:.3f}, ROC AUC {metrics.roc_auc:.3f}"
            if metrics
            else training.reason
        ),
    )
    return built


def _scores(frame: pl.DataFrame, *, training: TriageTraining, model_run_id: str) -> pl.DataFrame:
    open_alerts = frame.filter(pl.col("outcome").is_null())
    if training.model is None or open_alerts.is_empty():
        return pl.DataFrame()
    scored = score_alerts(training.model, open_alerts)
    return open_alerts.select(
        "provider_id", "location_id", "record_uid", "category", "severity", "raised_at"
    ).with_columns(
        score=scored["score"], reason=scored["reason"], model_run_id=pl.lit(model_run_id)
    )


def _run_row(
    training: TriageTraining,
    *,
    model_run_id: str,
    run_id: str,
    trained_at: datetime,
    scored: int,
    seconds: float,
    card: str,
) -> pl.DataFrame:
    metrics = training.metrics
    row: dict[str, object] = {
        "model_run_id": model_run_id,
        "run_id": run_id,
        "model": MODEL,
        "trained_at": trained_at,
        "status": training.status.value,
        "status_reason": training.reason,
        "window_start": training.window_start,
        "window_end": training.window_end,
        "test_start": training.test_start,
        "train_rows": training.train_rows,
        "test_rows": training.test_rows,
        "base_rate": metrics.base_rate if metrics else None,
        "average_precision": metrics.average_precision if metrics else None,
        "average_precision_false_alarm": (
            metrics.average_precision_false_alarm if metrics else None
        ),
        "roc_auc": metrics.roc_auc if metrics else None,
        "brier": metrics.brier if metrics else None,
        "brier_base_rate": metrics.brier_base_rate if metrics else None,
        "precision_top_decile": metrics.precision_top_decile if metrics else None,
        "expected_calibration_error": metrics.expected_calibration_error if metrics else None,
        "calibration_json": calibration_json(metrics) if metrics else None,
        "features_json": features_json(),
        "scored_alerts": scored,
        "seconds": seconds,
        "card_markdown": card,
    }
    return pl.DataFrame([row], schema=_RUN_SCHEMA)


_TIMESTAMP = pl.Datetime("us", "UTC")
_RUN_SCHEMA = pl.Schema(
    {
        "model_run_id": pl.String(),
        "run_id": pl.String(),
        "model": pl.String(),
        "trained_at": _TIMESTAMP,
        "status": pl.String(),
        "status_reason": pl.String(),
        "window_start": _TIMESTAMP,
        "window_end": _TIMESTAMP,
        "test_start": _TIMESTAMP,
        "train_rows": pl.Int32(),
        "test_rows": pl.Int32(),
        "base_rate": pl.Float64(),
        "average_precision": pl.Float64(),
        "average_precision_false_alarm": pl.Float64(),
        "roc_auc": pl.Float64(),
        "brier": pl.Float64(),
        "brier_base_rate": pl.Float64(),
        "precision_top_decile": pl.Float64(),
        "expected_calibration_error": pl.Float64(),
        "calibration_json": pl.String(),
        "features_json": pl.String(),
        "scored_alerts": pl.Int32(),
        "seconds": pl.Float64(),
        "card_markdown": pl.String(),
    }
)


def _write_card(path: Path, card: str) -> Path | None:
    """Write the card file; a folder that cannot be written is logged, never fatal."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(card, encoding="utf-8")
    except OSError as error:
        log.warning("model card not written to %s: %s", path, error)
        return None
    return path
