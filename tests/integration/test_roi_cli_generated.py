"""`carelens roi` on a generated and loaded ICB: the warehouse's cost lines give the same
appraisal as the provider's own costs.csv, and every provider with costs can be appraised."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from conftest import LoadedInbox
from typer.testing import CliRunner

from carelens.cli import app

COST_KEYS = (
    "pv_costs_gbp",
    "pv_costs_optimism_adjusted_gbp",
    "pv_costs_by_category_gbp",
    "undiscounted_costs_gbp",
    "appraisal_start",
    "cost_lines",
)


def _roi(*args: str | Path) -> dict[str, Any]:
    result = CliRunner().invoke(app, ["roi", *(str(a) for a in args), "--json", "--draws", "500"])
    assert result.exit_code == 0, result.output
    parsed: dict[str, Any] = json.loads(result.stdout)
    return parsed


def test_warehouse_and_costs_file_give_the_same_costs(loaded: LoadedInbox) -> None:
    # Given the providers whose cost lines the load stored
    providers = [
        row[0]
        for row in loaded.query(
            "select distinct provider_id from reference.cost_lines order by provider_id"
        )
    ]
    assert providers

    for provider in providers:
        # When each is appraised from the warehouse and from its own costs.csv in the inbox
        stored = _roi("--provider", provider, "--warehouse", loaded.warehouse)
        from_file = _roi(
            "--provider", provider, "--costs", loaded.inbox / "costs" / f"costs_{provider}.csv"
        )

        # Then the costs agree to the penny, and as many lines were appraised as were loaded
        assert {key: stored[key] for key in COST_KEYS} == {
            key: from_file[key] for key in COST_KEYS
        }, provider
        (count,) = loaded.query(
            "select count(*) from reference.cost_lines where provider_id = ?", [provider]
        )[0]
        assert stored["cost_lines"] == count
        # and the five categories add up to the total, give or take the pennies' rounding
        parts = sum(stored["pv_costs_by_category_gbp"].values())
        assert abs(parts - stored["pv_costs_gbp"]) <= 0.03
        assert stored["pv_costs_gbp"] > 0
