"""Making Data Count XmR charts: process limits, special-cause rules, variation and assurance."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, get_args

import polars as pl

Improvement = Literal["increase", "decrease", "neutral"]
PointType = Literal[
    "common_cause",
    "special_cause_improvement",
    "special_cause_concern",
    "special_cause_neutral_high",
    "special_cause_neutral_low",
]
Rule = Literal["beyond_limit", "trend", "two_of_three", "shift"]
Variation = Literal[
    "common_cause",
    "special_cause_improvement_high",
    "special_cause_improvement_low",
    "special_cause_concern_high",
    "special_cause_concern_low",
    "special_cause_neutral_high",
    "special_cause_neutral_low",
]
Assurance = Literal["consistently_passing", "consistently_failing", "hit_and_miss"]

LIMIT_FACTOR = 2.66
"""Process limits sit this many mean moving ranges from the mean (3 / d2, d2 = 1.128)."""
SCREEN_FACTOR = 3.267
"""Moving ranges at or above this many mean moving ranges are screened out (D4 for n = 2)."""
NEAR_FACTOR = 2 * (LIMIT_FACTOR / 3)
"""The close-to-limit band starts at 2/3 of the limit width (written as NHSRplotthedots does)."""
MIN_POINTS = 12
"""Segments with fewer points than this have trial limits."""

SCHEMA: dict[str, pl.DataType] = {
    "index": pl.Int64(),
    "value": pl.Float64(),
    "mean": pl.Float64(),
    "lpl": pl.Float64(),
    "upl": pl.Float64(),
    "near_lower": pl.Boolean(),
    "near_upper": pl.Boolean(),
    "point_type": pl.String(),
    "rule": pl.String(),
    "segment": pl.Int64(),
    "is_trial_limits": pl.Boolean(),
}
"""Columns of :func:`xmr`'s frame, in order."""


_VARIATIONS: dict[tuple[str | None, str], Variation] = {
    ("special_cause_improvement", "increase"): "special_cause_improvement_high",
    ("special_cause_improvement", "decrease"): "special_cause_improvement_low",
    ("special_cause_concern", "increase"): "special_cause_concern_low",
    ("special_cause_concern", "decrease"): "special_cause_concern_high",
    ("special_cause_neutral_high", "neutral"): "special_cause_neutral_high",
    ("special_cause_neutral_low", "neutral"): "special_cause_neutral_low",
}


class SpcInputError(ValueError):
    """Values or options that an XmR chart cannot be drawn from."""


@dataclass(frozen=True, slots=True)
class SpcSummary:
    """The icons for the latest point of an XmR chart, with the limits they were judged on.

    ``variation`` is ``None`` only when the series has no value at all; ``assurance`` is
    ``None`` without a target, for a neutral measure, or when the latest segment has no limits.
    """

    variation: Variation | None
    assurance: Assurance | None
    value: float | None
    mean: float | None
    lpl: float | None
    upl: float | None
    is_trial_limits: bool


@dataclass(frozen=True, slots=True)
class _Limits:
    mean: float
    lpl: float | None
    upl: float | None
    near_low: float | None
    near_high: float | None


def xmr(
    values: Sequence[float | None] | pl.Series,
    *,
    improvement: Improvement,
    screen_outliers: bool = True,
    run_length: Literal[6, 7] = 7,
    target: float | None = None,
    rebase_at: Sequence[int] = (),
) -> pl.DataFrame:
    """Compute an XmR chart the Making Data Count way.

    Args:
        values: The measure in time order, one per period. ``None`` (and NaN) is a gap: no
            point, and no moving range across it.
        improvement: Whether a rise (``increase``) or a fall (``decrease``) is an improvement;
            ``neutral`` when neither is.
        screen_outliers: Leave moving ranges at or above 3.267 mean moving ranges out of the
            limits, as NHSRplotthedots does by default.
        run_length: Points in a trend or a shift: 7 (NHSRplotthedots) or 6.
        target: Checked here so that one set of options can go to both functions; it changes
            no point. :func:`summarise` judges assurance against it.
        rebase_at: Indices of ``values`` where limits are recalculated (a known change, such as
            go-live); each segment has its own mean and limits. Never automatic.

    Returns:
        One row per input value (gaps included, with null ``value``, ``point_type``, ``rule``
        and near flags), with the columns of :data:`SCHEMA`; empty with that schema when
        ``values`` is empty.

    Raises:
        SpcInputError: On an unknown option, an infinite or non-numeric value, a non-finite
            target, or a rebase index outside the series.
    """
    points = _as_floats(values)
    _check_options(improvement=improvement, run_length=run_length, target=target)
    starts = _segment_starts(rebase_at, length=len(points))
    rows: list[dict[str, object]] = []
    for segment, (start, stop) in enumerate(zip(starts, [*starts[1:], len(points)], strict=True)):
        rows.extend(
            _segment_rows(
                points[start:stop],
                offset=start,
                segment=segment,
                improvement=improvement,
                screen_outliers=screen_outliers,
                run_length=run_length,
            )
        )
    return pl.DataFrame(rows, schema=SCHEMA, orient="row")


def summarise(
    frame: pl.DataFrame, *, improvement: Improvement, target: float | None = None
) -> SpcSummary:
    """Give the variation and assurance icons for the latest point of an :func:`xmr` frame.

    Assurance compares the target with the latest segment's limits. A point on a limit is
    within the process, so the target counts as met at the limit: for ``decrease``, the
    process consistently passes when ``target >= upl`` and consistently fails when
    ``target < lpl`` (mirrored for ``increase``); otherwise it hits and misses.

    Raises:
        SpcInputError: When ``frame`` lacks a column of :data:`SCHEMA`, the options are
            unknown, or its point types do not fit ``improvement``.
    """
    _check_options(improvement=improvement, run_length=7, target=target)
    missing = [name for name in SCHEMA if name not in frame.columns]
    if missing:
        raise SpcInputError(f"the frame lacks column(s) {', '.join(missing)}")
    values = frame["value"].to_list()
    with_value = [position for position, value in enumerate(values) if value is not None]
    if not with_value:
        return SpcSummary(None, None, None, None, None, None, is_trial_limits=True)
    last = frame.row(with_value[-1], named=True)
    return SpcSummary(
        variation=_variation(last["point_type"], improvement=improvement),
        assurance=_assurance(target, lpl=last["lpl"], upl=last["upl"], improvement=improvement),
        value=last["value"],
        mean=last["mean"],
        lpl=last["lpl"],
        upl=last["upl"],
        is_trial_limits=last["is_trial_limits"],
    )


def _as_floats(values: Sequence[float | None] | pl.Series) -> list[float | None]:
    """Return the values as floats, NaN as ``None``; refuse text, booleans and infinities."""
    if isinstance(values, pl.Series):
        if not values.dtype.is_numeric():
            raise SpcInputError(f"values must be numbers, not {values.dtype}")
        raw: list[object] = values.cast(pl.Float64).to_list()
    else:
        raw = list(values)
    points: list[float | None] = []
    for value in raw:
        if value is None:
            points.append(None)
            continue
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise SpcInputError(f"values must be numbers or None, not {value!r}")
        number = float(value)
        if math.isinf(number):
            raise SpcInputError("values must be finite")
        points.append(None if math.isnan(number) else number)
    return points


def _check_options(*, improvement: str, run_length: int, target: float | None) -> None:
    if improvement not in get_args(Improvement):
        raise SpcInputError(f"improvement must be increase, decrease or neutral: {improvement!r}")
    if run_length not in (6, 7):
        raise SpcInputError(f"run_length must be 6 or 7, not {run_length!r}")
    if target is not None and not math.isfinite(target):
        raise SpcInputError("target must be a finite number")


def _segment_starts(rebase_at: Sequence[int], *, length: int) -> list[int]:
    """Return the first index of each segment: 0 and every rebase index."""
    for index in rebase_at:
        if isinstance(index, bool) or not isinstance(index, int) or not 0 <= index < length:
            raise SpcInputError(f"rebase index {index!r} is outside the series (0 to {length - 1})")
    return sorted({0, *rebase_at})


def _limits(points: list[float | None], *, screen_outliers: bool) -> _Limits | None:
    """Return the segment's mean and limits; limits are ``None`` without a moving range."""
    present = [value for value in points if value is not None]
    if not present:
        return None
    mean = math.fsum(present) / len(present)
    ranges = [
        abs(after - before)
        for before, after in zip(points, points[1:], strict=False)
        if before is not None and after is not None
    ]
    if not ranges:
        return _Limits(mean, None, None, None, None)
    mean_range = math.fsum(ranges) / len(ranges)
    # When every range is 0 there is nothing to screen (NHSRplotthedots would drop them all
    # and return no limits); limits then sit on the mean.
    if screen_outliers and mean_range > 0:
        kept = [size for size in ranges if size < SCREEN_FACTOR * mean_range]
        mean_range = math.fsum(kept) / len(kept)
    return _Limits(
        mean=mean,
        lpl=mean - LIMIT_FACTOR * mean_range,
        upl=mean + LIMIT_FACTOR * mean_range,
        near_low=mean - NEAR_FACTOR * mean_range,
        near_high=mean + NEAR_FACTOR * mean_range,
    )


def _segment_rows(
    points: list[float | None],
    *,
    offset: int,
    segment: int,
    improvement: Improvement,
    screen_outliers: bool,
    run_length: int,
) -> list[dict[str, object]]:
    """Return the frame rows of one segment (``points`` may hold gaps)."""
    limits = _limits(points, screen_outliers=screen_outliers)
    present = [value for value in points if value is not None]
    flags = _special_causes(present, limits, run_length=run_length) if limits else {}
    rows: list[dict[str, object]] = []
    position = 0
    for index, value in enumerate(points, start=offset):
        row: dict[str, object] = {
            "index": index,
            "value": value,
            "mean": limits.mean if limits else None,
            "lpl": limits.lpl if limits else None,
            "upl": limits.upl if limits else None,
            "near_lower": None,
            "near_upper": None,
            "point_type": None,
            "rule": None,
            "segment": segment,
            "is_trial_limits": len(present) < MIN_POINTS,
        }
        if value is not None and limits is not None:
            row["near_lower"], row["near_upper"] = _near(value, limits)
            rule, direction = flags.get(position, (None, 0))
            row["rule"] = rule
            row["point_type"] = _point_type(direction, improvement=improvement)
            position += 1
        rows.append(row)
    return rows


def _near(value: float, limits: _Limits) -> tuple[bool, bool]:
    """Return whether the value is in the lower and the upper close-to-limit band."""
    lpl, upl, near_low, near_high = limits.lpl, limits.upl, limits.near_low, limits.near_high
    if lpl is None or upl is None or near_low is None or near_high is None:
        return False, False
    return lpl <= value < near_low, near_high < value <= upl


def _special_causes(
    values: list[float], limits: _Limits, *, run_length: int
) -> dict[int, tuple[Rule, int]]:
    """Flag points by rule, in order of precedence; each flag carries its direction (+1/-1).

    ``values`` are a segment's points in order, gaps left out: runs continue across a gap.
    """
    sides = [_sign(value - limits.mean) for value in values]
    near = [any(_near(value, limits)) for value in values]
    by_rule: list[tuple[Rule, dict[int, int]]] = [
        ("beyond_limit", _beyond_limits(values, limits)),
        ("trend", _trends(values, run_length=run_length)),
        ("two_of_three", _two_of_three(sides, near)),
        ("shift", _shifts(sides, run_length=run_length)),
    ]
    flags: dict[int, tuple[Rule, int]] = {}
    for rule, directions in by_rule:
        for position, direction in directions.items():
            flags.setdefault(position, (rule, direction))
    return flags


def _beyond_limits(values: list[float], limits: _Limits) -> dict[int, int]:
    """Points strictly above the upper or below the lower limit (on a limit is within)."""
    if limits.lpl is None or limits.upl is None:
        return {}
    flagged = {}
    for position, value in enumerate(values):
        if value > limits.upl:
            flagged[position] = 1
        elif value < limits.lpl:
            flagged[position] = -1
    return flagged


def _trends(values: list[float], *, run_length: int) -> dict[int, int]:
    """Points in a run of ``run_length`` or more all rising or all falling.

    An equal neighbour neither extends nor breaks a run: only strict moves count, and a run of
    n points is n - 1 strict moves in one direction. A point shared by two trends (the turn)
    takes the later trend's direction, as NHSRplotthedots 0.2 does.
    """
    moves = [
        (position, _sign(values[position] - values[position - 1]))
        for position in range(1, len(values))
        if values[position] != values[position - 1]
    ]
    flagged: dict[int, int] = {}
    first = 0
    while first < len(moves):
        last = first
        while last + 1 < len(moves) and moves[last + 1][1] == moves[first][1]:
            last += 1
        if last - first + 2 >= run_length:
            for position in range(moves[first][0] - 1, moves[last][0] + 1):
                flagged[position] = moves[first][1]
        first = last + 1
    return flagged


def _two_of_three(sides: list[int], near: list[bool]) -> dict[int, int]:
    """Close-to-limit points in a window of three, all on one side, with two or more close.

    As in NHSRplotthedots: all three points must be on the same side of the mean, a point
    beyond a limit is not "close", and only the close points are flagged.
    """
    flagged = {}
    for start in range(len(sides) - 2):
        window = range(start, start + 3)
        if abs(sum(sides[p] for p in window)) == 3 and sum(near[p] for p in window) >= 2:
            flagged.update({p: sides[p] for p in window if near[p]})
    return flagged


def _shifts(sides: list[int], *, run_length: int) -> dict[int, int]:
    """Points in a run of ``run_length`` or more on one side; a point on the mean breaks it."""
    flagged: dict[int, int] = {}
    first = 0
    while first < len(sides):
        last = first
        while last + 1 < len(sides) and sides[last + 1] == sides[first]:
            last += 1
        if sides[first] != 0 and last - first + 1 >= run_length:
            flagged.update(dict.fromkeys(range(first, last + 1), sides[first]))
        first = last + 1
    return flagged


def _sign(number: float) -> int:
    return (number > 0) - (number < 0)


def _point_type(direction: int, *, improvement: Improvement) -> PointType:
    """Name a point: +1 is a high special cause, -1 a low one, 0 common cause."""
    if direction == 0:
        return "common_cause"
    if improvement == "neutral":
        return "special_cause_neutral_high" if direction > 0 else "special_cause_neutral_low"
    if (direction > 0) == (improvement == "increase"):
        return "special_cause_improvement"
    return "special_cause_concern"


def _variation(point_type: str | None, *, improvement: Improvement) -> Variation:
    """Name the variation icon of a point type; improvement and concern gain high or low."""
    if point_type == "common_cause":
        return "common_cause"
    if (point_type, improvement) not in _VARIATIONS:
        raise SpcInputError(f"point type {point_type!r} does not fit improvement {improvement!r}")
    return _VARIATIONS[(point_type, improvement)]


def _assurance(
    target: float | None, *, lpl: float | None, upl: float | None, improvement: Improvement
) -> Assurance | None:
    """Judge the target against the limits; ``None`` without a target, limits or direction."""
    if target is None or lpl is None or upl is None or improvement == "neutral":
        return None
    if improvement == "decrease":
        passing, failing = target >= upl, target < lpl
    else:
        passing, failing = target <= lpl, target > upl
    if passing:
        return "consistently_passing"
    if failing:
        return "consistently_failing"
    return "hit_and_miss"
