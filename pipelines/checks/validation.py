"""Validate the checks' suites with great-expectations and write the run's GX Data Docs site.

The one module that imports great_expectations (about five seconds: scipy, pandas, altair).
The nightly load imports it only in the checks worker process (``pipelines.checks.worker``);
``pipelines.checks.run_table_checks`` imports it in its own process. Everything that comes in
and goes out is plain data (``pipelines.checks.protocol``).
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import great_expectations as gx
import pandas as pd
from great_expectations.core import ExpectationSuiteValidationResult
from great_expectations.core.run_identifier import RunIdentifier
from great_expectations.data_context.types.base import (
    DataContextConfig,
    InMemoryStoreBackendDefaults,
    ProgressBarsConfig,
)

from data_contracts.expectations import (
    Reference,
    build_freshness_suite,
    build_key_uniqueness_suite,
    build_occupancy_suite,
    build_referential_integrity_suite,
    build_row_counts_suite,
)
from pipelines.checks.protocol import (
    ExpectationResult,
    FrameData,
    JsonValue,
    SuiteBuilder,
    SuiteRequest,
    SuiteResult,
    ValidationRequest,
)

_BUILDERS: dict[SuiteBuilder, Callable[..., gx.ExpectationSuite]] = {
    SuiteBuilder.ROW_COUNTS: build_row_counts_suite,
    SuiteBuilder.FRESHNESS: build_freshness_suite,
    SuiteBuilder.REFERENTIAL_INTEGRITY: build_referential_integrity_suite,
    SuiteBuilder.KEY_UNIQUENESS: build_key_uniqueness_suite,
    SuiteBuilder.OCCUPANCY: build_occupancy_suite,
}


def validate(request: ValidationRequest) -> list[SuiteResult]:
    """Run each suite once on its frame in an ephemeral GX context, then build the Data Docs.

    Returns:
        One result per requested suite, in the request's order.
    """
    context = gx.get_context(mode="ephemeral", project_config=_project_config(request.site_dir))
    source = context.data_sources.add_pandas("warehouse_checks")
    # A run id such as 20261122T020000Z-4833 parses as a time with a +48:33 offset, which
    # GX's page renderer then fails on; a prefix keeps GX from reading the name as a date.
    run = RunIdentifier(run_name=f"run {request.run_id}", run_time=request.run_started_at)
    results = []
    for suite_request in request.suites:
        suite = build_suite(suite_request)
        name = suite.name
        batch = source.add_dataframe_asset(name).add_batch_definition_whole_dataframe(name)
        definition = context.validation_definitions.add(
            gx.ValidationDefinition(name=name, data=batch, suite=context.suites.add(suite))
        )
        outcome = definition.run(
            batch_parameters={"dataframe": to_pandas(suite_request.frame)},
            result_format=dict(suite_request.result_format),
            run_id=run,
        )
        results.append(_reduce(name, outcome))
    shutil.rmtree(request.site_dir, ignore_errors=True)
    context.build_data_docs()
    return results


def build_suite(request: SuiteRequest) -> gx.ExpectationSuite:
    """Build the requested suite with its builder from ``data_contracts.expectations``."""
    params = dict(request.params)
    if request.builder is SuiteBuilder.REFERENTIAL_INTEGRITY:
        references = params["references"]
        if not isinstance(references, list):
            raise TypeError(f"references must be a list, not {type(references).__name__}")
        params["references"] = [Reference(**reference) for reference in references]
    return _BUILDERS[request.builder](**params)


def to_pandas(frame: FrameData) -> pd.DataFrame:
    """Rebuild the aggregate frame with its dtypes; an integer column with gaps becomes float."""
    columns = {}
    for name, values in frame.columns.items():
        dtype = frame.dtypes[name]
        if dtype == "int64" and any(value is None for value in values):
            dtype = "float64"
        columns[name] = pd.Series(values, dtype=dtype)
    result = pd.DataFrame(columns)
    if frame.index is not None:
        # An unnamed index: GX then reports failing rows by label (a named one turns into dicts).
        result.index = pd.Index(frame.index)
    return result


def _reduce(suite: str, outcome: ExpectationSuiteValidationResult) -> SuiteResult:
    """Keep what the audit and the summary need from GX's result, as JSON-able values."""
    expectations = []
    for result in outcome.results:
        config = result.expectation_config
        if config is None:  # GX attaches the configuration to every result of a suite run
            raise ValueError(f"{suite}: a result without its expectation")
        info = result.exception_info or {}
        raised = bool(info.get("raised_exception"))
        expectations.append(
            ExpectationResult(
                expectation=config.type,
                meta=_plain(config.meta or {}),
                severity=str(config.severity.value),
                description=config.description or config.type,
                kwargs=_plain(config.kwargs),
                success=bool(result.success),
                result=_plain(result.result or {}),
                failure=str(info.get("exception_message")) if raised else None,
            )
        )
    return SuiteResult(suite=suite, expectations=tuple(expectations))


def _plain(value: Any) -> dict[str, JsonValue]:  # Any: GX's dictionaries are untyped
    """A JSON round trip: numpy scalars and other values JSON lacks become their text."""
    plain = json.loads(json.dumps(value, default=str))
    if not isinstance(plain, dict):
        raise TypeError(f"expected a dictionary from GX, got {type(plain).__name__}")
    return plain


def _project_config(site_dir: Path) -> Any:  # Any: GX's DataContextConfig is untyped for mypy
    """In-memory stores, no analytics, no progress bars, one Data Docs site in ``site_dir/gx``."""
    return DataContextConfig(
        store_backend_defaults=InMemoryStoreBackendDefaults(init_temp_docs_sites=False),
        analytics_enabled=False,
        progress_bars=ProgressBarsConfig(globally=False),
        data_docs_sites={
            "run": {
                "class_name": "SiteBuilder",
                "show_how_to_buttons": False,
                "store_backend": {
                    "class_name": "TupleFilesystemStoreBackend",
                    # GX refuses a relative base directory (``--warehouse data/x.duckdb``).
                    "base_directory": str((site_dir / "gx").absolute()),
                },
                "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
                "site_section_builders": {"profiling": "False"},
            }
        },
    )
