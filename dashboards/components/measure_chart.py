"""The data a measure page's chart is drawn from: series, target, estimate and counterfactual.

:func:`read_chart` reads a checked view's series, target and counterfactual through the scoped
queries and computes its Making Data Count chart, with limits recalculated from DSCR go-live.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import polars as pl

from dashboards import figures, queries
from dashboards.components.measure_data import MeasureView
from dashboards.context import current_services
from dashboards.queries import Grain, WarehouseReader
from dashboards.roles import Identity
from dashboards.targets import TargetStore
from models.spc import xmr


def _target(identity: Identity, view: MeasureView) -> float | None:
    targets = TargetStore(current_services().accounts.path).current_targets(identity=identity)
    found = targets.get((view.location_id, view.spec.measure))
    return found.target_rate if found is not None else None


def rebase_index(periods: list[date], *, go_live: date | None, grain: Grain) -> int | None:
    """Where limits are recalculated: the period that contains go-live (as the summary does).

    ``None`` without a go-live date, or when go-live is not after the first period.
    """
    if go_live is None:
        return None
    start = go_live.replace(day=1) if grain == "month" else go_live - timedelta(go_live.weekday())
    position = next((index for index, period in enumerate(periods) if period >= start), None)
    return position if position else None


@dataclass(frozen=True, slots=True)
class ChartData:
    """The series of a view and what is drawn from it.

    Attributes:
        series: ``quality_series`` rows (period, count, exposure, rate), oldest first.
        spc: The :func:`models.spc.xmr` frame of the rates (rebased at go-live).
        target: The target in force, if any.
        counterfactual: ``quality_counterfactual`` rows (months; empty by week).
        counterfactual_rates: Those as rates on each month's exposure.
    """

    series: pl.DataFrame
    spc: pl.DataFrame
    target: float | None
    counterfactual: pl.DataFrame
    counterfactual_rates: pl.DataFrame

    def values(self) -> pl.DataFrame:
        """The chart's values, one row per period, as the chart's table downloads.

        Returns:
            The series, the chart's mean, limits, point type and rule, and (by month, after
            go-live) the events expected without the DSCR with their interval.
        """
        chart = self.spc.select("mean", "lpl", "upl", "point_type", "rule")
        joined = pl.concat([self.series, chart], how="horizontal")
        expected = self.counterfactual.select(
            pl.col("month").alias("period"),
            pl.col("expected").alias("expected_without_dscr"),
            pl.col("expected_lower").alias("expected_lower"),
            pl.col("expected_upper").alias("expected_upper"),
        )
        return joined.join(expected, on="period", how="left")


def read_impact(
    *, identity: Identity, view: MeasureView, reader: WarehouseReader
) -> dict[str, Any] | None:
    """The view's ``quality_impact`` row (its before/after estimate), if the load wrote one."""
    rows = queries.quality_impact(
        reader=reader, identity=identity, location_id=view.location_id, measure=view.spec.measure
    )
    return rows.row(0, named=True) if rows.height else None


def read_chart(
    *,
    identity: Identity,
    view: MeasureView,
    reader: WarehouseReader,
    impact: dict[str, Any] | None,
) -> ChartData:
    """Read a view's series, target and counterfactual, and compute its chart.

    The counterfactual is read only by month and when ``impact`` says there is an estimate.
    """
    series = queries.quality_series(
        reader=reader,
        identity=identity,
        location_id=view.location_id,
        measure=view.spec.measure,
        grain=view.grain,
    )
    rebase = rebase_index(
        series["period"].to_list(), go_live=view.location["dscr_go_live_date"], grain=view.grain
    )
    spc = xmr(
        series["rate"],
        improvement=view.spec.improvement,
        rebase_at=() if rebase is None else (rebase,),
    )
    counterfactual = (
        queries.quality_counterfactual(
            reader=reader,
            identity=identity,
            location_id=view.location_id,
            measure=view.spec.measure,
        )
        if view.grain == "month" and impact is not None and impact.get("status") == "estimated"
        else pl.DataFrame(
            schema={
                "month": pl.Date,
                "observed": pl.Float64,
                "expected": pl.Float64,
                "expected_lower": pl.Float64,
                "expected_upper": pl.Float64,
            }
        )
    )
    return ChartData(
        series=series,
        spc=spc,
        target=_target(identity, view),
        counterfactual=counterfactual,
        counterfactual_rates=figures.counterfactual_rates(
            counterfactual=counterfactual, series=series, per=view.spec.per
        ),
    )
