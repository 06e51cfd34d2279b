"""How a real supplier delivers versioned records across exports.

From one frame of records (their final truth) this builds every row every export carries:
version 1 in the export of the record's day; a later version where the record was completed
or revised in a later export; retractions (``entered_in_error``) as a new version; and
identical re-deliveries of rows already sent (duplicates the loader must skip).
"""

from __future__ import annotations

import numpy as np
import polars as pl

from pipelines.synthetic.exports import ExportPlan
from pipelines.synthetic.frames import V1_PREFIX

BASE, UPDATE, RETRACTION, REDELIVERY = "base", "update", "retraction", "redelivery"
_KIND_RANK = {BASE: 0, UPDATE: 1, RETRACTION: 2, REDELIVERY: 3, "conflict": 4}


def deliveries(
    *,
    rng: np.random.Generator,
    frame: pl.DataFrame,
    plan: ExportPlan,
    retraction_share: float,
    redelivery_share: float,
) -> pl.DataFrame:
    """Every delivered row of one entity, with ``_export``, ``_kind`` and ``_redelivered``.

    Args:
        rng: Random generator.
        frame: Records with the bookkeeping columns of ``pipelines.synthetic.frames``.
        plan: The export schedule.
        retraction_share: Share of records later retracted.
        redelivery_share: Share of rows sent again, identical, in the next export.
    """
    provider = frame["_provider"].to_numpy()
    export = plan.locate(provider=provider, day=frame["_day"].to_numpy())
    update_day = frame["_update_day"].to_numpy()
    update_export = plan.locate(provider=provider, day=np.maximum(update_day, 0))
    last = plan.last_export[provider]
    after_last = (update_day >= 0) & (update_day > plan.extract_to[np.maximum(last, 0)])
    has_update = (update_export > export) & (update_day >= 0)
    incomplete = has_update | after_last
    frame = frame.with_columns(
        _export=pl.Series(export, dtype=pl.Int64),
        _update_export=pl.Series(update_export, dtype=pl.Int64),
        _incomplete=pl.Series(incomplete),
        _has_update=pl.Series(has_update),
        _last=pl.Series(last, dtype=pl.Int64),
    ).filter(pl.col("_export") >= 0)
    v1_columns = [c for c in frame.columns if c.startswith(V1_PREFIX)]
    targets = [c.removeprefix(V1_PREFIX) for c in v1_columns]
    base = frame.with_columns(
        [
            pl.when(pl.col("_incomplete")).then(pl.col(v1)).otherwise(pl.col(t)).alias(t)
            for v1, t in zip(v1_columns, targets, strict=True)
        ],
        _kind=pl.lit(BASE),
    )
    updates = frame.filter(pl.col("_has_update")).with_columns(
        version=pl.lit(2, dtype=pl.Int64), _export=pl.col("_update_export"), _kind=pl.lit(UPDATE)
    )
    current = pl.concat([base.filter(~pl.col("_has_update")), updates])
    retract = rng.random(current.height) < retraction_share
    retractions = current.filter(
        pl.Series(retract) & (pl.col("_export") < pl.col("_last"))
    ).with_columns(
        version=pl.col("version") + 1,
        status=pl.lit("entered_in_error"),
        _export=pl.col("_export") + 1,
        _kind=pl.lit(RETRACTION),
    )
    again = pl.Series(rng.random(base.height) < redelivery_share) & (
        pl.col("_export") < pl.col("_last")
    )
    base = base.with_columns(_redelivered=again)
    redeliveries = base.filter(pl.col("_redelivered")).with_columns(
        _export=pl.col("_export") + 1, _kind=pl.lit(REDELIVERY)
    )
    rows = pl.concat(
        [
            base,
            updates.with_columns(_redelivered=pl.lit(False)),
            retractions.with_columns(_redelivered=pl.lit(False)),
            redeliveries.with_columns(_redelivered=pl.lit(False)),
        ],
        how="vertical",
    )
    return rows.drop(v1_columns + ["_update_export", "_incomplete", "_has_update", "_last"])


def sort_for_writing(frame: pl.DataFrame) -> pl.DataFrame:
    """Rows in file order: by export, then new records, updates, retractions, re-deliveries."""
    return (
        frame.with_columns(_rank=pl.col("_kind").replace_strict(_KIND_RANK, return_dtype=pl.Int64))
        .sort(["_export", "_rank", "record_uid", "version"], maintain_order=True)
        .drop("_rank")
    )
