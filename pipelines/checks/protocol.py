"""What the checks send to great-expectations and what comes back: plain, picklable data.

The build process computes the aggregates and the GX validation may run in another process
(``pipelines.checks.worker``), so nothing here is a GX object or a closure: a suite travels as
the name of its builder and the builder's parameters, a frame as columns of Python values, and
each expectation's result as JSON-able values.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from pathlib import Path

JsonValue = object
"""A value that ``json.dumps`` accepts (the type system cannot say so more precisely)."""


class SuiteBuilder(StrEnum):
    """The suite builders of ``data_contracts.expectations``, by the name of their suite."""

    ROW_COUNTS = "row_counts"
    FRESHNESS = "freshness"
    REFERENTIAL_INTEGRITY = "referential_integrity"
    KEY_UNIQUENESS = "key_uniqueness"
    OCCUPANCY = "occupancy"


@dataclass(frozen=True, slots=True)
class FrameData:
    """A small aggregate frame as columns of Python values, rebuilt as pandas where GX runs."""

    columns: dict[str, list[JsonValue]]
    """Column name to its values, in row order; ``None`` is a missing value."""
    dtypes: dict[str, str]
    """Column name to its pandas dtype (``object``, ``int64``, ``float64``)."""
    index: list[str] | None = None
    """Readable row labels, which GX reports for failing rows and Data Docs show."""


@dataclass(frozen=True, slots=True)
class SuiteRequest:
    """One suite to build and validate once against its frame."""

    builder: SuiteBuilder
    params: dict[str, JsonValue]
    """Keyword arguments of the builder (references as dicts of ``Reference`` fields)."""
    frame: FrameData
    result_format: dict[str, JsonValue]
    """How much of the failing rows GX returns (and renders in Data Docs)."""


@dataclass(frozen=True, slots=True)
class ValidationRequest:
    """Every suite of one run, and where GX writes that run's Data Docs site."""

    run_id: str
    run_started_at: datetime
    site_dir: Path
    """GX writes its site to ``site_dir/gx``; the folder is replaced."""
    suites: tuple[SuiteRequest, ...]


@dataclass(frozen=True, slots=True)
class ExpectationResult:
    """One expectation's GX result, reduced to JSON-able values."""

    expectation: str
    """GX expectation type, e.g. ``expect_column_max_to_be_between``."""
    meta: dict[str, JsonValue]
    """The expectation's ``meta``; ``target`` names the table, column or reference checked."""
    severity: str
    """GX failure severity: ``critical`` or ``warning``."""
    description: str
    kwargs: dict[str, JsonValue]
    success: bool
    result: dict[str, JsonValue]
    """GX's result dictionary (counts, observed value, labels of failing rows)."""
    failure: str | None
    """Why the expectation could not run, when GX raised; ``None`` when it ran."""


@dataclass(frozen=True, slots=True)
class SuiteResult:
    """The results of one suite, in the suite's order."""

    suite: str
    expectations: tuple[ExpectationResult, ...]
