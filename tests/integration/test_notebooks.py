"""The notebooks run, top to bottom, against a warehouse the real nightly load wrote.

A notebook is JSON; its code cells are run in order in one namespace, as a kernel would, so
no Jupyter kernel is needed. The falls notebook asserts its own checks (the mart's rate, and
that refitting the before/after model reproduces what the load stored).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from conftest import make_config

from pipelines.runner import run_nightly
from pipelines.synthetic import generate_icb
from pipelines.synthetic.rates import Rates

pytestmark = [pytest.mark.integration, pytest.mark.slow]

NOTEBOOKS = Path(__file__).parents[2] / "notebooks"
# Event rates that do not enter the falls analysis are cut so the load takes seconds; falls
# and go-live dates are the generator's defaults. Care homes only, none live before the period.
RATES = Rates(
    care_notes_per_resident_day=0.2,
    care_notes_per_visit=0.1,
    scheduled_doses_per_resident_day=0.5,
    prn_doses_per_person_day=0.02,
    home_care_doses_per_client_day=0.5,
    home_care_medication_support_share=0.2,
    alerts_per_resident_day=0.01,
    alerts_per_client_day=0.01,
    care_home_share=1.0,
    live_before_period_share=0.0,
    never_live_share=0.0,
)


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Six care-home providers over 24 months (seeded), loaded by the real nightly runner."""
    inbox = tmp_path_factory.mktemp("notebook_icb") / "inbox"
    generate_icb(out_dir=inbox, seed=5, providers=6, months=24, rates=RATES)
    path = tmp_path_factory.mktemp("notebook_warehouse") / "carelens.duckdb"
    run_nightly(inbox=inbox, config=make_config(path))
    return path


def run_notebook(path: Path) -> dict[str, Any]:
    """Run every code cell of the notebook at ``path`` in order; return its namespace."""
    notebook = json.loads(path.read_text(encoding="utf-8"))
    namespace: dict[str, Any] = {"__name__": "__notebook__"}
    for number, cell in enumerate(notebook["cells"]):
        if cell["cell_type"] != "code":
            continue
        source = "".join(cell["source"])
        exec(compile(source, f"{path.name} cell {number}", "exec"), namespace)  # noqa: S102
    return namespace


def test_notebooks_are_committed_without_outputs() -> None:
    for path in sorted(NOTEBOOKS.glob("*.ipynb")):
        notebook = json.loads(path.read_text(encoding="utf-8"))
        code_cells = [cell for cell in notebook["cells"] if cell["cell_type"] == "code"]
        assert all(cell["outputs"] == [] for cell in code_cells), path.name
        assert all(cell["execution_count"] is None for cell in code_cells), path.name


def test_the_falls_notebook_reproduces_the_falls_analysis(
    warehouse: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a warehouse of 24 months in which every care home goes live inside the period
    monkeypatch.setenv("CARELENS_WAREHOUSE", str(warehouse))
    monkeypatch.delenv("CARELENS_LOCATION", raising=False)

    # When the falls notebook runs from top to bottom
    namespace = run_notebook(NOTEBOOKS / "1.0-cl-falls-analysis.ipynb")

    # Then it chose a location with a go-live inside its data, charted every month of it with
    # limits recalculated after go-live, and its refit matched the stored estimate
    monthly: pl.DataFrame = namespace["monthly"]
    chart: pl.DataFrame = namespace["chart"]
    assert namespace["GO_LIVE"] is not None
    assert monthly["month"].min() < namespace["GO_LIVE"] < monthly["month"].max()
    assert chart.height == monthly.height == 24
    assert chart["segment"].n_unique() == 2
    assert namespace["stored"].item(0, "status") == "estimated"
    assert namespace["estimate"].level_change is not None
    assert len(namespace["figure"].data) > 0
