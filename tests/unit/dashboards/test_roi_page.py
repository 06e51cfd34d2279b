"""The Return on investment page and its download callback as plain functions, per role, on a
hand-made warehouse (``roi_sample``, where the figures are worked by hand)."""

from __future__ import annotations

import base64
import importlib
import io
from pathlib import Path
from types import ModuleType
from typing import Any

import dash
import polars as pl
import pytest
from audit_sample import identity_for, serving
from dash.exceptions import PreventUpdate
from layout_walk import by_id, components, layout_text
from openpyxl import load_workbook
from roi_sample import (
    B_ITEM,
    NPV,
    PROVIDER_A,
    PROVIDER_B,
    PV_BENEFITS,
    PV_COSTS,
    PV_COSTS_OPTIMISM,
    write_roi_warehouse,
)

from carelens.roi import RoiRequest, result_json, run_roi
from dashboards.accounts import AccessEventKind
from dashboards.components.roi_view import clear_cache
from dashboards.figures.roi import distribution_figure
from dashboards.roles import Role

OWNER_A = identity_for(Role.OWNER, code=PROVIDER_A)
OWNER_B = identity_for(Role.OWNER, code=PROVIDER_B)


@pytest.fixture(scope="module")
def roi_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The ROI sample warehouse (never modified)."""
    return write_roi_warehouse(tmp_path_factory.mktemp("roi-page") / "carelens.duckdb")


@pytest.fixture(scope="module")
def roi_page(dash_app: dash.Dash) -> ModuleType:
    """The page module as registered by the app."""
    clear_cache()
    return importlib.import_module("dashboards.pages.roi")


def _spaced_text(root: Any) -> str:
    return layout_text(root, separator=" ")


def _figure(root: Any, graph_id: str) -> dict[str, Any]:
    figure: dict[str, Any] = by_id(root, graph_id).figure
    return figure


def _headline(root: Any) -> dict[str, str]:
    table = by_id(root, "roi-headline")
    rows = [c for c in components(table) if type(c).__name__ == "Tr"]
    out = {}
    for row in rows:
        cells = [c for c in components(row) if type(c).__name__ in {"Th", "Td"}]
        if (
            len(cells) >= 3
            and type(cells[0]).__name__ == "Th"
            and getattr(cells[0], "scope", None) == "row"
        ):
            out[_spaced_text(cells[0])] = _spaced_text(cells[1])
    return out


def _button(table: str, fmt: str) -> dict[str, str]:
    return {"type": "roi-download-button", "table": table, "format": fmt}


def _page(roi_page: ModuleType, warehouse: Path, **query: str) -> Any:
    with serving(warehouse, identity=OWNER_A):
        return roi_page.layout(**query)


class TestOwnerSeesTheAppraisal:
    def test_headline_figures_are_the_hand_worked_ones(
        self, roi_page: ModuleType, roi_warehouse: Path
    ) -> None:
        # When A's owner opens the page
        page = _page(roi_page, roi_warehouse)

        # Then the headline holds the figures worked by hand in roi_sample
        headline = _headline(page)
        assert headline["Present value of costs"] == PV_COSTS
        assert (
            headline["Present value of costs with optimism bias (+200% on capital)"]
            == PV_COSTS_OPTIMISM
        )
        assert headline["Present value of benefits"] == PV_BENEFITS
        assert headline["Net present value"] == NPV
        assert headline["Benefit-cost ratio"] == "1.59"
        assert headline["Discounted payback"] == "month 5 (August 2025)"
        assert headline["Chance the NPV is above zero (10,000 draws)"].endswith("%")
        # And nothing of provider B's reaches A's page
        text = _spaced_text(page)
        assert B_ITEM not in text
        assert "99,999" not in text
        assert "77,777" not in text

    def test_every_section_is_labelled_measured_assumed_or_projected(
        self, roi_page: ModuleType, roi_warehouse: Path
    ) -> None:
        page = _page(roi_page, roi_warehouse)
        labels = [
            _spaced_text(c)
            for c in components(page)
            if type(c).__name__ == "Span" and "basis" in (getattr(c, "className", None) or "")
        ]
        assert set(labels) == {"measured", "assumed", "projected"}
        # The assumptions list their sources: the entered paper saving and a default's source
        assumptions = _spaced_text(by_id(page, "roi-assumptions-table"))
        assert "paper_costs_saved_gbp_per_month" in assumptions
        assert "entered in the dashboard" in assumptions
        assert "care_worker_hourly_pay_gbp" in assumptions

    def test_charts_hold_the_costs_the_break_even_and_the_measured_months(
        self, roi_page: ModuleType, roi_warehouse: Path
    ) -> None:
        page = _page(roi_page, roi_warehouse)

        # Costs: year 0 holds the £1,100 set-up (upfront, hatched) and 12 × £390 = £4,680
        costs = {trace["name"]: trace for trace in _figure(page, "roi-costs-chart")["data"]}
        assert set(costs) == {"Management and administration, upfront", "Software, recurrent"}
        assert costs["Management and administration, upfront"]["y"] == [1100.0, 0, 0, 0, 0]
        assert costs["Management and administration, upfront"]["marker"]["pattern"]["shape"] == "/"
        assert costs["Software, recurrent"]["y"] == [4680.0] * 5
        # Cumulative: −1,100 − 390 + 650 = −840 in April 2025; break-even marked in August
        line, marker = _figure(page, "roi-cumulative-chart")["data"]
        assert line["x"][0] == "Apr 2025"
        assert line["y"][0] == pytest.approx(-840.0)
        assert marker["x"] == ["Aug 2025"]
        assert marker["y"][0] == pytest.approx(200.0)
        # Realised: £150 measured in April, May and June; the plan £650 a month throughout
        measured, planned = _figure(page, "roi-realised-chart")["data"]
        assert measured["y"][:4] == [150.0, 150.0, 150.0, None]
        assert planned["y"][:2] == [pytest.approx(650.0), pytest.approx(650.0)]
        # The measured hours have a range (the days' P10 and P90: 0.8 and 1.2 of the value),
        # so the projected months vary from draw to draw and the NPVs are drawn as a histogram
        bars = _figure(page, "roi-distribution-chart")["data"][0]
        assert (bars["type"], len(bars["y"]), sum(bars["y"])) == ("bar", 40, 10_000)
        assert "Every one of the 10,000 draws" not in _spaced_text(page)

    def test_the_benefits_register_has_the_green_book_columns(
        self, roi_page: ModuleType, roi_warehouse: Path
    ) -> None:
        page = _page(roi_page, roi_warehouse)
        register = by_id(page, "roi-register-table")
        headings = [_spaced_text(c) for c in components(register) if type(c).__name__ == "Th"]
        assert headings == [
            "No.",
            "Category",
            "Class",
            "Description",
            "Basis",
            "Measure",
            "Full-year value",
            "Timescale",
            "Owner",
        ]
        text = _spaced_text(register)
        # Paper: £500 × 12 = £6,000 a year; time: £150 × 12 = £1,800 a year
        assert "£6,000.00" in text
        assert "£1,800.00" in text

    def test_the_page_agrees_with_carelens_roi(
        self, roi_page: ModuleType, roi_warehouse: Path
    ) -> None:
        # Given the command's appraisal of the same warehouse
        cli = result_json(
            run_roi(
                RoiRequest(
                    provider_id=PROVIDER_A,
                    costs_file=None,
                    assumptions_file=None,
                    horizon_years=5,
                    start=None,
                    warehouse=roi_warehouse,
                    warehouse_named=True,
                )
            )
        )
        # Then the page's headline shows the same pounds, and the same chance NPV > 0
        headline = _headline(_page(roi_page, roi_warehouse))
        assert headline["Net present value"] == f"£{cli['npv_gbp']:,.2f}"
        assert headline["Present value of benefits"] == f"£{cli['pv_benefits_gbp']:,.2f}"
        chance = headline["Chance the NPV is above zero (10,000 draws)"]
        assert chance == f"{cli['probability_npv_positive'] * 100:.0f}%"


class TestWhatIf:
    def test_three_years_undiscounted(self, roi_page: ModuleType, roi_warehouse: Path) -> None:
        # When the owner asks for 3 years at a 0% discount rate
        page = _page(roi_page, roi_warehouse, horizon="3", rate="0")

        # Then costs 1,100 + 36 × 390 = 15,140; benefits 36 × 650 = 23,400; NPV 8,260
        headline = _headline(page)
        assert headline["Present value of costs"] == "£15,140.00"
        assert headline["Present value of benefits"] == "£23,400.00"
        assert headline["Net present value"] == "£8,260.00"
        # And the form shows the values asked for, to change again
        assert by_id(page, "roi-horizon").value == "3"
        assert by_id(page, "roi-rate").value == "0"

    def test_pay_revalues_the_measured_hours(
        self, roi_page: ModuleType, roi_warehouse: Path
    ) -> None:
        # When pay is £20 an hour: 10 hours × 20 × 1.25 (on-costs entered) = £250 a month
        headline = _headline(_page(roi_page, roi_warehouse, pay="20"))

        # Then benefits are (500 + 250) × 12 × 4.6730792086 = £42,057.71
        assert headline["Present value of benefits"] == "£42,057.71"

    def test_values_out_of_range_are_ignored_with_a_message(
        self, roi_page: ModuleType, roi_warehouse: Path
    ) -> None:
        page = _page(roi_page, roi_warehouse, horizon="11", rate="<script>", loss="")
        text = _spaced_text(page)
        assert "Horizon (years): give a number from 1 to 10; it was left as it is." in text
        assert "Discount rate (% a year): give a number from 0 to 20" in text
        assert "<script>" not in text
        assert _headline(page)["Present value of costs"] == PV_COSTS


class TestOthersAreRefused:
    @pytest.mark.parametrize(
        "identity",
        [
            identity_for(Role.QUALITY_LEAD, code=PROVIDER_A),
            identity_for(Role.INSPECTOR, code=PROVIDER_A),
            identity_for(Role.ICB_LEAD, code="QAA"),
        ],
        ids=["quality-lead", "inspector", "icb-lead"],
    )
    def test_no_figures_for_anyone_but_the_owner(
        self, roi_page: ModuleType, roi_warehouse: Path, identity: Any
    ) -> None:
        with serving(roi_warehouse, identity=identity):
            page = roi_page.layout()
        text = _spaced_text(page)
        assert "Only your organisation's owners see this page." in text
        assert "£" not in text
        with (
            serving(roi_warehouse, identity=identity),
            pytest.raises(PreventUpdate),
        ):
            roi_page.send_table(button_id=_button("years", "csv"), stored={})

    def test_an_owner_without_cost_lines_is_told_what_to_send(
        self, roi_page: ModuleType, roi_warehouse: Path
    ) -> None:
        with serving(roi_warehouse, identity=identity_for(Role.OWNER, code="1-109999999")):
            text = _spaced_text(roi_page.layout())
        assert "No cost lines of yours have been loaded" in text


class TestDownloads:
    def test_years_as_csv_with_the_what_if_audited(
        self, roi_page: ModuleType, roi_warehouse: Path, tmp_path: Path
    ) -> None:
        accounts = tmp_path / "accounts.sqlite3"
        with serving(roi_warehouse, identity=OWNER_A, accounts_path=accounts) as services:
            sent = roi_page.send_table(
                button_id=_button("years", "csv"), stored={"horizon": "3", "rate": "0"}
            )
            events = services.accounts.access_events()
        assert sent["filename"] == f"roi-years-{PROVIDER_A}.csv"
        frame = pl.read_csv(io.StringIO(sent["content"]))
        # 3 years at no discount: each year £4,680 recurrent, benefits £7,800
        assert frame["year"].to_list() == [0, 1, 2]
        assert frame["recurrent_gbp"].to_list() == [4680.0, 4680.0, 4680.0]
        assert frame["upfront_gbp"].to_list() == [1100.0, 0.0, 0.0]
        assert frame["benefits_gbp"].to_list() == [7800.0, 7800.0, 7800.0]
        assert any(
            e.kind is AccessEventKind.DOWNLOAD and e.detail == sent["filename"] for e in events
        )

    def test_register_as_xlsx(self, roi_page: ModuleType, roi_warehouse: Path) -> None:
        with serving(roi_warehouse, identity=OWNER_A):
            sent = roi_page.send_table(button_id=_button("register", "xlsx"), stored=None)
        book = load_workbook(io.BytesIO(base64.b64decode(sent["content"])))
        rows = list(book.active.iter_rows(values_only=True))
        assert rows[0][:3] == ("number", "category", "class")
        values = sorted(row[8] for row in rows[1:])
        assert values == [1800.0, 6000.0]

    def test_a_forged_button_sends_nothing(self, roi_page: ModuleType, roi_warehouse: Path) -> None:
        with serving(roi_warehouse, identity=OWNER_A), pytest.raises(PreventUpdate):
            roi_page.send_table(
                button_id={"type": "time-download", "table": "years", "format": "csv"},
                stored={"horizon": "3"},
            )

    def test_owner_b_downloads_only_b(self, roi_page: ModuleType, roi_warehouse: Path) -> None:
        with serving(roi_warehouse, identity=OWNER_B):
            sent = roi_page.send_table(button_id=_button("years", "csv"), stored={})
        frame = pl.read_csv(io.StringIO(sent["content"]))
        # B's one line: £99,999 of hardware in its year 0, nothing of A's
        assert frame["hardware_gbp"].to_list()[0] == 99999.0
        assert frame["software_gbp"].sum() == 0.0


class TestBusinessCaseReport:
    def test_html_holds_the_page_figures_with_the_what_if(
        self, roi_page: ModuleType, roi_warehouse: Path
    ) -> None:
        # When the owner downloads the business case for 3 years at no discount
        with serving(roi_warehouse, identity=OWNER_A):
            sent = roi_page.send_table(
                button_id=_button("report", "html"), stored={"horizon": "3", "rate": "0"}
            )

        # Then it is one HTML file holding the what-if's figures (costs £15,140, NPV £8,260)
        assert sent["filename"] == f"business-case-{PROVIDER_A}.html"
        html = sent["content"]
        assert html.lstrip().lower().startswith("<!doctype html")
        assert "15,140.00" in html
        assert "8,260.00" in html
        assert B_ITEM not in html

    def test_pdf_is_a_pdf(self, roi_page: ModuleType, roi_warehouse: Path) -> None:
        with serving(roi_warehouse, identity=OWNER_A):
            sent = roi_page.send_table(button_id=_button("report", "pdf"), stored={})
        assert sent["filename"] == f"business-case-{PROVIDER_A}.pdf"
        assert base64.b64decode(sent["content"]).startswith(b"%PDF")

    def test_an_unknown_report_format_sends_nothing(
        self, roi_page: ModuleType, roi_warehouse: Path
    ) -> None:
        with serving(roi_warehouse, identity=OWNER_A), pytest.raises(PreventUpdate):
            roi_page.send_table(button_id=_button("report", "docx"), stored={})


def test_the_histogram_bins_the_draws_and_marks_the_percentiles() -> None:
    # Given 10 draws from −£100 to £800
    npvs = [-100.0, 0.0, 100.0, 200.0, 300.0, 400.0, 500.0, 600.0, 700.0, 800.0]

    # When binned into 3 bars of £300
    figure = distribution_figure(
        npvs=npvs, percentiles={"P10": -10.0, "P50": 350.0, "P90": 710.0}, bins=3
    )

    # Then −100 to 200 holds 3 draws, 200 to 500 holds 3 and 500 to 800 the last 4
    bars = figure["data"][0]
    assert bars["y"] == [3, 3, 4]
    assert bars["x"] == [50.0, 350.0, 650.0]
    assert [shape["x0"] for shape in figure["layout"]["shapes"]] == [-10.0, 350.0, 710.0]
    assert [a["text"] for a in figure["layout"]["annotations"]] == ["P10", "P50", "P90"]
