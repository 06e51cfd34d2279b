"""The before/after go-live panel of a measure page: the estimate in plain English, or why not.

Reads one row of ``marts.quality_impact`` (``queries.quality_impact``). The headline compares
the events observed in the full months since go-live with those the model expected had the
DSCR not gone live: "falls were 18% lower than expected (95% interval 6% to 29% lower); about
11 falls avoided (95% interval 3 to 20 avoided)". The percentages come from the ratio of events
observed to events expected, their interval from the same ratio at either end of the expected
count's 95% interval (:func:`event_ratio`).

When that tells the reader nothing (:func:`too_few_to_tell`: fewer than
:data:`MIN_EXPECTED_EVENTS` events expected, or an interval reaching from below a halving to
above a doubling) the headline says so plainly, and the numbers follow in a secondary line.
The rule and its reasons are in ``docs/impact.md``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from dash import html

from dashboards.measures import Exposure, MeasureSpec, QualityMeasure

_SINGULAR = {
    QualityMeasure.FALLS: "fall",
    QualityMeasure.FALLS_WITH_HARM: "fall with harm",
    QualityMeasure.MEDICATION_ERRORS: "medication error",
    QualityMeasure.PRESSURE_ULCERS: "pressure ulcer",
}
_MODELS = {
    "poisson": "Poisson regression",
    "negative_binomial": "negative binomial regression (the counts varied more than Poisson "
    "allows)",
}


MIN_EXPECTED_EVENTS = 10.0
"""Fewer events than this expected since go-live are too few to tell a change from chance."""
UNINFORMATIVE_FACTOR = 2.0
"""An interval of the event ratio reaching below 1/2 and above 2 is too wide to tell anything."""


@dataclass(frozen=True, slots=True)
class EventRatio:
    """Events recorded since go-live over those expected without the DSCR, with its 95% interval.

    Attributes:
        estimate: Observed over expected (0.82: 18% fewer than expected).
        lower: Observed over the upper end of the expected count's 95% interval.
        upper: Observed over its lower end.
    """

    estimate: float
    lower: float
    upper: float


def event_ratio(row: Mapping[str, Any]) -> EventRatio | None:
    """The ratio of events observed to events expected since go-live, for an ``estimated`` row.

    The expected count's 95% interval is the observed count plus either end of the interval of
    events avoided (avoided = expected − observed).

    Returns:
        The ratio, or ``None`` when the expected count or either end of its interval is not a
        positive, finite number (no ratio can be formed).
    """
    observed = float(row["observed_since_go_live"])
    expected = float(row["expected_since_go_live"])
    expected_low = observed + float(row["avoided_lower"])
    expected_high = observed + float(row["avoided_upper"])
    ends = (expected, expected_low, expected_high)
    if not all(math.isfinite(end) and end > 0 for end in ends) or observed < 0:
        return None
    return EventRatio(
        estimate=observed / expected,
        lower=observed / max(expected_low, expected_high),
        upper=observed / min(expected_low, expected_high),
    )


def too_few_to_tell(row: Mapping[str, Any]) -> bool:
    """Whether an ``estimated`` row has too few events to tell whether go-live changed them.

    True when fewer than :data:`MIN_EXPECTED_EVENTS` events were expected since go-live, when
    no ratio can be formed, or when the 95% interval of :func:`event_ratio` reaches both below
    a halving (lower end under 0.5) and above a doubling (upper end over 2). An end exactly on
    0.5 or 2, or exactly 10 events expected, is not too few.
    """
    ratio = event_ratio(row)
    if ratio is None or float(row["expected_since_go_live"]) < MIN_EXPECTED_EVENTS:
        return True
    return ratio.lower < 1 / UNINFORMATIVE_FACTOR and ratio.upper > UNINFORMATIVE_FACTOR


def _day(value: date) -> str:
    return f"{value.day} {value:%b %Y}"


def counted(count: float, *, spec: MeasureSpec) -> str:
    """``1 fall``, ``14 falls``: a whole number of events with the measure's noun."""
    number = round(count)
    noun = _SINGULAR[spec.measure] if abs(number) == 1 else spec.label.lower()
    return f"{number:,} {noun}"


def _percent(share: float) -> str:
    """``18% lower``, ``7% higher``, ``no change`` for a share of expected events avoided."""
    rounded = round(abs(share) * 100)
    if rounded == 0:
        return "no change"
    return f"{rounded}% {'lower' if share > 0 else 'higher'}"


def _interval(lower: float, upper: float) -> str:
    """``6% to 29% lower`` when both ends point the same way, else ``74% higher to 20% lower``.

    Args:
        lower: Shares of expected events avoided at the interval's ends (``1 − ratio``;
            ``lower < upper``).
        upper: The other end.
    """
    if lower > 0 and upper > 0:
        return f"{round(lower * 100)}% to {round(upper * 100)}% lower"
    if lower < 0 and upper < 0:
        return f"{round(-upper * 100)}% to {round(-lower * 100)}% higher"
    return f"{_percent(lower)} to {_percent(upper)}"


def _events(avoided: float, *, spec: MeasureSpec) -> str:
    if avoided >= 0.5:
        return f"about {counted(avoided, spec=spec)} avoided"
    if avoided <= -0.5:
        return f"about {counted(-avoided, spec=spec)} more than expected"
    return f"about as many {spec.label.lower()} as expected"


def _signed(value: float) -> str:
    number = round(value)
    return f"−{abs(number):,}" if number < 0 else f"{number:,}"


def _conclusion(lower: float, upper: float) -> str:
    if lower > 0:
        return "The whole interval is below what was expected: a real reduction is likely."
    if upper < 0:
        return "The whole interval is above what was expected: a real increase is likely."
    return "The interval includes no change, so the difference may be chance."


def _span(row: Mapping[str, Any]) -> str:
    months = int(row["months_after"])
    return "full month" if months == 1 else f"{months} full months"


def estimate_sentence(row: Mapping[str, Any], *, spec: MeasureSpec) -> str:
    """The estimate of an ``estimated`` row, in plain English.

    Returns:
        For example "In the 12 full months since the DSCR went live on 13 Feb 2025, falls were
        18% lower than expected without it (95% interval 6% to 29% lower); about 11 falls
        avoided (95% interval 3 to 20 avoided)."
    """
    avoided = float(row["avoided_since_go_live"])
    lower, upper = float(row["avoided_lower"]), float(row["avoided_upper"])
    span = _span(row)
    ratio = event_ratio(row)
    change = _percent(1 - ratio.estimate) if ratio else "no change"
    compared = (
        "about the same as expected without it"
        if change == "no change"
        else f"{change} than expected without it"
    )
    interval = _interval(1 - ratio.upper, 1 - ratio.lower) if ratio else ""
    return (
        f"In the {span} since the DSCR went live on {_day(row['go_live_date'])}, "
        f"{spec.label.lower()} were {compared}"
        + (f" (95% interval {interval})" if interval else "")
        + f"; {_events(avoided, spec=spec)} (95% interval {_signed(lower)} to "
        f"{_signed(upper)} avoided)."
    )


def too_few_sentences(
    row: Mapping[str, Any], *, spec: MeasureSpec, location_name: str
) -> tuple[str, str]:
    """The headline of an ``estimated`` row with too few events to tell, and why.

    Returns:
        The headline ("Too few falls since go-live to tell whether going digital changed
        them.") and the reason: the events expected, or how wide the interval is.
    """
    noun = spec.label.lower()
    headline = f"Too few {noun} since go-live to tell whether going digital changed them."
    expected = float(row["expected_since_go_live"])
    ratio = event_ratio(row)
    if ratio is not None and expected >= MIN_EXPECTED_EVENTS:
        reason = (
            f"The 95% interval runs from {_interval(1 - ratio.upper, 1 - ratio.lower)} than "
            f"expected: it fits {noun} at {location_name} having doubled as well as halved."
        )
    else:
        reason = (
            f"Without the DSCR about {expected:,.1f} {noun} would have been expected at "
            f"{location_name} in the {_span(row)} since go-live; with fewer than "
            f"{MIN_EXPECTED_EVENTS:.0f}, chance alone moves the count too much to show a change."
        )
    return headline, reason


def no_estimate_sentence(
    row: Mapping[str, Any] | None, *, spec: MeasureSpec, location_name: str
) -> str:
    """Why a location and measure has no before/after estimate, in plain English."""
    noun = spec.label.lower()
    if row is None:
        return (
            f"There is no before/after estimate of {noun} at {location_name} yet: the nightly "
            "load works one out for each location and measure."
        )
    go_live = row.get("go_live_date")
    when = f" on {_day(go_live)}" if isinstance(go_live, date) else ""
    reasons = {
        "no_go_live": f"{location_name} has no DSCR go-live date in its exports, so there is "
        "no before and after to compare.",
        "too_few_months_before": f"{location_name} has too few full months of data before "
        f"the DSCR went live{when} ({row.get('months_before', 0)}) to estimate a change.",
        "too_few_months_after": "too few full months have passed since the DSCR went live"
        f"{when} at {location_name} ({row.get('months_after', 0)} so far) to estimate a change.",
        "no_exposure": (
            f"{location_name} has no occupied bed days (home care), so there is no rate of "
            f"{noun} to compare."
            if spec.exposure is Exposure.OCCUPIED_BED_DAYS
            else f"{location_name} has no scheduled doses recorded, so there is no rate of "
            f"{noun} to compare."
        ),
        "no_events": f"no {noun} were recorded at {location_name}, before or after go-live.",
        "did_not_converge": f"the model could not be fitted reliably to the {noun} at "
        f"{location_name}, usually because there are too few of them.",
    }
    reason = reasons.get(str(row.get("status")))
    if reason is None:
        return f"There is no before/after estimate of {noun} at {location_name}."
    return f"There is no before/after estimate: {reason}"


def _ratio(value: float, lower: float, upper: float) -> str:
    return f"×{value:.2f} (95% interval {lower:.2f} to {upper:.2f})"


def _details(row: Mapping[str, Any], *, spec: MeasureSpec) -> html.Dl:
    level = float(row["level_change_ratio"])
    items: list[tuple[str, str]] = [
        (
            "Events",
            f"{counted(row['observed_since_go_live'], spec=spec)} recorded since go-live; "
            f"{float(row['expected_since_go_live']):,.1f} expected without the DSCR.",
        ),
        (
            "Change in level at go-live",
            f"{_ratio(level, row['level_change_lower'], row['level_change_upper'])}: the rate "
            f"{spec.unit_label} stepped {_percent(1 - level)} (a ratio below 1 is a fall).",
        ),
    ]
    if row.get("slope_change_ratio") is not None:
        items.append(
            (
                "Change in the monthly trend after go-live",
                _ratio(
                    row["slope_change_ratio"], row["slope_change_lower"], row["slope_change_upper"]
                )
                + " per month.",
            )
        )
    seasonal = "with" if row.get("has_seasonal_term") else "without"
    items.append(
        (
            "Model",
            f"Interrupted time series: {_MODELS.get(str(row.get('model')), 'count regression')}"
            f" of monthly {spec.label.lower()} {spec.unit_label}, {seasonal} a seasonal term, "
            f"fitted on {row['months_before']} full months before go-live and "
            f"{row['months_after']} after.",
        )
    )
    return html.Dl(
        [part for term, text in items for part in (html.Dt(term), html.Dd(text))],
        className="impact-details",
    )


def impact_panel(
    row: Mapping[str, Any] | None, *, spec: MeasureSpec, location_name: str
) -> list[Any]:
    """The panel's contents: the headline (or why there is none) and, when estimated, details.

    An estimate with too few events to tell (:func:`too_few_to_tell`) leads with that and
    why, then gives the estimate in a secondary line; otherwise the estimate leads, with
    whether its interval rules out no change.

    Args:
        row: The location's ``quality_impact`` row for the measure, if the load wrote one.
        spec: The measure.
        location_name: The location's name, for sentences.
    """
    if row is None or row.get("status") != "estimated":
        return [
            html.P(
                no_estimate_sentence(row, spec=spec, location_name=location_name),
                className="impact-headline",
            )
        ]
    if too_few_to_tell(row):
        headline, reason = too_few_sentences(row, spec=spec, location_name=location_name)
        return [
            html.P(headline, className="impact-headline"),
            html.P(reason, className="note"),
            html.P(
                f"The estimate, for what it is worth: {estimate_sentence(row, spec=spec)}",
                className="note impact-secondary",
            ),
            _details(row, spec=spec),
        ]
    lower, upper = float(row["avoided_lower"]), float(row["avoided_upper"])
    return [
        html.P(estimate_sentence(row, spec=spec), className="impact-headline"),
        html.P(_conclusion(lower, upper), className="note"),
        _details(row, spec=spec),
    ]
