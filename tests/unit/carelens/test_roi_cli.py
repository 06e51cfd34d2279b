"""`carelens roi`: hand-worked appraisals of cost lines it has never seen, as JSON and as tables;
bad inputs exit 2 with the file, line and rule and no traceback."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import duckdb
import pytest
from typer.testing import CliRunner

from carelens.cli import app
from cost_model.assumptions import ASSUMPTIONS

PROVIDER = "1-101641521"
OTHER = "1-000000002"
HEADER = (
    "provider_id,category,item,cost_type,unit_cost_gbp,quantity,frequency,start_date,end_date,"
    "replacement_years,annual_loss_rate\n"
)
CARING_HANDS = (
    HEADER
    + f"{PROVIDER},software,set-up and first month,upfront,1100,1,one_off,2024-04-01,,,\n"
    + f"{PROVIDER},software,subscription,recurrent,390,1,monthly,2024-04-01,,,\n"
    + f"{OTHER},hardware,handsets,upfront,150,10,one_off,2023-01-01,,,\n"
)
"""The Caring Hands (shared reference 003): £1,100 up front and £390 a month, from one start,
plus a line of another provider that must be ignored."""

ISSUE_KEYS = (
    "pv_costs_gbp",
    "pv_costs_optimism_adjusted_gbp",
    "pv_benefits_gbp",
    "npv_gbp",
    "bcr",
    "roi",
    "discounted_payback_month",
    "probability_npv_positive",
    "npv_p10_gbp",
    "npv_p50_gbp",
    "npv_p90_gbp",
    "pv_costs_by_category_gbp",
    "appraisal_start",
    "horizon_years",
    "discount_rate",
    "optimism_bias_capital",
    "years",
    "benefits",
    "assumptions",
)
CATEGORIES = (
    "hardware",
    "software",
    "infrastructure",
    "training_implementation",
    "management_admin",
)

# Discount factors 1/1.035^y, y = 0..4, and their sum (the annuity factor of five years):
#   1, 0.966183574879, 0.933510700366, 0.901942705668, 0.871442227699  → 4.673079208612
ANNUITY_5 = "4.673079208612"
# PV(costs) = 1,100 + 390 × 12 × 4.673079208612 = 1,100 + 21,870.010696 = 22,970.010696
PV_COSTS = 22970.01
# With +200% optimism bias on capital: 22,970.010696 + 2 × 1,100 = 25,170.010696
PV_COSTS_OB = 25170.01


def _costs(tmp_path: Path, text: str = CARING_HANDS) -> Path:
    path = tmp_path / "costs.csv"
    path.write_text(text, encoding="utf-8")
    return path


def _run(*args: str | Path, env: dict[str, str] | None = None) -> Any:
    return CliRunner().invoke(app, ["roi", *(str(a) for a in args)], env=env)


def _json(*args: str | Path) -> dict[str, Any]:
    result = _run(*args, "--json")
    assert result.exit_code == 0, result.output
    parsed: dict[str, Any] = json.loads(result.stdout)
    return parsed


def test_caring_hands_costs_alone_to_the_penny(tmp_path: Path) -> None:
    # Given The Caring Hands' cost lines in a costs.csv (and another provider's line)
    costs = _costs(tmp_path)

    # When roi appraises them as JSON, with no warehouse and no assumptions
    out = _json("--provider", PROVIDER, "--costs", costs)

    # Then every key the issue names is there
    for key in ISSUE_KEYS:
        assert key in out, key
    # and the costs are the hand-worked present value
    assert out["pv_costs_gbp"] == PV_COSTS
    assert out["pv_costs_optimism_adjusted_gbp"] == PV_COSTS_OB
    assert out["pv_costs_by_category_gbp"] == {
        "hardware": 0.0,
        "software": PV_COSTS,
        "infrastructure": 0.0,
        "training_implementation": 0.0,
        "management_admin": 0.0,
    }
    # and with no benefits: NPV is minus the costs, BCR 0, ROI -1, never paid back
    assert (out["pv_benefits_gbp"], out["npv_gbp"]) == (0.0, -PV_COSTS)
    assert (out["bcr"], out["roi"], out["discounted_payback_month"]) == (0.0, -1.0, None)
    # and nothing uncertain moves the NPV, so every percentile is the NPV and P(NPV > 0) is 0
    assert (out["npv_p10_gbp"], out["npv_p50_gbp"], out["npv_p90_gbp"]) == (-PV_COSTS,) * 3
    assert out["probability_npv_positive"] == 0.0
    # and the settings are the Green Book's, from the earliest start
    assert (out["appraisal_start"], out["horizon_years"]) == ("2024-04-01", 5)
    assert (out["discount_rate"], out["optimism_bias_capital"]) == (0.035, 2.0)
    # and the other provider's line is ignored and said so
    assert out["other_provider_lines_ignored"] == 1
    assert out["notes"] == [f"1 line(s) of {costs} for other providers ignored"]


def test_caring_hands_years_are_discounted_by_whole_appraisal_years(tmp_path: Path) -> None:
    out = _json("--provider", PROVIDER, "--costs", _costs(tmp_path))

    years = out["years"]
    # Year 0: 1,100 + 12 × 390 = 5,780, not discounted; later years 4,680 / 1.035^y
    assert [row["year"] for row in years] == [0, 1, 2, 3, 4]
    assert [row["upfront_gbp"] for row in years] == [1100.0, 0.0, 0.0, 0.0, 0.0]
    assert [row["recurrent_gbp"] for row in years] == [4680.0] * 5
    # 4,680 × 0.966183574879 = 4,521.739; × 0.933510700366 = 4,368.830;
    # × 0.901942705668 = 4,221.092; × 0.871442227699 = 4,078.350
    assert [row["discounted_net_gbp"] for row in years] == [
        -5780.0,
        -4521.74,
        -4368.83,
        -4221.09,
        -4078.35,
    ]
    assert years[-1]["cumulative_discounted_net_gbp"] == -PV_COSTS
    assert [row["discount_factor"] for row in years] == [
        1.0,
        0.966184,
        0.933511,
        0.901943,
        0.871442,
    ]
    assert ANNUITY_5  # the sum of the factors above, used by PV_COSTS


def test_caring_hands_with_a_stated_paper_saving(tmp_path: Path) -> None:
    # Given the same costs and an assumptions file stating £500 a month less paper
    assumptions = tmp_path / "assumptions.csv"
    assumptions.write_text(
        "name,value,note\npaper_costs_saved_gbp_per_month,500,printing and archiving\n",
        encoding="utf-8",
    )

    # When roi appraises them
    out = _json("--provider", PROVIDER, "--costs", _costs(tmp_path), "--assumptions", assumptions)

    # Then PV(benefits) = 500 × 12 × 4.673079208612 = 28,038.475252 → 28,038.48
    assert out["pv_benefits_gbp"] == 28038.48
    # NPV = 28,038.475252 − 22,970.010696 = 5,068.464556 → 5,068.46
    assert out["npv_gbp"] == 5068.46
    # BCR = 28,038.475252 / 22,970.010696 = 1.220656; ROI = 0.220656
    assert (out["bcr"], out["roi"]) == (1.2207, 0.2207)
    # Payback: month 1 nets 500 − 1,100 − 390 = −990, each later month of year 0 adds 110,
    # so the cumulative reaches 0 at the end of month 10 (−990 + 9 × 110 = 0)
    assert out["discounted_payback_month"] == 10
    # and the stream is in the register, assumed and cash-releasing
    (paper,) = out["benefits"]
    assert (paper["basis"], paper["cash_releasing"], paper["pv_gbp"]) == (
        "assumed",
        True,
        28038.48,
    )
    # and the value used says where it came from
    used = {item["name"]: item for item in out["assumptions"]}
    assert used["paper_costs_saved_gbp_per_month"]["value"] == 500
    assert used["paper_costs_saved_gbp_per_month"]["basis"] == "entered"
    assert used["paper_costs_saved_gbp_per_month"]["source"] == f"{assumptions}, line 2"
    assert used["discount_rate"]["basis"] == "default"
    assert "Green Book" in used["discount_rate"]["source"]
    # and the chance of a positive NPV is a share of the draws
    assert 0 <= out["probability_npv_positive"] <= 1
    assert out["npv_p10_gbp"] <= out["npv_p50_gbp"] <= out["npv_p90_gbp"]


def test_a_shorter_horizon_and_a_later_start_leave_sunk_costs_out(tmp_path: Path) -> None:
    # When the appraisal starts a month later (1 May 2024) over 1 year
    out = _json(
        "--provider",
        PROVIDER,
        "--costs",
        _costs(tmp_path),
        "--horizon-years",
        "1",
        "--start",
        "2024-05-01",
    )

    # Then the £1,100 and April's £390 are sunk; May 2024 to April 2025 is 12 × 390 = 4,680
    assert out["pv_costs_gbp"] == 4680.0
    assert out["sunk_costs_gbp"] == 1490.0
    assert out["notes"][-1] == "2 payment(s) before 1 May 2024 are sunk and left out (£1,490.00)"


def test_the_summary_is_a_readable_table(tmp_path: Path) -> None:
    result = _run("--provider", PROVIDER, "--costs", _costs(tmp_path))

    assert result.exit_code == 0, result.output
    text = result.stdout
    assert "appraised from 1 April 2024 over 5 year(s)" in " ".join(text.split())
    for words in (
        "Present value of costs",
        "£22,970.01",
        "£25,170.01",
        "−£22,970.01",
        "not within the horizon",
        "Management and administration",
    ):
        assert words in text, words


def test_money_is_json_numbers_not_strings(tmp_path: Path) -> None:
    out = _json("--provider", PROVIDER, "--costs", _costs(tmp_path))

    assert isinstance(out["pv_costs_gbp"], float)
    assert set(out["pv_costs_by_category_gbp"]) == set(CATEGORIES)
    assert all(isinstance(v, float) for v in out["pv_costs_by_category_gbp"].values())


# Refusals: exit 2, one line naming file, line and rule, no traceback


@pytest.mark.parametrize(
    ("costs_text", "expected"),
    [
        (
            HEADER + f"{PROVIDER},software,set-up,upfront,1,100,1,one_off,2024-04-01,,,\n",
            "line 2: 12 fields where the header has 11 [field_count]",
        ),
        (
            HEADER + f"{PROVIDER},software,set-up,upfront,£1100,1,one_off,2024-04-01,,,\n",
            "line 2: unit_cost_gbp '£1100': not a plain decimal number",
        ),
        (
            HEADER + f"{PROVIDER},software,subscription,recurrent,390,1,weekly,2024-04-01,,,\n",
            "line 2: frequency 'weekly': not one of one_off, monthly, annual",
        ),
        (
            HEADER
            + f"{PROVIDER},software,subscription,recurrent,390,1,monthly,2024-04-01,2024-01-01,,\n",
            "line 2: end_date '2024-01-01': before start_date [end_before_start]",
        ),
        (
            HEADER + f"{OTHER},software,subscription,recurrent,390,1,monthly,2024-04-01,,,\n",
            f"no cost line for provider {PROVIDER}",
        ),
    ],
)
def test_a_bad_costs_file_exits_2_naming_file_line_and_rule(
    tmp_path: Path, costs_text: str, expected: str
) -> None:
    costs = _costs(tmp_path, costs_text)

    result = _run("--provider", PROVIDER, "--costs", costs, "--json")

    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith(f"carelens: roi: {costs}")
    assert expected in result.stderr
    assert result.stderr.rstrip().endswith("]")
    assert "Traceback" not in result.output


def test_an_unknown_assumption_name_exits_2(tmp_path: Path) -> None:
    assumptions = tmp_path / "assumptions.csv"
    assumptions.write_text("name,value\nminutes_saved_by_magic,20\n", encoding="utf-8")

    result = _run("--provider", PROVIDER, "--costs", _costs(tmp_path), "--assumptions", assumptions)

    assert result.exit_code == 2
    assert result.stderr == (
        f"carelens: roi: {assumptions}, line 2: unknown assumption 'minutes_saved_by_magic' "
        "(see docs/roi.md for the names) [unknown_name]\n"
    )


def test_no_warehouse_and_no_costs_exits_2_saying_what_to_do(tmp_path: Path) -> None:
    result = _run("--provider", PROVIDER, "--warehouse", tmp_path / "none.duckdb")

    assert result.exit_code == 2
    assert "run `carelens load` first, or give --costs FILE [no_warehouse]" in result.stderr
    assert "Traceback" not in result.output


def test_a_bad_start_date_exits_2(tmp_path: Path) -> None:
    result = _run("--provider", PROVIDER, "--costs", _costs(tmp_path), "--start", "1/5/2024")

    assert result.exit_code == 2
    assert result.stderr == ("carelens: roi: --start: '1/5/2024' is not a date YYYY-MM-DD [date]\n")


def test_a_horizon_beyond_ten_years_is_refused(tmp_path: Path) -> None:
    result = _run("--provider", PROVIDER, "--costs", _costs(tmp_path), "--horizon-years", "11")

    assert result.exit_code == 2
    assert "Traceback" not in result.output


def test_help_explains_the_exit_codes() -> None:
    result = CliRunner().invoke(app, ["roi", "--help"])

    assert result.exit_code == 0
    assert "carelens roi" in result.output
    assert "Exit codes: 0 appraisal printed; 2 an input could not be used" in " ".join(
        result.output.split()
    )


def test_docs_list_every_assumption_name_the_file_may_hold() -> None:
    # Given the carelens roi section of docs/roi.md
    docs = (Path(__file__).parents[3] / "docs" / "roi.md").read_text(encoding="utf-8")
    section = docs[docs.index("## `carelens roi`") :]

    # Then every registry name is in its table, so a user can find the names to use
    for name in ASSUMPTIONS:
        assert f"| `{name.value}` |" in section, name


def test_the_documented_assumptions_example_is_accepted(tmp_path: Path) -> None:
    # Given the example file of docs/roi.md, as written there
    docs = (Path(__file__).parents[3] / "docs" / "roi.md").read_text(encoding="utf-8")
    start = docs.index("    name,value,note\n")
    block = docs[start : docs.index("\n\n", start)]
    assumptions = tmp_path / "assumptions.csv"
    assumptions.write_text("\n".join(line[4:] for line in block.splitlines()) + "\n")

    # When roi reads it, then both values are used, the note's comma kept inside the note
    out = _json("--provider", PROVIDER, "--costs", _costs(tmp_path), "--assumptions", assumptions)
    used = {item["name"]: item for item in out["assumptions"] if item["basis"] == "entered"}
    assert {name: item["value"] for name, item in used.items()} == {
        "care_worker_hourly_pay_gbp": 12.6,
        "paper_costs_saved_gbp_per_month": 500,
    }


# Without --costs: a loaded warehouse


def _caring_hands_warehouse(path: Path) -> Path:
    """The Caring Hands as a load would leave them: cost lines, a measured stream over two
    locations for April to July 2024, and exports to 15 July 2024 (July incomplete)."""
    schema = Path(__file__).parents[3] / "pipelines" / "sql" / "schema"
    with duckdb.connect(str(path)) as con:
        for name in ("audit.sql", "reference.sql", "marts_time.sql"):
            con.execute((schema / name).read_text())
        con.execute(
            "insert into reference.cost_lines (provider_id, category, item, cost_type, "
            "unit_cost_gbp, quantity, frequency, start_date, source_line, source_file, run_id) "
            "values (?, 'software', 'set-up', 'upfront', 1100, 1, 'one_off', '2024-04-01', 2, "
            "'costs.csv', 'r1'), (?, 'software', 'subscription', 'recurrent', 390, 1, "
            "'monthly', '2024-04-01', 3, 'costs.csv', 'r1')",
            [PROVIDER, PROVIDER],
        )
        for month, location, value in (
            ("2024-04-01", "1-000000101", 60),
            ("2024-04-01", "1-000000102", 40),
            ("2024-05-01", "1-000000101", 200),
            ("2024-06-01", "1-000000101", 300),
            ("2024-07-01", "1-000000101", 1000),
        ):
            con.execute(
                "insert into marts.benefit_streams values (?, ?, ?, "
                "'care_worker_documentation_time', 'measured_and_assumed', 'baseline entered', "
                "false, ?, 'hours', ?, ?, ?)",
                [PROVIDER, location, month, value / 10, value, value, value],
            )
        con.execute(
            "insert into audit.packages (provider_id, extract_id, export_id, extract_from, "
            "extract_to, run_id, sequence) values (?, 'x1', 'e1', '2024-04-01', '2024-07-15', "
            "'r1', 1)",
            [PROVIDER],
        )
    return path


def test_without_costs_the_warehouse_is_appraised_with_its_measured_stream(
    tmp_path: Path,
) -> None:
    # Given a loaded warehouse holding The Caring Hands' costs and a measured stream
    warehouse = _caring_hands_warehouse(tmp_path / "carelens.duckdb")

    # When roi runs without --costs
    out = _json("--provider", PROVIDER, "--warehouse", warehouse)

    # Then the costs are the warehouse's, with the hand-worked present value
    assert out["cost_lines"] == 2
    assert out["costs_source"] == f"{warehouse} reference.cost_lines"
    assert out["pv_costs_gbp"] == PV_COSTS
    # and the stream is measured April (60 + 40), May 200, June 300; July is incomplete
    # (exports end 15 July), so July 2024 to March 2029 take the mean of April to June, 200:
    # year 0 = 100 + 200 + 300 + 9 × 200 = 2,400, and each later year 12 × 200 = 2,400;
    # PV = 2,400 × 4.673079208612 = 11,215.390101
    assert out["pv_benefits_gbp"] == 11215.39
    # NPV = 11,215.390101 − 22,970.010696 = −11,754.620596; BCR = 0.488262; never paid back
    assert out["npv_gbp"] == -11754.62
    assert (out["bcr"], out["discounted_payback_month"]) == (0.4883, None)
    (stream,) = out["benefits"]
    assert (stream["stream"], stream["basis"], stream["cash_releasing"]) == (
        "care_worker_documentation_time",
        "measured_and_assumed",
        False,
    )
    assert stream["projected_from"] == "2024-07-01"
    # hours: 10 + 20 + 30 measured, then 57 months × 20 = 1,140: 1,200 in all
    assert (stream["quantity"], stream["quantity_unit"]) == (1200.0, "hours")
    assert (
        "care_worker_documentation_time: measured to June 2024, projected flat from the mean "
        "of the last three complete months"
    ) in out["notes"]


def test_an_unknown_provider_in_the_warehouse_exits_2(tmp_path: Path) -> None:
    warehouse = _caring_hands_warehouse(tmp_path / "carelens.duckdb")

    result = _run("--provider", OTHER, "--warehouse", warehouse)

    assert result.exit_code == 2
    assert result.stderr == (
        f"carelens: roi: {warehouse}: no cost lines for provider {OTHER} in the warehouse "
        "(load its costs.csv, or give --costs FILE) [unknown_provider]\n"
    )
