"""Mangled packages never crash the nightly load: bad input is a rejection or a quarantine.

Hypothesis damages a small valid package (bytes flipped, inserted or cut off in a CSV, random
text in cells, manifest values replaced, a zip cut short) and the real ``run_nightly`` loads
it into a fresh warehouse. Several damaged packages go into each run to keep the number of
runs (about ten seconds each, most of it the table checks) small.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import KEY, make_config
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from odepackages import (
    care_note,
    count_records,
    csv_bytes,
    location,
    occupancy,
    person,
    query,
    staff,
    write_package,
)

from pipelines.errors import FileRejectedError
from pipelines.runner import RunSummary, run_nightly
from pipelines.textfile import read_csv_text

pytestmark = pytest.mark.integration

REPO_ROOT = Path(__file__).parents[2]
BASE_FILES: dict[str, bytes] = {
    "locations.csv": csv_bytes([location()]),
    "people.csv": csv_bytes([person(), person(person_id="P2", nhs_number="401 023 2137")]),
    "staff.csv": csv_bytes([staff()]),
    "occupancy.csv": csv_bytes([occupancy(), occupancy(date="2025-06-11")]),
    "care_notes.csv": csv_bytes(
        [
            care_note(),
            care_note(record_uid="N2", person_id="P2", care_at="2025-06-11 09:30"),
            care_note(record_uid="N3", version="2", status="entered_in_error"),
        ]
    ),
}
MANIFEST_KEYS = [
    "spec_version",
    "supplier",
    "provider_id",
    "extract_id",
    "extract_from",
    "extract_to",
    "generated_at",
    "files",
]
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner),
    max_leaves=6,
)
CELL_TEXT = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)) | st.sampled_from(',"\r\n'),
    max_size=20,
)


FilesDamage = Callable[[dict[str, bytes]], None]
ManifestDamage = Callable[[dict[str, object]], bytes]


def _keep_files(_files: dict[str, bytes]) -> None:
    """Leave the CSV files as they are."""


def _keep_manifest(manifest: dict[str, object]) -> bytes:
    """Leave the manifest as it is."""
    return json.dumps(manifest).encode()


@dataclass(frozen=True)
class Damage:
    """One way of damaging a package."""

    label: str
    files: FilesDamage = _keep_files
    manifest: ManifestDamage = _keep_manifest
    zip_keep: float | None = None
    """Zip the package and keep only this share of the zip's bytes."""


def _records(data: bytes) -> int:
    """The record count the loader will find, so that damaged files reach the parser."""
    try:
        return read_csv_text(data, file_name="probe.csv").records
    except FileRejectedError:
        return count_records(data)
    except Exception:  # noqa: BLE001 - a crash here is the loader's; run_nightly must report it
        return count_records(data)


@st.composite
def csv_damage(draw: st.DrawFn) -> Damage:
    """Bytes flipped, inserted or cut off in one CSV, or random text put into one cell."""
    name = draw(st.sampled_from(sorted(BASE_FILES)))
    original = BASE_FILES[name]
    kind = draw(st.sampled_from(["flip", "insert", "truncate", "cell"]))
    position = draw(st.integers(0, len(original)))
    if kind == "flip":
        mask = draw(st.integers(1, 255))
        index = min(position, len(original) - 1)
        changed = bytearray(original)
        changed[index] ^= mask
        damaged = bytes(changed)
    elif kind == "insert":
        damaged = (
            original[:position] + draw(st.binary(min_size=1, max_size=8)) + original[position:]
        )
    elif kind == "truncate":
        damaged = original[:position]
    else:
        lines = original.decode().splitlines()
        row = draw(st.integers(1, len(lines) - 1))
        cells = lines[row].split(",")
        cells[draw(st.integers(0, len(cells) - 1))] = draw(CELL_TEXT)
        damaged = "\n".join([*lines[:row], ",".join(cells), *lines[row + 1 :]]).encode()

    def apply(files: dict[str, bytes]) -> None:
        files[name] = damaged

    return Damage(label=f"{kind} {name} at {position}", files=apply)


@st.composite
def manifest_damage(draw: st.DrawFn) -> Damage:
    """A manifest value replaced or removed, a file entry garbled, the manifest or zip cut short."""
    kind = draw(st.sampled_from(["value", "remove", "entry", "truncate", "zip"]))
    key = draw(st.sampled_from(MANIFEST_KEYS))
    value = draw(JSON_VALUES)
    cut = draw(st.integers(0, 400))
    if kind == "zip":
        return Damage(label="zip cut short", zip_keep=draw(st.floats(0.0, 0.99)))

    def apply(manifest: dict[str, object]) -> bytes:
        if kind == "value":
            manifest[key] = value
        elif kind == "remove":
            manifest.pop(key)
        elif kind == "entry":
            entries = manifest["files"]
            assert isinstance(entries, list)
            field = ("name", "rows", "sha256")[cut % 3]
            entries[cut % len(entries)] = {**entries[cut % len(entries)], field: value}
        text = json.dumps(manifest).encode()
        return text[:cut] if kind == "truncate" else text

    return Damage(label=f"{kind} {key}", manifest=apply)


def _write_damaged(inbox: Path, *, index: int, damage: Damage) -> None:
    """Write the base package, damaged, as extract ``index`` of the test provider."""
    files = dict(BASE_FILES)
    damage.files(files)
    folder = write_package(
        inbox,
        extract_id=f"{index:04d}",
        generated_at=f"2025-07-{index + 1:02d}T02:00:00Z",
        files=files,
        row_counts={name: _records(data) for name, data in files.items()},
    )
    manifest = folder / "manifest.json"
    manifest.write_bytes(damage.manifest(json.loads(manifest.read_bytes())))
    if damage.zip_keep is not None:
        archive = folder.with_suffix(".zip")
        with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as writer:
            for member in sorted(folder.iterdir()):
                writer.write(member, f"{folder.name}/{member.name}")
        shutil.rmtree(folder)
        data = archive.read_bytes()
        archive.write_bytes(data[: int(len(data) * damage.zip_keep)])


def _check_run(summary: RunSummary, warehouse: Path) -> None:
    """The run finished, and rows read = loaded + duplicates + quarantined for every file."""
    assert summary.failure is None, summary.failure
    assert summary.exit_code in (0, 1, 2)
    for outcome in summary.files:
        assert outcome.balances, outcome
    audited = query(
        warehouse,
        "select file_name, rows_read, rows_loaded + duplicates_skipped + rows_quarantined, "
        "rows_quarantined from audit.load_files where run_id = ?",
        [summary.run_id],
    )
    assert len(audited) == len(summary.files)
    for name, read, accounted, _ in audited:
        assert read == accounted, name
    ((quarantined,),) = query(
        warehouse, "select count(*) from audit.quarantine where run_id = ?", [summary.run_id]
    )
    assert quarantined == sum(row[3] for row in audited)


def _load_damaged(root: Path, damages: list[Damage]) -> None:
    inbox = root / "inbox"
    for index, damage in enumerate(damages, start=1):
        _write_damaged(inbox, index=index, damage=damage)
    warehouse = root / "carelens.duckdb"
    summary = run_nightly(inbox=inbox, config=make_config(warehouse))
    _check_run(summary, warehouse)


RUN_SETTINGS = settings(
    deadline=None,
    database=None,
    derandomize=False,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def _emptied(name: str) -> Damage:
    return Damage(label=f"truncate {name} at 0", files=lambda files: files.update({name: b""}))


@settings(RUN_SETTINGS, max_examples=3)
@given(damages=st.lists(csv_damage(), min_size=3, max_size=8))
@example(damages=[_emptied("care_notes.csv"), _emptied("occupancy.csv")])
def test_damaged_csv_files_never_crash_the_load(
    tmp_path_factory: pytest.TempPathFactory, damages: list[Damage]
) -> None:
    # Given three to eight packages, each with one CSV damaged (and a manifest that matches it)
    # When they are loaded, then the run finishes and every file's rows are accounted for
    _load_damaged(tmp_path_factory.mktemp("csv"), damages)


@settings(RUN_SETTINGS, max_examples=2)
@given(damages=st.lists(manifest_damage(), min_size=3, max_size=8))
def test_damaged_manifests_and_zips_never_crash_the_load(
    tmp_path_factory: pytest.TempPathFactory, damages: list[Damage]
) -> None:
    # Given three to eight packages with a garbled manifest or cut short as a zip
    # When they are loaded, then the run finishes and every file's rows are accounted for
    _load_damaged(tmp_path_factory.mktemp("manifest"), damages)


def _seeded_damages(seed: int) -> list[Damage]:
    """A fixed mix of damage for the command-line run (no hypothesis, same every time)."""
    rng = random.Random(seed)
    damages = []
    for name in sorted(BASE_FILES):
        changed = bytearray(BASE_FILES[name])
        changed[rng.randrange(len(changed))] ^= rng.randrange(1, 256)

        def apply(files: dict[str, bytes], n: str = name, data: bytes = bytes(changed)) -> None:
            files[n] = data

        damages.append(Damage(label=f"flip {name}", files=apply))
    damages.append(Damage(label="zip cut short", zip_keep=0.5))
    damages.append(
        Damage(
            label="generated_at a list",
            manifest=lambda m: json.dumps({**m, "generated_at": [1]}).encode(),
        )
    )
    return damages


def test_carelens_load_on_damaged_packages_prints_no_traceback(tmp_path: Path) -> None:
    # Given an inbox of packages damaged in several ways
    inbox = tmp_path / "inbox"
    for index, damage in enumerate(_seeded_damages(seed=11), start=1):
        _write_damaged(inbox, index=index, damage=damage)
    warehouse = tmp_path / "carelens.duckdb"
    env = {**os.environ, "CARELENS_PSEUDONYM_KEY": KEY.decode()}

    # When `carelens load` runs on it
    finished = subprocess.run(  # noqa: S603 - our own CLI with fixed arguments
        [sys.executable, "-m", "carelens", "load", str(inbox), "--warehouse", str(warehouse)],
        env=env,
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )

    # Then it reports rejections with exit code 2, a one-line summary and no traceback
    output = finished.stdout + finished.stderr
    assert "Traceback" not in output
    assert "FAILED" not in output
    assert finished.returncode == 2, output
    assert finished.stdout.strip().startswith("carelens load ")
    assert "rejected" in finished.stdout
