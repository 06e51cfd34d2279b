"""The before/after go-live panel of a measure page: the estimate in plain English, or why not.

Reads one row of ``marts.quality_impact`` (``queries.quality_impact``). The headline compares
the events observed in the full months since go-live with those the model expected had the
DSCR not gone live: "falls were 18% lower than expected (95% interval 5% to 29% lower); about
14 falls avoided (4 to 25)". The percentages are events avoided over events expected, their
interval the interval of events avoided over the same expected count.
"""

from __future__ import annotations

from collections.abc import Mapping
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
    """``5% to 33% lower`` when both ends point the same way, else ``46% higher to 27% lower``.

    Args:
        lower: Shares of expected events avoided at the interval's ends (``lower < upper``).
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


def estimate_sentence(row: Mapping[str, Any], *, spec: MeasureSpec) -> str:
    """The headline of an ``estimated`` row, in plain English.

    Returns:
        For example "In the 12 full months since the DSCR went live on 13 Feb 2025, falls were
        18% lower than expected without it (95% interval 5% to 33% lower); about 11 falls
        avoided (95% interval 3 to 20)."
    """
    expected = float(row["expected_since_go_live"])
    avoided = float(row["avoided_since_go_live"])
    lower, upper = float(row["avoided_lower"]), float(row["avoided_upper"])
    months = int(row["months_after"])
    span = "full month" if months == 1 else f"{months} full months"
    change = _percent(avoided / expected) if expected > 0 else "no change"
    compared = (
        "about the same as expected without it"
        if change == "no change"
        else f"{change} than expected without it"
    )
    interval = _interval(lower / expected, upper / expected) if expected > 0 else ""
    return (
        f"In the {span} since the DSCR went live on {_day(row['go_live_date'])}, "
        f"{spec.label.lower()} were {compared}"
        + (f" (95% interval {interval})" if interval else "")
        + f"; {_events(avoided, spec=spec)} (95% interval {_signed(lower)} to "
        f"{_signed(upper)} avoided)."
    )


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
    lower, upper = float(row["avoided_lower"]), float(row["avoided_upper"])
    return [
        html.P(estimate_sentence(row, spec=spec), className="impact-headline"),
        html.P(_conclusion(lower, upper), className="note"),
        _details(row, spec=spec),
    ]
