"""What a measure page is, and what its address and its downloads may ask for.

A :class:`MeasurePage` describes one page (falls, medication, pressure ulcers) and names its
component ids. What a page shows comes from its query string, and a download request carries
it back (``assets/measure_page.js``); :func:`parse_view` and :func:`parse_incident_query` check
either against the caller's locations before anything is read, so a forged or out-of-scope
location gets nothing (and every query filters by the caller's scope again).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import Any

import polars as pl

from dashboards import queries
from dashboards.components import measure_sections as sections
from dashboards.measures import HOME_CARE_SERVICE_TYPE, MeasureSpec, QualityMeasure, measure_spec
from dashboards.queries import Grain, IncidentFilter

GRAINS: dict[str, str] = {"month": "Months", "week": "Weeks"}


class Extra(StrEnum):
    """What a page shows between the estimate and the incidents."""

    NONE = "none"
    HEATMAP = "heatmap"
    """Falls by day of the week and hour of the day."""
    DOSES = "doses"
    """Scheduled, missed and late doses."""


class Table(StrEnum):
    """A downloadable table of a measure page."""

    CHART = "chart"
    ESTIMATE = "estimate"
    HEATMAP = "heatmap"
    DOSES = "doses"
    INCIDENTS = "incidents"


FORMATS = ("csv", "xlsx")


@dataclass(frozen=True, slots=True)
class MeasureIds:
    """The component ids of one measure page, all ``"<page>-<element>"``."""

    page: str

    @property
    def location(self) -> str:
        """Location picker (a native select in a GET form)."""
        return f"{self.page}-location"

    @property
    def chart_section(self) -> str:
        """The chart, its icons, text alternative and values."""
        return f"{self.page}-chart-section"

    @property
    def chart(self) -> str:
        """The SPC chart (selecting a point lists that period's incidents)."""
        return f"{self.page}-chart"

    @property
    def estimate(self) -> str:
        """The before/after go-live panel."""
        return f"{self.page}-estimate"

    @property
    def extra(self) -> str:
        """The heatmap (falls) or doses (medication)."""
        return f"{self.page}-extra"

    @property
    def heatmap(self) -> str:
        """The heatmap graph."""
        return f"{self.page}-heatmap"

    @property
    def period(self) -> str:
        """Incident filter: period."""
        return f"{self.page}-period"

    @property
    def harm(self) -> str:
        """Incident filter: harm."""
        return f"{self.page}-harm"

    @property
    def subtype(self) -> str:
        """Incident filter: subtype."""
        return f"{self.page}-subtype"

    @property
    def incident_location(self) -> str:
        """Incident filter: location."""
        return f"{self.page}-incident-location"

    @property
    def incidents_section(self) -> str:
        """The incidents section (the anchor a selected point or the filters land on)."""
        return f"{self.page}-incidents-section"

    @property
    def incidents(self) -> str:
        """The incident list."""
        return f"{self.page}-incidents"

    @property
    def state(self) -> str:
        """Store: what the page shows (view, incident filters, the link a point leads to)."""
        return f"{self.page}-state"

    @property
    def navigate(self) -> str:
        """Location the browser is sent to when a point of the chart is selected."""
        return f"{self.page}-navigate"

    @property
    def download_request(self) -> str:
        """Store: which table to download, as what."""
        return f"{self.page}-download-request"

    @property
    def download(self) -> str:
        """The file sent."""
        return f"{self.page}-download"

    def download_button(self, table: Table, file_format: str) -> str:
        """``falls-download-chart-csv``: the button downloading ``table`` as ``file_format``."""
        return f"{self.page}-download-{table}-{file_format}"


@dataclass(frozen=True, slots=True)
class MeasurePage:
    """What one measure page shows.

    Attributes:
        key: The page's name in component ids and file names (``falls``).
        path: Its path (``/falls``), where its forms and links lead.
        heading: The page heading.
        lead: The sentence under it.
        measures: The measures it charts; the first is the default.
        measure_labels: How the measure choice names each (pages with more than one).
        extra: The section between the estimate and the incidents.
    """

    key: str
    path: str
    heading: str
    lead: str
    measures: tuple[QualityMeasure, ...]
    measure_labels: tuple[str, ...] = ()
    extra: Extra = Extra.NONE

    @property
    def ids(self) -> MeasureIds:
        """The page's component ids."""
        return MeasureIds(self.key)

    @property
    def tables(self) -> tuple[Table, ...]:
        """The tables the page offers as downloads."""
        extra = {Extra.HEATMAP: (Table.HEATMAP,), Extra.DOSES: (Table.DOSES,)}.get(self.extra, ())
        return (Table.CHART, Table.ESTIMATE, *extra, Table.INCIDENTS)

    @property
    def subtypes(self) -> tuple[str, ...]:
        """The subtypes the incident list filters by (none for falls)."""
        return queries.SUBTYPES[self.measures[0]]


@dataclass(frozen=True, slots=True)
class MeasureView:
    """One location, grain and measure, checked against the caller's locations."""

    location: dict[str, Any]
    """``quality_locations`` row: location_id, location_name, service_type, go-live date."""
    grain: Grain
    spec: MeasureSpec

    @property
    def location_id(self) -> str:
        """The CQC location."""
        return str(self.location["location_id"])

    @property
    def location_name(self) -> str:
        """Its name (the id when it has none)."""
        return str(self.location["location_name"] or self.location["location_id"])

    @property
    def has_rate(self) -> bool:
        """False for a bed-day measure at a home-care location (no occupied bed days)."""
        return not (
            self.spec.needs_bed_days and self.location["service_type"] == HOME_CARE_SERVICE_TYPE
        )

    def data(self) -> dict[str, str]:
        """The view as query parameters (``?location=…&grain=…&measure=…``) and as stored."""
        return {
            "location": self.location_id,
            "grain": self.grain,
            "measure": str(self.spec.measure),
        }


@dataclass(frozen=True, slots=True)
class IncidentSelection:
    """The incident list's filters, checked; ``None`` means no filter."""

    view: MeasureView
    period: date | None = None
    harm: str | None = None
    subtype: str | None = None
    location_id: str | None = None

    def data(self) -> dict[str, Any]:
        """The selection as :func:`parse_incident_query` reads it (``all`` for no filter)."""
        return {
            "view": self.view.data(),
            "period": self.period.isoformat() if self.period else sections.ALL,
            "harm": self.harm or sections.ALL,
            "subtype": self.subtype or sections.ALL,
            "location": self.location_id or sections.ALL,
        }

    def params(self, *, with_period: bool = True) -> dict[str, str]:
        """The selection as the page's query parameters (filters not in force left out).

        ``where`` is left out when it is the view's location (the default) and is ``all``
        for every location in scope.
        """
        params = dict(self.view.data())
        if with_period and self.period:
            params["period"] = self.period.isoformat()
        if self.harm:
            params["harm"] = self.harm
        if self.subtype:
            params["subtype"] = self.subtype
        if self.location_id != self.view.location_id:
            params["where"] = self.location_id or sections.ALL
        return params

    def incident_filter(self) -> IncidentFilter:
        """The query's filter: a period is a Europe/London month or ISO week."""
        end = None
        if self.period is not None:
            end = (
                self.period + timedelta(days=7)
                if self.view.grain == "week"
                else (self.period.replace(day=28) + timedelta(days=4)).replace(day=1)
            )
        return IncidentFilter(
            measure=self.view.spec.measure,
            location_id=self.location_id,
            period_start=self.period,
            period_end=end,
            harm=self.harm,
            subtype=self.subtype,
        )


def _text(data: object, key: str) -> str | None:
    value = data.get(key) if isinstance(data, dict) else None
    return value if isinstance(value, str) else None


def names_a_location(data: object) -> bool:
    """Whether a view's value (or an incident query's view) names a location at all.

    Checked before anything is read, so that junk costs no query.
    """
    view = data.get("view") if isinstance(data, dict) and "view" in data else data
    return _text(view, "location") is not None


def _location_row(locations: pl.DataFrame, location_id: str | None) -> dict[str, Any] | None:
    if location_id is None:
        return None
    found = locations.filter(pl.col("location_id") == location_id)
    return found.row(0, named=True) if found.height else None


def parse_view(page: MeasurePage, *, data: object, locations: pl.DataFrame) -> MeasureView | None:
    """Check a view store's value: a location of the caller's, a grain and a page measure.

    Returns:
        The view, or ``None`` when the location is not one of ``locations`` (or is missing):
        nothing is read for it. An unknown grain or measure falls back to the page's default.
    """
    location = _location_row(locations, _text(data, "location"))
    if location is None:
        return None
    grain: Grain = "week" if _text(data, "grain") == "week" else "month"
    wanted = _text(data, "measure")
    measure = next((m for m in page.measures if m == wanted), page.measures[0])
    return MeasureView(location=location, grain=grain, spec=measure_spec(measure))


def _period(value: str | None, *, grain: Grain) -> date | None:
    try:
        day = date.fromisoformat(value) if value else None
    except ValueError:
        return None
    if day is None or (grain == "month" and day.day != 1) or (grain == "week" and day.weekday()):
        return None
    return day


def parse_incident_query(
    page: MeasurePage, *, data: object, locations: pl.DataFrame
) -> IncidentSelection | None:
    """Check an incident query's value; ``None`` when its view or location is not the caller's.

    A period that is not the first day of a month (or a Monday, by week), a harm or a subtype
    that is not one of the choices, means no filter on it.
    """
    view = parse_view(
        page, data=data.get("view") if isinstance(data, dict) else None, locations=locations
    )
    if view is None:
        return None
    where = _text(data, "location")
    if where not in (None, sections.ALL) and _location_row(locations, where) is None:
        return None
    harm = _text(data, "harm")
    subtype = _text(data, "subtype")
    return IncidentSelection(
        view=view,
        period=_period(_text(data, "period"), grain=view.grain),
        harm=harm if harm in queries.HARM_LEVELS else None,
        subtype=subtype if subtype in queries.SUBTYPES[view.spec.measure] else None,
        location_id=None if where in (None, sections.ALL) else where,
    )
