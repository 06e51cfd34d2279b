"""What a table-level check is, and helpers to shape the small aggregates GX validates.

A ``Check`` pairs the picklable ``SuiteRequest`` (builder name, parameters, frame) that GX
validates, wherever it runs, with how to word the results for the audit and the run summary.
Nothing in the check modules imports great_expectations or pandas.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import duckdb

from pipelines.checks.protocol import FrameData, JsonValue, SuiteRequest

SUMMARY_FORMAT: dict[str, JsonValue] = {"result_format": "SUMMARY"}

GxResult = Mapping[str, Any]  # Any: GX's result dictionary holds values of many kinds
Row = dict[str, Any]  # Any: one row of a long frame; each value has its column's dtype


@dataclass(frozen=True, slots=True)
class Check:
    """One suite's request to GX, and how to word its results."""

    request: SuiteRequest
    observe: Callable[[str, GxResult], str]
    """(target, GX result dict) -> observed value for the audit row."""
    explain: Callable[[str, GxResult], list[str]]
    """(target, GX result dict) -> readable lines for a failed expectation."""


def plural(count: int, noun: str) -> str:
    """``1 row``, ``12,403 rows``."""
    return f"{count:,} {noun}{'' if count == 1 else 's'}"


def listing_format(*, listed: int | None) -> dict[str, JsonValue]:
    """Ask GX for the index labels of all failing rows, or of the first ``listed``.

    Long frames are indexed by a readable label (provider, or location and month), which GX
    returns and Data Docs show. GX's ``unexpected_index_column_names`` would do the same but
    costs about half a second per thousand failing rows.
    """
    if listed is None:
        return {"result_format": "COMPLETE", "return_unexpected_index_query": False}
    return {"result_format": "SUMMARY", "partial_unexpected_count": listed}


def failed_labels(result: GxResult) -> list[str]:
    """Index labels of the failing rows GX listed."""
    listed = result.get("unexpected_index_list") or result.get("partial_unexpected_index_list")
    return [str(label) for label in listed or []]


def wide_frame(values: Mapping[str, float | int | None], *, dtype: str) -> FrameData:
    """One row, one column per target; GX validates each column as one expectation."""
    return FrameData(
        columns={name: [value] for name, value in values.items()},
        dtypes=dict.fromkeys(values, dtype),
    )


def long_frame(
    con: duckdb.DuckDBPyConnection,
    *,
    sql: str,
    params: Mapping[str, object],
    dtypes: Mapping[str, str],
) -> dict[str, list[JsonValue]]:
    """Run ``sql`` and return its columns; the columns are those of ``dtypes``, in order."""
    rows = con.execute(sql, dict(params)).fetchall()
    return {name: [row[i] for row in rows] for i, name in enumerate(dtypes)}


def rows_by_label(
    columns: Mapping[str, Sequence[JsonValue]], *, labels: Sequence[str]
) -> dict[str, Row]:
    """Each row of a long frame as a dict, by its label."""
    return {
        label: {name: values[i] for name, values in columns.items()}
        for i, label in enumerate(labels)
    }
