"""Tiny ODE-1 inboxes for command-line tests: clean, with a quarantined row, with a rejection."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

PROVIDER = "1-100000001"
LOCATION = "1-100000101"
_LOCATIONS = (
    f"location_id,location_name,service_type,registered_beds\n{LOCATION},Test House,care_home,30\n"
)
_PEOPLE = f"person_id,location_id,start_date\nP1,{LOCATION},2025-01-01\n"
_NOTES_HEADER = "record_uid,version,status,person_id,location_id,category,care_at,recorded_at\n"
_NOTE = f"N1,1,final,P1,{LOCATION},hydration,2025-06-10T10:00:00,2025-06-10T10:02:00\n"
_BAD_NOTE = f"N2,1,final,P1,{LOCATION},dancing,2025-06-10T11:00:00,2025-06-10T11:02:00\n"


def _write(inbox: Path, files: dict[str, str]) -> Path:
    folder = inbox / f"{PROVIDER}_2025-06-30_0001"
    folder.mkdir(parents=True)
    entries = []
    for name, text in files.items():
        data = text.encode()
        (folder / name).write_bytes(data)
        entries.append(
            {"name": name, "rows": text.count("\n") - 1, "sha256": hashlib.sha256(data).hexdigest()}
        )
    manifest = {
        "spec_version": "1.0",
        "supplier": "TestDSCR",
        "provider_id": PROVIDER,
        "extract_id": "0001",
        "extract_from": "2025-06-01",
        "extract_to": "2025-06-30",
        "generated_at": "2025-07-01T02:00:00Z",
        "files": entries,
    }
    (folder / "manifest.json").write_text(json.dumps(manifest))
    return folder


def clean_inbox(inbox: Path) -> Path:
    """One valid package: a location, a person and a care note."""
    _write(
        inbox,
        {
            "locations.csv": _LOCATIONS,
            "people.csv": _PEOPLE,
            "care_notes.csv": _NOTES_HEADER + _NOTE,
        },
    )
    return inbox


def quarantine_inbox(inbox: Path) -> Path:
    """One package whose second care note has an unknown category (quarantined)."""
    _write(
        inbox,
        {
            "locations.csv": _LOCATIONS,
            "people.csv": _PEOPLE,
            "care_notes.csv": _NOTES_HEADER + _NOTE + _BAD_NOTE,
        },
    )
    return inbox


def rejected_inbox(inbox: Path) -> Path:
    """One package whose care_notes.csv no longer matches the manifest's sha256."""
    folder = _write(
        inbox,
        {
            "locations.csv": _LOCATIONS,
            "people.csv": _PEOPLE,
            "care_notes.csv": _NOTES_HEADER + _NOTE,
        },
    )
    (folder / "care_notes.csv").write_text(_NOTES_HEADER + _BAD_NOTE)
    return inbox
