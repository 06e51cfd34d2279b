"""Return on investment: the owner's Green Book appraisal of the digital care record.

For the caller's provider only, and for owners only (money is the owner's: quality leads,
inspectors and ICB leads are refused). The same case as `carelens roi`
(:mod:`cost_model.case`): present values of costs and benefits, NPV, benefit-cost ratio,
discounted payback; costs by category and year; the cumulative discounted net benefit with the
break-even month; benefits measured to date against the plan; the Monte Carlo distribution of
NPV and the tornado; the benefits register; every assumption with its source.

What-if controls (pay, minutes saved per shift, discount rate, horizon, device loss rate) are
a plain GET form: the URL holds them, and the whole appraisal is worked out again on the
server. Nothing is saved. Each figure is labelled measured, assumed or projected.

"Compare another way of buying" is a second GET form (one cost line: category, cost, how
often, how many) appraised beside the case in a scenarios table, with the Green Book's
optimism-bias bounds. Each form carries the other's accepted values in hidden fields, so the
URL holds everything and can be bookmarked.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import dash
import polars as pl
from dash import ALL, Input, Output, State, callback, dcc, html
from dash.exceptions import PreventUpdate

from cost_model.errors import CostModelError
from cost_model.register import benefits_register
from dashboards.access import current_identity
from dashboards.accounts import AccessEventKind
from dashboards.components.empty_state import empty_state
from dashboards.components.measure_sections import hidden, select
from dashboards.components.roi_view import (
    CATEGORY_LABELS,
    CONTROLS,
    PER_CHOICES,
    SCENARIO_CATEGORY,
    SCENARIO_COST,
    SCENARIO_LABELS,
    SCENARIO_NAME,
    SCENARIO_NAME_MAX,
    SCENARIO_PER,
    SCENARIO_QUANTITY,
    RoiView,
    assumptions_frame,
    build_view,
    cost_stacks,
    measured_by_month,
    money,
    month_label,
    months_frame,
    parse_scenario,
    parse_what_if,
    payback_text,
    percent,
    register_frame,
    scenario_verdict,
    scenarios_frame,
    years_frame,
)
from dashboards.components.tables import Column, ColumnKind, aria, html_table
from dashboards.context import current_reader, record_access, utc_now
from dashboards.downloads import XLSX_MEDIA_TYPE, download_file_name, to_safe_csv, to_safe_xlsx
from dashboards.errors import WarehouseUnavailableError
from dashboards.figures import roi as roi_figures
from dashboards.queries.roi import roi_case_inputs, roi_report_facts
from dashboards.reports.business_case import (
    BusinessCase,
    business_case_html,
    business_case_pdf,
)
from dashboards.roles import Identity, Role

PATH = "/roi"
HEADING = "Return on investment"
FORM = "roi-what-if"
SCENARIO_FORM = "roi-scenario-form"
SCENARIOS = "roi-scenarios"
SCENARIOS_TABLE = "roi-scenarios-table"
SCENARIO_VERDICT = "roi-scenario-verdict"
VIEW = "roi-view"
DOWNLOAD = "roi-download"
COSTS_CHART = "roi-costs-chart"
CUMULATIVE_CHART = "roi-cumulative-chart"
REALISED_CHART = "roi-realised-chart"
DISTRIBUTION_CHART = "roi-distribution-chart"
TORNADO_CHART = "roi-tornado-chart"
HEADLINE = "roi-headline"
REGISTER = "roi-register"
TABLES = ("years", "months", "scenarios", "register", "assumptions")
FORMATS = ("csv", "xlsx")
REPORT = "report"
REPORT_FORMATS = ("html", "pdf")
DOWNLOAD_BUTTON = "roi-download-button"
"""The type of the download buttons' ids: ``{"type": …, "table": "years", "format": "csv"}``."""
GRAPH_CONFIG = {"displaylogo": False, "responsive": True}
LONDON = ZoneInfo("Europe/London")

dash.register_page(
    __name__,
    path=PATH,
    name=HEADING,
    title="Return on investment - carelens",
    description="The owner's Green Book appraisal: costs, benefits, NPV, payback, uncertainty.",
    order=30,
    roles=frozenset({Role.OWNER}),
)


def may_see(identity: Identity) -> bool:
    """Only an owner with a provider in scope sees the appraisal."""
    return identity.data_role is Role.OWNER and identity.scope.provider_id is not None


def layout(**query: str) -> html.Div:
    """Lay out the appraisal for the owner's provider, with the what-if in the URL applied."""
    identity = current_identity()
    title = html.H1(HEADING)
    if not may_see(identity):
        return html.Div([title, empty_state("Only your organisation's owners see this page.")])
    what_if, typed, what_if_problems = parse_what_if(query)
    scenario, scenario_typed, scenario_problems = parse_scenario(query)
    problems = [*what_if_problems, *scenario_problems]
    try:
        inputs = roi_case_inputs(reader=current_reader(), identity=identity)
    except WarehouseUnavailableError as error:
        return html.Div([title, empty_state(error.user_message)])
    if inputs is None:
        return html.Div(
            [
                title,
                empty_state(
                    "No cost lines of yours have been loaded: send costs.csv with your next "
                    "export (spec section 5.4) to see the return on investment.",
                    heading="No costs yet",
                ),
            ]
        )
    try:
        view = build_view(inputs, what_if, scenario=scenario)
    except CostModelError as error:
        return html.Div([title, empty_state(f"The costs cannot be appraised: {error}")])
    notes = [html.P(text, className="note", role="status") for text in problems]
    return html.Div(
        [
            title,
            html.P(
                "A Green Book appraisal of your digital care record: what it costs, what it "
                "gives back, and how sure that is. Measured figures come from your records; "
                "assumed ones are entered by you or are published defaults (each with its "
                "source below); projected ones carry both forward to the horizon.",
                className="lead",
            ),
            *notes,
            _what_if_form(typed, carried=scenario_typed),
            html.Section(_headline(view), className="page-section", id=HEADLINE),
            html.Section(_costs(view), className="page-section"),
            html.Section(_cumulative(view), className="page-section"),
            html.Section(_realised(view), className="page-section"),
            html.Section(_uncertainty(view), className="page-section"),
            html.Section(
                _scenarios(view, typed=scenario_typed, carried=typed),
                className="page-section",
                id=SCENARIOS,
            ),
            html.Section(_register(view), className="page-section", id=REGISTER),
            html.Section(_assumptions(view), className="page-section"),
            html.Section(_downloads(), className="page-section"),
            dcc.Store(id=VIEW, data={**typed, **scenario_typed}),
            dcc.Download(id=DOWNLOAD),
        ],
        className="measure-page",
    )


def _basis(text: str) -> html.Span:
    return html.Span(text, className=f"basis basis-{text}")


def _what_if_form(typed: dict[str, str], *, carried: Mapping[str, str]) -> html.Section:
    fields = [
        html.Div(
            [
                html.Label(control.label, htmlFor=f"roi-{control.name}", className="label"),
                html.P(control.hint, className="hint", id=f"roi-{control.name}-hint"),
                # text, not number: Dash 4's number input fails axe-core's checks
                dcc.Input(
                    id=f"roi-{control.name}",
                    name=control.name,
                    type="text",
                    value=typed.get(control.name, ""),
                    autoComplete="off",
                    maxLength=8,
                    className="input input-code",
                ),
            ],
            className="measure-control",
        )
        for control in CONTROLS
    ]
    form = html.Form(
        [
            *fields,
            *(hidden(name, value=value) for name, value in carried.items()),
            html.Button("Recalculate", type="submit", className="button"),
            html.A("Back to your figures", href=PATH, className="button-link"),
        ],
        action=PATH,
        method="GET",
        className="measure-picker",
        id=FORM,
    )
    return html.Section(
        [
            html.H2("What if?"),
            html.P(
                "Change a figure and recalculate: the whole appraisal is worked out again with "
                "it. Nothing is saved; owners change the stored assumptions on the Staff time "
                "page. Empty fields keep your figures.",
                className="hint",
            ),
            form,
        ],
        className="measure-controls",
        **aria(label="What-if controls"),
    )


def _headline(view: RoiView) -> list[Any]:
    appraisal, settings = view.appraisal, view.appraisal.settings
    simulated = view.simulated.monte_carlo if view.simulated else None
    uplift = percent(settings.optimism_bias_capital, places=0)
    rows = [
        ("Present value of costs", money(appraisal.pv_costs_gbp), "projected"),
        (
            f"Present value of costs with optimism bias (+{uplift} on capital)",
            money(appraisal.pv_costs_optimism_adjusted_gbp),
            "projected",
        ),
        ("Present value of benefits", money(appraisal.pv_benefits_gbp), "projected"),
        ("Net present value", money(appraisal.npv_gbp), "projected"),
        (
            "Net present value with optimism bias",
            money(appraisal.npv_optimism_adjusted_gbp),
            "projected",
        ),
        (
            "Benefit-cost ratio",
            "–" if appraisal.bcr is None else f"{appraisal.bcr:.2f}",
            "projected",
        ),
        ("Return on investment", percent(appraisal.roi), "projected"),
        ("Discounted payback", payback_text(appraisal), "projected"),
    ]
    if simulated is not None:
        rows.append(
            (
                f"Chance the NPV is above zero ({simulated.draws:,} draws)",
                percent(simulated.npv.probability_positive, places=0),
                "projected",
            )
        )
    body = [
        html.Tr(
            [
                html.Th(label, scope="row"),
                html.Td(value, className="numeric"),
                html.Td(_basis(basis)),
            ]
        )
        for label, value, basis in rows
    ]
    caption = (
        f"Appraisal from {settings.start.day} {settings.start:%B %Y} over "
        f"{settings.horizon_years} year(s) at {percent(settings.discount_rate)} a year"
    )
    return [
        html.H2("The appraisal"),
        html.Div(
            html.Table(
                [
                    html.Caption(caption),
                    html.Thead(
                        html.Tr(
                            [
                                html.Th("Figure", scope="col"),
                                html.Th("Value", scope="col", className="numeric"),
                                html.Th("Basis", scope="col"),
                            ]
                        )
                    ),
                    html.Tbody(body),
                ],
                className="data-table",
            ),
            className="table-scroll",
            tabIndex="0",
            role="region",
            **aria(label=caption),
        ),
        *[html.P(f"Note: {note}", className="note") for note in view.case.notes],
    ]


def _chart(figure: Any, *, text: str, graph_id: str) -> html.Figure:
    return html.Figure(
        [html.Figcaption(text), dcc.Graph(id=graph_id, figure=figure, config=GRAPH_CONFIG)],  # type: ignore[arg-type]
        className="chart",
    )


def _costs(view: RoiView) -> list[Any]:
    years, stacks = cost_stacks(view.case)
    figure = roi_figures.costs_by_year_figure(years=years, stacks=stacks)
    totals = [row.costs_gbp for row in view.appraisal.years]
    text = (
        "Costs by category and appraisal year, not discounted (upfront hatched, recurrent "
        "solid): "
        + "; ".join(f"{label} {money(total)}" for label, total in zip(years, totals, strict=True))
        + "."
    )
    table = html_table(
        years_frame(view.case)
        .select(
            "year",
            "upfront_gbp",
            "recurrent_gbp",
            "benefits_gbp",
            "net_gbp",
            "discount_factor",
            "discounted_net_gbp",
            "cumulative_discounted_net_gbp",
        )
        .with_columns(
            **{
                name: pl.col(name).map_elements(money, return_dtype=pl.String)
                for name in (
                    "upfront_gbp",
                    "recurrent_gbp",
                    "benefits_gbp",
                    "net_gbp",
                    "discounted_net_gbp",
                    "cumulative_discounted_net_gbp",
                )
            }
        ),
        columns=(
            Column("year", "Year", ColumnKind.COUNT),
            Column("upfront_gbp", "Upfront"),
            Column("recurrent_gbp", "Recurrent"),
            Column("benefits_gbp", "Benefits"),
            Column("net_gbp", "Net"),
            Column("discount_factor", "Discount factor"),
            Column("discounted_net_gbp", "Discounted net"),
            Column("cumulative_discounted_net_gbp", "Cumulative"),
        ),
        caption="By appraisal year (projected: measured and assumed, carried to the horizon)",
        table_id="roi-years-table",
    )
    return [
        html.H2(["Costs by category ", _basis("projected")]),
        _chart(figure, text=text, graph_id=COSTS_CHART),
        table,
    ]


def _cumulative(view: RoiView) -> list[Any]:
    months = view.appraisal.months
    labels = [month_label(row.on) for row in months]
    figure = roi_figures.cumulative_figure(
        months=labels,
        cumulative=[float(row.cumulative_discounted_net_gbp) for row in months],
        payback_month=view.appraisal.discounted_payback_month,
    )
    first, last = months[0].cumulative_discounted_net_gbp, months[-1].cumulative_discounted_net_gbp
    text = (
        f"Cumulative discounted net benefit by month, from {money(first)} "
        f"in {labels[0]} to {money(last)} in {labels[-1]}; "
        f"break-even: {payback_text(view.appraisal)}."
    )
    return [
        html.H2(["Cumulative net benefit and break-even ", _basis("projected")]),
        _chart(figure, text=text, graph_id=CUMULATIVE_CHART),
    ]


def _realised(view: RoiView) -> list[Any]:
    measured = measured_by_month(view.inputs)
    months = view.appraisal.months
    in_horizon = [row for row in months if row.on in measured]
    if not measured:
        return [
            html.H2(["Benefits realised to date ", _basis("measured")]),
            html.P(
                "No benefit has been measured in your records yet: the plan rests on the "
                "figures you stated.",
                className="note",
            ),
        ]
    figure = roi_figures.realised_figure(
        months=[month_label(row.on) for row in months],
        measured=[float(measured[row.on]) if row.on in measured else None for row in months],
        planned=[float(row.benefits_gbp) for row in months],
    )
    realised = sum((measured[row.on] for row in in_horizon), Decimal(0))
    planned = sum((row.benefits_gbp for row in in_horizon), Decimal(0))
    text = (
        f"Benefits measured in {len(in_horizon)} month(s) of the appraisal: {money(realised)}, "
        f"against {money(planned)} in the plan for the same months (the plan is what was "
        "measured where it is complete, then projected flat from the last three complete months)."
    )
    return [
        html.H2(
            ["Benefits realised to date against the plan ", _basis("measured"), _basis("projected")]
        ),
        _chart(figure, text=text, graph_id=REALISED_CHART),
    ]


def _uncertainty(view: RoiView) -> list[Any]:
    simulated = view.simulated
    if simulated is None or simulated.monte_carlo is None:
        return []
    mc = simulated.monte_carlo
    npv = mc.npv
    if npv.p90_gbp - npv.p10_gbp < 1:
        return [
            html.H2(["How sure is it? ", _basis("projected")]),
            html.P(
                f"Every one of the {mc.draws:,} draws gives an NPV of {money(npv.p50_gbp)}: "
                "none of the figures this case rests on has a range (stated savings are taken "
                "as stated, and no cost line has a loss rate), so there is nothing to vary.",
                className="note",
            ),
        ]
    figure = roi_figures.distribution_figure(
        npvs=mc.npv_draws_gbp,
        percentiles={
            "P10": float(npv.p10_gbp),
            "P50": float(npv.p50_gbp),
            "P90": float(npv.p90_gbp),
        },
    )
    text = (
        f"Net present value over {mc.draws:,} draws of the uncertain assumptions: 10th "
        f"percentile {money(npv.p10_gbp)}, median {money(npv.p50_gbp)}, 90th percentile "
        f"{money(npv.p90_gbp)}; chance above zero {percent(npv.probability_positive, places=0)}."
    )
    parts: list[Any] = [
        html.H2(["How sure is it? ", _basis("projected")]),
        html.P(
            "Each uncertain assumption is drawn from a triangular distribution over its low, "
            "value and high (seeded, so the figures repeat). The simulation is run once for "
            "each set of figures and kept, so a repeated view does not draw again.",
            className="hint",
        ),
        _chart(figure, text=text, graph_id=DISTRIBUTION_CHART),
    ]
    bars = [bar for bar in simulated.tornado if bar.swing_gbp != 0][:10]
    if bars:
        tornado = roi_figures.tornado_figure(
            labels=[bar.label for bar in bars],
            at_low=[float(bar.npv_at_low_gbp) for bar in bars],
            at_high=[float(bar.npv_at_high_gbp) for bar in bars],
            centre=float(simulated.appraisal.npv_gbp),
        )
        tornado_text = (
            "Net present value with one assumption at a time at its low and its high: "
            + "; ".join(
                f"{bar.label} {money(bar.npv_at_low_gbp)} to {money(bar.npv_at_high_gbp)}"
                for bar in bars
            )
            + "."
        )
        parts.append(_chart(tornado, text=tornado_text, graph_id=TORNADO_CHART))
    return parts


def _scenario_field(name: str, control: Any, *, hint: str | None = None) -> html.Div:
    control_id = f"roi-scenario-{name}"
    parts: list[Any] = [html.Label(SCENARIO_LABELS[name], htmlFor=control_id, className="label")]
    if hint:
        parts.append(html.P(hint, className="hint", id=f"{control_id}-hint"))
    return html.Div([*parts, control], className="measure-control")


def _scenario_form(typed: Mapping[str, str], *, carried: Mapping[str, str]) -> html.Form:
    """The GET form of one other way of buying, the what-if's accepted values carried along."""

    def text(name: str, *, width: int) -> dcc.Input:
        return dcc.Input(
            id=f"roi-scenario-{name}",
            name=name,
            type="text",
            value=typed.get(name, ""),
            autoComplete="off",
            maxLength=width,
            className="input input-code" if name != SCENARIO_NAME else "input",
        )

    return html.Form(
        [
            _scenario_field(
                SCENARIO_NAME,
                text(SCENARIO_NAME, width=SCENARIO_NAME_MAX),
                hint="For example: Rent handsets, or Supplier B's quote.",
            ),
            _scenario_field(
                SCENARIO_CATEGORY,
                select(
                    [(label, category.value) for category, label in CATEGORY_LABELS.items()],
                    name=SCENARIO_CATEGORY,
                    control_id=f"roi-scenario-{SCENARIO_CATEGORY}",
                    value=typed.get(SCENARIO_CATEGORY, "hardware"),
                ),
                hint="Every current line of this category is left out of the scenario.",
            ),
            _scenario_field(SCENARIO_COST, text(SCENARIO_COST, width=12)),
            _scenario_field(
                SCENARIO_PER,
                select(
                    [(label, key) for key, (label, _type, _freq) in PER_CHOICES.items()],
                    name=SCENARIO_PER,
                    control_id=f"roi-scenario-{SCENARIO_PER}",
                    value=typed.get(SCENARIO_PER, "month"),
                ),
            ),
            _scenario_field(SCENARIO_QUANTITY, text(SCENARIO_QUANTITY, width=12)),
            *(hidden(name, value=value) for name, value in carried.items()),
            html.Button("Compare", type="submit", className="button"),
        ],
        action=PATH,
        method="GET",
        className="measure-picker",
        id=SCENARIO_FORM,
        **aria(label="Another way of buying"),
    )


SCENARIO_HEADINGS = (
    "Scenario",
    "PV of costs",
    "PV of costs with optimism bias",
    "PV of benefits",
    "NPV",
    "NPV with optimism bias",
    "NPV less as estimated",
    "NPV, P10 to P90",
    "Chance NPV above zero",
    "Payback month",
)
"""PV: present value; NPV: net present value (PV of benefits less PV of costs)."""


def _scenarios_table(view: RoiView) -> html.Div | None:
    frame = scenarios_frame(view)
    if frame.is_empty():
        return None
    body = []
    for row in frame.iter_rows(named=True):
        simulated = row["npv_p10_gbp"] is not None
        name = row["scenario"] + (f" (replaces {row['replaces']})" if row["replaces"] else "")
        cells: list[str | list[Any]] = [
            money(row["pv_costs_gbp"]),
            money(row["pv_costs_optimism_adjusted_gbp"]),
            money(row["pv_benefits_gbp"]),
            money(row["npv_gbp"]),
            money(row["npv_optimism_adjusted_gbp"]),
            money(row["npv_difference_gbp"]),
            [money(row["npv_p10_gbp"]), " to", html.Br(), money(row["npv_p90_gbp"])]
            if simulated
            else "–",
            percent(row["probability_npv_positive"], places=0) if simulated else "–",
            "–"
            if row["discounted_payback_month"] is None
            else str(row["discounted_payback_month"]),
        ]
        body.append(
            html.Tr(
                [
                    html.Th(name, scope="row"),
                    *(html.Td(cell, className="numeric") for cell in cells),
                ]
            )
        )
    caption = "Scenarios side by side (PV: present value; NPV: net present value)"
    return html.Div(
        html.Table(
            [
                html.Caption(caption),
                html.Thead(
                    html.Tr(
                        [
                            html.Th(heading, scope="col", className=None if i == 0 else "numeric")
                            for i, heading in enumerate(SCENARIO_HEADINGS)
                        ]
                    )
                ),
                html.Tbody(body),
            ],
            className="data-table",
            id=SCENARIOS_TABLE,
        ),
        className="table-scroll",
        tabIndex="0",
        role="region",
        **aria(label=caption),
    )


def _scenarios(view: RoiView, *, typed: Mapping[str, str], carried: Mapping[str, str]) -> list[Any]:
    verdict = scenario_verdict(view)
    table = _scenarios_table(view)
    return [
        html.H2(["Compare another way of buying ", _basis("projected")]),
        html.P(
            "Enter one cost to appraise in place of a whole category: renting handsets "
            "instead of buying them (hardware, a month, one per handset), or another "
            "supplier's subscription (software). It starts when the appraisal starts and "
            "replaces every current line of that category; the rest of your costs and all the "
            "benefits stay as they are. Nothing is saved.",
            className="hint",
        ),
        _scenario_form(typed, carried=carried),
        *([html.P(verdict, className="scenario-verdict", id=SCENARIO_VERDICT)] if verdict else []),
        *([table] if table is not None else []),
        html.P(
            "The optimism-bias rows are your figures with the Green Book's lower (+10%) and "
            "upper (+200%) uplift on capital costs; they are not simulated.",
            className="hint",
        ),
    ]


def _register(view: RoiView) -> list[Any]:
    frame = register_frame(view.register)
    if frame.is_empty():
        return [
            html.H2("Benefits register"),
            html.P(
                "No benefits yet: none measured in your records and none stated. State the "
                "savings you expect (paper, travel, minutes per shift) on the Staff time page.",
                className="note",
            ),
        ]
    shown = frame.with_columns(
        full_year_value_gbp=pl.col("full_year_value_gbp").map_elements(
            money, return_dtype=pl.String
        )
    )
    return [
        html.H2("Benefits register"),
        html_table(
            shown,
            columns=(
                Column("number", "No.", ColumnKind.COUNT),
                Column("category", "Category"),
                Column("class", "Class"),
                Column("description", "Description"),
                Column("basis", "Basis"),
                Column("measure", "Measure"),
                Column("full_year_value_gbp", "Full-year value"),
                Column("timescale", "Timescale"),
                Column("owner", "Owner"),
            ),
            caption="Benefits register (HM Treasury Green Book columns)",
            table_id="roi-register-table",
        ),
    ]


def _assumptions(view: RoiView) -> list[Any]:
    return [
        html.H2(["Assumptions ", _basis("assumed")]),
        html_table(
            assumptions_frame(view.case),
            columns=(
                Column("name", "Assumption"),
                Column("value", "Value"),
                Column("unit", "Unit"),
                Column("basis", "Entered or default"),
                Column("source", "Source"),
            ),
            caption="Every assumption used, with its source",
            table_id="roi-assumptions-table",
        ),
    ]


def _report_buttons() -> list[Any]:
    return [
        html.Button(
            f"Download the business case ({fmt.upper()})",
            id={"type": DOWNLOAD_BUTTON, "table": REPORT, "format": fmt},
            className="button",
            type="button",
        )
        for fmt in REPORT_FORMATS
    ]


def _downloads() -> list[Any]:
    names = {
        "years": "the appraisal by year",
        "months": "the appraisal by month",
        "scenarios": "the scenarios",
        "register": "the benefits register",
        "assumptions": "the assumptions",
    }
    return [
        html.H2("Downloads"),
        html.P(
            "The business case is a report for your board: every figure above, the benefits "
            "register and every assumption with its source, with the what-if applied.",
            className="hint",
        ),
        html.Div(_report_buttons(), className="measure-downloads"),
        html.Div(
            [
                html.Button(
                    f"Download {names[table]} ({fmt.upper()})",
                    id={"type": DOWNLOAD_BUTTON, "table": table, "format": fmt},
                    className="button",
                    type="button",
                )
                for table in TABLES
                for fmt in FORMATS
            ],
            className="measure-downloads",
        ),
    ]


def table_frame(view: RoiView, table: str) -> pl.DataFrame:
    """The rows of one downloadable table."""
    frames = {
        "years": lambda: years_frame(view.case),
        "months": lambda: months_frame(view),
        "scenarios": lambda: scenarios_frame(view),
        "register": lambda: register_frame(view.register),
        "assumptions": lambda: assumptions_frame(view.case),
    }
    return frames[table]()


_DOWNLOADS = frozenset(
    [(table, fmt) for table in TABLES for fmt in FORMATS]
    + [(REPORT, fmt) for fmt in REPORT_FORMATS]
)


def _send_report(view: RoiView, *, identity: Identity, fmt: str) -> dict[str, Any]:
    """The business case as one HTML file or a PDF (dashboards.reports.business_case)."""
    if view.simulated is None:
        raise PreventUpdate
    name, extract_to = roi_report_facts(reader=current_reader(), identity=identity)
    case = BusinessCase(
        provider_id=view.inputs.provider_id,
        provider_name=name,
        prepared_on=utc_now().astimezone(LONDON).date(),
        prepared_by=identity.username,
        result=view.simulated,
        register=benefits_register(view.simulated),
        data_as_of=extract_to if view.inputs.measured else None,
    )
    filename = download_file_name("business-case", view.inputs.provider_id, suffix=f".{fmt}")
    record_access(AccessEventKind.DOWNLOAD, detail=filename, row_count=len(case.register))
    if fmt == "html":
        return dcc.send_string(business_case_html(case), filename=filename, type="text/html")
    return dcc.send_bytes(business_case_pdf(case), filename=filename, type="application/pdf")


@callback(
    Output(DOWNLOAD, "data"),
    Input({"type": DOWNLOAD_BUTTON, "table": ALL, "format": ALL}, "n_clicks"),
    State(VIEW, "data"),
    prevent_initial_call=True,
)
def download_table(clicks: object, stored: object) -> dict[str, Any]:
    """Send the table whose button was pressed (see :func:`send_table`)."""
    if not isinstance(clicks, list) or not any(clicks):
        raise PreventUpdate
    return send_table(button_id=dash.ctx.triggered_id, stored=stored)


def send_table(*, button_id: object, stored: object) -> dict[str, Any]:
    """Send one table as CSV or XLSX, with the page's what-if applied (owners only, audited).

    The what-if and the other way of buying are read again from the view's store and checked
    like the URL's; the rows are read again for the caller's own provider. Only the report and
    the scenarios need the simulation (cached from the page's view).

    Raises:
        PreventUpdate: Not an owner, not one of the page's buttons, nothing to appraise.
    """
    identity = current_identity()
    if not may_see(identity):
        raise PreventUpdate
    asked = button_id if isinstance(button_id, Mapping) else {}
    table, fmt = str(asked.get("table")), str(asked.get("format"))
    if asked.get("type") != DOWNLOAD_BUTTON or (table, fmt) not in _DOWNLOADS:
        raise PreventUpdate
    query = stored if isinstance(stored, dict) else {}
    asked_query = {key: str(value) for key, value in query.items() if isinstance(key, str)}
    what_if, _typed, _problems = parse_what_if(asked_query)
    scenario, _scenario_typed, _scenario_problems = parse_scenario(asked_query)
    try:
        inputs = roi_case_inputs(reader=current_reader(), identity=identity)
        if inputs is None:
            raise PreventUpdate
        view = build_view(
            inputs, what_if, simulate=table in (REPORT, "scenarios"), scenario=scenario
        )
        if table == REPORT:
            return _send_report(view, identity=identity, fmt=fmt)
    except (WarehouseUnavailableError, CostModelError):
        raise PreventUpdate from None
    frame = table_frame(view, table)
    filename = download_file_name("roi", table, identity.scope.provider_id or "", suffix=f".{fmt}")
    record_access(AccessEventKind.DOWNLOAD, detail=filename, row_count=frame.height)
    if fmt == "csv":
        return dcc.send_string(to_safe_csv(frame), filename=filename, type="text/csv")
    numbers = frame.with_columns(
        pl.col(name).cast(pl.Float64) for name, dtype in frame.schema.items() if dtype.is_decimal()
    )
    return dcc.send_bytes(
        to_safe_xlsx(numbers, sheet_name=table), filename=filename, type=XLSX_MEDIA_TYPE
    )
