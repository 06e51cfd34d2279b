"""The notebooks run, top to bottom, against a warehouse the real nightly load wrote.

A notebook is JSON; its code cells are run in order in one namespace, as a kernel would, so
no Jupyter kernel is needed. The falls notebook asserts its own checks (the mart's rate, and
that refitting the before/after model reproduces what the load stored); the ROI notebook checks
its figures against `carelens roi --json`, and the test checks them again, by hand and against
the command run here.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import polars as pl
import pytest
from argon2 import PasswordHasher
from conftest import make_config
from typer.testing import CliRunner

from carelens.cli import app
from dashboards.accounts import AccountStore
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

# What the first provider (by ID) entered on the Assumptions page, for the ROI notebook: task
# times that value the measured care-plan reviews and the stated audits, and stated streams.
ENTERED = {
    "care_plan_review_minutes_before": 90,
    "care_plan_review_minutes_after": 30,
    "audit_minutes_before": 120,
    "audit_minutes_after": 45,
    "audits_per_month": 4,
    "documentation_minutes_saved_per_shift": 10,
    "care_worker_shifts_per_month": 300,
    "paper_costs_saved_gbp_per_month": 150,
    "care_worker_hourly_pay_gbp": "12.60",
}


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Six care-home providers over 24 months (seeded), loaded by the real nightly runner.

    The first provider by ID entered :data:`ENTERED` in the dashboard before the load.
    """
    inbox = tmp_path_factory.mktemp("notebook_icb") / "inbox"
    generate_icb(out_dir=inbox, seed=5, providers=6, months=24, rates=RATES)
    first = min(path.stem.removeprefix("costs_") for path in (inbox / "costs").glob("*.csv"))
    accounts = inbox.parent / "accounts.sqlite3"
    store = AccountStore(accounts, hasher=PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))
    for name, value in ENTERED.items():
        store.set_assumption(
            first, name=name, value=value, note=None, set_by="finance", now=datetime.now(UTC)
        )
    path = tmp_path_factory.mktemp("notebook_warehouse") / "carelens.duckdb"
    run_nightly(inbox=inbox, config=replace(make_config(path), accounts_path=accounts))
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


def test_the_roi_notebook_builds_the_appraisal_carelens_roi_prints(
    warehouse: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a warehouse in which one provider entered task times, minutes saved a shift and
    # paper saved, and no provider named
    monkeypatch.setenv("CARELENS_WAREHOUSE", str(warehouse))
    monkeypatch.delenv("CARELENS_PROVIDER", raising=False)
    with duckdb.connect(str(warehouse), read_only=True) as con:
        (entered_by,) = con.execute(
            "select distinct provider_id from reference.provider_assumptions"
        ).fetchone() or (None,)

    # When the ROI notebook runs from top to bottom
    namespace = run_notebook(NOTEBOOKS / "2.0-cl-roi-appraisal.ipynb")

    # Then it chose that provider, and every figure it built is the one the command prints
    assert namespace["PROVIDER"] == entered_by
    result = CliRunner().invoke(
        app, ["roi", "--provider", entered_by, "--warehouse", str(warehouse), "--json"]
    )
    assert result.exit_code == 0, result.output
    expected = json.loads(result.stdout)
    figures: dict[str, Any] = namespace["figures"]
    assert figures == {key: expected[key] for key in figures}
    assert len(figures) == 22
    assert namespace["case"].appraisal == namespace["appraisal"]  # cost_model.case agrees

    # and the stated streams are as worked by hand: Σ 1/1.035^y over five years = 4.6730792086;
    # paper £150 × 12 × 4.6730792086 = £8,411.54; documentation 10 minutes × 300 shifts / 60
    # = 50 hours a month at £12.60 × 1.2775 = £804.825 a month, × 12 × 4.6730792086
    # = £45,132.13, 3,000 hours
    by_stream = figures["pv_benefits_by_stream_gbp"]
    assert by_stream["paper_printing_storage"] == 8411.54
    assert by_stream["care_worker_documentation_time"] == 45132.13
    appraisal = namespace["appraisal"]
    hours = {b.stream: b.quantity for b in appraisal.benefits}
    assert hours["care_worker_documentation_time"] == Decimal(3000)
    # measured and stated streams side by side, the measured one projected past the data
    bases = {b.stream: b.basis.value for b in appraisal.benefits}
    assert bases["managerial_care_plan_reviews"] == "measured_and_assumed"
    assert bases["managerial_audits"] == "assumed"
    assert bases["paper_printing_storage"] == "assumed"
    assert namespace["projected"][0].projected_from is not None

    # and the uncertainty: 10,000 draws on the prepared model; care-worker pay from £12.00 to
    # £12.71 moves only the stated documentation stream: 600 hours a year × 1.2775 × £0.71
    # × 4.6730792086 = £2,543.16; manager pay from £15 to £24 around £18.50 revalues the
    # managers' streams from the mart (care-plan reviews and audits, valued at £18.50 there):
    # their PV × (24 − 15) / 18.50, to the penny either side of rounding each PV
    simulation = namespace["simulation"]
    assert (simulation.draws, simulation.seed, simulation.method) == (10_000, 6, "multilinear")
    swings = {bar.name: bar.swing_gbp for bar in namespace["bars"]}
    assert swings["care_worker_hourly_pay_gbp"] == Decimal("2543.16")
    managers_pv = sum(
        Decimal(str(by_stream[name]))
        for name in ("managerial_care_plan_reviews", "managerial_audits")
    )
    expected_swing = managers_pv * 9 / Decimal("18.50")
    assert abs(swings["manager_hourly_pay_gbp"] - expected_swing) <= Decimal("0.01")
    # and the scenario: the stated £954.825 a month ramping up over 24 months loses
    # 954.825 × (9.25 + 3.25 / 1.035) = £11,830.37 of NPV
    scenarios = namespace["scenarios"]
    assert scenarios[1].npv_difference_gbp == Decimal("-11830.37")
    for name in ("costs_figure", "benefits_figure", "payback_figure", "mc_figure"):
        assert len(namespace[name].data) > 0, name
    assert len(namespace["tornado_figure"].data) == 2
