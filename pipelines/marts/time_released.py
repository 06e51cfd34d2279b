"""Build ``marts.time_released_monthly`` and ``marts.benefit_streams``: staff time released.

Run after the operations marts (it reads ``marts.documentation_monthly`` and
``marts.care_plan_reviews_monthly``) and after ``reference.provider_assumptions`` is published.
SQL gathers the measured inputs (``time_documentation.sql``, ``time_reviews.sql``); the
arithmetic is ``models.time_released`` (``Decimal``), with each provider's entered values over
the registry's defaults (``cost_model.assumptions``). The documentation time is a care
worker's: care-worker shifts (``care_shifts``; completed visits in home care) and the carers'
notes' minutes per care-worker shift, managers' shifts and notes left out. Definitions:
docs/time-released.md.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from importlib import resources

import duckdb
import polars as pl

from cost_model.assumptions import (
    AssumptionBasis,
    AssumptionName,
    ResolvedAssumption,
    resolve_assumptions,
)
from cost_model.streams import BenefitStream, StreamBasis
from models.time_released import (
    TimeReleased,
    documentation_time_released,
    hourly_cost_gbp,
    task_time_released,
)
from pipelines.marts.quality import MartsBuilt

log = logging.getLogger(__name__)

TIME_MARTS = ("marts.time_released_monthly", "marts.benefit_streams")
"""The tables ``build_time_released_marts`` replaces."""
_Resolved = dict[AssumptionName, ResolvedAssumption]
_TASKS = (
    (
        BenefitStream.MANAGERIAL_AUDITS,
        AssumptionName.AUDIT_MINUTES_BEFORE,
        AssumptionName.AUDIT_MINUTES_AFTER,
        AssumptionName.AUDITS_PER_MONTH,
        "audits",
    ),
    (
        BenefitStream.MANAGERIAL_HANDOVERS,
        AssumptionName.HANDOVER_MINUTES_BEFORE,
        AssumptionName.HANDOVER_MINUTES_AFTER,
        AssumptionName.HANDOVERS_PER_MONTH,
        "handovers",
    ),
)
"""Managerial tasks whose count is entered, not measured: stream, before, after, frequency."""
_D = pl.Decimal(18, 6)
_TIME_SCHEMA: dict[str, pl.DataType | type[pl.DataType]] = {
    "provider_id": pl.String,
    "location_id": pl.String,
    "month": pl.Date,
    "service_type": pl.String,
    "shift_basis": pl.String,
    "shifts": pl.Int64,
    "measured_minutes_per_shift": pl.Float64,
    "minutes_per_shift_p10": pl.Float64,
    "minutes_per_shift_p90": pl.Float64,
    "baseline_minutes_per_shift": _D,
    "baseline_basis": pl.String,
    "hours_released": _D,
    "hours_released_low": _D,
    "hours_released_high": _D,
    "hourly_pay_gbp": _D,
    "hourly_pay_basis": pl.String,
    "on_cost_share": _D,
    "on_cost_basis": pl.String,
    "hourly_cost_gbp": _D,
    "value_gbp": _D,
    "value_low_gbp": _D,
    "value_high_gbp": _D,
}
_STREAM_SCHEMA: dict[str, pl.DataType | type[pl.DataType]] = {
    "provider_id": pl.String,
    "location_id": pl.String,
    "month": pl.Date,
    "stream": pl.String,
    "basis": pl.String,
    "basis_note": pl.String,
    "cash_releasing": pl.Boolean,
    "quantity": _D,
    "unit": pl.String,
    "value_gbp": _D,
    "value_low_gbp": _D,
    "value_high_gbp": _D,
}


def _sql(name: str) -> str:
    return (resources.files("pipelines") / "sql" / "marts" / f"{name}.sql").read_text()


def build_time_released_marts(con: duckdb.DuckDBPyConnection) -> MartsBuilt:
    """Replace the time-released marts from the measured marts and the providers' assumptions.

    Args:
        con: The load's build connection, with ``marts.documentation_monthly``,
            ``marts.care_plan_reviews_monthly`` and ``reference.provider_assumptions`` built.

    Returns:
        Rows written per mart and the time taken.
    """
    started = time.perf_counter()
    resolved = _resolved_by_provider(con)
    documentation = _records(con, "time_documentation")
    time_rows = [
        _time_row(row, resolved=_for(resolved, row["provider_id"])) for row in documentation
    ]
    streams = [
        *(_documentation_stream(row) for row in time_rows if row["hours_released"] is not None),
        *_review_streams(_records(con, "time_reviews"), resolved=resolved),
        *_entered_task_streams(
            sorted({(row["provider_id"], row["month"]) for row in time_rows if row["shifts"]}),
            resolved=resolved,
        ),
    ]
    rows = {
        TIME_MARTS[0]: _replace(con, TIME_MARTS[0], pl.DataFrame(time_rows, schema=_TIME_SCHEMA)),
        TIME_MARTS[1]: _replace(
            con, TIME_MARTS[1], pl.DataFrame([s for s in streams if s], schema=_STREAM_SCHEMA)
        ),
    }
    built = MartsBuilt(rows=rows, seconds=time.perf_counter() - started)
    log.info(
        "time-released marts built in %.2f s: %s",
        built.seconds,
        ", ".join(f"{table} {count:,} rows" for table, count in rows.items()),
    )
    return built


def _records(con: duckdb.DuckDBPyConnection, name: str) -> list[dict[str, object]]:
    cursor = con.execute(_sql(name))
    columns = [column[0] for column in cursor.description or ()]
    return [dict(zip(columns, values, strict=True)) for values in cursor.fetchall()]


def _resolved_by_provider(con: duckdb.DuckDBPyConnection) -> dict[str, _Resolved]:
    entered: dict[str, dict[str, Decimal | None]] = {}
    for provider_id, name, value in con.execute(
        "select provider_id, name, value from reference.provider_assumptions"
    ).fetchall():
        entered.setdefault(provider_id, {})[name] = value
    return {provider: resolve_assumptions(entered=values) for provider, values in entered.items()}


def _for(resolved: dict[str, _Resolved], provider_id: object) -> _Resolved:
    """The provider's values; one that entered none gets the defaults."""
    found = resolved.get(str(provider_id))
    if found is None:
        found = resolved[str(provider_id)] = resolve_assumptions(entered={})
    return found


def _decimal(value: object) -> Decimal | None:
    """A measured double as the shortest decimal that reads back as it."""
    return None if value is None else Decimal(repr(value))


def _time_row(row: dict[str, object], *, resolved: _Resolved) -> dict[str, object]:
    baseline = resolved[
        AssumptionName.BASELINE_DOCUMENTATION_MINUTES_PER_VISIT
        if row["shift_basis"] == "visits"
        else AssumptionName.BASELINE_DOCUMENTATION_MINUTES_PER_SHIFT
    ]
    pay = resolved[AssumptionName.CARE_WORKER_HOURLY_PAY_GBP]
    on_cost = resolved[AssumptionName.ON_COST_SHARE]
    cost = hourly_cost_gbp(hourly_pay_gbp=_known(pay), on_cost_share=_known(on_cost))
    seconds = row.pop("entry_seconds")
    released = documentation_time_released(
        baseline_minutes_per_shift=baseline.value,
        entry_minutes=None if seconds is None else Decimal(str(seconds)) / 60,
        shifts=int(str(row["shifts"])),
        minutes_per_shift_p10=_decimal(row["minutes_per_shift_p10"]),
        minutes_per_shift_p90=_decimal(row["minutes_per_shift_p90"]),
        hourly_cost=cost,
    )
    return {
        **row,
        "baseline_minutes_per_shift": baseline.value,
        "baseline_basis": AssumptionBasis.ENTERED
        if baseline.basis is AssumptionBasis.ENTERED
        else AssumptionBasis.NOT_ENTERED,
        "hours_released": released.hours,
        "hours_released_low": released.hours_low,
        "hours_released_high": released.hours_high,
        "hourly_pay_gbp": pay.value,
        "hourly_pay_basis": pay.basis.value,
        "on_cost_share": on_cost.value,
        "on_cost_basis": on_cost.basis.value,
        "hourly_cost_gbp": cost.quantize(Decimal("0.0001")),
        "value_gbp": released.value_gbp,
        "value_low_gbp": released.value_low_gbp,
        "value_high_gbp": released.value_high_gbp,
    }


def _known(resolved: ResolvedAssumption) -> Decimal:
    """Pay and on-costs always have a default, so a value is always there."""
    return resolved.value if resolved.value is not None else Decimal(0)


def _documentation_stream(row: dict[str, object]) -> dict[str, object]:
    unit = "visit" if row["shift_basis"] == "visits" else "care-worker shift"
    measured = row["measured_minutes_per_shift"]
    note = (
        f"Measured: {measured:.1f} recording minutes per {unit} over {row['shifts']:,} "
        f"{unit}s. Entered: paper-era {_number(row['baseline_minutes_per_shift'])} minutes "
        f"per {unit}. {_pay_note(row)}"
    )
    return _stream(
        row,
        stream=BenefitStream.CARE_WORKER_DOCUMENTATION_TIME,
        basis=StreamBasis.MEASURED_AND_ASSUMED,
        note=note,
        released=TimeReleased(
            hours=_as_decimal(row["hours_released"]),
            hours_low=_as_decimal(row["hours_released_low"]),
            hours_high=_as_decimal(row["hours_released_high"]),
            value_gbp=_as_decimal(row["value_gbp"]),
            value_low_gbp=_as_decimal(row["value_low_gbp"]),
            value_high_gbp=_as_decimal(row["value_high_gbp"]),
        ),
    )


def _review_streams(
    reviews: Iterable[dict[str, object]], *, resolved: dict[str, _Resolved]
) -> Iterable[dict[str, object]]:
    for row in reviews:
        values = _for(resolved, row["provider_id"])
        before = values[AssumptionName.CARE_PLAN_REVIEW_MINUTES_BEFORE].value
        after = values[AssumptionName.CARE_PLAN_REVIEW_MINUTES_AFTER].value
        completed = int(str(row["reviews_completed_in_month"]))
        released = task_time_released(
            minutes_before=before,
            minutes_after=after,
            tasks=Decimal(completed),
            hourly_cost=_manager_cost(values),
        )
        if released.hours is None:
            continue
        note = (
            f"Measured: {completed:,} care-plan reviews completed in the month. Entered: "
            f"{_number(before)} minutes each on paper, {_number(after)} digitally. "
            f"{_manager_pay_note(values)}"
        )
        yield _stream(
            row,
            stream=BenefitStream.MANAGERIAL_CARE_PLAN_REVIEWS,
            basis=StreamBasis.MEASURED_AND_ASSUMED,
            note=note,
            released=released,
        )


def _entered_task_streams(
    provider_months: list[tuple[object, object]], *, resolved: dict[str, _Resolved]
) -> Iterable[dict[str, object]]:
    """Audits and handovers: provider-wide, in months a live location had shifts or visits."""
    for provider_id, month in provider_months:
        values = _for(resolved, provider_id)
        for stream, before_name, after_name, frequency_name, what in _TASKS:
            before, after = values[before_name].value, values[after_name].value
            frequency = values[frequency_name].value
            released = task_time_released(
                minutes_before=before,
                minutes_after=after,
                tasks=frequency,
                hourly_cost=_manager_cost(values),
            )
            if released.hours is None:
                continue
            note = (
                f"Entered: {_number(frequency)} {what} a month, {_number(before)} minutes each "
                f"on paper, {_number(after)} digitally. {_manager_pay_note(values)}"
            )
            yield _stream(
                {"provider_id": provider_id, "location_id": None, "month": month},
                stream=stream,
                basis=StreamBasis.ASSUMED,
                note=note,
                released=released,
            )


def _manager_cost(values: _Resolved) -> Decimal:
    return hourly_cost_gbp(
        hourly_pay_gbp=_known(values[AssumptionName.MANAGER_HOURLY_PAY_GBP]),
        on_cost_share=_known(values[AssumptionName.ON_COST_SHARE]),
    )


def _stream(
    row: dict[str, object],
    *,
    stream: BenefitStream,
    basis: StreamBasis,
    note: str,
    released: TimeReleased,
) -> dict[str, object]:
    month = row["month"]
    return {
        "provider_id": row["provider_id"],
        "location_id": row["location_id"],
        "month": month if isinstance(month, date) else None,
        "stream": stream.value,
        "basis": basis.value,
        "basis_note": note,
        "cash_releasing": False,
        "quantity": released.hours,
        "unit": "hours",
        "value_gbp": released.value_gbp,
        "value_low_gbp": released.value_low_gbp
        if released.value_low_gbp is not None
        else released.value_gbp,
        "value_high_gbp": released.value_high_gbp
        if released.value_high_gbp is not None
        else released.value_gbp,
    }


def _pay_note(row: dict[str, object]) -> str:
    share = _as_decimal(row["on_cost_share"]) or Decimal(0)
    return (
        f"Pay £{_money(row['hourly_pay_gbp'])} an hour ({row['hourly_pay_basis']}) plus "
        f"on-costs of {_number(share * 100)}% ({row['on_cost_basis']})."
    )


def _manager_pay_note(values: _Resolved) -> str:
    pay = values[AssumptionName.MANAGER_HOURLY_PAY_GBP]
    share = values[AssumptionName.ON_COST_SHARE]
    return (
        f"Manager pay £{_money(pay.value)} an hour ({pay.basis.value}) plus on-costs of "
        f"{_number(_known(share) * 100)}% ({share.basis.value})."
    )


def _as_decimal(value: object) -> Decimal | None:
    return value if isinstance(value, Decimal) else None


def _number(value: object) -> str:
    """A decimal as written for people, without trailing zeros (``37.5``, ``240``)."""
    return f"{value.normalize():f}" if isinstance(value, Decimal) else str(value)


def _money(value: object) -> str:
    """Pounds to the penny (``12.00``)."""
    return f"{value:,.2f}" if isinstance(value, Decimal) else str(value)


def _replace(con: duckdb.DuckDBPyConnection, table: str, frame: pl.DataFrame) -> int:
    con.execute(f"delete from {table}")
    if frame.height:
        con.register("time_released_rows", frame)
        try:
            con.execute(f"insert into {table} by name select * from time_released_rows")
        finally:
            con.unregister("time_released_rows")
    ((count,),) = con.execute(f"select count(*) from {table}").fetchall()
    return int(count)
