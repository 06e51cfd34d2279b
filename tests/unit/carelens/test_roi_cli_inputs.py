"""`carelens roi` inputs: costs.csv checked as the loader checks it, --assumptions files, the
warehouse read read-only."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from carelens.roi_inputs import (
    RoiInputError,
    read_assumptions_file,
    read_costs_file,
    read_warehouse_inputs,
)
from cost_model.lines import CostLine
from data_contracts.enums import CostCategory, CostType, Frequency

PROVIDER = "1-101641521"
OTHER = "1-000000002"
HEADER = (
    "provider_id,category,item,cost_type,unit_cost_gbp,quantity,frequency,start_date,end_date,"
    "replacement_years,annual_loss_rate\n"
)


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


# costs.csv


def test_costs_file_gives_the_providers_lines_with_their_physical_lines(tmp_path: Path) -> None:
    # Given a costs.csv with two lines for the provider and one for another
    path = _write(
        tmp_path / "costs.csv",
        HEADER
        + f"{PROVIDER},hardware,handsets,upfront,150.00,4,one_off,2024-04-01,,3,0.1\n"
        + f"{OTHER},software,subscription,recurrent,99,1,monthly,2024-01-01,,,\n"
        + f"{PROVIDER},software,subscription,recurrent,390,1,monthly,2024-04-15,2026-03-31,,\n",
    )

    # When it is read for the provider
    statement = read_costs_file(path=path, provider_id=PROVIDER)

    # Then the provider's two lines come back typed, the other provider's is counted
    assert statement.lines == (
        CostLine(
            category=CostCategory.HARDWARE,
            item="handsets",
            cost_type=CostType.UPFRONT,
            unit_cost_gbp=Decimal(150),
            quantity=Decimal(4),
            frequency=Frequency.ONE_OFF,
            start_date=date(2024, 4, 1),
            replacement_years=Decimal(3),
            annual_loss_rate=Decimal("0.1"),
            source_line=2,
        ),
        CostLine(
            category=CostCategory.SOFTWARE,
            item="subscription",
            cost_type=CostType.RECURRENT,
            unit_cost_gbp=Decimal(390),
            quantity=Decimal(1),
            frequency=Frequency.MONTHLY,
            start_date=date(2024, 4, 15),
            end_date=date(2026, 3, 31),
            source_line=4,
        ),
    )
    assert statement.other_provider_lines == 1
    assert statement.source == str(path)


@pytest.mark.parametrize(
    ("line", "rule", "words"),
    [
        (
            f"{PROVIDER},software,set-up,upfront,abc,1,one_off,2024-04-01,,,",
            "decimal",
            "unit_cost_gbp 'abc': not a plain decimal number",
        ),
        (
            f"{PROVIDER},furniture,desk,upfront,10,1,one_off,2024-04-01,,,",
            "unknown_code",
            "category 'furniture': not one of hardware, software",
        ),
        (
            f"{PROVIDER},software,set-up,upfront,10,1,one_off,01/04/2024,,,",
            "date_format",
            "start_date '01/04/2024': not a date in YYYY-MM-DD form",
        ),
        (
            f"{PROVIDER},hardware,tablets,upfront,10,-1,one_off,2024-04-01,,,",
            "negative",
            "quantity '-1': must not be negative",
        ),
    ],
)
def test_a_bad_costs_line_is_an_error_naming_file_line_and_rule(
    tmp_path: Path, line: str, rule: str, words: str
) -> None:
    # Given a good line then a bad one on physical line 3
    path = _write(
        tmp_path / "costs.csv",
        HEADER + f"{PROVIDER},software,subscription,recurrent,390,1,monthly,2024-04-01,,,\n"
        f"{line}\n",
    )

    # When it is read, then the error names the file, line 3 and the rule
    with pytest.raises(RoiInputError) as caught:
        read_costs_file(path=path, provider_id=PROVIDER)
    assert caught.value.line == 3
    assert caught.value.rule == rule
    assert words in caught.value.reason
    assert str(caught.value).startswith(f"{path}, line 3: ")


def test_a_missing_required_column_names_the_header_line(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "costs.csv",
        "provider_id,category,item,unit_cost_gbp,quantity,frequency,start_date\n"
        f"{PROVIDER},software,set-up,10,1,one_off,2024-04-01\n",
    )

    with pytest.raises(RoiInputError) as caught:
        read_costs_file(path=path, provider_id=PROVIDER)

    assert caught.value.rule == "missing_column"
    assert caught.value.line == 1
    assert "'cost_type'" in caught.value.reason


def test_no_line_for_the_provider_is_an_error(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "costs.csv",
        HEADER + f"{OTHER},software,subscription,recurrent,99,1,monthly,2024-01-01,,,\n",
    )

    with pytest.raises(RoiInputError) as caught:
        read_costs_file(path=path, provider_id=PROVIDER)

    assert caught.value.rule == "unknown_provider"
    assert f"no cost line for provider {PROVIDER} (1 line(s) for other providers)" in str(
        caught.value
    )


def test_a_missing_costs_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(RoiInputError, match=r"no such file \[missing_file\]"):
        read_costs_file(path=tmp_path / "nope.csv", provider_id=PROVIDER)


# --assumptions


def test_assumptions_file_gives_checked_values_with_their_line(tmp_path: Path) -> None:
    # Given an assumptions file with a note column, a blank line and a £ value
    path = _write(
        tmp_path / "assumptions.csv",
        "name,value,note\n"
        "care_worker_hourly_pay_gbp,£12.60,our payroll\n"
        "\n"
        "baseline_documentation_minutes_per_shift,40,\n",
    )

    # When it is read
    values = read_assumptions_file(path)

    # Then both values come back, each with its source line and note
    pay = values["care_worker_hourly_pay_gbp"]
    assert (pay.value, pay.source, pay.note) == (
        Decimal("12.60"),
        f"{path}, line 2",
        "our payroll",
    )
    baseline = values["baseline_documentation_minutes_per_shift"]
    assert (baseline.value, baseline.source, baseline.note) == (
        Decimal(40),
        f"{path}, line 4",
        None,
    )


@pytest.mark.parametrize(
    ("body", "line", "rule", "words"),
    [
        ("name,value\nminutes_saved_by_magic,5\n", 2, "unknown_name", "'minutes_saved_by_magic'"),
        ("name,value\non_cost_share,lots\n", 2, "value", "on_cost_share 'lots'"),
        ("name,value\non_cost_share,1.5\n", 2, "value", "from 0 to 1"),
        ("name,value\non_cost_share,\n", 2, "value", "no value given"),
        ("name,value\non_cost_share,0.2\non_cost_share,0.3\n", 3, "duplicate_name", "twice"),
        ("name,value\non_cost_share,0.2,extra\n", 2, "field_count", "3 fields"),
        ("assumption,amount\non_cost_share,0.2\n", 1, "header", "'name,value'"),
    ],
)
def test_a_bad_assumptions_line_is_an_error_naming_file_line_and_rule(
    tmp_path: Path, body: str, line: int, rule: str, words: str
) -> None:
    path = _write(tmp_path / "assumptions.csv", body)

    with pytest.raises(RoiInputError) as caught:
        read_assumptions_file(path)

    assert (caught.value.line, caught.value.rule) == (line, rule)
    assert words in caught.value.reason
    assert str(caught.value).startswith(f"{path}, line {line}: ")


# The warehouse


def _warehouse(path: Path) -> Path:
    """A warehouse holding only the three tables `roi` reads, as the load creates them."""
    schema = Path(__file__).parents[3] / "pipelines" / "sql" / "schema"
    with duckdb.connect(str(path)) as con:
        con.execute((schema / "reference.sql").read_text())
        con.execute((schema / "marts_time.sql").read_text())
        con.execute(
            "insert into reference.cost_lines (provider_id, category, item, cost_type, "
            "unit_cost_gbp, quantity, frequency, start_date, source_line, source_file, run_id) "
            "values (?, 'software', 'subscription', 'recurrent', 390, 1, 'monthly', "
            "'2024-04-01', 3, 'costs.csv', 'r1'), "
            "(?, 'software', 'set-up', 'upfront', 1100, 1, 'one_off', '2024-04-01', 2, "
            "'costs.csv', 'r1'), "
            "(?, 'hardware', 'tablets', 'upfront', 200, 2, 'one_off', '2024-01-01', 2, "
            "'costs_other.csv', 'r1')",
            [PROVIDER, PROVIDER, OTHER],
        )
        con.execute(
            "insert into marts.benefit_streams values "
            "(?, '1-000000101', '2024-05-01', 'care_worker_documentation_time', 'measured', "
            "'measured minutes', false, 10.5, 'hours', 160.00, 120.00, 200.00), "
            "(?, '1-000000102', '2024-05-01', 'care_worker_documentation_time', 'assumed', "
            "'entered baseline', false, 4.5, 'hours', 70.00, 60.00, 80.00)",
            [PROVIDER, PROVIDER],
        )
        con.execute(
            "insert into reference.provider_assumptions values "
            "(?, 'on_cost_share', 0.25, 'share_of_pay', 'payroll', now(), 'r1')",
            [PROVIDER],
        )
    return path


def test_warehouse_gives_the_providers_lines_streams_and_entered_values(tmp_path: Path) -> None:
    # Given a warehouse with cost lines of two providers, two locations' streams for one
    # month and one entered assumption
    warehouse = _warehouse(tmp_path / "carelens.duckdb")

    # When the provider's inputs are read
    inputs = read_warehouse_inputs(warehouse_path=warehouse, provider_id=PROVIDER)

    # Then only the provider's two lines come back, in file line order
    assert [(line.item, line.source_line) for line in inputs.costs.lines] == [
        ("set-up", 2),
        ("subscription", 3),
    ]
    assert inputs.costs.lines[0].unit_cost_gbp == Decimal(1100)
    # and the month's locations are summed, measured with assumed making both
    (month,) = inputs.streams
    assert (month.stream, month.month, month.basis) == (
        "care_worker_documentation_time",
        date(2024, 5, 1),
        "measured_and_assumed",
    )
    assert (month.quantity, month.value_gbp, month.value_low_gbp, month.value_high_gbp) == (
        Decimal(15),
        Decimal(230),
        Decimal(180),
        Decimal(280),
    )
    assert month.basis_note == "entered baseline; measured minutes"
    # and the entered value is there, said to be from the dashboard
    share = inputs.assumptions["on_cost_share"]
    assert (share.value, share.source, share.note) == (
        Decimal("0.25"),
        "entered in the dashboard",
        "payroll",
    )
    # and a warehouse without audit.packages gives no last complete month
    assert inputs.last_complete_month is None


def test_warehouse_is_opened_read_only(tmp_path: Path) -> None:
    # Given a warehouse another process holds open for writing
    warehouse = _warehouse(tmp_path / "carelens.duckdb")
    with duckdb.connect(str(warehouse)) as writer:
        writer.execute("select 1")
        # When roi reads it, then it is refused with a plain message, no SQL and no traceback
        with pytest.raises(RoiInputError) as caught:
            read_warehouse_inputs(warehouse_path=warehouse, provider_id=PROVIDER)
    assert caught.value.rule == "warehouse"
    assert "select" not in str(caught.value).lower()

    # and once it is free, reading leaves the file as it was
    before = warehouse.read_bytes()
    read_warehouse_inputs(warehouse_path=warehouse, provider_id=PROVIDER)
    assert warehouse.read_bytes() == before


def test_no_warehouse_file_is_an_error_saying_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(RoiInputError) as caught:
        read_warehouse_inputs(warehouse_path=tmp_path / "none.duckdb", provider_id=PROVIDER)

    assert caught.value.rule == "no_warehouse"
    assert "run `carelens load` first, or give --costs FILE" in caught.value.reason


def test_an_empty_warehouse_gives_no_inputs(tmp_path: Path) -> None:
    # Given a DuckDB file without the carelens tables (an older or empty warehouse)
    path = tmp_path / "empty.duckdb"
    duckdb.connect(str(path)).close()

    inputs = read_warehouse_inputs(warehouse_path=path, provider_id=PROVIDER)

    assert (inputs.costs.lines, inputs.streams, inputs.assumptions) == ((), (), {})
