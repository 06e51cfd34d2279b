"""Deliberate faults the loader must catch, and legitimate quirks it must load.

Row faults and row quirks are marked on the typed delivery frames (``_fault``, ``_quirk`` and
``_value`` columns) and applied to the text by ``apply_to_text``; file and package faults are
planned here and applied by the package writer. Every one is listed in ``truth.json``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import polars as pl

from pipelines.synthetic import clock
from pipelines.synthetic.exports import ExportPlan
from pipelines.synthetic.versions import BASE

GAP, NON_ISO, ENUM, UNRESOLVED, CONFLICT, BAD_NHS = (
    "spring_forward_gap",
    "non_iso_date",
    "unknown_enum",
    "unresolved_reference",
    "conflict",
    "bad_nhs_number",
)
ENCODING, MANIFEST = "invalid_encoding", "manifest_mismatch"
ROW_FAULTS = (GAP, NON_ISO, ENUM, UNRESOLVED, CONFLICT, BAD_NHS)
EXPECTED = {
    GAP: "quarantine",
    NON_ISO: "quarantine",
    ENUM: "quarantine",
    UNRESOLVED: "quarantine",
    CONFLICT: "quarantine",
    BAD_NHS: "warning",
    ENCODING: "reject_file",
    MANIFEST: "reject_package",
}
CASE, AMBIGUOUS, QUOTED = "enum_case_space", "ambiguous_fall_back", "quoted_description"
CP1252, BOM, CRLF, EXTRA = "windows_1252", "utf8_bom", "crlf", "extra_column"
QUIRK_EXPECTED = {
    CASE: "load",
    AMBIGUOUS: "load_flagged",
    QUOTED: "load",
    CP1252: "load",
    BOM: "load",
    CRLF: "load",
    EXTRA: "load_reported",
}
#: Column each row fault or quirk changes, per entity.
COLUMNS: dict[str, dict[str, str]] = {
    GAP: {
        "care_notes": "care_at",
        "medication_administrations": "recorded_at",
        "alerts": "raised_at",
        "visits": "scheduled_start",
        "shifts": "start_at",
    },
    NON_ISO: {"care_plan_reviews": "due_date"},
    ENUM: {
        "care_notes": "category",
        "incidents": "incident_type",
        "medication_administrations": "outcome",
        "alerts": "category",
        "visits": "visit_status",
    },
    UNRESOLVED: {
        "care_notes": "person_id",
        "medication_administrations": "person_id",
        "visits": "person_id",
        "care_plan_reviews": "person_id",
    },
    CONFLICT: {
        "care_notes": "entry_seconds",
        "medication_administrations": "recorded_at",
        "alerts": "raised_at",
    },
    BAD_NHS: {"people": "nhs_number"},
    CASE: {"incidents": "incident_type", "care_notes": "category", "alerts": "severity"},
    AMBIGUOUS: {"care_notes": "care_at"},
    QUOTED: {"incidents": "description"},
    CP1252: {"incidents": "description"},
}
_UNKNOWN = {
    "care_notes": "bathing",
    "incidents": "slip_trip",
    "medication_administrations": "declined",
    "alerts": "door_sensor",
    "visits": "rescheduled",
}
_FILE_QUIRKS = (
    (CP1252, ("incidents",)),
    (BOM, ("care_notes",)),
    (CRLF, ("medication_administrations",)),
    (EXTRA, ("visits", "alerts")),
)
QUOTED_TEXT = 'Found on the floor, said "I only slipped, honest"\nGP informed, family called.'
CP1252_TEXT = "Spilt hot tea in the café, replaced the £4 cup, skin checked, no redness."


@dataclass(slots=True)
class FaultPlan:
    """File- and package-level faults and quirks."""

    rejected: dict[int, str] = field(default_factory=dict)
    """Export index -> what the manifest gets wrong (``rows`` or ``sha256``)."""
    utf16: tuple[int, str] | None = None
    """(export, entity) of the file written in UTF-16."""
    file_quirks: dict[tuple[int, str], str] = field(default_factory=dict)


def plan_files(
    *, rng: np.random.Generator, plan: ExportPlan, counts: dict[str, dict[int, int]]
) -> FaultPlan:
    """Choose the packages with manifest mismatches, the UTF-16 file and the quirky files."""
    result = FaultPlan()
    later = [e for e in range(plan.count) if e != plan.first_export[plan.provider[e]]]
    candidates = later or list(range(plan.count))
    wanted = 2 if plan.count >= 6 else 1
    for kind, export in zip(("rows", "sha256"), _sample(rng, candidates, wanted), strict=False):
        result.rejected[int(export)] = kind
    used: set[tuple[int, str]] = set()
    for entity in ("alerts", "care_plan_reviews"):
        files = _files(counts, entity, result.rejected, used)
        if files:
            result.utf16 = files[int(rng.integers(len(files)))]
            used.add(result.utf16)
            break
    for kind, entities in _FILE_QUIRKS:
        for entity in entities:
            files = _files(counts, entity, result.rejected, used)
            if files:
                chosen = files[int(rng.integers(len(files)))]
                result.file_quirks[chosen] = kind
                used.add(chosen)
                break
    return result


def _files(
    counts: dict[str, dict[int, int]],
    entity: str,
    rejected: dict[int, str],
    used: set[tuple[int, str]],
) -> list[tuple[int, str]]:
    return sorted(
        (e, entity)
        for e, n in counts.get(entity, {}).items()
        if n > 0 and e not in rejected and (e, entity) not in used
    )


def _sample(rng: np.random.Generator, items: list[int], count: int) -> list[int]:
    if not items:
        return []
    return sorted(rng.choice(items, size=min(count, len(items)), replace=False).tolist())


FAULT_CODES = (None, *ROW_FAULTS)
QUIRK_CODES = (None, CASE, QUOTED, AMBIGUOUS, CP1252)


def mark_rows(
    *,
    rng: np.random.Generator,
    frames: dict[str, pl.DataFrame],
    plan: ExportPlan,
    files: FaultPlan,
    per_kind: int,
    quirks_per_kind: int,
) -> dict[str, pl.DataFrame]:
    """Mark row faults and quirks; add the conflicting copies. Returns new frames."""
    eligible = {
        name: _eligible(name=name, frame=f, plan=plan, files=files) for name, f in frames.items()
    }
    fault = {name: np.zeros(f.height, dtype=np.int64) for name, f in frames.items()}
    quirk = {name: np.zeros(f.height, dtype=np.int64) for name, f in frames.items()}
    for code, kind in enumerate(FAULT_CODES[1:], start=1):
        masks = {
            name: eligible[name][0]
            & (fault[name] == 0)
            & (eligible[name][1] if kind == CONFLICT else True)
            for name in COLUMNS[kind]
            if name in frames
        }
        for name, rows in _choose(rng=rng, masks=masks, count=per_kind).items():
            fault[name][rows] = code
    for code, kind in enumerate(QUIRK_CODES[1:4], start=1):
        masks = {
            name: eligible[name][0] & (fault[name] == 0) & (quirk[name] == 0)
            for name in COLUMNS[kind]
            if name in frames
        }
        for name, rows in _choose(rng=rng, masks=masks, count=quirks_per_kind).items():
            quirk[name][rows] = code
    for (export, entity), kind in files.file_quirks.items():
        if kind == CP1252:
            export_rows = (frames[entity]["_export"] == export).to_numpy()
            rows = np.flatnonzero(export_rows & (fault[entity] == 0))[:1]
            quirk[entity][rows] = QUIRK_CODES.index(CP1252)
    out = {}
    for name, f in frames.items():
        conflicts = np.flatnonzero(fault[name] == FAULT_CODES.index(CONFLICT))
        clean = np.where(fault[name] == FAULT_CODES.index(CONFLICT), 0, fault[name])
        marked = f.with_columns(
            _fault=_codes(FAULT_CODES, clean),
            _quirk=_codes(QUIRK_CODES, quirk[name]),
            _value=pl.lit(None, dtype=pl.String),
        )
        marked = _add_values(marked)
        if len(conflicts):
            marked = pl.concat([marked, _conflicting(marked[conflicts], entity=name)])
        out[name] = marked
    return out


def _codes(names: tuple[str | None, ...], codes: np.ndarray) -> pl.Series:
    labels = pl.Series(["", *names[1:]], dtype=pl.String).gather(pl.Series(codes))
    return pl.select(pl.when(pl.Series(codes) > 0).then(labels)).to_series()


def _eligible(
    *, name: str, frame: pl.DataFrame, plan: ExportPlan, files: FaultPlan
) -> tuple[np.ndarray, np.ndarray]:
    """Rows that may carry a fault, and rows whose next export will be read.

    The first are plain new rows in files that will be read; the second allow a conflicting
    copy in the provider's next export.
    """
    export = frame["_export"].to_numpy()
    ok = ~np.isin(export, list(files.rejected))
    if files.utf16 is not None and files.utf16[1] == name:
        ok &= export != files.utf16[0]
    if "_kind" in frame.columns:
        ok &= (frame["_kind"] == BASE).to_numpy() & ~frame["_redelivered"].to_numpy()
    if name == "people":
        ok &= frame["nhs_number"].is_not_null().to_numpy()
    if plan.count == 0 or len(export) == 0:
        return ok, ok
    nxt = np.minimum(export + 1, plan.count - 1)
    has_next = (export < plan.last_export[plan.provider[export]]) & ~np.isin(
        nxt, list(files.rejected)
    )
    return ok, has_next


def _choose(
    *, rng: np.random.Generator, masks: dict[str, np.ndarray], count: int
) -> dict[str, np.ndarray]:
    """Up to ``count`` rows drawn across entities from the rows each mask allows."""
    pool = [(name, np.flatnonzero(mask)) for name, mask in masks.items()]
    total = sum(len(rows) for _, rows in pool)
    if total == 0:
        return {}
    picks = np.sort(rng.choice(total, size=min(count, total), replace=False))
    out: dict[str, np.ndarray] = {}
    start = 0
    for name, rows in pool:
        mine = picks[(picks >= start) & (picks < start + len(rows))] - start
        if len(mine):
            out[name] = rows[mine]
        start += len(rows)
    return out


def _add_values(frame: pl.DataFrame) -> pl.DataFrame:
    """The exact text of gap and fall-back timestamps: the clock change on or before the row."""
    if "_day" not in frame.columns:
        return frame
    gap = (frame["_fault"] == GAP).fill_null(False).to_numpy()
    back = (frame["_quirk"] == AMBIGUOUS).fill_null(False).to_numpy()
    rows = np.flatnonzero(gap | back)
    if len(rows) == 0:
        return frame
    days = frame["_day"].to_numpy()[rows]
    first = _clock_change_before(days, month=10, time="01:30:00").astype(str)
    later = _clock_change_before(days, month=10, time="01:42:00").astype(str)
    values = np.where(
        gap[rows],
        _clock_change_before(days, month=3, time="01:30:00"),
        np.char.add(np.char.add(first, "|"), later).astype(object),
    )
    column = pl.repeat(None, frame.height, dtype=pl.String, eager=True).scatter(
        rows, values.tolist()
    )
    return frame.with_columns(_value=column)


def _clock_change_before(days: np.ndarray, *, month: int, time: str) -> np.ndarray:
    if len(days) == 0:
        return np.array([], dtype=object)
    years = np.unique(days.astype("datetime64[D]").astype("datetime64[Y]").astype(int) + 1970)
    changes = sorted(
        clock.day_number(clock.last_sunday(int(y), month))
        for y in range(years.min() - 1, years.max() + 1)
    )
    table = np.array(changes)
    index = np.maximum(np.searchsorted(table, days, side="right") - 1, 0)
    labels = np.array([f"{clock.day_date(d)}T{time}" for d in table], dtype=object)
    return labels[index]


def _conflicting(rows: pl.DataFrame, *, entity: str) -> pl.DataFrame:
    """Copies sent again in the next export with the same uid and version, content changed."""
    column = COLUMNS[CONFLICT][entity]
    changed = (
        (pl.col(column) + 17)
        if rows.schema[column] == pl.Int64
        else pl.col(column) + pl.duration(minutes=2)
    )
    return rows.with_columns(
        changed.alias(column),
        _export=pl.col("_export") + 1,
        _kind=pl.lit("conflict"),
        _fault=pl.lit(CONFLICT),
    )


def apply_to_text(frame: pl.DataFrame, *, entity: str) -> pl.DataFrame:
    """Write each marked row fault or quirk into the text of its column."""
    if "_fault" not in frame.columns:
        return frame
    updates: dict[str, pl.Expr] = {}
    fault, quirk, value = pl.col("_fault"), pl.col("_quirk"), pl.col("_value")

    def add(column: str, condition: pl.Expr, new: pl.Expr) -> None:
        base = updates.get(column, pl.col(column))
        updates[column] = pl.when(condition).then(new).otherwise(base)

    if column := COLUMNS[GAP].get(entity):
        add(column, fault == GAP, value)
    if column := COLUMNS[NON_ISO].get(entity):
        add(
            column,
            fault == NON_ISO,
            pl.concat_str(
                [
                    pl.col(column).str.slice(8, 2),
                    pl.col(column).str.slice(5, 2),
                    pl.col(column).str.slice(0, 4),
                ],
                separator="/",
            ),
        )
    if column := COLUMNS[ENUM].get(entity):
        add(column, fault == ENUM, pl.lit(_UNKNOWN[entity]))
    if column := COLUMNS[UNRESOLVED].get(entity):
        add(column, fault == UNRESOLVED, pl.format("UNKNOWN-{}", pl.col("record_uid")))
    if column := COLUMNS[BAD_NHS].get(entity):
        digits = pl.col(column).str.replace_all(" ", "")
        wrong = ((digits.str.slice(9, 1).cast(pl.Int64) + 1) % 10).cast(pl.String)
        add(column, fault == BAD_NHS, pl.concat_str([digits.str.slice(0, 9), wrong]))
    if column := COLUMNS[CASE].get(entity):
        text = pl.col(column)
        add(
            column,
            quirk == CASE,
            pl.concat_str(
                [pl.lit(" "), text.str.slice(0, 1).str.to_uppercase(), text.str.slice(1)]
            ),
        )
    if entity == "care_notes":
        add("care_at", quirk == AMBIGUOUS, value.str.split("|").list.get(0))
        add("recorded_at", quirk == AMBIGUOUS, value.str.split("|").list.get(1))
    if entity == "incidents":
        add("description", quirk == QUOTED, pl.lit(QUOTED_TEXT))
        add("description", quirk == CP1252, pl.lit(CP1252_TEXT))
    if not updates:
        return frame
    return frame.with_columns(**updates)
