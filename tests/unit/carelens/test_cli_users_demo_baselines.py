"""`carelens users demo` gives the demo provider labelled demo baselines for time released."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import duckdb
import pytest
from argon2 import PasswordHasher
from typer.testing import CliRunner, Result

from carelens.cli import app
from cost_model.assumptions import AssumptionName
from dashboards.accounts import AccessEventKind, AccountStore

BIG, SMALL = "1-000000001", "1-000000002"
NOTE = "demo value — replace with your paper-era measurement"


@pytest.fixture(autouse=True)
def _cheap_hashes(monkeypatch: pytest.MonkeyPatch) -> None:
    """Argon2id with tiny parameters, and no CARELENS_* variables from the developer's shell."""
    monkeypatch.setattr(
        "dashboards.accounts.store.default_hasher",
        lambda: PasswordHasher(time_cost=1, memory_cost=8, parallelism=1),
    )
    for name in ("CARELENS_ACCOUNTS", "CARELENS_WAREHOUSE", "CARELENS_SECRET_KEY"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def warehouse(tmp_path: Path) -> Path:
    """A warehouse whose provider BIG has two locations in ICB QOP and SMALL one."""
    path = tmp_path / "carelens.duckdb"
    with duckdb.connect(str(path)) as connection:
        connection.execute(
            "create schema core; create table core.locations (location_id varchar,"
            " provider_id varchar, icb_code varchar)"
        )
        connection.execute(
            "insert into core.locations values ('1-11', ?, 'QOP'), ('1-12', ?, 'QOP'),"
            " ('1-21', ?, 'QOP')",
            [BIG, BIG, SMALL],
        )
    return path


def _demo(warehouse: Path) -> Result:
    return CliRunner().invoke(app, ["users", "demo", "--warehouse", str(warehouse)])


def test_demo_gives_the_demo_provider_labelled_baselines(warehouse: Path) -> None:
    # When the demo accounts are created
    result = _demo(warehouse)

    # Then the demo provider has paper-era baselines and review times, each noted as a demo
    # value, each change in the audit trail, and the output says a load turns them into hours
    assert result.exit_code == 0, result.output
    store = AccountStore(warehouse.parent / "accounts.sqlite3")
    current = store.current_assumptions(BIG)
    assert {name: (entry.value, entry.note) for name, entry in current.items()} == {
        AssumptionName.BASELINE_DOCUMENTATION_MINUTES_PER_SHIFT: (Decimal(40), NOTE),
        AssumptionName.BASELINE_DOCUMENTATION_MINUTES_PER_VISIT: (Decimal(5), NOTE),
        AssumptionName.CARE_PLAN_REVIEW_MINUTES_BEFORE: (Decimal(240), NOTE),
        AssumptionName.CARE_PLAN_REVIEW_MINUTES_AFTER: (Decimal(30), NOTE),
    }
    assert store.current_assumptions(SMALL) == {}
    events = store.access_events(kind=AccessEventKind.ASSUMPTION_CHANGED)
    assert sorted(event.detail or "" for event in events)[0].startswith(
        f"{BIG} baseline_documentation_minutes_per_shift: none -> 40 (demo value"
    )
    assert len(events) == 4
    assert NOTE in result.stdout
    assert "`carelens load`" in result.stdout


def test_demo_again_keeps_values_in_force(warehouse: Path) -> None:
    # Given the demo run once, then the owner entering a measured baseline of 33 minutes
    _demo(warehouse)
    store = AccountStore(warehouse.parent / "accounts.sqlite3")
    store.set_assumption(
        BIG,
        name="baseline_documentation_minutes_per_shift",
        value="33",
        note="timed over two weeks",
        set_by="demo-owner",
        now=store.access_events(limit=1)[0].at,
    )

    # When the demo is run again
    _demo(warehouse)

    # Then the owner's value stays and no value was written twice
    shift = store.assumption_history(BIG, name="baseline_documentation_minutes_per_shift")
    assert [entry.value for entry in shift] == [Decimal(33), Decimal(40)]
    review = store.assumption_history(BIG, name="care_plan_review_minutes_before")
    assert [entry.value for entry in review] == [Decimal(240)]
