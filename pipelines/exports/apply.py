"""Applying a batch of parsed packages, entity by entity, in dependency order.

One batch of packages is applied entity by entity, in ``ENTITY_ORDER`` (referenced entities
first), every file of the entity together, so the row contracts and the SQL run once per entity
rather than once per file. Packages keep their order through ``export_sequence``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import date

import duckdb
import polars as pl

from data_contracts.ode1 import ENTITIES, Entity
from data_contracts.ode1.contracts import INDEX, find_violations, row_contract, typed_frame
from pipelines.exports.reading import FILE, ParsedFile, accept_columns, combined_text
from pipelines.exports.rows import pseudonymise, quarantine, row_warnings, violation_rows
from pipelines.exports.versions import classify
from pipelines.textfile import LINE
from pipelines.warehouse import business_columns


def apply_entity(
    con: duckdb.DuckDBPyConnection,
    *,
    entity: Entity,
    items: list[ParsedFile],
    run_id: str,
    today: date,
    pseudonym_key: bytes,
) -> None:
    """Validate, resolve and version every row of ``entity`` in ``items``; write what loads."""
    items = [item for item in items if accept_columns(item)]
    if not items:
        return
    typed = typed_frame(combined_text(items, entity), entity)
    violations = find_violations(typed, row_contract(entity, today=today))
    broken = violation_rows(typed, violations) if not violations.is_empty() else None
    if broken is not None:
        quarantine(items, typed, broken, entity)
        accepted = typed.join(broken.select(INDEX), on=INDEX, how="anti")
    else:
        accepted = typed
    row_warnings(items, accepted, entity)
    if entity.name == "people":
        accepted = pseudonymise(accepted, key=pseudonym_key)
    names = [name for name, _ in business_columns(entity)]
    incoming = accepted.with_columns(
        pl.col(LINE).alias("source_line"),
        pl.lit(run_id).alias("run_id"),
        pl.Series(
            "source_file", [f"{i.package.export_id}/{i.outcome.file_name}" for i in items]
        ).gather(accepted.get_column(FILE)),
        pl.Series("export_id", [i.package.export_id for i in items]).gather(
            accepted.get_column(FILE)
        ),
    ).select(
        *names, "export_id", "export_sequence", "run_id", "source_file", "source_line", FILE, INDEX
    )
    outcomes = classify(con, entity=entity, incoming=incoming)
    quarantine(
        items,
        typed,
        outcomes.filter(pl.col("outcome") == "quarantine").select(INDEX, "rule", "reason"),
        entity,
    )
    counts = outcomes.group_by(FILE, "outcome").len()
    for file_index, outcome, count in counts.iter_rows():
        result = items[file_index].outcome
        if outcome == "load":
            result.rows_loaded += count
        elif outcome == "duplicate":
            result.duplicates_skipped += count
    for item in items:
        item.outcome.rows_quarantined = len(item.outcome.quarantine)


def apply_batch(
    con: duckdb.DuckDBPyConnection,
    *,
    parsed: list[ParsedFile],
    run_id: str,
    today: date,
    pseudonym_key: bytes,
    announce: Callable[[str], None] = lambda _entity: None,
) -> None:
    """Apply every parsed file of a batch of packages, entity by entity.

    ``announce`` is told each entity as its turn comes (for a progress display).
    """
    by_entity: dict[str, list[ParsedFile]] = defaultdict(list)
    for item in parsed:
        by_entity[item.entity.name].append(item)
    for name, entity in ENTITIES.items():
        if by_entity.get(name):
            announce(name)
            apply_entity(
                con,
                entity=entity,
                items=by_entity[name],
                run_id=run_id,
                today=today,
                pseudonym_key=pseudonym_key,
            )
