"""The care-quality measures the quality pages show: what each counts, per what, which way is good.

One :class:`MeasureSpec` per :class:`QualityMeasure` says which columns of
``marts.quality_monthly`` and ``marts.quality_weekly`` hold its count, exposure and rate, the
unit the rate is in (per 1,000 occupied bed days or per 1,000 scheduled doses), that it improves
when it decreases, and the page that charts it. Pages, queries and the target store all read
these; nothing else names the columns.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum
from typing import Literal
from urllib.parse import urlencode

Improvement = Literal["increase", "decrease", "neutral"]
"""Which way a measure improves, as ``models.spc.xmr`` takes it."""


class QualityMeasure(StrEnum):
    """A measure of care quality charted by the quality pages (``marts.quality_impact.measure``)."""

    FALLS = "falls"
    FALLS_WITH_HARM = "falls_with_harm"
    MEDICATION_ERRORS = "medication_errors"
    PRESSURE_ULCERS = "pressure_ulcers"


class Exposure(StrEnum):
    """The denominator of a rate: a column of the quality marts."""

    OCCUPIED_BED_DAYS = "occupied_bed_days"
    """Care homes only: null for home care, so bed-day rates do not exist there."""
    SCHEDULED_DOSES = "scheduled_doses"


@dataclass(frozen=True, slots=True)
class MeasureSpec:
    """How one measure is counted, rated and shown.

    Attributes:
        measure: The measure.
        label: Its name in sentence case, e.g. ``"Falls"``.
        count_column: Column of the marts holding the number of events.
        exposure: Column holding the rate's denominator.
        rate_column: Column holding the rate (null when the denominator is 0 or null).
        per: The rate is events per this many units of exposure.
        unit_label: The rate's unit in words, e.g. ``"per 1,000 occupied bed days"``.
        improvement: Which way is better (every measure here improves when it decreases).
        page_path: The page that charts it (``?location=<id>`` picks the location).
    """

    measure: QualityMeasure
    label: str
    count_column: str
    exposure: Exposure
    rate_column: str
    per: int
    unit_label: str
    improvement: Improvement
    page_path: str

    @property
    def needs_bed_days(self) -> bool:
        """Whether the rate is per occupied bed day (so home-care locations have none)."""
        return self.exposure is Exposure.OCCUPIED_BED_DAYS

    def page_href(self, location_id: str) -> str:
        """The link to this measure's chart at one location.

        The measure is always named, so a falls-with-harm row opens the falls-with-harm chart
        rather than the falls page's first measure: e.g.
        ``/falls?location=1-201000001&measure=falls_with_harm``.
        """
        query = urlencode({"location": location_id, "measure": self.measure.value})
        return f"{self.page_path}?{query}"


_BED_DAYS_UNIT = "per 1,000 occupied bed days"

MEASURES: dict[QualityMeasure, MeasureSpec] = {
    QualityMeasure.FALLS: MeasureSpec(
        measure=QualityMeasure.FALLS,
        label="Falls",
        count_column="falls",
        exposure=Exposure.OCCUPIED_BED_DAYS,
        rate_column="falls_per_1000_bed_days",
        per=1000,
        unit_label=_BED_DAYS_UNIT,
        improvement="decrease",
        page_path="/falls",
    ),
    QualityMeasure.FALLS_WITH_HARM: MeasureSpec(
        measure=QualityMeasure.FALLS_WITH_HARM,
        label="Falls with harm",
        count_column="falls_with_harm",
        exposure=Exposure.OCCUPIED_BED_DAYS,
        rate_column="falls_with_harm_per_1000_bed_days",
        per=1000,
        unit_label=_BED_DAYS_UNIT,
        improvement="decrease",
        page_path="/falls",
    ),
    QualityMeasure.MEDICATION_ERRORS: MeasureSpec(
        measure=QualityMeasure.MEDICATION_ERRORS,
        label="Medication errors",
        count_column="medication_errors",
        exposure=Exposure.SCHEDULED_DOSES,
        rate_column="medication_errors_per_1000_doses",
        per=1000,
        unit_label="per 1,000 scheduled doses",
        improvement="decrease",
        page_path="/medication",
    ),
    QualityMeasure.PRESSURE_ULCERS: MeasureSpec(
        measure=QualityMeasure.PRESSURE_ULCERS,
        label="Pressure ulcers",
        count_column="pressure_ulcers",
        exposure=Exposure.OCCUPIED_BED_DAYS,
        rate_column="pressure_ulcers_per_1000_bed_days",
        per=1000,
        unit_label=_BED_DAYS_UNIT,
        improvement="decrease",
        page_path="/pressure-ulcers",
    ),
}
"""Every measure's spec, in the order pages list them."""

HOME_CARE_SERVICE_TYPE = "home_care"
"""``core.locations.service_type`` of a location with no beds (so no bed-day rates)."""


def measure_spec(measure: QualityMeasure | str) -> MeasureSpec:
    """The spec of ``measure`` (its value as text is accepted).

    Raises:
        ValueError: If ``measure`` is not one of :class:`QualityMeasure`.
    """
    return MEASURES[QualityMeasure(measure)]


def measures_for_service(service_type: str | None) -> Iterator[MeasureSpec]:
    """The measures that have a rate at a location of ``service_type``, in page order.

    Home care has no occupied bed days, so only medication errors (per scheduled dose) apply.
    """
    for spec in MEASURES.values():
        if service_type == HOME_CARE_SERVICE_TYPE and spec.needs_bed_days:
            continue
        yield spec
