"""`carelens roi --scenario NAME=FILE`: another way of buying appraised beside the case, worked
by hand; a bad scenario exits 2 naming the option, the file, the line and the rule."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from carelens.cli import app

PROVIDER = "1-101641521"
OTHER = "1-000000002"
HEADER = (
    "provider_id,category,item,cost_type,unit_cost_gbp,quantity,frequency,start_date,end_date,"
    "replacement_years,annual_loss_rate\n"
)
BOUGHT = (
    HEADER
    + f"{PROVIDER},hardware,handsets,upfront,250,12,one_off,2025-04-01,,,\n"
    + f"{PROVIDER},software,subscription,recurrent,390,1,monthly,2025-04-01,,,\n"
)
"""12 handsets bought at £250 (£3,000 capital) and £390 a month of software."""
RENTED = (
    HEADER
    + f"{PROVIDER},hardware,handset rental,recurrent,15,12,monthly,2025-04-01,,,\n"
    + f"{OTHER},hardware,someone else's rental,recurrent,99,1,monthly,2025-04-01,,,\n"
)
"""The same 12 handsets rented at £15 a month each, and a line of another provider."""
SCENARIO_KEYS = [
    "name",
    "replaces",
    "source",
    "pv_costs_gbp",
    "pv_costs_optimism_adjusted_gbp",
    "pv_benefits_gbp",
    "npv_gbp",
    "npv_optimism_adjusted_gbp",
    "bcr",
    "discounted_payback_month",
    "npv_difference_gbp",
    "npv_p10_gbp",
    "npv_p50_gbp",
    "npv_p90_gbp",
    "probability_npv_positive",
]


def _file(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _run(*args: str | Path) -> Any:
    return CliRunner().invoke(app, ["roi", *(str(a) for a in args)])


def _rent_json(tmp_path: Path) -> dict[str, Any]:
    costs = _file(tmp_path, "costs.csv", BOUGHT)
    rent = _file(tmp_path, "rent.csv", RENTED)
    result = _run(
        "--provider",
        PROVIDER,
        "--costs",
        costs,
        "--horizon-years",
        "1",
        "--scenario",
        f"Rent handsets={rent}",
        "--json",
        "--draws",
        "200",
    )
    assert result.exit_code == 0, result.output
    parsed: dict[str, Any] = json.loads(result.stdout)
    return parsed


def test_renting_the_handsets_costs_840_less_over_one_year(tmp_path: Path) -> None:
    # Given handsets bought (12 × £250) and software at £390 a month, and a rental quote
    # When roi appraises one year with the rental as a scenario
    out = _rent_json(tmp_path)

    # Then the table holds as estimated, the rental, and the two optimism-bias bounds
    rows = out["scenarios"]
    assert [row["name"] for row in rows] == [
        "As estimated",
        "Rent handsets",
        "Optimism bias +10% on capital (lower bound)",
        "Optimism bias +200% on capital (upper bound)",
    ]
    assert all(list(row) == SCENARIO_KEYS for row in rows)
    base, rent, lower, upper = rows
    # Year 0 is not discounted: bought 3,000 + 12 × 390 = 7,680; rented 12 × 12 × 15 + 4,680
    # = 2,160 + 4,680 = 6,840; the rental replaces the bought handsets, the software stays
    assert (base["pv_costs_gbp"], rent["pv_costs_gbp"]) == (7680.0, 6840.0)
    assert (base["npv_gbp"], rent["npv_gbp"]) == (-7680.0, -6840.0)
    assert (base["npv_difference_gbp"], rent["npv_difference_gbp"]) == (0.0, 840.0)
    assert (base["replaces"], rent["replaces"]) == ([], ["hardware"])
    assert rent["source"] == str(tmp_path / "rent.csv")
    # With +200% on capital: 7,680 + 2 × 3,000 = 13,680; the rental has no capital at all
    assert base["pv_costs_optimism_adjusted_gbp"] == 13680.0
    assert rent["pv_costs_optimism_adjusted_gbp"] == 6840.0
    # Nothing uncertain (no benefits, no loss rate): every percentile is the NPV
    assert (rent["npv_p10_gbp"], rent["npv_p50_gbp"], rent["npv_p90_gbp"]) == (-6840.0,) * 3
    assert rent["probability_npv_positive"] == 0.0
    # The optimism-bias rows are not simulated: +10% is 7,680 + 300 = 7,980
    assert lower["pv_costs_optimism_adjusted_gbp"] == 7980.0
    assert upper["pv_costs_optimism_adjusted_gbp"] == 13680.0
    for row in (lower, upper):
        assert row["replaces"] == []
        assert [row[key] for key in SCENARIO_KEYS[-4:]] == [None] * 4
    # And the other provider's rental line is ignored and said so
    assert f"1 line(s) of {tmp_path / 'rent.csv'} for other providers ignored" in out["notes"][0]


def test_the_existing_keys_stay_as_they_were(tmp_path: Path) -> None:
    out = _rent_json(tmp_path)

    # The headline is still the case as estimated, not the scenario
    assert out["pv_costs_gbp"] == 7680.0
    assert out["npv_gbp"] == -7680.0
    assert out["pv_costs_by_category_gbp"]["hardware"] == 3000.0
    assert list(out)[-1] == "scenarios"


def test_without_a_scenario_the_table_still_has_the_optimism_bias_bounds(tmp_path: Path) -> None:
    costs = _file(tmp_path, "costs.csv", BOUGHT)

    result = _run("--provider", PROVIDER, "--costs", costs, "--horizon-years", "1", "--json")

    assert result.exit_code == 0, result.output
    names = [row["name"] for row in json.loads(result.stdout)["scenarios"]]
    assert names == [
        "As estimated",
        "Optimism bias +10% on capital (lower bound)",
        "Optimism bias +200% on capital (upper bound)",
    ]


def test_the_tables_show_the_scenarios(tmp_path: Path) -> None:
    costs = _file(tmp_path, "costs.csv", BOUGHT)
    rent = _file(tmp_path, "rent.csv", RENTED)

    result = CliRunner().invoke(
        app,
        [
            "roi",
            "--provider",
            PROVIDER,
            "--costs",
            str(costs),
            "--horizon-years",
            "1",
            "--scenario",
            f"Rent handsets={rent}",
        ],
        env={"COLUMNS": "160"},
    )

    assert result.exit_code == 0, result.output
    text = result.stdout
    assert "Scenarios" in text
    rent_row = next(line for line in text.splitlines() if "Rent handsets" in line)
    assert "£6,840.00" in rent_row
    assert "£840.00" in rent_row


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("rent.csv", "--scenario: give each scenario as NAME=FILE"),
        ("=rent.csv", "--scenario: give each scenario as NAME=FILE"),
        ("Rent handsets=", "--scenario: give each scenario as NAME=FILE"),
        ("Rent handsets={missing}", "--scenario 'Rent handsets': {missing}: no such file"),
        (
            "Rent handsets={bad}",
            "--scenario 'Rent handsets': {bad}, line 2: unit_cost_gbp 'fifteen'",
        ),
        (
            "Rent handsets={others}",
            f"--scenario 'Rent handsets': {{others}}: no cost line for provider {PROVIDER}",
        ),
        ("As estimated={good}", "The scenario name 'As estimated' is taken"),
    ],
)
def test_a_bad_scenario_exits_2_naming_the_option_file_line_and_rule(
    tmp_path: Path, value: str, expected: str
) -> None:
    # Given a good costs file and a scenario value that cannot be used
    files = {
        "missing": tmp_path / "missing.csv",
        "bad": _file(
            tmp_path,
            "bad.csv",
            HEADER + f"{PROVIDER},hardware,rental,recurrent,fifteen,12,monthly,2025-04-01,,,\n",
        ),
        "others": _file(
            tmp_path,
            "others.csv",
            HEADER + f"{OTHER},hardware,rental,recurrent,15,12,monthly,2025-04-01,,,\n",
        ),
        "good": _file(tmp_path, "good.csv", RENTED),
    }
    costs = _file(tmp_path, "costs.csv", BOUGHT)

    # When roi is asked for it
    result = _run(
        "--provider", PROVIDER, "--costs", costs, "--scenario", value.format(**files), "--json"
    )

    # Then it exits 2 with one line naming what is wrong, and no traceback
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith("carelens: roi: ")
    assert expected.format(**files) in result.stderr
    assert len(result.stderr.splitlines()) == 1
    assert "Traceback" not in result.output


def test_two_scenarios_with_one_name_exit_2(tmp_path: Path) -> None:
    costs = _file(tmp_path, "costs.csv", BOUGHT)
    rent = _file(tmp_path, "rent.csv", RENTED)

    result = _run(
        "--provider",
        PROVIDER,
        "--costs",
        costs,
        "--scenario",
        f"Rent={rent}",
        "--scenario",
        f"rent={rent}",
    )

    assert result.exit_code == 2
    assert result.stderr == (
        "carelens: roi: The scenario name 'rent' is taken; give each scenario a name of its own.\n"
    )
