"""Building typed event frames from arrays: IDs, record uids and the bookkeeping columns.

Every event frame carries the entity's columns plus bookkeeping columns that start with ``_``:
``_provider`` and ``_location`` (indexes), ``_day`` (the day number that decides which export
carries the record), ``_update_day`` (day a later version completes the record, -1 if none)
and ``_v1__<column>`` (the value version 1 shows while the record is incomplete).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import polars as pl

V1_PREFIX = "_v1__"


def text(values: np.ndarray | list[object]) -> pl.Series:
    """A string series from an object array that may hold None."""
    return pl.Series(np.asarray(values, dtype=object).tolist(), dtype=pl.String)


def pick(values: np.ndarray, index: np.ndarray) -> pl.Series:
    """``values[index]`` as a string series, null where ``index`` is negative."""
    if len(values) == 0:
        return pl.repeat(None, len(index), dtype=pl.String, eager=True)
    taken = text(values).gather(pl.Series(np.maximum(index, 0), dtype=pl.Int64))
    return pl.select(pl.when(pl.Series(index >= 0)).then(taken)).to_series()


def labels(names: tuple[str, ...], index: np.ndarray) -> pl.Series:
    """Category labels of an index array."""
    return pl.Series(list(names), dtype=pl.String).gather(pl.Series(index, dtype=pl.Int64))


def event_frame(
    *,
    columns: Mapping[str, pl.Series | np.ndarray | list[object]],
    provider: np.ndarray,
    location: np.ndarray,
    day: np.ndarray,
    location_ids: np.ndarray,
    uid_prefix: str,
    order_by: str,
    update_day: np.ndarray | None = None,
) -> pl.DataFrame:
    """A versioned entity frame: version 1, status final, uids numbered per location in time order.

    Args:
        columns: Entity columns other than record_uid, version, status and location_id.
        provider: Provider index of each row.
        location: Location index of each row.
        day: Day number that decides the export carrying each row.
        location_ids: CQC location ID of every location index.
        uid_prefix: Short entity prefix of record uids (``CN`` for care notes).
        order_by: Column giving the time order of uids within a location.
        update_day: Day a later version completes each row (-1 for none).
    """
    n = len(provider)
    frame = pl.DataFrame(
        {
            "_provider": pl.Series(provider, dtype=pl.Int64),
            "_location": pl.Series(location, dtype=pl.Int64),
            "_day": pl.Series(day, dtype=pl.Int64),
            "_update_day": pl.Series(
                np.full(n, -1) if update_day is None else update_day, dtype=pl.Int64
            ),
            "location_id": pick(location_ids, location),
            **{
                name: (v if isinstance(v, pl.Series) else pl.Series(v))
                for name, v in columns.items()
            },
        }
    )
    sequence = (pl.int_range(pl.len()).over("_location") + 1).cast(pl.String).str.zfill(8)
    return frame.sort(["_location", order_by], maintain_order=True, nulls_last=True).with_columns(
        record_uid=pl.format(
            "{}-{}-{}",
            pl.lit(uid_prefix),
            pl.col("_location").cast(pl.String).str.zfill(4),
            sequence,
        ),
        version=pl.lit(1, dtype=pl.Int64),
        status=pl.lit("final"),
    )
