"""What `carelens roi` appraises: cost lines and assumptions from files or a loaded warehouse.

``cost_model`` is pure, so the reading is here, in the composition root: ``costs.csv`` is read
and checked with the same declaration and row contract as the nightly load
(``data_contracts.inputs.COSTS`` through ``pipelines.inputs``), the ``--assumptions`` file is
checked against the assumptions registry, and the warehouse is opened read-only.

Every problem a user can fix is a :class:`RoiInputError` whose message names the file, the line
and the rule broken; nothing here lets a traceback or SQL text reach the user.
"""

from __future__ import annotations

import csv
import logging
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from cost_model.assumptions import AssumptionError, check_value
from cost_model.case import (
    CostScenario,
    EnteredAssumption,
    MeasuredStreamMonth,
    cost_line_from_row,
    entered_from_row,
    exact_decimal,
    last_complete_month,
    stream_month_from_row,
)
from cost_model.lines import CostLine
from data_contracts.inputs import COSTS
from pipelines.errors import FileRejectedError
from pipelines.inputs.reading import read_input_table
from pipelines.inputs.validation import validate_rows
from pipelines.textfile import LINE

if TYPE_CHECKING:
    import duckdb

logger = logging.getLogger(__name__)

ASSUMPTIONS_HEADER = ("name", "value")
"""Columns an ``--assumptions`` file must start with; a third, ``note``, is optional."""
ASSUMPTIONS_NOTE = "note"


class RoiInputError(Exception):
    """An input of `carelens roi` that cannot be used; the message says where and why.

    Attributes:
        file_name: The file (or warehouse) at fault.
        line: The physical line of the file, when one line is at fault.
        rule: The rule broken, as a short name (``decimal``, ``unknown_name``, ...).
        reason: What is wrong, in words a user can act on.
    """

    def __init__(self, *, file_name: str, rule: str, reason: str, line: int | None = None):
        self.file_name = file_name
        self.line = line
        self.rule = rule
        self.reason = reason
        where = f"{file_name}, line {line}" if line is not None else file_name
        super().__init__(f"{where}: {reason} [{rule}]")


@dataclass(frozen=True, slots=True)
class CostStatement:
    """One provider's cost lines, and where they came from.

    Attributes:
        lines: The provider's cost lines, in file order.
        source: ``costs.csv`` path, or ``warehouse reference.cost_lines``.
        other_provider_lines: Lines of a ``--costs`` file for other providers, ignored.
    """

    lines: tuple[CostLine, ...]
    source: str
    other_provider_lines: int = 0


@dataclass(frozen=True, slots=True)
class WarehouseInputs:
    """What a loaded warehouse holds for one provider's appraisal.

    Attributes:
        costs: The provider's cost lines (empty when the warehouse has none).
        streams: Measured benefit streams by month.
        assumptions: The values the provider entered in the dashboard, by name.
        last_complete_month: First day of the last month of the provider's data that is
            over, if known (``None``: take every month as complete).
    """

    costs: CostStatement
    streams: tuple[MeasuredStreamMonth, ...] = ()
    assumptions: dict[str, EnteredAssumption] = field(default_factory=dict)
    last_complete_month: date | None = None


def read_costs_file(*, path: Path, provider_id: str) -> CostStatement:
    """Read and check a ``costs.csv`` and return the lines of one provider.

    The file is read as the nightly load reads it (header found by name, spec 5.4's row
    rules), but where the load sets a bad line aside, here any bad line stops the appraisal:
    an appraisal missing a cost line would be wrong without saying so.

    Args:
        path: The file.
        provider_id: The provider appraised; lines for other providers are counted and ignored.

    Raises:
        RoiInputError: The file cannot be read, lacks a required column, has a line breaking
            a rule (the first such line is named), or holds no line for ``provider_id``.
    """
    name = str(path)
    if not path.is_file():
        raise RoiInputError(file_name=name, rule="missing_file", reason="no such file")
    try:
        table = read_input_table(path, specs=(COSTS,))
    except FileRejectedError as error:
        raise RoiInputError(
            file_name=name, rule=error.rule, reason=error.reason, line=error.line
        ) from None
    except OSError as error:
        raise RoiInputError(
            file_name=name, rule="unreadable", reason=error.strerror or "cannot be read"
        ) from None
    missing = [h for h in table.spec.required_headers if h not in table.columns]
    if missing:
        raise RoiInputError(
            file_name=name,
            rule="missing_column",
            reason=f"missing required column(s): {', '.join(repr(m) for m in missing)}",
            line=table.header_line,
        )
    validated = validate_rows(table=table, export_id=path.name)
    if validated.quarantine:
        first = min(validated.quarantine, key=lambda row: row.line_number)
        more = len(validated.quarantine) - 1
        also = f" (and {more} more bad line{'s' if more != 1 else ''})" if more else ""
        raise RoiInputError(
            file_name=name, rule=first.rule, reason=first.reason + also, line=first.line_number
        )
    rows = validated.rows.to_dicts()
    mine = [row for row in rows if row["provider_id"] == provider_id]
    if not mine:
        raise RoiInputError(
            file_name=name,
            rule="unknown_provider",
            reason=f"no cost line for provider {provider_id}"
            + (f" ({len(rows)} line(s) for other providers)" if rows else ""),
        )
    return CostStatement(
        lines=tuple(_cost_line(row, line=int(str(row[LINE]))) for row in mine),
        source=name,
        other_provider_lines=len(rows) - len(mine),
    )


def _cost_line(row: dict[str, object], *, line: int | None) -> CostLine:
    """A typed row of ``costs.csv`` or ``reference.cost_lines`` as a cost line."""
    return cost_line_from_row(row, line=line)


def _decimal(value: object) -> Decimal:
    """A stored number as an exact Decimal, trailing zeros of the stored scale dropped."""
    return exact_decimal(value)


def read_assumptions_file(path: Path) -> dict[str, EnteredAssumption]:
    """Read an ``--assumptions`` CSV: a header ``name,value[,note]`` then one value a line.

    Names are those of the assumptions registry (``cost_model.assumptions``); each value is
    checked against its unit's limits, as the dashboard checks an entered value. Empty lines
    are skipped.

    Raises:
        RoiInputError: The file cannot be read or decoded, its header is not ``name,value``
            (optionally ``,note``), or a line has an unknown name, a repeated name, an empty or
            bad value, or the wrong number of cells.
    """
    name = str(path)
    if not path.is_file():
        raise RoiInputError(file_name=name, rule="missing_file", reason="no such file")
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise RoiInputError(
            file_name=name, rule="encoding", reason="not UTF-8 text", line=None
        ) from None
    except OSError as error:
        raise RoiInputError(
            file_name=name, rule="unreadable", reason=error.strerror or "cannot be read"
        ) from None
    values: dict[str, EnteredAssumption] = {}
    lines = _csv_lines(text, file_name=name)
    header = next(lines, None)
    if header is None:
        raise RoiInputError(file_name=name, rule="header", reason="the file is empty")
    header_line, header_cells = header
    columns = tuple(cell.strip().lower() for cell in header_cells)
    if columns not in (ASSUMPTIONS_HEADER, (*ASSUMPTIONS_HEADER, ASSUMPTIONS_NOTE)):
        raise RoiInputError(
            file_name=name,
            rule="header",
            reason=f"the header must be 'name,value' or 'name,value,note', not "
            f"{','.join(header_cells)!r}",
            line=header_line,
        )
    for line, cells in lines:
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) != len(columns):
            raise RoiInputError(
                file_name=name,
                rule="field_count",
                reason=f"{len(cells)} fields where the header has {len(columns)}",
                line=line,
            )
        key = cells[0].strip()
        if key in values:
            raise RoiInputError(
                file_name=name,
                rule="duplicate_name",
                reason=f"{key!r} is given twice (first on {values[key].source.rsplit(', ', 1)[1]})",
                line=line,
            )
        values[key] = EnteredAssumption(
            name=key,
            value=_checked_value(key, cells[1], file_name=name, line=line),
            source=f"{name}, line {line}",
            note=(cells[2].strip() or None) if len(cells) > 2 else None,
        )
    return values


def _csv_lines(text: str, *, file_name: str) -> Iterator[tuple[int, list[str]]]:
    """Each CSV record with the physical line it starts on."""
    reader = csv.reader(text.splitlines(keepends=True))
    start = 1
    try:
        for cells in reader:
            yield start, cells
            start = reader.line_num + 1
    except csv.Error as error:
        raise RoiInputError(
            file_name=file_name, rule="csv", reason=f"broken CSV: {error}", line=start
        ) from None


def _checked_value(name: str, text: str, *, file_name: str, line: int) -> Decimal:
    if not name:
        raise RoiInputError(file_name=file_name, rule="unknown_name", reason="no name", line=line)
    try:
        value = check_value(name=name, value=text)
    except AssumptionError as error:
        unknown = "There is no assumption called" in str(error)
        raise RoiInputError(
            file_name=file_name,
            rule="unknown_name" if unknown else "value",
            reason=(
                f"unknown assumption {name!r} (see docs/roi.md for the names)"
                if unknown
                else f"{name} {text.strip()!r}: {error}"
            ),
            line=line,
        ) from None
    if value is None:
        raise RoiInputError(
            file_name=file_name, rule="value", reason=f"{name}: no value given", line=line
        )
    return value


SCENARIO_OPTION = "--scenario"
"""The option naming another way of buying: ``NAME=FILE``, repeatable."""


@dataclass(frozen=True, slots=True)
class ScenarioFile:
    """One ``--scenario NAME=FILE`` read: the scenario and what was left out of the file.

    Attributes:
        scenario: The scenario (its lines replace every current line of their categories).
        other_provider_lines: Lines of the file for other providers, ignored.
    """

    scenario: CostScenario
    other_provider_lines: int = 0


def parse_scenario_option(text: str) -> tuple[str, Path]:
    """Split one ``--scenario`` value into its name and its file (at the first ``=``).

    Args:
        text: ``NAME=FILE``, for example ``Rent handsets=rent.csv``.

    Raises:
        RoiInputError: No ``=``, or an empty name or file.
    """
    name, equals, file_text = text.partition("=")
    if not equals or not name.strip() or not file_text.strip():
        raise RoiInputError(
            file_name=SCENARIO_OPTION,
            rule="scenario",
            reason="give each scenario as NAME=FILE, for example "
            '--scenario "Rent handsets=rent.csv" (a name, an equals sign, a costs.csv)',
        )
    return name.strip(), Path(file_text.strip())


def read_scenario_file(*, text: str, provider_id: str) -> ScenarioFile:
    """Read one ``--scenario NAME=FILE``: the file's lines for the provider, as a scenario.

    The file is a ``costs.csv`` (spec 5.4) read and checked exactly as ``--costs`` is
    (:func:`read_costs_file`); its lines replace every current line of the categories they
    cover (:class:`cost_model.case.CostScenario`).

    Args:
        text: The option's value, ``NAME=FILE``.
        provider_id: The provider appraised; lines for other providers are ignored.

    Raises:
        RoiInputError: A malformed value, or a file that cannot be used (the message names
            the scenario, the file, the line and the rule).
    """
    name, path = parse_scenario_option(text)
    try:
        statement = read_costs_file(path=path, provider_id=provider_id)
    except RoiInputError as error:
        raise RoiInputError(
            file_name=f"{SCENARIO_OPTION} {name!r}: {error.file_name}",
            rule=error.rule,
            reason=error.reason,
            line=error.line,
        ) from None
    return ScenarioFile(
        scenario=CostScenario(name=name, lines=statement.lines, source=str(path)),
        other_provider_lines=statement.other_provider_lines,
    )


ROI_QUERIES = ("roi_cost_lines", "roi_benefit_streams", "roi_assumptions", "roi_last_export")
"""The page's named queries (``dashboards/queries/sql/<name>.sql``) that this command runs too,
so the page and the command read the same rows with the same SQL."""


def roi_query_text(name: str) -> str:
    """The text of one of the Return on investment page's named queries.

    The files belong to the dashboard's reader; they are found without importing it (the
    dashboards' package would bring Dash with it), and the scope parameter they bind,
    ``$scope_provider_id``, is given by :func:`read_warehouse_inputs`.

    Args:
        name: One of :data:`ROI_QUERIES`.
    """
    from importlib.util import find_spec

    spec = find_spec("dashboards.queries")
    locations = spec.submodule_search_locations if spec is not None else None
    if not locations:  # the package ships with carelens: this is a broken install
        raise RuntimeError("the dashboards.queries package cannot be found")
    return (Path(next(iter(locations))) / "sql" / f"{name}.sql").read_text(encoding="utf-8")


def read_warehouse_inputs(*, warehouse_path: Path, provider_id: str) -> WarehouseInputs:
    """Read one provider's cost lines, measured benefit streams and entered assumptions.

    The warehouse is opened read-only. A warehouse from before a table existed gives nothing
    for that table rather than an error.

    Raises:
        RoiInputError: No warehouse file, or it cannot be opened (a load holding it, not a
            DuckDB file).
    """
    import duckdb  # here: only this command needs it, and `carelens --help` stays quick

    name = str(warehouse_path)
    if not warehouse_path.is_file():
        raise RoiInputError(
            file_name=name,
            rule="no_warehouse",
            reason="no warehouse here; run `carelens load` first, or give --costs FILE",
        )
    try:
        with duckdb.connect(name, read_only=True) as con:
            cost_rows, streams, entered, last_export = (
                _records(con, roi_query_text(name), provider_id) for name in ROI_QUERIES
            )
    except duckdb.Error as error:
        logger.info("cannot read %s: %s", name, error)
        raise RoiInputError(
            file_name=name,
            rule="warehouse",
            reason="the warehouse cannot be opened (is a load running? is it a carelens "
            "warehouse?)",
        ) from None
    extract_to = last_export[0]["extract_to"] if last_export else None
    return WarehouseInputs(
        costs=CostStatement(
            lines=tuple(
                _cost_line(row, line=_optional_int(row["source_line"])) for row in cost_rows
            ),
            source=f"{name} reference.cost_lines",
        ),
        streams=tuple(_stream_month(row) for row in streams),
        assumptions={str(row["name"]): entered_from_row(row) for row in entered},
        last_complete_month=_last_complete_month(extract_to),
    )


def _records(con: duckdb.DuckDBPyConnection, sql: str, provider_id: str) -> list[dict[str, object]]:
    """The query's rows as dicts; none if a table it reads does not exist in this warehouse."""
    import duckdb

    try:
        cursor = con.execute(sql, {"scope_provider_id": provider_id})
    except duckdb.CatalogException as error:
        logger.info("table missing in this warehouse: %s", error)
        return []
    names = [column[0] for column in cursor.description or ()]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _optional_int(value: object) -> int | None:
    return None if value is None else int(str(value))


def _stream_month(row: dict[str, object]) -> MeasuredStreamMonth:
    return stream_month_from_row(row)


def _last_complete_month(extract_to: object) -> date | None:
    """First day of the last month wholly covered by the provider's exports (to that date)."""
    return last_complete_month(extract_to)


def describe_lines(lines: Sequence[CostLine]) -> str:
    """``3 cost lines from 1 Apr 2024`` (for messages)."""
    if not lines:
        return "no cost lines"
    earliest = min(line.start_date for line in lines)
    count = len(lines)
    return f"{count} cost line{'s' if count != 1 else ''} from {earliest.day} {earliest:%b %Y}"
