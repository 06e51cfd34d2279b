"""Writing small ODE-1 packages for tests: CSVs from rows, and a manifest that matches them.

Rows are plain dicts of text (``None`` is an empty cell). Each factory returns a valid row of
its entity that a test then changes on purpose (``care_note(person_id="P9")``).
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import zipfile
from collections.abc import Mapping, Sequence
from pathlib import Path

import duckdb

PROVIDER = "1-100000001"
OTHER_PROVIDER = "1-200000002"
LOCATION = "1-100000101"
OTHER_LOCATION = "1-200000201"

Row = Mapping[str, str | None]
FileContent = Sequence[Row] | bytes


def location(**overrides: str | None) -> dict[str, str | None]:
    """A care-home location with 30 registered beds."""
    return {
        "location_id": LOCATION,
        "location_name": "Test House",
        "service_type": "care_home",
        "registered_beds": "30",
        "local_authority": "Testshire",
        "icb_code": "QZZ",
        "dscr_supplier": "TestDSCR",
        "dscr_go_live_date": "2024-01-01",
        **overrides,
    }


def person(**overrides: str | None) -> dict[str, str | None]:
    """A resident with a valid NHS number and an ongoing stay."""
    return {
        "person_id": "P1",
        "location_id": LOCATION,
        "nhs_number": "943 476 5919",
        "birth_year": "1938",
        "sex": "female",
        "start_date": "2025-01-01",
        "end_date": None,
        "end_reason": None,
        **overrides,
    }


def staff(**overrides: str | None) -> dict[str, str | None]:
    """A care worker."""
    return {
        "staff_id": "S1",
        "location_id": LOCATION,
        "role": "care_worker",
        "employment": "employed",
        "start_date": "2024-01-01",
        "end_date": None,
        **overrides,
    }


def care_note(**overrides: str | None) -> dict[str, str | None]:
    """A final version-1 hydration note for P1 by S1."""
    return {
        "record_uid": "N1",
        "version": "1",
        "status": "final",
        "person_id": "P1",
        "staff_id": "S1",
        "location_id": LOCATION,
        "category": "hydration",
        "care_at": "2025-06-10T10:00:00",
        "recorded_at": "2025-06-10T10:02:00",
        "entry_seconds": "40",
        "entry_method": "icon",
        "recorded_offline": "no",
        **overrides,
    }


def shift(**overrides: str | None) -> dict[str, str | None]:
    """A final version-1 day shift of S1 at the test location."""
    return {
        "record_uid": "W1",
        "version": "1",
        "status": "final",
        "staff_id": "S1",
        "location_id": LOCATION,
        "start_at": "2025-06-10T07:00:00Z",
        "end_at": "2025-06-10T15:00:00Z",
        **overrides,
    }


def alert(**overrides: str | None) -> dict[str, str | None]:
    """A final version-1 open alert about P1 at the test location, not yet acknowledged."""
    return {
        "record_uid": "A1",
        "version": "1",
        "status": "final",
        "location_id": LOCATION,
        "person_id": "P1",
        "staff_id": None,
        "category": "missed_medication",
        "severity": "medium",
        "raised_at": "2025-06-10T10:00:00Z",
        "acknowledged_at": None,
        "resolved_at": None,
        "outcome": None,
        **overrides,
    }


def visit(**overrides: str | None) -> dict[str, str | None]:
    """A final version-1 completed 30-minute visit to P1 by S1, checked in on time."""
    return {
        "record_uid": "V1",
        "version": "1",
        "status": "final",
        "person_id": "P1",
        "staff_id": "S1",
        "location_id": LOCATION,
        "scheduled_start": "2025-06-10T08:00:00Z",
        "scheduled_end": "2025-06-10T08:30:00Z",
        "check_in_at": "2025-06-10T08:00:00Z",
        "check_out_at": "2025-06-10T08:30:00Z",
        "check_method": "app",
        "visit_status": "completed",
        **overrides,
    }


def care_plan_review(**overrides: str | None) -> dict[str, str | None]:
    """A final version-1 care-plan review of P1, due 10 June 2025 and still outstanding."""
    return {
        "record_uid": "R1",
        "version": "1",
        "status": "final",
        "person_id": "P1",
        "location_id": LOCATION,
        "due_date": "2025-06-10",
        "completed_at": None,
        **overrides,
    }


def occupancy(**overrides: str | None) -> dict[str, str | None]:
    """Occupied beds of the test location on one day."""
    return {"location_id": LOCATION, "date": "2025-06-10", "occupied_beds": "25", **overrides}


def csv_bytes(rows: Sequence[Row], *, line_end: str = "\n") -> bytes:
    """RFC 4180 CSV (UTF-8) of ``rows``; the header is the keys of the first row."""
    header = list(rows[0])
    out = io.StringIO()
    writer = csv.writer(out, lineterminator=line_end)
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if row.get(name) is None else row.get(name) for name in header])
    return out.getvalue().encode("utf-8")


def count_records(data: bytes) -> int:
    """Non-blank records after the header, as the manifest's ``rows`` counts them."""
    text = data.decode("utf-8", errors="replace")
    records = list(csv.reader(io.StringIO(text, newline="")))
    return sum(1 for record in records[1:] if record and record != [""])


def write_package(
    inbox: Path,
    *,
    extract_id: str,
    files: Mapping[str, FileContent],
    provider_id: str = PROVIDER,
    generated_at: str = "2025-07-01T02:00:00Z",
    extract_from: str = "2025-06-01",
    extract_to: str = "2025-06-30",
    as_zip: bool = False,
    manifest_overrides: Mapping[str, object] | None = None,
    row_counts: Mapping[str, int] | None = None,
) -> Path:
    """Write one package folder (or zip of it) into ``inbox`` with a manifest matching ``files``.

    Args:
        inbox: Folder the package is written into.
        extract_id: The manifest's extract_id, also the last part of the folder name.
        files: File name to rows (written as CSV) or to the exact bytes of the file.
        provider_id: The manifest's provider_id.
        generated_at: The manifest's generated_at.
        extract_from: The manifest's extract_from.
        extract_to: The manifest's extract_to.
        as_zip: Write ``<name>.zip`` holding the package folder instead of the folder.
        manifest_overrides: Manifest keys to replace (a value of ``...`` removes the key).
        row_counts: Manifest ``rows`` to state instead of the true record count.

    Returns:
        The package folder or zip.
    """
    contents = {
        name: content if isinstance(content, bytes) else csv_bytes(content)
        for name, content in files.items()
    }
    manifest: dict[str, object] = {
        "spec_version": "1.0",
        "supplier": "TestDSCR",
        "provider_id": provider_id,
        "extract_id": extract_id,
        "extract_from": extract_from,
        "extract_to": extract_to,
        "generated_at": generated_at,
        "files": [
            {
                "name": name,
                "rows": (row_counts or {}).get(name, count_records(data)),
                "sha256": hashlib.sha256(data).hexdigest(),
            }
            for name, data in contents.items()
        ],
    }
    for key, value in (manifest_overrides or {}).items():
        if value is ...:
            manifest.pop(key, None)
        else:
            manifest[key] = value
    contents["manifest.json"] = json.dumps(manifest, indent=2).encode("utf-8")
    name = f"{provider_id}_{extract_to}_{extract_id}"
    inbox.mkdir(parents=True, exist_ok=True)
    if as_zip:
        path = inbox / f"{name}.zip"
        with zipfile.ZipFile(path, "w") as archive:
            for file_name, data in contents.items():
                archive.writestr(f"{name}/{file_name}", data)
        return path
    folder = inbox / name
    folder.mkdir()
    for file_name, data in contents.items():
        (folder / file_name).write_bytes(data)
    return folder


def query(warehouse: Path, sql: str, params: Sequence[object] = ()) -> list[tuple]:
    """Rows of ``sql`` against the published warehouse, opened read-only."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(sql, list(params)).fetchall()
