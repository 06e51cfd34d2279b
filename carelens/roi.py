"""`carelens roi`: a Green Book appraisal of one provider's DSCR, as a table or as JSON.

The command gathers the inputs (:mod:`carelens.roi_inputs`), builds the benefit streams and
appraises them with the pure :mod:`cost_model`, and prints the result. Figures are computed at
full precision and rounded to pennies (half up) only here, when shown.
"""

from __future__ import annotations

import dataclasses
import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from carelens.roi_inputs import (
    CostStatement,
    EnteredAssumption,
    MeasuredStreamMonth,
    RoiInputError,
    read_assumptions_file,
    read_costs_file,
    read_scenario_file,
    read_warehouse_inputs,
)
from carelens.settings import Settings
from cost_model.appraisal import Appraisal
from cost_model.benefits import Benefit
from cost_model.case import (
    BASE_SCENARIO_NAME,
    DEFAULT_DRAWS,
    DEFAULT_HORIZON_YEARS,
    DEFAULT_SEED,
    CaseInputs,
    CostScenario,
    run_case,
)
from cost_model.errors import CostModelError
from data_contracts.enums import CostCategory

if TYPE_CHECKING:
    from cost_model.uncertainty import MonteCarloResult, ScenarioResult

logger = logging.getLogger(__name__)

PENNY = Decimal("0.01")
RATIO_PLACES = Decimal("0.0001")
FACTOR_PLACES = Decimal("0.000001")
EXIT_OK = 0
EXIT_INPUT = 2
MIN_TABLE_WIDTH = 100
CATEGORY_LABELS = {
    CostCategory.HARDWARE: "Hardware",
    CostCategory.SOFTWARE: "Software",
    CostCategory.INFRASTRUCTURE: "Infrastructure",
    CostCategory.TRAINING_IMPLEMENTATION: "Training and implementation",
    CostCategory.MANAGEMENT_ADMIN: "Management and administration",
}
"""The five categories as the NIHR evaluation's Table 5 names them."""


@dataclass(frozen=True, slots=True)
class RoiRequest:
    """What the user asked `carelens roi` for.

    Attributes:
        provider_id: The provider appraised.
        costs_file: ``--costs``: appraise these cost lines instead of the warehouse's.
        assumptions_file: ``--assumptions``: values that win over any published ones.
        horizon_years: 1 to 10.
        start: ``--start``: the appraisal start (default: the earliest cost start date).
        warehouse: The warehouse path, and whether the user named it (``--warehouse``).
        warehouse_named: Whether ``--warehouse`` was given.
        draws: Monte Carlo draws.
        seed: Monte Carlo seed.
        scenarios: ``--scenario`` values, ``NAME=FILE``, in the order given.
    """

    provider_id: str
    costs_file: Path | None
    assumptions_file: Path | None
    horizon_years: int
    start: date | None
    warehouse: Path
    warehouse_named: bool
    draws: int = DEFAULT_DRAWS
    seed: int = DEFAULT_SEED
    scenarios: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class RoiResult:
    """Everything `carelens roi` prints.

    Attributes:
        provider_id: The provider.
        costs: The cost statement appraised.
        benefits: The benefit streams appraised.
        appraisal: The appraisal.
        uncertainty: The Monte Carlo summary.
        assumptions: Each assumption used: its value, basis and source.
        notes: Things the reader should know (ignored lines, sunk costs, projections).
        scenarios: The scenarios table: as estimated, each ``--scenario``, the two
            optimism-bias bounds.
        alternatives: The ``--scenario`` cost lines, in the order given.
    """

    provider_id: str
    costs: CostStatement
    benefits: tuple[Benefit, ...]
    appraisal: Appraisal
    uncertainty: MonteCarloResult
    assumptions: tuple[dict[str, Any], ...]
    notes: tuple[str, ...]
    scenarios: tuple[ScenarioResult, ...] = ()
    alternatives: tuple[CostScenario, ...] = ()


def roi(
    provider: Annotated[
        str, typer.Option("--provider", help="CQC provider ID of the provider appraised.")
    ],
    costs: Annotated[
        Path | None,
        typer.Option(
            "--costs",
            help="A costs.csv (spec 5.4) to appraise instead of the warehouse's cost lines; "
            "lines for other providers are ignored.",
        ),
    ] = None,
    assumptions: Annotated[
        Path | None,
        typer.Option(
            "--assumptions",
            help="CSV 'name,value[,note]' of assumption values (docs/roi.md); they win over "
            "the values published in the warehouse.",
        ),
    ] = None,
    horizon_years: Annotated[
        int,
        typer.Option("--horizon-years", min=1, max=10, help="Appraisal horizon in years."),
    ] = DEFAULT_HORIZON_YEARS,
    start: Annotated[
        str | None,
        typer.Option(
            "--start",
            help="Appraisal start, YYYY-MM-DD (default: the earliest cost start date); "
            "costs paid before it are sunk and left out.",
        ),
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print one JSON object instead of tables.")
    ] = False,
    warehouse: Annotated[
        Path | None,
        typer.Option(
            "--warehouse",
            help="DuckDB warehouse (default: $CARELENS_WAREHOUSE or data/carelens.duckdb). "
            "With --costs it is read only if named here.",
        ),
    ] = None,
    draws: Annotated[
        int, typer.Option("--draws", min=100, max=100_000, help="Monte Carlo draws.")
    ] = DEFAULT_DRAWS,
    seed: Annotated[int, typer.Option("--seed", help="Monte Carlo random seed.")] = DEFAULT_SEED,
    scenario: Annotated[
        list[str] | None,
        typer.Option(
            "--scenario",
            help="NAME=FILE: another way of buying, appraised beside the case. FILE is a "
            "costs.csv (spec 5.4) whose lines replace every current line of the categories "
            "they cover. Repeatable.",
        ),
    ] = None,
) -> None:
    """Appraise one provider's DSCR: costs, benefits, NPV, BCR, payback and how sure it is.

    Without --costs, the provider's cost lines, measured benefit streams and entered
    assumptions come from the warehouse. With --costs, the file's cost lines are appraised with
    benefits from --assumptions alone (none by default), unless --warehouse is named too.
    Each --scenario is appraised beside the case, as are the Green Book's optimism-bias bounds.

    Exit codes: 0 appraisal printed; 2 an input could not be used (the message names the file,
    line and rule).
    """
    import os

    settings = Settings.from_env(os.environ, warehouse=warehouse)
    try:
        request = RoiRequest(
            provider_id=provider.strip(),
            costs_file=costs,
            assumptions_file=assumptions,
            horizon_years=horizon_years,
            start=_start_date(start),
            warehouse=settings.warehouse_path,
            warehouse_named=warehouse is not None,
            draws=draws,
            seed=seed,
            scenarios=tuple(scenario or ()),
        )
        result = run_roi(request)
    except RoiInputError as error:
        typer.echo(f"carelens: roi: {error}", err=True)
        raise typer.Exit(EXIT_INPUT) from None
    except CostModelError as error:
        typer.echo(f"carelens: roi: {error}", err=True)
        raise typer.Exit(EXIT_INPUT) from None
    if as_json:
        typer.echo(json.dumps(result_json(result), indent=2, ensure_ascii=False))
    else:
        print_summary(result, console=Console(width=max(Console().width, MIN_TABLE_WIDTH)))


def _start_date(text: str | None) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise RoiInputError(
            file_name="--start", rule="date", reason=f"{text!r} is not a date YYYY-MM-DD"
        ) from None


def run_roi(request: RoiRequest) -> RoiResult:
    """Gather the inputs, appraise them and estimate how sure the appraisal is.

    The appraisal itself is :func:`cost_model.case.run_case`, as on the dashboard's page.

    Raises:
        RoiInputError: An input file or the warehouse cannot be used.
        CostModelError: The inputs cannot be appraised (no cost lines, bad horizon).
    """
    notes: list[str] = []
    from_file = read_assumptions_file(request.assumptions_file) if request.assumptions_file else {}
    measured: tuple[MeasuredStreamMonth, ...] = ()
    last_complete: date | None = None
    published: dict[str, EnteredAssumption] = {}
    if request.costs_file is not None:
        statement = read_costs_file(path=request.costs_file, provider_id=request.provider_id)
        if statement.other_provider_lines:
            notes.append(
                f"{statement.other_provider_lines} line(s) of {request.costs_file} for other "
                "providers ignored"
            )
        if request.warehouse_named:
            stored = read_warehouse_inputs(
                warehouse_path=request.warehouse, provider_id=request.provider_id
            )
            measured, published = stored.streams, stored.assumptions
            last_complete = stored.last_complete_month
    else:
        stored = read_warehouse_inputs(
            warehouse_path=request.warehouse, provider_id=request.provider_id
        )
        if not stored.costs.lines:
            raise RoiInputError(
                file_name=str(request.warehouse),
                rule="unknown_provider",
                reason=f"no cost lines for provider {request.provider_id} in the warehouse "
                "(load its costs.csv, or give --costs FILE)",
            )
        statement = stored.costs
        measured, published = stored.streams, stored.assumptions
        last_complete = stored.last_complete_month
    alternatives = []
    for text in request.scenarios:
        read = read_scenario_file(text=text, provider_id=request.provider_id)
        alternatives.append(read.scenario)
        if read.other_provider_lines:
            notes.append(
                f"{read.other_provider_lines} line(s) of {read.scenario.source} for other "
                f"providers ignored (scenario {read.scenario.name!r})"
            )
    case = run_case(
        CaseInputs(
            provider_id=request.provider_id,
            costs=statement.lines,
            measured=measured,
            entered={**published, **from_file},
            last_complete_month=last_complete,
            start=request.start,
            horizon_years=request.horizon_years,
            notes=tuple(notes),
            alternatives=tuple(alternatives),
        ),
        draws=request.draws,
        seed=request.seed,
        with_tornado=False,
        with_scenarios=True,
    )
    if case.monte_carlo is None:  # pragma: no cover - run_case always simulates
        raise CostModelError("the appraisal was not simulated")
    return RoiResult(
        provider_id=request.provider_id,
        costs=statement,
        benefits=case.benefits,
        appraisal=case.appraisal,
        uncertainty=case.monte_carlo,
        assumptions=case.assumptions,
        notes=case.notes,
        scenarios=case.scenarios,
        alternatives=tuple(alternatives),
    )


# Presentation


def _round(value: Decimal | None, places: Decimal) -> float | None:
    if value is None:
        return None
    return float(value.quantize(places, rounding=ROUND_HALF_UP))


def _gbp(value: Decimal | None) -> float | None:
    return _round(value, PENNY)


def _ratio(value: Decimal | None) -> float | None:
    return _round(value, RATIO_PLACES)


def _number(value: Decimal) -> float | int:
    return int(value) if value == value.to_integral_value() else float(value)


def _plain(value: object, *, key: str = "") -> Any:
    """A result value as JSON: money (``*_gbp``) to pennies, factors to 6 places, ratios 4."""
    if isinstance(value, Decimal):
        if key.endswith("gbp"):
            return _gbp(value)
        if "factor" in key:
            return _round(value, FACTOR_PLACES)
        return _ratio(value)
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {
            (k.value if isinstance(k, Enum) else str(k)): _plain(v, key=key)
            for k, v in value.items()
        }
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {
            f.name: _plain(getattr(value, f.name), key=f.name) for f in dataclasses.fields(value)
        }
    if isinstance(value, list | tuple):
        return [_plain(item, key=key) for item in value]
    return value


def result_json(result: RoiResult) -> dict[str, Any]:
    """The appraisal as one JSON-ready object (money in pounds to 2 dp, ratios to 4 dp).

    Args:
        result: What :func:`run_roi` returned.
    """
    appraisal, settings, mc = result.appraisal, result.appraisal.settings, result.uncertainty
    by_category = appraisal.pv_costs_by_category_gbp
    return {
        "provider_id": result.provider_id,
        "appraisal_start": settings.start.isoformat(),
        "horizon_years": settings.horizon_years,
        "discount_rate": _ratio(settings.discount_rate),
        "optimism_bias_capital": _ratio(settings.optimism_bias_capital),
        "pv_costs_gbp": _gbp(appraisal.pv_costs_gbp),
        "pv_costs_optimism_adjusted_gbp": _gbp(appraisal.pv_costs_optimism_adjusted_gbp),
        "pv_benefits_gbp": _gbp(appraisal.pv_benefits_gbp),
        "npv_gbp": _gbp(appraisal.npv_gbp),
        "bcr": _ratio(appraisal.bcr),
        "roi": _ratio(appraisal.roi),
        "discounted_payback_month": appraisal.discounted_payback_month,
        "probability_npv_positive": _ratio(mc.npv.probability_positive),
        "npv_p10_gbp": _gbp(mc.npv.p10_gbp),
        "npv_p50_gbp": _gbp(mc.npv.p50_gbp),
        "npv_p90_gbp": _gbp(mc.npv.p90_gbp),
        "npv_optimism_adjusted_p10_gbp": _gbp(mc.npv_optimism_adjusted.p10_gbp),
        "npv_optimism_adjusted_p50_gbp": _gbp(mc.npv_optimism_adjusted.p50_gbp),
        "npv_optimism_adjusted_p90_gbp": _gbp(mc.npv_optimism_adjusted.p90_gbp),
        "probability_npv_optimism_adjusted_positive": _ratio(
            mc.npv_optimism_adjusted.probability_positive
        ),
        "monte_carlo": {
            "draws": mc.draws,
            "seed": mc.seed,
            "inputs": list(mc.inputs),
            "method": mc.method,
        },
        "pv_costs_by_category_gbp": {
            category.value: _gbp(by_category.get(category, Decimal(0))) for category in CostCategory
        },
        "pv_benefits_by_stream_gbp": {
            stream: _gbp(value) for stream, value in appraisal.pv_benefits_by_stream_gbp.items()
        },
        "pv_costs_upfront_gbp": _gbp(appraisal.pv_costs_upfront_gbp),
        "pv_costs_recurrent_gbp": _gbp(appraisal.pv_costs_recurrent_gbp),
        "npv_optimism_adjusted_gbp": _gbp(appraisal.npv_optimism_adjusted_gbp),
        "bcr_optimism_adjusted": _ratio(appraisal.bcr_optimism_adjusted),
        "undiscounted_costs_gbp": _gbp(appraisal.undiscounted_costs_gbp),
        "sunk_costs_gbp": _gbp(appraisal.sunk_costs_gbp),
        "years": [_plain(row) for row in appraisal.years],
        "benefits": [_plain(benefit) for benefit in appraisal.benefits],
        "assumptions": list(result.assumptions),
        "costs_source": result.costs.source,
        "cost_lines": len(result.costs.lines),
        "other_provider_lines_ignored": result.costs.other_provider_lines,
        "notes": list(result.notes),
        "scenarios": scenarios_json(result),
    }


def scenarios_json(result: RoiResult) -> list[dict[str, Any]]:
    """The scenarios table as JSON rows (money in pounds to 2 dp, ratios to 4 dp).

    The simulation's figures are ``null`` for the optimism-bias rows (not simulated);
    ``replaces`` is empty for the case as estimated and the optimism-bias rows.

    Args:
        result: What :func:`run_roi` returned.
    """
    given = {alternative.name: alternative for alternative in result.alternatives}
    rows = []
    for scenario in result.scenarios:
        alternative = given.get(scenario.name)
        simulated = scenario.monte_carlo
        npv = simulated.npv if simulated is not None else None
        rows.append(
            {
                "name": scenario.name,
                "replaces": (
                    sorted(category.value for category in alternative.replaces)
                    if alternative is not None
                    else []
                ),
                "source": alternative.source
                if alternative is not None
                else _scenario_source(scenario.name, result=result),
                "pv_costs_gbp": _gbp(scenario.pv_costs_gbp),
                "pv_costs_optimism_adjusted_gbp": _gbp(scenario.pv_costs_optimism_adjusted_gbp),
                "pv_benefits_gbp": _gbp(scenario.pv_benefits_gbp),
                "npv_gbp": _gbp(scenario.npv_gbp),
                "npv_optimism_adjusted_gbp": _gbp(scenario.npv_optimism_adjusted_gbp),
                "bcr": _ratio(scenario.bcr),
                "discounted_payback_month": scenario.discounted_payback_month,
                "npv_difference_gbp": _gbp(scenario.npv_difference_gbp),
                "npv_p10_gbp": _gbp(npv.p10_gbp) if npv else None,
                "npv_p50_gbp": _gbp(npv.p50_gbp) if npv else None,
                "npv_p90_gbp": _gbp(npv.p90_gbp) if npv else None,
                "probability_npv_positive": _ratio(npv.probability_positive) if npv else None,
            }
        )
    return rows


def _scenario_source(name: str, *, result: RoiResult) -> str:
    """Where a row that is not a ``--scenario`` comes from."""
    if name == BASE_SCENARIO_NAME:
        return result.costs.source
    return "HM Treasury Green Book supplementary guidance (optimism bias)"


def _money(value: Decimal | None) -> str:
    if value is None:
        return "–"
    rounded = value.quantize(PENNY, rounding=ROUND_HALF_UP)
    return f"−£{-rounded:,.2f}" if rounded < 0 else f"£{rounded:,.2f}"


def _uk_date(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def _uk_month(day: date, *, before: int = 0) -> str:
    month = day.month - before
    year = day.year + (month - 1) // 12
    month = (month - 1) % 12 + 1
    return date(year, month, 1).strftime("%B %Y")


def _percent(value: Decimal | None, *, places: int = 1) -> str:
    if value is None:
        return "–"
    text = f"{float(value) * 100:.{places}f}%"
    return text.replace("-", "−")  # a minus sign, as the money columns use


def _ratio_text(value: Decimal | None) -> str:
    return "– (no costs)" if value is None else f"{value.quantize(Decimal('0.01')):,}"


def _payback_text(appraisal: Appraisal) -> str:
    month = appraisal.discounted_payback_month
    if month is None:
        return "not within the horizon"
    on = appraisal.settings.start
    index = on.year * 12 + on.month - 1 + month - 1
    return f"month {month} ({date(index // 12, index % 12 + 1, 1):%B %Y})"


def print_summary(result: RoiResult, *, console: Console) -> None:
    """Print the appraisal as tables, in UK English.

    Args:
        result: What :func:`run_roi` returned.
        console: Where to print.
    """
    appraisal, settings, mc = result.appraisal, result.appraisal.settings, result.uncertainty
    console.print(
        f"[bold]Return on investment of provider {result.provider_id}[/bold]: "
        f"{len(result.costs.lines)} cost line(s) from {result.costs.source}, appraised from "
        f"{_uk_date(settings.start)} over {settings.horizon_years} year(s) at a discount rate "
        f"of {_percent(settings.discount_rate)} a year (HM Treasury Green Book)."
    )
    headline = Table(title="Appraisal", show_header=False, title_justify="left")
    headline.add_column("Figure")
    headline.add_column("Value", justify="right")
    headline.add_row("Present value of costs", _money(appraisal.pv_costs_gbp))
    headline.add_row(
        f"  with optimism bias (+{_percent(settings.optimism_bias_capital, places=0)} on capital)",
        _money(appraisal.pv_costs_optimism_adjusted_gbp),
    )
    headline.add_row("Present value of benefits", _money(appraisal.pv_benefits_gbp))
    headline.add_row("Net present value", _money(appraisal.npv_gbp))
    headline.add_row("  with optimism bias", _money(appraisal.npv_optimism_adjusted_gbp))
    headline.add_row("Benefit-cost ratio", _ratio_text(appraisal.bcr))
    headline.add_row("Return on investment", _percent(appraisal.roi))
    headline.add_row("Discounted payback", _payback_text(appraisal))
    headline.add_row(
        f"Chance the NPV is above zero ({mc.draws:,} draws)",
        _percent(mc.npv.probability_positive, places=0),
    )
    headline.add_row(
        "NPV, 10th / 50th / 90th percentile",
        " / ".join(_money(v) for v in (mc.npv.p10_gbp, mc.npv.p50_gbp, mc.npv.p90_gbp)),
    )
    console.print(headline)

    categories = Table(title="Present value of costs by category", title_justify="left")
    categories.add_column("Category")
    categories.add_column("Present value", justify="right")
    for category in CostCategory:
        categories.add_row(
            CATEGORY_LABELS[category],
            _money(appraisal.pv_costs_by_category_gbp.get(category, Decimal(0))),
        )
    console.print(categories)

    years = Table(title="By appraisal year", title_justify="left")
    for heading in (
        "Year",
        "From",
        "Upfront",
        "Recurrent",
        "Benefits",
        "Net",
        "Discount factor",
        "Discounted net",
        "Cumulative",
    ):
        years.add_column(heading, justify="left" if heading == "From" else "right")
    for row in appraisal.years:
        years.add_row(
            str(row.year),
            f"{row.starts_on:%b %Y}",
            _money(row.upfront_gbp),
            _money(row.recurrent_gbp),
            _money(row.benefits_gbp),
            _money(row.net_gbp),
            f"{row.discount_factor.quantize(Decimal('0.0001'), rounding=ROUND_HALF_UP)}",
            _money(row.discounted_net_gbp),
            _money(row.cumulative_discounted_net_gbp),
        )
    console.print(years)

    if appraisal.benefits:
        streams = Table(title="Benefits", title_justify="left")
        for heading in ("Stream", "Basis", "Cash-releasing", "Present value", "Quantity"):
            streams.add_column(heading, justify="right" if heading[0] in "PQ" else "left")
        for benefit in appraisal.benefits:
            quantity = (
                "–"
                if benefit.quantity is None
                else f"{benefit.quantity.quantize(PENNY, rounding=ROUND_HALF_UP):,} "
                f"{benefit.quantity_unit or ''}".strip()
            )
            streams.add_row(
                benefit.description,
                benefit.basis.value.replace("_", " "),
                "yes" if benefit.cash_releasing else "no",
                _money(benefit.pv_gbp) if benefit.monetised else "not monetised",
                quantity,
            )
        console.print(streams)
    else:
        console.print(
            "No benefits: none measured in the warehouse and none stated (in the dashboard or "
            "with --assumptions)."
        )

    entered = [item for item in result.assumptions if item["basis"] == "entered"]
    defaults = len(result.assumptions) - len(entered)
    for item in entered:
        console.print(f"Assumption {item['name']} = {item['value']} ({item['source']})")
    console.print(
        f"{defaults} assumption(s) at their registry default; --json lists each with its source."
    )
    if result.scenarios:
        console.print(scenarios_table(result))
    for note in result.notes:
        console.print(f"Note: {note}")


def scenarios_table(result: RoiResult) -> Table:
    """The scenarios side by side, as a rich table (``--json`` adds each one's P10 to P90).

    Args:
        result: What :func:`run_roi` returned.
    """
    table = Table(
        title="Scenarios",
        title_justify="left",
        caption="OB: with optimism bias on capital costs. Difference: NPV less the NPV as "
        "estimated. Benefits are the same in every scenario: present value "
        f"{_money(result.appraisal.pv_benefits_gbp)}.",
        caption_justify="left",
    )
    table.add_column("Scenario", min_width=16)
    for heading in (
        "PV costs",
        "PV costs, OB",
        "NPV",
        "NPV, OB",
        "Difference",
        "Chance NPV > 0",
        "Payback month",
    ):
        table.add_column(heading, justify="right", min_width=11 if heading[0] in "PND" else 7)
    for scenario in result.scenarios:
        simulated = scenario.monte_carlo
        table.add_row(
            scenario.name,
            _money(scenario.pv_costs_gbp),
            _money(scenario.pv_costs_optimism_adjusted_gbp),
            _money(scenario.npv_gbp),
            _money(scenario.npv_optimism_adjusted_gbp),
            _money(scenario.npv_difference_gbp),
            "–" if simulated is None else _percent(simulated.npv.probability_positive, places=0),
            "–"
            if scenario.discounted_payback_month is None
            else str(scenario.discounted_payback_month),
        )
    return table
