"""Writing ODE-1 packages: CSV bytes, manifest.json, folders and zips, with fault records."""

from __future__ import annotations

import hashlib
import json
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import polars as pl

from data_contracts.ode1.entities import ENTITIES, ENTITY_ORDER, ColumnKind
from pipelines.synthetic import faults
from pipelines.synthetic.exports import ExportPlan
from pipelines.synthetic.formatting import format_entity
from pipelines.synthetic.identifiers import SUPPLIERS
from pipelines.synthetic.world import World

CARE_HOME_FILES = (
    "locations",
    "people",
    "staff",
    "occupancy",
    "shifts",
    "care_notes",
    "incidents",
    "medication_administrations",
    "alerts",
    "care_plan_reviews",
)
HOME_CARE_FILES = (
    "locations",
    "people",
    "staff",
    "care_notes",
    "incidents",
    "medication_administrations",
    "alerts",
    "visits",
    "care_plan_reviews",
)


@dataclass(slots=True)
class WriteResult:
    """What the writer produced: packages, rows per entity, and the faults and quirks found."""

    packages: list[dict[str, object]] = field(default_factory=list)
    rows: dict[str, int] = field(default_factory=dict)
    faults: list[dict[str, object]] = field(default_factory=list)
    quirks: list[dict[str, object]] = field(default_factory=list)


def write_packages(
    *,
    out_dir: Path,
    world: World,
    plan: ExportPlan,
    frames: dict[str, pl.DataFrame],
    files: faults.FaultPlan,
    zipped: set[int],
) -> WriteResult:
    """Write every package of the plan under ``out_dir/exports``."""
    exports_dir = out_dir / "exports"
    exports_dir.mkdir(parents=True, exist_ok=True)
    styles = _styles(world=world, plan=plan)
    result = WriteResult(rows=dict.fromkeys(ENTITIES, 0))
    where = {
        e: _location(
            package=plan.name(export=e, provider_id=world.provider_id[int(plan.provider[e])]),
            zipped=e in zipped,
            file="",
        )
        for e in range(plan.count)
    }
    parts: dict[str, dict[int, pl.DataFrame]] = {}
    for name in list(frames):
        frame = frames.pop(name)
        text = faults.apply_to_text(
            format_entity(frame.join(styles, on="_export", how="left"), entity=ENTITIES[name]),
            entity=name,
        )
        del frame
        if "_fault" in text.columns:
            marked = text.filter(pl.col("_fault").is_not_null() | pl.col("_quirk").is_not_null())
            if not marked.is_empty():
                _record(
                    result=result,
                    marked=_with_lines(text, entity=name).filter(
                        pl.col("_fault").is_not_null() | pl.col("_quirk").is_not_null()
                    ),
                    entity=name,
                    where=where,
                )
        parts[name] = {
            int(key[0]): part
            for key, part in text.select("_export", *ENTITIES[name].column_names)
            .partition_by("_export", as_dict=True, maintain_order=True)
            .items()
        }
    for export in range(plan.count):
        provider = int(plan.provider[export])
        package = plan.name(export=export, provider_id=world.provider_id[provider])
        names: tuple[str, ...] = (
            CARE_HOME_FILES if world.provider_is_care_home[provider] else HOME_CARE_FILES
        )
        if not world.provider_writes_occupancy[provider]:
            names = tuple(n for n in names if n != "occupancy")
        contents: dict[str, bytes] = {}
        listed: list[dict[str, object]] = []
        for name in names:
            part = parts.get(name, {}).get(export)
            if part is None:
                part = pl.DataFrame(schema=dict.fromkeys(ENTITIES[name].column_names, pl.String))
            kind = files.file_quirks.get((export, name))
            data = _csv_bytes(part, entity=name, quirk=kind, utf16=files.utf16 == (export, name))
            location = _location(package=package, zipped=export in zipped, file=f"{name}.csv")
            if kind is not None:
                result.quirks.append(
                    {
                        **location,
                        "kind": kind,
                        "line": None,
                        "expected": faults.QUIRK_EXPECTED[kind],
                    }
                )
            if files.utf16 == (export, name):
                result.faults.append(
                    {
                        **location,
                        "kind": faults.ENCODING,
                        "line": None,
                        "expected": faults.EXPECTED[faults.ENCODING],
                        "detail": "whole file encoded as UTF-16",
                    }
                )
            contents[f"{name}.csv"] = data
            listed.append(
                {
                    "name": f"{name}.csv",
                    "rows": part.height,
                    "sha256": hashlib.sha256(data).hexdigest(),
                }
            )
            result.rows[name] += part.height
        mismatch = files.rejected.get(export)
        if mismatch is not None:
            listed, broken = _break_manifest(listed, mismatch)
            result.faults.append(
                {
                    **_location(package=package, zipped=export in zipped, file="manifest.json"),
                    "kind": faults.MANIFEST,
                    "line": None,
                    "expected": faults.EXPECTED[faults.MANIFEST],
                    "detail": f"wrong {mismatch} for {broken}",
                }
            )
        manifest = {
            "spec_version": "1.0",
            "supplier": SUPPLIERS[int(world.provider_supplier[provider])].name,
            "provider_id": world.provider_id[provider],
            "extract_id": plan.extract_id[export],
            "extract_from": str(np.datetime64(int(plan.extract_from[export]), "D")),
            "extract_to": str(np.datetime64(int(plan.extract_to[export]), "D")),
            "generated_at": plan.generated_at[export],
            "files": listed,
        }
        contents["manifest.json"] = (json.dumps(manifest, indent=2, sort_keys=True) + "\n").encode()
        _write(
            exports_dir=exports_dir,
            package=package,
            contents=contents,
            zipped=export in zipped,
            stamp=plan.generated_at[export],
        )
        result.packages.append(
            {
                "name": package,
                "provider_id": manifest["provider_id"],
                "extract_id": manifest["extract_id"],
                "extract_from": manifest["extract_from"],
                "extract_to": manifest["extract_to"],
                "generated_at": manifest["generated_at"],
                "zipped": export in zipped,
                "rows": {f["name"]: f["rows"] for f in listed},
                "rejected": mismatch is not None,
            }
        )
    return result


def _styles(*, world: World, plan: ExportPlan) -> pl.DataFrame:
    supplier = world.provider_supplier[plan.provider]
    return pl.DataFrame(
        {
            "_export": pl.Series(np.arange(plan.count), dtype=pl.Int64),
            "_ts_style": [SUPPLIERS[int(s)].timestamp_style for s in supplier],
            "_bool_style": [SUPPLIERS[int(s)].boolean_style for s in supplier],
        }
    )


def _location(*, package: str, zipped: bool, file: str) -> dict[str, object]:
    container = f"exports/{package}.zip" if zipped else f"exports/{package}"
    return {"package": package, "container": container, "file": file}


def _with_lines(frame: pl.DataFrame, *, entity: str) -> pl.DataFrame:
    """Add ``_line``: the physical line of each row in its file (header = 1).

    Free-text cells may hold newlines inside quotes, which push later rows down.
    """
    free_text = [c.name for c in ENTITIES[entity].columns if c.kind == ColumnKind.TEXT]
    newlines = pl.sum_horizontal(
        [pl.col(c).str.count_matches("\n", literal=True).fill_null(0) for c in free_text]
        or [pl.lit(0)]
    )
    return frame.with_columns(
        _line=(
            pl.int_range(pl.len()).over("_export")
            + 2
            + newlines.cum_sum().over("_export")
            - newlines
        )
    )


def _record(
    *, result: WriteResult, marked: pl.DataFrame, entity: str, where: dict[int, dict[str, object]]
) -> None:
    """Record every marked row (fault or quirk) with its package, file and line."""
    uid = "record_uid" if "record_uid" in marked.columns else ENTITIES[entity].key[0]
    for export, fault, quirk, line, record in marked.select(
        "_export", "_fault", "_quirk", "_line", uid
    ).iter_rows():
        kind = fault or quirk
        entry = {
            **where[export],
            "file": f"{entity}.csv",
            "kind": kind,
            "line": int(line),
            "record": record,
            "column": faults.COLUMNS.get(kind, {}).get(entity),
        }
        if fault:
            result.faults.append({**entry, "expected": faults.EXPECTED[kind]})
        else:
            result.quirks.append({**entry, "expected": faults.QUIRK_EXPECTED[kind]})


def _csv_bytes(part: pl.DataFrame, *, entity: str, quirk: str | None, utf16: bool) -> bytes:
    columns = list(ENTITIES[entity].column_names)
    table = part.select(columns)
    if quirk == faults.EXTRA:
        table = table.with_columns(device_ref=pl.format("DEV-{}", pl.int_range(pl.len()) % 40))
    text = table.write_csv(line_terminator="\r\n" if quirk == faults.CRLF else "\n")
    if utf16:
        return text.encode("utf-16")
    if quirk == faults.CP1252:
        return text.encode("cp1252")
    if quirk == faults.BOM:
        return b"\xef\xbb\xbf" + text.encode("utf-8")
    return text.encode("utf-8")


def _break_manifest(
    listed: list[dict[str, object]], mismatch: str
) -> tuple[list[dict[str, object]], str]:
    """Get the row count or checksum of the largest file wrong; return the list and its name."""
    target = max(range(len(listed)), key=lambda i: (int(str(listed[i]["rows"])), -i))
    broken = dict(listed[target])
    if mismatch == "rows":
        broken["rows"] = int(str(broken["rows"])) + 1
    else:
        broken["sha256"] = hashlib.sha256(b"not the file").hexdigest()
    out = list(listed)
    out[target] = broken
    return out, str(broken["name"])


def _write(
    *, exports_dir: Path, package: str, contents: dict[str, bytes], zipped: bool, stamp: str
) -> None:
    ordered = ["manifest.json"] + [
        f"{e.name}.csv" for e in ENTITY_ORDER if f"{e.name}.csv" in contents
    ]
    if not zipped:
        folder = exports_dir / package
        folder.mkdir(parents=True, exist_ok=True)
        for name in ordered:
            (folder / name).write_bytes(contents[name])
        return
    date_time = (
        int(stamp[0:4]),
        int(stamp[5:7]),
        int(stamp[8:10]),
        int(stamp[11:13]),
        int(stamp[14:16]),
        int(stamp[17:19]) // 2 * 2,
    )
    with zipfile.ZipFile(exports_dir / f"{package}.zip", "w") as archive:
        for name in ordered:
            info = zipfile.ZipInfo(f"{package}/{name}", date_time=date_time)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, contents[name], compresslevel=1)
