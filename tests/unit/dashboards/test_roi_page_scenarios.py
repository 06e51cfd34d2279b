"""The Return on investment page's "Compare another way of buying": the form read and checked,
the scenarios table worked by hand on the ROI sample warehouse (``roi_sample``), and the
scenarios in the downloads and the business case."""

from __future__ import annotations

import base64
import importlib
import io
import re
from decimal import Decimal
from pathlib import Path
from types import ModuleType
from typing import Any

import dash
import polars as pl
import pytest
from audit_sample import identity_for, serving
from layout_walk import by_id, components, layout_text
from openpyxl import load_workbook
from roi_sample import NPV, PROVIDER_A, PV_COSTS, START, write_roi_warehouse

from cost_model.case import CaseInputs, WhatIf
from dashboards.accounts import AccessEventKind
from dashboards.components.roi_view import (
    ScenarioEntry,
    clear_cache,
    parse_scenario,
    scenario_from_entry,
)
from dashboards.roles import Role
from data_contracts.enums import CostCategory, CostType, Frequency

OWNER_A = identity_for(Role.OWNER, code=PROVIDER_A)
QUOTE = {"scenario": "Supplier B", "category": "software", "cost": "300", "per": "month"}
"""Another supplier's subscription: £300 a month in place of the £390 one."""
OUTRIGHT = {"scenario": "Buy outright", "category": "software", "cost": "15000", "per": "one-off"}
"""The software bought outright for £15,000, in place of the subscription."""


@pytest.fixture(scope="module")
def roi_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The ROI sample warehouse (never modified)."""
    return write_roi_warehouse(tmp_path_factory.mktemp("roi-scenarios") / "carelens.duckdb")


@pytest.fixture(scope="module")
def roi_page(dash_app: dash.Dash) -> ModuleType:
    """The page module as registered by the app."""
    clear_cache()
    return importlib.import_module("dashboards.pages.roi")


def _page(roi_page: ModuleType, warehouse: Path, **query: str) -> Any:
    with serving(warehouse, identity=OWNER_A):
        return roi_page.layout(**query)


def _text(root: Any) -> str:
    return layout_text(root, separator=" ")


def _rows(page: Any) -> dict[str, list[str]]:
    """The scenarios table: each row's header → its cells as shown."""
    table = by_id(page, "roi-scenarios-table")
    out = {}
    for row in (c for c in components(table) if type(c).__name__ == "Tr"):
        cells = [c for c in components(row) if type(c).__name__ in {"Th", "Td"}]
        if getattr(cells[0], "scope", None) == "row":
            out[_text(cells[0]).strip()] = [_text(cell).strip() for cell in cells[1:]]
    return out


def _money(text: str) -> Decimal:
    return Decimal(text.replace("£", "").replace(",", "").replace("−", "-"))


def _button(table: str, fmt: str) -> dict[str, str]:
    return {"type": "roi-download-button", "table": table, "format": fmt}


class TestParsing:
    def test_a_full_form_is_one_scenario_and_fills_the_form_again(self) -> None:
        entry, typed, problems = parse_scenario({**QUOTE, "quantity": "2.5"})

        assert entry == ScenarioEntry(
            name="Supplier B",
            category=CostCategory.SOFTWARE,
            unit_cost_gbp=Decimal(300),
            per="month",
            quantity=Decimal("2.5"),
        )
        assert typed == {
            "scenario": "Supplier B",
            "category": "software",
            "cost": "300",
            "per": "month",
            "quantity": "2.5",
        }
        assert problems == []

    def test_the_selects_alone_ask_for_nothing(self) -> None:
        # The two selects always send a value; with no name, cost or quantity nothing is asked
        assert parse_scenario({"category": "hardware", "per": "month", "cost": " "}) == (
            None,
            {},
            [],
        )

    @pytest.mark.parametrize(
        ("change", "message"),
        [
            ({"scenario": ""}, "Scenario name: give the scenario a name."),
            ({"scenario": "<script>alert(1)</script>"}, "Scenario name: use up to 60 letters"),
            ({"scenario": "x" * 61}, "Scenario name: use up to 60 letters"),
            ({"scenario": "AS ESTIMATED"}, "Scenario name: that name is a row of the table"),
            ({"scenario": "Optimism bias nil"}, "Scenario name: that name is a row of the table"),
            ({"category": "catering"}, "Cost category it replaces: choose one of the five."),
            ({"per": "fortnight"}, "Paid: choose one-off, a month or a year."),
            ({"cost": "-1"}, "Cost (£ per unit): give a number of pounds from 0 to 1,000,000"),
            ({"cost": "1000000.01"}, "Cost (£ per unit): give a number of pounds from 0"),
            ({"cost": "12.345"}, "Cost (£ per unit): give a number of pounds from 0"),
            ({"cost": "NaN"}, "Cost (£ per unit): give a number of pounds from 0"),
            ({"cost": "1e3"}, None),
            ({"quantity": "100001"}, "Quantity (units): give a number from 0 to 100,000."),
            ({"quantity": "lots"}, "Quantity (units): give a number from 0 to 100,000."),
        ],
    )
    def test_a_bad_field_leaves_the_scenario_out_naming_the_field(
        self, change: dict[str, str], message: str | None
    ) -> None:
        entry, typed, problems = parse_scenario({**QUOTE, "quantity": "1", **change})

        if message is None:  # 1e3 is a number: £1,000
            assert entry is not None
            assert entry.unit_cost_gbp == 1000
            return
        assert entry is None
        assert typed == {}
        assert problems[0].startswith(message)
        assert problems[-1] == "The other way of buying was left out."
        # and the bad value is never echoed
        for value in change.values():
            if len(value) > 3:
                assert all(value not in problem for problem in problems)

    def test_the_line_starts_with_the_appraisal_and_takes_the_loss_rate(self) -> None:
        entry, _typed, _problems = parse_scenario(
            {
                "scenario": "Rent",
                "category": "hardware",
                "cost": "15",
                "per": "month",
                "quantity": "12",
            }  # fmt: skip
        )
        assert entry is not None
        inputs = CaseInputs(provider_id=PROVIDER_A, costs=(), start=START)

        scenario = scenario_from_entry(
            entry, inputs=inputs, what_if=WhatIf(device_loss_rate=Decimal("0.1"))
        )

        (line,) = scenario.lines
        assert (line.category, line.cost_type, line.frequency) == (
            CostCategory.HARDWARE,
            CostType.RECURRENT,
            Frequency.MONTHLY,
        )
        assert (line.unit_cost_gbp, line.quantity, line.start_date) == (15, 12, START)
        assert line.annual_loss_rate == Decimal("0.1")
        assert scenario.replaces == frozenset({CostCategory.HARDWARE})


class TestScenariosTable:
    def test_without_a_scenario_the_table_holds_the_case_and_the_optimism_bias_bounds(
        self, roi_page: ModuleType, roi_warehouse: Path
    ) -> None:
        rows = _rows(_page(roi_page, roi_warehouse))

        assert list(rows) == [
            "As estimated",
            "Optimism bias +10% on capital (lower bound)",
            "Optimism bias +200% on capital (upper bound)",
        ]
        base = rows["As estimated"]
        assert base[:6] == [PV_COSTS, "£25,170.01", "£36,450.02", NPV, "£11,280.01", "£0.00"]
        assert base[8] == "5"
        # +10% on the £1,100 capital: 22,970.01 + 110 = 23,080.01; not simulated
        lower = rows["Optimism bias +10% on capital (lower bound)"]
        assert lower[1] == "£23,080.01"
        assert lower[6:8] == ["–", "–"]

    def test_another_supplier_at_300_a_month(
        self, roi_page: ModuleType, roi_warehouse: Path
    ) -> None:
        # When the owner compares another supplier at £300 a month for the software
        page = _page(roi_page, roi_warehouse, **QUOTE, quantity="1")

        # Then it replaces the £390 subscription and keeps the £1,100 set-up fee:
        # PV costs 1,100 + 300 × 12 × 4.6730792086 = 1,100 + 16,823.09 = £17,923.09
        rows = _rows(page)
        assert list(rows)[1] == "Supplier B (replaces Software)"
        quote, base = rows["Supplier B (replaces Software)"], rows["As estimated"]
        assert quote[0] == "£17,923.09"
        # with optimism bias +200% on the £1,100 capital: + 2,200 = £20,123.09
        assert quote[1] == "£20,123.09"
        # benefits as before; NPV 36,450.0178 − 17,923.0852 = £18,526.93; the difference is
        # of the NPVs shown, 18,526.93 − 13,480.01 = £5,046.92 (exactly, 5,046.9255)
        assert quote[2:6] == ["£36,450.02", "£18,526.93", "£16,326.93", "£5,046.92"]
        # year 0 nets 650 − 300 = £350 a month after the £1,100: −1,100 + 4 × 350 = 300
        assert quote[8] == "4"
        # The draws are the same draws (one seed), so every percentile moves by the difference
        quote_p10, quote_p90 = (_money(v) for v in re.findall(r"−?£[\d,.]+", quote[6]))
        base_p10, base_p90 = (_money(v) for v in re.findall(r"−?£[\d,.]+", base[6]))
        assert quote_p10 - base_p10 == pytest.approx(Decimal("5046.93"), abs=Decimal("0.03"))
        assert quote_p90 - base_p90 == pytest.approx(Decimal("5046.93"), abs=Decimal("0.03"))
        assert quote[7].endswith("%")
        # And one sentence says which is higher, before and with optimism bias
        assert _text(by_id(page, "roi-scenario-verdict")) == (
            "Before optimism bias, “Supplier B” has the higher NPV: £18,526.93 against "
            "£13,480.01 for “As estimated” (£5,046.92 more); with optimism bias (+200% on "
            "capital) it still does: £16,326.93 against £11,280.01."
        )
        # And the form shows the scenario to change again
        assert by_id(page, "roi-scenario-scenario").value == "Supplier B"
        assert by_id(page, "roi-scenario-cost").value == "300"

    def test_buying_outright_wins_before_optimism_bias_and_loses_with_it(
        self, roi_page: ModuleType, roi_warehouse: Path
    ) -> None:
        # When the software is bought outright for £15,000 (capital) instead
        page = _page(roi_page, roi_warehouse, **OUTRIGHT, quantity="1")

        # Then PV costs 1,100 + 15,000 = 16,100, with +200% on all of it: 48,300
        outright = _rows(page)["Buy outright (replaces Software)"]
        assert outright[:6] == [
            "£16,100.00",
            "£48,300.00",
            "£36,450.02",
            "£20,350.02",
            "−£11,849.98",
            "£6,870.01",
        ]
        # Cumulative: −16,100 + 7,800 in year 0, + 7,800 / 1.035 in year 1 = −763.77; then
        # 650 / 1.035² = 606.78 a month: −156.99 in month 25, +449.79 in month 26
        assert outright[8] == "26"
        assert _text(by_id(page, "roi-scenario-verdict")) == (
            "Before optimism bias, “Buy outright” has the higher NPV: £20,350.02 against "
            "£13,480.01 for “As estimated” (£6,870.01 more); with optimism bias (+200% on "
            "capital) “As estimated” is higher instead: £11,280.01 against −£11,849.98."
        )

    def test_the_what_if_applies_to_the_scenario_and_each_form_carries_the_other(
        self, roi_page: ModuleType, roi_warehouse: Path
    ) -> None:
        # When 3 years at no discount are asked for with the other supplier
        page = _page(roi_page, roi_warehouse, **QUOTE, quantity="1", horizon="3", rate="0")

        # Then 1,100 + 36 × 300 = 11,900 against 1,100 + 36 × 390 = 15,140
        rows = _rows(page)
        assert rows["As estimated"][0] == "£15,140.00"
        assert rows["Supplier B (replaces Software)"][0] == "£11,900.00"
        assert rows["Supplier B (replaces Software)"][5] == "£3,240.00"
        # And each form carries the other's values in hidden fields, so the URL keeps both
        hidden = {
            form_id: {
                getattr(c, "name", None): getattr(c, "value", None)
                for c in components(by_id(page, form_id))
                if getattr(c, "type", None) == "hidden"
            }
            for form_id in ("roi-what-if", "roi-scenario-form")
        }
        assert hidden["roi-what-if"] == {
            "scenario": "Supplier B",
            "category": "software",
            "cost": "300",
            "per": "month",
            "quantity": "1",
        }
        assert hidden["roi-scenario-form"] == {"horizon": "3", "rate": "0"}

    def test_a_bad_value_is_named_and_the_scenario_left_out(
        self, roi_page: ModuleType, roi_warehouse: Path
    ) -> None:
        page = _page(roi_page, roi_warehouse, **{**QUOTE, "cost": "<b>9</b>"}, quantity="1")

        text = _text(page)
        assert "Cost (£ per unit): give a number of pounds from 0 to 1,000,000" in text
        assert "The other way of buying was left out." in text
        assert "<b>9</b>" not in text
        assert len(_rows(page)) == 3
        assert not [c for c in components(page) if getattr(c, "id", None) == "roi-scenario-verdict"]


class TestDownloadsAndReport:
    def test_scenarios_as_csv_with_the_scenario_audited(
        self, roi_page: ModuleType, roi_warehouse: Path, tmp_path: Path
    ) -> None:
        accounts = tmp_path / "accounts.sqlite3"
        with serving(roi_warehouse, identity=OWNER_A, accounts_path=accounts) as services:
            sent = roi_page.send_table(
                button_id=_button("scenarios", "csv"), stored={**QUOTE, "quantity": "1"}
            )
            events = services.accounts.access_events()

        assert sent["filename"] == f"roi-scenarios-{PROVIDER_A}.csv"
        frame = pl.read_csv(io.StringIO(sent["content"]))
        assert frame["scenario"].to_list() == [
            "As estimated",
            "Supplier B",
            "Optimism bias +10% on capital (lower bound)",
            "Optimism bias +200% on capital (upper bound)",
        ]
        assert frame["replaces"].to_list()[:2] == [None, "Software"]
        assert frame["pv_costs_gbp"].to_list()[:2] == [22970.01, 17923.09]
        assert frame["npv_difference_gbp"].to_list()[1] == 5046.92
        assert frame["probability_npv_positive"].to_list()[2:] == [None, None]
        assert any(
            e.kind is AccessEventKind.DOWNLOAD and e.detail == sent["filename"] and e.row_count == 4
            for e in events
        )

    def test_scenarios_as_xlsx(self, roi_page: ModuleType, roi_warehouse: Path) -> None:
        with serving(roi_warehouse, identity=OWNER_A):
            sent = roi_page.send_table(button_id=_button("scenarios", "xlsx"), stored={})

        book = load_workbook(io.BytesIO(base64.b64decode(sent["content"])))
        rows = list(book.active.iter_rows(values_only=True))
        assert rows[0][:3] == ("scenario", "replaces", "pv_costs_gbp")
        assert [row[0] for row in rows[1:]][0] == "As estimated"
        assert rows[1][2] == 22970.01

    def test_the_business_case_shows_the_other_way_of_buying(
        self, roi_page: ModuleType, roi_warehouse: Path
    ) -> None:
        with serving(roi_warehouse, identity=OWNER_A):
            sent = roi_page.send_table(
                button_id=_button("report", "html"), stored={**QUOTE, "quantity": "1"}
            )

        html = sent["content"]
        assert "Supplier B" in html
        assert "£17,923.09" in html
        assert "Chance NPV above zero" in html
