"""The nightly load end to end on a generated ICB: accounting, faults, reloads, kills."""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest
from conftest import KEY, LoadedInbox, make_config

from data_contracts.ode1 import ENTITY_ORDER
from pipelines.runner import run_nightly

pytestmark = pytest.mark.integration


def _table_fingerprints(warehouse: Path) -> dict[str, tuple[int, str]]:
    """Row count and an order-independent checksum of every staging and core table."""
    fingerprints = {}
    with duckdb.connect(str(warehouse), read_only=True) as con:
        for schema in ("staging", "core", "reference"):
            tables = con.execute(
                "select table_name from information_schema.tables where table_schema = ? "
                "and table_type = 'BASE TABLE'",
                [schema],
            ).fetchall()
            for (table,) in tables:
                ((count, digest),) = con.execute(
                    f"select count(*), coalesce(bit_xor(hash(t)), 0)::varchar "
                    f"from {schema}.{table} t"
                ).fetchall()
                fingerprints[f"{schema}.{table}"] = (count, digest)
    return fingerprints


def test_first_load_reports_quarantine_and_rejections(loaded: LoadedInbox) -> None:
    # Given a generated inbox with faults, loaded once
    summary = loaded.summary

    # Then the run finished, published, and says something was rejected
    assert summary.failure is None
    assert summary.exit_code == 2
    assert summary.packages_loaded > 0
    ((runs,),) = loaded.query("select count(*) from audit.load_runs")
    assert runs == 1


def test_row_accounting_holds_for_every_file(loaded: LoadedInbox) -> None:
    rows = loaded.query(
        "select export_id, file_name, rows_read, rows_loaded, duplicates_skipped, "
        "rows_quarantined, status from audit.load_files"
    )

    assert rows
    for export_id, name, read, loaded_rows, duplicates, quarantined, status in rows:
        assert read == loaded_rows + duplicates + quarantined, (export_id, name)
        assert status in {"loaded", "partial", "rejected", "skipped_already_loaded"}
        (quarantine_rows,) = loaded.query(
            "select count(*) from audit.quarantine where export_id = ? and file_name = ?",
            [export_id, name],
        )[0]
        assert quarantine_rows == quarantined


def test_loaded_rows_are_in_staging(loaded: LoadedInbox) -> None:
    for entity in ENTITY_ORDER:
        ((in_audit,),) = loaded.query(
            "select coalesce(sum(rows_loaded), 0) from audit.load_files where entity = ?",
            [entity.name],
        )
        ((in_staging,),) = loaded.query(f"select count(*) from staging.{entity.name}")
        assert in_audit == in_staging, entity.name


def _rejected_packages(loaded: LoadedInbox) -> set[str]:
    return {
        package
        for (package,) in loaded.query(
            "select distinct export_id from audit.load_files "
            "where rejection_reason like 'package rejected%'"
        )
    }


def test_every_generated_fault_has_the_specified_outcome(loaded: LoadedInbox) -> None:
    # Given the faults the generator planted, with the outcome the spec requires
    rejected_packages = _rejected_packages(loaded)
    quarantined = {
        (export_id, name, line)
        for export_id, name, line in loaded.query(
            "select export_id, file_name, line_number from audit.quarantine"
        )
    }
    warned = {
        (export_id, name, line)
        for export_id, name, line in loaded.query(
            "select export_id, file_name, line_number from audit.warnings"
        )
    }
    rejected_files = {
        (export_id, name)
        for export_id, name in loaded.query(
            "select export_id, file_name from audit.load_files where status = 'rejected'"
        )
    }

    # Then each one is found where and as expected
    for fault in loaded.truth["faults"]:
        package, name, line = fault["package"], fault["file"], fault["line"]
        if fault["expected"] == "reject_package":
            assert package in rejected_packages, fault
        elif package in rejected_packages:
            continue  # the whole package was refused, so its rows were never read
        elif fault["expected"] == "reject_file":
            assert (package, name) in rejected_files, fault
        elif fault["expected"] == "quarantine":
            assert (package, name, line) in quarantined, fault
        elif fault["expected"] == "warning":
            assert (package, name, line) in warned, fault


def test_legitimate_quirks_load(loaded: LoadedInbox) -> None:
    rejected_packages = _rejected_packages(loaded)
    quarantined = set(
        loaded.query("select export_id, file_name, line_number from audit.quarantine")
    )
    for quirk in loaded.truth["quirks"]:
        if quirk["package"] in rejected_packages or quirk.get("line") is None:
            continue
        assert (quirk["package"], quirk["file"], quirk["line"]) not in quarantined, quirk


def test_no_nhs_number_in_clear_anywhere_in_the_warehouse(loaded: LoadedInbox) -> None:
    # Given every NHS number the generator wrote into people.csv files
    numbers: set[str] = set()
    for path in loaded.inbox.rglob("people.csv"):
        text = path.read_bytes().decode("utf-8", errors="ignore")
        header = text.splitlines()[0].split(",")
        if "nhs_number" not in header:
            continue
        index = header.index("nhs_number")
        for line in text.splitlines()[1:]:
            cells = line.split(",")
            if len(cells) > index and cells[index].strip():
                numbers.add(cells[index].replace(" ", ""))
    assert numbers

    # When the warehouse file is read as bytes
    raw = loaded.warehouse.read_bytes()

    # Then none of them appears, with or without spaces
    leaked = [
        n for n in numbers if n.encode() in raw or f"{n[:3]} {n[3:6]} {n[6:]}".encode() in raw
    ]
    assert leaked == []


def test_reloading_the_same_inbox_changes_no_data(loaded: LoadedInbox, tmp_path: Path) -> None:
    # Given a copy of the loaded warehouse
    warehouse = tmp_path / "carelens.duckdb"
    shutil.copyfile(loaded.warehouse, warehouse)
    before = _table_fingerprints(warehouse)

    # When the same inbox is loaded again
    summary = run_nightly(inbox=loaded.inbox, config=make_config(warehouse))

    # Then every package is skipped and no data table changed
    assert summary.failure is None
    assert summary.packages_loaded == 0
    assert summary.packages_skipped == loaded.summary.packages_loaded
    assert summary.total("rows_loaded") == 0
    assert _table_fingerprints(warehouse) == before


def test_a_load_killed_at_any_moment_leaves_a_valid_warehouse(
    loaded: LoadedInbox, tmp_path: Path
) -> None:
    # Given a published warehouse
    warehouse = tmp_path / "carelens.duckdb"
    shutil.copyfile(loaded.warehouse, warehouse)
    digest = hashlib.sha256(warehouse.read_bytes()).hexdigest()
    inbox = tmp_path / "inbox"
    shutil.copytree(loaded.inbox, inbox)
    (inbox / "exports" / "renamed").mkdir()
    for package in sorted((inbox / "exports").glob("1-*"))[:2]:
        shutil.move(package, inbox / "exports" / "renamed" / package.name)
    env = {**os.environ, "CARELENS_PSEUDONYM_KEY": KEY.decode()}
    command = [sys.executable, "-m", "carelens", "load", str(inbox), "--warehouse", str(warehouse)]

    # When loads are killed with SIGKILL at several moments
    with duckdb.connect(str(warehouse)) as con:  # forget the packages so they load again
        con.execute("delete from audit.packages")
    digest = hashlib.sha256(warehouse.read_bytes()).hexdigest()
    build = warehouse.with_name(f".{warehouse.name}.build")
    killed_while_building = 0
    for delay in (0.5, 1.5, 3.0, "while building", "while building after 1 s"):
        process = subprocess.Popen(
            command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        if isinstance(delay, float):
            time.sleep(delay)
        else:  # wait until the load is writing its build copy, then kill it mid-write
            deadline = time.monotonic() + 120
            while not build.exists() and process.poll() is None and time.monotonic() < deadline:
                time.sleep(0.01)
            if delay.endswith("1 s"):
                time.sleep(1.0)
        if process.poll() is None:
            killed_while_building += build.exists()
            process.send_signal(signal.SIGKILL)
        process.wait()
        if process.returncode == -signal.SIGKILL:
            # Then the published file is untouched and still opens
            assert hashlib.sha256(warehouse.read_bytes()).hexdigest() == digest
            with duckdb.connect(str(warehouse), read_only=True) as con:
                assert con.execute("select count(*) from audit.load_runs").fetchall()[0][0] >= 1
        else:
            digest = hashlib.sha256(warehouse.read_bytes()).hexdigest()

    assert killed_while_building >= 1  # at least one kill landed in the middle of a load

    # And the next run completes and publishes
    finished = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    assert finished.returncode in (0, 1, 2), finished.stderr
    assert "FAILED" not in finished.stdout
    assert not (tmp_path / ".carelens.duckdb.build").exists()
