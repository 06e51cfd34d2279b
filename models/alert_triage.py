"""Alert triage: the probability that an alert needs action, with its reasons in plain English.

"Needs action" means the alert's outcome was ``actioned`` or ``no_action_needed`` (a real
alert someone had to look at), against ``false_alarm`` or ``duplicate`` (the issue's words:
"not a false alarm or duplicate"). The model is a scikit-learn ``Pipeline``: a
``ColumnTransformer`` (one-hot categories, periodic splines of the hour, splines of months
since go-live, imputed and scaled shares with missing indicators) into a
``LogisticRegression``, calibrated with a sigmoid fitted on the latest part of its training
data (a time-ordered split, never a shuffled one).

``train_alert_triage`` evaluates on the last ``test_weeks`` of resolved alerts after
training on everything raised before them, then refits on every resolved alert;
``score_alerts`` scores open alerts with that refit. Frames in, frames and estimators out:
nothing here reads the warehouse (``pipelines/steps/alert_triage.py`` does). See
docs/alert-triage.md for every choice and the measured results.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum

import numpy as np
import polars as pl
from sklearn.calibration import CalibratedClassifierCV
from sklearn.compose import ColumnTransformer
from sklearn.frozen import FrozenEstimator
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import average_precision_score, brier_score_loss, roc_auc_score
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import OneHotEncoder, SplineTransformer, StandardScaler

NEEDS_ACTION = ("actioned", "no_action_needed")
"""Outcomes labelled "needs action" (1); ``false_alarm`` and ``duplicate`` are 0."""
NOT_NEEDED = ("false_alarm", "duplicate")
"""Outcomes labelled "does not need action" (0)."""
CATEGORICAL = ("category", "severity", "weekday", "service_type", "visit_status")
"""One-hot features (weekday 1 = Monday .. 7, as text)."""
SHARES = (
    "location_false_alarm_share_28d",
    "category_false_alarm_share_28d",
    "staff_offline_share_28d",
)
"""Shares over the 28 days before the alert; null when there was nothing to count."""
FEATURES = (*CATEGORICAL, "hour", "months_since_go_live", *SHARES, "repeat_within_2h")
"""Every feature the model reads, in the order of its terms."""
TEST_WEEKS = 8
"""Default test window: the last eight weeks of resolved alerts."""
MIN_RESOLVED = 200
"""Fewest resolved alerts (and test alerts) worth training and evaluating on."""
MIN_PER_CLASS = 20
"""Fewest alerts of each class in the training, calibration and test parts."""
CALIBRATION_SHARE = 0.2
"""Latest share of training alerts held back to fit the sigmoid calibration."""
RANDOM_STATE = 20_251_122
"""Fixed seed of the logistic regression's solver (lbfgs is deterministic; kept for form)."""
CALIBRATION_BINS = 10
"""Equal-width bins of the predicted probability in the calibration table."""
REASONS_PER_ALERT = 2
"""Terms named in each alert's reason, largest contribution first."""


class TriageStatus(StrEnum):
    """Whether a training run produced a model."""

    TRAINED = "trained"
    SKIPPED = "skipped"


class TriageInputError(ValueError):
    """A frame handed to the triage model lacks a column it needs."""


@dataclass(frozen=True, slots=True)
class CalibrationBin:
    """One bin of the calibration table (predicted probability of needing action)."""

    lower: float
    upper: float
    alerts: int
    mean_predicted: float | None
    observed_share: float | None


@dataclass(frozen=True, slots=True)
class TriageMetrics:
    """Test-window performance of the model trained on the alerts before the window."""

    base_rate: float
    """Share of test alerts that needed action."""
    average_precision: float
    """Average precision of "needs action" (chance level = ``base_rate``)."""
    average_precision_false_alarm: float
    """Average precision of "false alarm or duplicate" (chance = 1 - ``base_rate``)."""
    roc_auc: float
    brier: float
    brier_base_rate: float
    """Brier score of predicting the test window's own base rate for every alert."""
    precision_top_decile: float
    """Share needing action among the tenth of test alerts scored highest."""
    expected_calibration_error: float
    """Alert-weighted mean gap between predicted and observed share over the bins."""
    calibration: tuple[CalibrationBin, ...]


@dataclass(frozen=True, slots=True)
class TriageTraining:
    """The outcome of one training run: metrics and the refitted model, or why none."""

    status: TriageStatus
    reason: str | None
    window_start: datetime | None
    """First raised_at of the resolved alerts used (training and test)."""
    window_end: datetime | None
    """Last raised_at of the resolved alerts used."""
    test_start: datetime | None
    """Start of the test window: alerts raised from here on were held out for the metrics."""
    train_rows: int
    test_rows: int
    metrics: TriageMetrics | None
    model: TriageModel | None = field(default=None, repr=False)
    """Calibrated model refitted on every resolved alert; ``None`` when skipped."""


def label(outcomes: pl.Series) -> np.ndarray:
    """1 where an outcome needs action, 0 for a false alarm or duplicate.

    Args:
        outcomes: Outcome text of resolved alerts.
    """
    return outcomes.is_in(list(NEEDS_ACTION)).to_numpy().astype(np.int64)


def build_pipeline(*, random_state: int = RANDOM_STATE) -> Pipeline:
    """The unfitted pipeline: feature transforms into a logistic regression.

    Args:
        random_state: Seed of the logistic regression.
    """
    shares = make_pipeline(
        SimpleImputer(strategy="mean", add_indicator=True, keep_empty_features=True),
        StandardScaler(),
    )
    transforms = ColumnTransformer(
        [
            ("categories", OneHotEncoder(handle_unknown="ignore"), list(CATEGORICAL)),
            (
                "hour",
                SplineTransformer(
                    knots=np.linspace(0, 24, 7).reshape(-1, 1),
                    degree=3,
                    extrapolation="periodic",
                ),
                ["hour"],
            ),
            (
                "months",
                make_pipeline(
                    SplineTransformer(n_knots=4, degree=2, extrapolation="linear"),
                    StandardScaler(),
                ),
                ["months_since_go_live"],
            ),
            ("shares", shares, list(SHARES)),
            ("repeat", "passthrough", ["repeat_within_2h"]),
        ],
        verbose_feature_names_out=True,
    )
    return Pipeline(
        [
            ("features", transforms),
            ("model", LogisticRegression(C=1.0, max_iter=2_000, random_state=random_state)),
        ]
    )


def features_frame(frame: pl.DataFrame) -> pl.DataFrame:
    """The feature columns in the types the pipeline expects (numpy-friendly, nulls as NaN).

    Args:
        frame: Rows of ``pipelines/sql/triage/alert_triage_features.sql`` (more columns allowed).

    Raises:
        TriageInputError: If a feature column is missing.
    """
    missing = [name for name in FEATURES if name not in frame.columns]
    if missing:
        raise TriageInputError(f"alert features lack {', '.join(missing)}")
    return frame.select(
        *[pl.col(name).cast(pl.String).fill_null("unknown") for name in CATEGORICAL],
        pl.col("hour").cast(pl.Float64),
        pl.col("months_since_go_live").cast(pl.Float64).fill_null(0.0),
        *[pl.col(name).cast(pl.Float64).fill_null(float("nan")) for name in SHARES],
        pl.col("repeat_within_2h").cast(pl.Float64).fill_null(0.0),
    )


@dataclass(frozen=True, slots=True)
class TriageModel:
    """A fitted triage model: the calibrated classifier and what explains its scores."""

    calibrated: CalibratedClassifierCV
    """Sigmoid calibration over the frozen pipeline."""
    pipeline: Pipeline
    """The fitted pipeline inside it (transforms and logistic regression)."""
    training_means: np.ndarray = field(repr=False)
    """Mean of each transformed column over the pipeline's training alerts (reason baseline)."""

    def predict_proba(self, frame: pl.DataFrame) -> np.ndarray:
        """Calibrated probability that each alert of ``frame`` needs action."""
        return np.asarray(
            self.calibrated.predict_proba(features_frame(frame).to_pandas())[:, 1], dtype=float
        )


def fit_calibrated(frame: pl.DataFrame, *, random_state: int = RANDOM_STATE) -> TriageModel:
    """Fit the pipeline on the earlier alerts and a sigmoid calibration on the latest ones.

    Args:
        frame: Resolved alerts sorted by ``raised_at``, with the features and ``outcome``.
        random_state: Seed of the logistic regression.
    """
    cut = _calibration_cut(frame.height)
    y = label(frame["outcome"])
    x = features_frame(frame).to_pandas()
    pipeline = build_pipeline(random_state=random_state).fit(x.iloc[:cut], y[:cut])
    calibrated = CalibratedClassifierCV(FrozenEstimator(pipeline), method="sigmoid")
    calibrated.fit(x.iloc[cut:], y[cut:])
    transformed = np.asarray(pipeline.named_steps["features"].transform(x.iloc[:cut]), dtype=float)
    return TriageModel(
        calibrated=calibrated, pipeline=pipeline, training_means=transformed.mean(axis=0)
    )


def train_alert_triage(
    frame: pl.DataFrame,
    *,
    test_weeks: int = TEST_WEEKS,
    random_state: int = RANDOM_STATE,
    min_resolved: int = MIN_RESOLVED,
) -> TriageTraining:
    """Evaluate on the last ``test_weeks`` of resolved alerts, then refit on all of them.

    Args:
        frame: Alert features (open alerts, with a null ``outcome``, are ignored here).
        test_weeks: Weeks at the end of the resolved alerts held out for the metrics.
        random_state: Seed of the logistic regression.
        min_resolved: Fewest resolved alerts, and fewest test alerts, to train at all.

    Returns:
        The metrics and refitted model, or status ``skipped`` with the reason.
    """
    resolved = frame.filter(pl.col("outcome").is_in([*NEEDS_ACTION, *NOT_NEEDED])).sort(
        "raised_at", "record_uid", maintain_order=True
    )
    if resolved.height == 0:
        return _skipped("no resolved alerts")
    start, end = resolved["raised_at"].min(), resolved["raised_at"].max()
    if not isinstance(start, datetime) or not isinstance(end, datetime):
        raise TriageInputError("raised_at must be a datetime column")
    test_start = end - timedelta(weeks=test_weeks)
    train = resolved.filter(pl.col("raised_at") <= test_start)
    test = resolved.filter(pl.col("raised_at") > test_start)
    window = {"window_start": start, "window_end": end, "test_start": test_start}
    why_not = _too_few(resolved=resolved, train=train, test=test, min_resolved=min_resolved)
    if why_not:
        return _skipped(why_not, train_rows=train.height, test_rows=test.height, **window)
    evaluated = fit_calibrated(train, random_state=random_state)
    predicted = evaluated.predict_proba(test)
    metrics = evaluate(label(test["outcome"]), predicted)
    return TriageTraining(
        status=TriageStatus.TRAINED,
        reason=None,
        train_rows=train.height,
        test_rows=test.height,
        metrics=metrics,
        model=fit_calibrated(resolved, random_state=random_state),
        **window,
    )


def evaluate(y: np.ndarray, predicted: np.ndarray) -> TriageMetrics:
    """Ranking, accuracy and calibration of predicted probabilities of needing action.

    Args:
        y: 1 needs action, 0 false alarm or duplicate.
        predicted: Predicted probability of needing action, one per alert.
    """
    base_rate = float(y.mean())
    top = np.argsort(-predicted, kind="stable")[: max(1, math.ceil(len(y) / 10))]
    bins = calibration_table(y, predicted)
    ece = sum(
        b.alerts * abs(b.observed_share - b.mean_predicted)
        for b in bins
        if b.observed_share is not None and b.mean_predicted is not None
    ) / len(y)
    return TriageMetrics(
        base_rate=base_rate,
        average_precision=float(average_precision_score(y, predicted)),
        average_precision_false_alarm=float(average_precision_score(1 - y, 1 - predicted)),
        roc_auc=float(roc_auc_score(y, predicted)),
        brier=float(brier_score_loss(y, predicted)),
        brier_base_rate=float(brier_score_loss(y, np.full(len(y), base_rate))),
        precision_top_decile=float(y[top].mean()),
        expected_calibration_error=float(ece),
        calibration=bins,
    )


def calibration_table(y: np.ndarray, predicted: np.ndarray) -> tuple[CalibrationBin, ...]:
    """Alerts, mean prediction and observed share in ten equal-width probability bins.

    Args:
        y: 1 needs action, 0 false alarm or duplicate.
        predicted: Predicted probability of needing action.
    """
    edges = np.arange(CALIBRATION_BINS + 1) / CALIBRATION_BINS  # 0.6 is exactly 6 / 10
    index = np.clip(np.digitize(predicted, edges[1:-1]), 0, CALIBRATION_BINS - 1)
    out = []
    for i in range(CALIBRATION_BINS):
        inside = index == i
        count = int(inside.sum())
        out.append(
            CalibrationBin(
                lower=float(edges[i]),
                upper=float(edges[i + 1]),
                alerts=count,
                mean_predicted=float(predicted[inside].mean()) if count else None,
                observed_share=float(y[inside].mean()) if count else None,
            )
        )
    return tuple(out)


def calibration_json(metrics: TriageMetrics) -> str:
    """The calibration table as compact JSON (one object per bin)."""
    return json.dumps(
        [
            {
                "lower": round(b.lower, 2),
                "upper": round(b.upper, 2),
                "alerts": b.alerts,
                "mean_predicted": _rounded(b.mean_predicted),
                "observed_share": _rounded(b.observed_share),
            }
            for b in metrics.calibration
        ],
        separators=(",", ":"),
    )


def score_alerts(model: TriageModel, frame: pl.DataFrame) -> pl.DataFrame:
    """Probability of needing action and a plain-English reason for every row of ``frame``.

    Args:
        model: A model from ``train_alert_triage`` (its ``model``) or ``fit_calibrated``.
        frame: Alert features, typically the open alerts.

    Returns:
        ``frame``'s ``record_uid`` (and ``provider_id`` if present) with ``score`` and ``reason``.
    """
    keys = [name for name in ("provider_id", "record_uid") if name in frame.columns]
    if frame.height == 0:
        return frame.select(keys).with_columns(
            score=pl.lit(None, dtype=pl.Float64), reason=pl.lit(None, dtype=pl.String)
        )
    scores = model.predict_proba(frame)
    contributions = term_contributions(model, frame)
    reasons = [
        _reason(row, contributions=contributions, index=i)
        for i, row in enumerate(frame.iter_rows(named=True))
    ]
    return frame.select(keys).with_columns(
        score=pl.Series(scores, dtype=pl.Float64), reason=pl.Series(reasons, dtype=pl.String)
    )


def term_contributions(model: TriageModel, frame: pl.DataFrame) -> pl.DataFrame:
    """Each feature's contribution to the log-odds of needing action, per alert.

    A contribution is the sum over the feature's transformed columns of coefficient times
    (value minus the mean of the training alerts): positive pushes towards "needs action".
    The calibration is a monotone sigmoid of the same log-odds, so the order holds.

    Args:
        model: A fitted model from this module.
        frame: Alert features.

    Returns:
        One column per feature in ``FEATURES``, one row per alert.
    """
    transforms = model.pipeline.named_steps["features"]
    regression = model.pipeline.named_steps["model"]
    matrix = np.asarray(transforms.transform(features_frame(frame).to_pandas()), dtype=float)
    centred = (matrix - model.training_means) * regression.coef_[0]
    names = transforms.get_feature_names_out()
    columns = {}
    for feature in FEATURES:
        mine = [i for i, name in enumerate(names) if _term_of(name) == feature]
        columns[feature] = centred[:, mine].sum(axis=1) if mine else np.zeros(frame.height)
    return pl.DataFrame(columns)


def model_card(training: TriageTraining, *, run_id: str, trained_at: datetime) -> str:
    """The model card as markdown: data window, metrics, features, limits, use and ethics.

    Args:
        training: The training run.
        run_id: The load run that trained it.
        trained_at: When it was trained.
    """
    lines = [
        "# Model card: alert triage",
        "",
        f"- Load run: `{run_id}`; trained {trained_at:%Y-%m-%d %H:%M} UTC.",
        f"- Status: **{training.status.value}**"
        + (f" ({training.reason})." if training.reason else "."),
        "- Model: scikit-learn logistic regression on one-hot categories, periodic splines "
        "of the London hour, splines of months since go-live, 28-day shares (imputed, with "
        "missing indicators) and a repeat flag; sigmoid calibration fitted on the latest "
        f"{CALIBRATION_SHARE:.0%} of the training alerts (time-ordered).",
        "- Predicts: the probability that an alert needs action (outcome `actioned` or "
        "`no_action_needed`), as opposed to a false alarm or duplicate.",
        "",
        "## Data window",
        "",
    ]
    start, end, test_start = training.window_start, training.window_end, training.test_start
    if start is None or end is None or test_start is None:
        lines.append("No resolved alerts.")
    else:
        lines += [
            f"- Resolved alerts raised {start:%Y-%m-%d} to {end:%Y-%m-%d}.",
            f"- Evaluation: trained on {training.train_rows:,} alerts raised up to "
            f"{test_start:%Y-%m-%d %H:%M}, tested on the {training.test_rows:,} "
            "raised after (the last weeks; never shuffled).",
            f"- Scores come from a refit on all {training.train_rows + training.test_rows:,} "
            "resolved alerts.",
        ]
    lines += ["", "## Metrics on the test window", ""]
    metrics = training.metrics
    if metrics is None:
        lines.append("None: the model was not trained.")
    else:
        lines += [
            "| Measure | Model | Chance or base rate |",
            "|---|---|---|",
            f"| Share needing action (base rate) | | {metrics.base_rate:.3f} |",
            f"| Average precision, needs action | {metrics.average_precision:.3f} | "
            f"{metrics.base_rate:.3f} |",
            "| Average precision, false alarm or duplicate | "
            f"{metrics.average_precision_false_alarm:.3f} | {1 - metrics.base_rate:.3f} |",
            f"| ROC AUC | {metrics.roc_auc:.3f} | 0.500 |",
            f"| Brier score (lower is better) | {metrics.brier:.4f} | "
            f"{metrics.brier_base_rate:.4f} |",
            f"| Precision in the top decile | {metrics.precision_top_decile:.3f} | "
            f"{metrics.base_rate:.3f} |",
            f"| Expected calibration error | {metrics.expected_calibration_error:.4f} | |",
            "",
            "Calibration (predicted probability of needing action, 10 bins):",
            "",
            "| Bin | Alerts | Mean predicted | Observed |",
            "|---|---|---|---|",
            *[
                f"| {b.lower:.1f}-{b.upper:.1f} | {b.alerts:,} | {_fmt(b.mean_predicted)} | "
                f"{_fmt(b.observed_share)} |"
                for b in metrics.calibration
            ],
        ]
    lines += [
        "",
        "## Features (all as known when the alert was raised)",
        "",
        *[f"- `{name}`: {_FEATURE_NOTES[name]}" for name in FEATURES],
        "",
        "## Intended use",
        "",
        "Ordering a manager's open alerts so those likeliest to need action come first, with "
        "the reason shown. It supports judgement; it never closes, hides or delays an alert.",
        "",
        "## Limitations",
        "",
        "- Trained on outcomes staff recorded: if false alarms are mislabelled, so is the model.",
        "- Rules retuned or a new supplier change what alerts mean; the nightly refit follows "
        "only as outcomes accumulate, and the first weeks after a change are scored on the old "
        "pattern.",
        "- On the generated demo data the signals were planted by the generator "
        "(truth.json); performance on real exports has to be measured on them.",
        "- One model for every provider; a location's own recent false-alarm share is the "
        "only provider-specific term.",
        "",
        "## Ethical notes",
        "",
        "- Scores are about alerts, not people: no person or staff identifier is a feature or "
        "appears in a reason. The staff member's offline-recording share is used as a signal "
        "of device sync trouble and is never shown as a number.",
        "- A high-severity alert with a low score still needs a person to look at it: the "
        "score ranks, it does not dismiss.",
    ]
    return "\n".join(lines) + "\n"


def features_json() -> str:
    """The features and their meanings as compact JSON, for ``audit.model_runs``."""
    return json.dumps(
        [{"name": name, "meaning": _FEATURE_NOTES[name]} for name in FEATURES],
        separators=(",", ":"),
    )


_FEATURE_NOTES = {
    "category": "the alert's category (one-hot)",
    "severity": "low, medium or high (one-hot)",
    "weekday": "ISO weekday of raised_at, Europe/London (one-hot)",
    "service_type": "the location's service type (one-hot)",
    "visit_status": "missed or late visit alerts: whether the person's latest visit started "
    "in the 12 hours before was checked in before the alert (one-hot)",
    "hour": "hour of raised_at, Europe/London (periodic cubic spline, 6 knots)",
    "months_since_go_live": "months from the location's DSCR go-live to the alert (spline)",
    "location_false_alarm_share_28d": "false alarms / alerts closed at the location in the "
    "28 days before the alert (null if none closed; mean-imputed with a missing indicator)",
    "category_false_alarm_share_28d": "the same for alerts of the alert's category",
    "staff_offline_share_28d": "alerts naming a member of staff: share of their care notes "
    "recorded offline in the 28 days before (null if none)",
    "repeat_within_2h": "another alert of the same category at the location in the 2 hours before",
}


def _calibration_cut(rows: int) -> int:
    return rows - max(1, round(rows * CALIBRATION_SHARE))


def _too_few(
    *, resolved: pl.DataFrame, train: pl.DataFrame, test: pl.DataFrame, min_resolved: int
) -> str | None:
    if resolved.height < min_resolved:
        return f"{resolved.height} resolved alerts, fewer than {min_resolved}"
    if test.height < min_resolved // 4:
        return f"{test.height} alerts in the test window, fewer than {min_resolved // 4}"
    cut = _calibration_cut(train.height)
    y = label(train["outcome"])
    parts = {
        "training": y[:cut],
        "calibration": y[cut:],
        "test": label(test["outcome"]),
        "refit": label(resolved["outcome"])[: _calibration_cut(resolved.height)],
    }
    for name, part in parts.items():
        positives = int(part.sum())
        if min(positives, len(part) - positives) < MIN_PER_CLASS:
            return (
                f"{name} part has {positives} alerts needing action and "
                f"{len(part) - positives} not, fewer than {MIN_PER_CLASS} of one class"
            )
    return None


def _skipped(
    reason: str,
    *,
    train_rows: int = 0,
    test_rows: int = 0,
    window_start: datetime | None = None,
    window_end: datetime | None = None,
    test_start: datetime | None = None,
) -> TriageTraining:
    return TriageTraining(
        status=TriageStatus.SKIPPED,
        reason=reason,
        window_start=window_start,
        window_end=window_end,
        test_start=test_start,
        train_rows=train_rows,
        test_rows=test_rows,
        metrics=None,
    )


def _term_of(name: str) -> str:
    """Which feature a transformed column belongs to (``categories__category_x`` -> category)."""
    _, _, rest = name.partition("__")
    for feature in sorted(FEATURES, key=len, reverse=True):
        if rest in (feature, f"missingindicator_{feature}") or rest.startswith(f"{feature}_"):
            return feature
    return rest


def _reason(row: dict[str, object], *, contributions: pl.DataFrame, index: int) -> str:
    values = {name: float(contributions[name][index]) for name in FEATURES}
    ranked = sorted(values, key=lambda name: -abs(values[name]))
    phrases = [
        _phrase(name, row=row, towards_action=values[name] > 0)
        for name in ranked[:REASONS_PER_ALERT]
        if abs(values[name]) >= 0.05
    ]
    if not phrases:
        return "Nothing stands out: close to the usual chance that an alert needs action."
    return "; ".join([phrases[0], *(p[:1].lower() + p[1:] for p in phrases[1:])]) + "."


def _phrase(name: str, *, row: dict[str, object], towards_action: bool) -> str:
    category = str(row.get("category") or "these").replace("_", " ")
    # Contributions are measured from the average training alert, so the words compare.
    direction = (
        "need action more often than most" if towards_action else "are false alarms more often"
    )
    if name == "category":
        return f"{category.capitalize()} alerts {direction}"
    if name == "severity":
        return f"{str(row.get('severity')).capitalize()} severity alerts {direction}"
    if name == "hour":
        when = "more" if not towards_action else "fewer"
        return f"Raised at {int(_number(row.get('hour'))):02d}:00, an hour with {when} false alarms"
    if name == "weekday":
        day = _WEEKDAYS.get(str(row.get("weekday")), "this day")
        return f"Alerts raised on a {day} {direction}"
    if name == "service_type":
        return f"Alerts at {str(row.get('service_type')).replace('_', ' ')} services {direction}"
    if name == "months_since_go_live":
        months = _number(row.get("months_since_go_live"))
        return f"{months:.0f} months after go-live, alerts {direction}"
    if name in ("location_false_alarm_share_28d", "category_false_alarm_share_28d"):
        share = row.get(name)
        what = "alerts" if name.startswith("location") else f"{category} alerts"
        if share is None or (isinstance(share, float) and math.isnan(share)):
            return f"No {what} were closed at this location in the last 28 days"
        return (
            f"{what.capitalize()} at this location were false alarms "
            f"{_number(share):.0%} of the time in the last 28 days"
        )
    if name == "staff_offline_share_28d":
        more = "little" if towards_action else "much"
        return f"The member of staff named recorded {more} offline recently (device sync)"
    if name == "visit_status":
        status = row.get("visit_status")
        if status == "checked_in":
            return "The person's latest visit was checked in before the alert"
        if status == "not_checked_in":
            return "The person's latest visit was not checked in when the alert was raised"
        if status == "no_recent_visit":
            return "No visit for the person started in the 12 hours before the alert"
        return f"{category.capitalize()} alerts {direction}"
    if row.get("repeat_within_2h"):
        return f"Another {category} alert was raised here in the 2 hours before (a likely repeat)"
    return f"No other {category} alert here in the 2 hours before"


_WEEKDAYS = {
    "1": "Monday",
    "2": "Tuesday",
    "3": "Wednesday",
    "4": "Thursday",
    "5": "Friday",
    "6": "Saturday",
    "7": "Sunday",
}


def _number(value: object) -> float:
    return float(value) if isinstance(value, int | float) else 0.0


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def _fmt(value: float | None) -> str:
    return "" if value is None else f"{value:.3f}"
