"""ODE-1 packages (spec section 1): folders and zips, manifest checks, ordering and discovery."""

from __future__ import annotations

import hashlib
import json
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest

from pipelines.errors import PackageRejectedError
from pipelines.packages import (
    check_row_counts,
    discover,
    open_package,
    parse_manifest,
)

PROVIDER = "1-100000001"
NOTES = b"record_uid,version\nN1,1\nN2,1\n"
PEOPLE = b"person_id,location_id\nP1,1-100000101\n"
FILES = {"care_notes.csv": NOTES, "people.csv": PEOPLE}


def _manifest(contents: dict[str, bytes], /, **overrides: object) -> dict[str, object]:
    manifest: dict[str, object] = {
        "spec_version": "1.0",
        "supplier": "TestDSCR",
        "provider_id": PROVIDER,
        "extract_id": "0042",
        "extract_from": "2025-06-01",
        "extract_to": "2025-06-30",
        "generated_at": "2025-07-01T02:00:00Z",
        "files": [
            {
                "name": name,
                "rows": data.count(b"\n") - 1,
                "sha256": hashlib.sha256(data).hexdigest(),
            }
            for name, data in contents.items()
        ],
    }
    for key, value in overrides.items():
        if value is ...:
            manifest.pop(key)
        else:
            manifest[key] = value
    return manifest


def _folder(
    root: Path,
    *,
    files: dict[str, bytes] = FILES,
    manifest: bytes | dict[str, object] | None = None,
    name: str = f"{PROVIDER}_2025-06-30_0042",
) -> Path:
    folder = root / name
    folder.mkdir(parents=True)
    for file_name, data in files.items():
        (folder / file_name).write_bytes(data)
    body = _manifest(files) if manifest is None else manifest
    (folder / "manifest.json").write_bytes(
        body if isinstance(body, bytes) else json.dumps(body).encode()
    )
    return folder


def _zip(
    root: Path, *, members: dict[str, bytes], name: str = f"{PROVIDER}_2025-06-30_0042"
) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    path = root / f"{name}.zip"
    with zipfile.ZipFile(path, "w") as archive:
        for member, data in members.items():
            archive.writestr(member, data)
    return path


def _rejection(path: Path) -> PackageRejectedError:
    with pytest.raises(PackageRejectedError) as caught:
        open_package(path)
    return caught.value


# Opening packages


def test_folder_package_opens_with_its_manifest_and_files(tmp_path: Path) -> None:
    # Given a package folder whose manifest matches its files
    folder = _folder(tmp_path)

    # When it is opened
    package = open_package(folder)

    # Then the manifest is parsed and every CSV is available by name
    assert package.export_id == f"{PROVIDER}_2025-06-30_0042"
    assert package.manifest.provider_id == PROVIDER
    assert package.manifest.extract_id == "0042"
    assert package.manifest.generated_at == datetime(2025, 7, 1, 2, 0, tzinfo=UTC)
    assert package.files == FILES


@pytest.mark.parametrize("inside_folder", [True, False], ids=["in-one-folder", "at-zip-root"])
def test_zip_package_opens_with_files_in_one_folder_or_at_the_root(
    tmp_path: Path, inside_folder: bool
) -> None:
    # Given a zip of a package, its files either inside the package folder or at the root
    prefix = f"{PROVIDER}_2025-06-30_0042/" if inside_folder else ""
    members = {f"{prefix}{name}": data for name, data in FILES.items()}
    members[f"{prefix}manifest.json"] = json.dumps(_manifest(FILES)).encode()
    path = _zip(tmp_path, members=members)

    # When it is opened
    package = open_package(path)

    # Then it reads like the folder would
    assert package.export_id == f"{PROVIDER}_2025-06-30_0042"
    assert package.files == FILES
    assert package.manifest.extract_id == "0042"


def test_zip_with_files_in_several_folders_is_rejected(tmp_path: Path) -> None:
    members = {
        "a/manifest.json": json.dumps(_manifest(FILES)).encode(),
        "a/care_notes.csv": NOTES,
        "b/people.csv": PEOPLE,
    }

    error = _rejection(_zip(tmp_path, members=members))

    assert error.rule == "zip"
    assert "several folders" in error.reason


@pytest.mark.parametrize(
    "content", [b"not a zip at all", b"PK\x03\x04truncated"], ids=["garbage", "truncated"]
)
def test_unreadable_zip_is_rejected(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / f"{PROVIDER}_2025-06-30_0042.zip"
    path.write_bytes(content)

    error = _rejection(path)

    assert error.rule == "zip"
    assert error.package.startswith(f"{PROVIDER}_2025-06-30_0042")


def test_zip_cut_short_is_rejected(tmp_path: Path) -> None:
    # Given a valid zip package with its last third cut off
    members = {f"p/{name}": data * 200 for name, data in FILES.items()}
    members["p/manifest.json"] = json.dumps(_manifest(FILES)).encode()
    path = _zip(tmp_path, members=members)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) * 2 // 3])

    # When it is opened, then it is rejected, not a crash
    assert _rejection(path).rule == "zip"


# Manifest problems


def test_missing_manifest_is_rejected(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    (folder / "manifest.json").unlink()
    path = _zip(tmp_path / "z", members=FILES)

    for package in (folder, path):
        error = _rejection(package)
        assert error.rule == "manifest"
        assert "no manifest.json" in error.reason


@pytest.mark.parametrize(
    ("body", "words"),
    [
        (b"{not json", "not valid JSON"),
        (b"\xff\xfe{}", "not valid JSON"),
        (b"[1, 2]", "not a JSON object"),
        (b"", "not valid JSON"),
    ],
    ids=["broken", "not-utf8", "array", "empty"],
)
def test_manifest_that_is_not_a_json_object_is_rejected(
    tmp_path: Path, body: bytes, words: str
) -> None:
    error = _rejection(_folder(tmp_path, manifest=body))

    assert error.rule == "manifest"
    assert words in error.reason


@pytest.mark.parametrize(
    "key",
    [
        "spec_version",
        "supplier",
        "provider_id",
        "extract_id",
        "extract_from",
        "extract_to",
        "generated_at",
        "files",
    ],
)
def test_manifest_missing_a_key_is_rejected_naming_the_key(tmp_path: Path, key: str) -> None:
    # Given a manifest without one of its keys
    folder = _folder(tmp_path, manifest=_manifest(FILES, **{key: ...}))

    # When the package is opened
    error = _rejection(folder)

    # Then it is rejected and the reason names the key
    assert error.rule == "manifest"
    assert key in error.reason


@pytest.mark.parametrize("version", ["2.0", "1", "1.0.0", 1.0])
def test_unsupported_spec_version_is_rejected(tmp_path: Path, version: object) -> None:
    error = _rejection(_folder(tmp_path, manifest=_manifest(FILES, spec_version=version)))

    assert error.rule == "manifest"
    assert "spec_version" in error.reason


@pytest.mark.parametrize(
    "provider_id", ["1-12345678", "1-123456789012", "2-123456789", "1-12345678a", "", 1234]
)
def test_provider_id_that_is_not_a_cqc_id_is_rejected(tmp_path: Path, provider_id: object) -> None:
    folder = _folder(tmp_path, manifest=_manifest(FILES, provider_id=provider_id))

    error = _rejection(folder)

    assert error.rule == "manifest"
    assert "provider_id" in error.reason


@pytest.mark.parametrize(
    ("overrides", "words"),
    [
        ({"extract_from": "01/06/2025"}, "extract_from"),
        ({"extract_to": "2025-02-30"}, "extract_to"),
        ({"extract_from": "2025-07-01"}, "extract_from is after extract_to"),
        ({"generated_at": "yesterday"}, "generated_at"),
        ({"files": {"care_notes.csv": 2}}, "files"),
    ],
    ids=["date-form", "impossible-date", "reversed-period", "timestamp", "files-not-a-list"],
)
def test_manifest_with_unreadable_values_is_rejected(
    tmp_path: Path, overrides: dict[str, object], words: str
) -> None:
    error = _rejection(_folder(tmp_path, manifest=_manifest(FILES, **overrides)))

    assert error.rule == "manifest"
    assert words in error.reason


@pytest.mark.parametrize(
    "change",
    [{"rows": -1}, {"rows": "2"}, {"rows": True}, {"sha256": "abc"}, {"name": None}],
    ids=["negative-rows", "text-rows", "boolean-rows", "short-sha", "no-name"],
)
def test_manifest_file_entry_with_bad_fields_is_rejected(
    tmp_path: Path, change: dict[str, object]
) -> None:
    manifest = _manifest(FILES)
    entries = manifest["files"]
    assert isinstance(entries, list)
    entries[0] = {**entries[0], **change}

    error = _rejection(_folder(tmp_path, manifest=manifest))

    assert error.rule == "manifest"


def test_listed_file_missing_is_rejected_naming_it(tmp_path: Path) -> None:
    # Given a manifest listing people.csv, which is not in the folder
    folder = _folder(tmp_path)
    (folder / "people.csv").unlink()

    # When the package is opened
    error = _rejection(folder)

    # Then it is rejected, naming the missing file
    assert error.rule == "manifest_mismatch"
    assert "people.csv" in error.reason
    assert "missing" in error.reason


def test_file_whose_sha256_differs_from_the_manifest_is_rejected(tmp_path: Path) -> None:
    # Given a package whose care_notes.csv changed after the manifest was written
    folder = _folder(tmp_path)
    (folder / "care_notes.csv").write_bytes(NOTES.replace(b"N2", b"N3"))

    # When it is opened
    error = _rejection(folder)

    # Then it is rejected, naming the file and the checksum
    assert error.rule == "manifest_mismatch"
    assert "care_notes.csv" in error.reason
    assert "sha256" in error.reason


def test_csv_not_listed_in_the_manifest_is_rejected(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    (folder / "incidents.csv").write_bytes(b"record_uid\nI1\n")

    error = _rejection(folder)

    assert error.rule == "manifest_mismatch"
    assert "incidents.csv" in error.reason


def test_unlisted_file_that_is_not_a_csv_is_allowed(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    (folder / "README.txt").write_text("notes from the supplier")

    package = open_package(folder)

    assert set(package.files) >= set(FILES)


def test_manifest_file_names_match_whatever_their_case(tmp_path: Path) -> None:
    # Given a manifest that spells the file name in capitals
    manifest = _manifest({"Care_Notes.csv": NOTES})
    folder = _folder(tmp_path, files={"care_notes.csv": NOTES}, manifest=manifest)

    # When it is opened, then the file matches its entry
    assert open_package(folder).files == {"care_notes.csv": NOTES}


def test_manifest_with_utf8_byte_order_mark_is_read(tmp_path: Path) -> None:
    body = b"\xef\xbb\xbf" + json.dumps(_manifest(FILES)).encode()

    assert parse_manifest(body, package="p").extract_id == "0042"


# Row counts


def test_row_count_that_differs_from_the_manifest_rejects_the_package(tmp_path: Path) -> None:
    # Given an opened package whose manifest says care_notes.csv has 2 rows
    package = open_package(_folder(tmp_path))

    # When the parsed file turns out to hold 3 records
    with pytest.raises(PackageRejectedError) as caught:
        check_row_counts(package, {"care_notes.csv": 3, "people.csv": 1})

    # Then the package is rejected, naming the file and both counts
    assert caught.value.rule == "manifest_mismatch"
    assert "care_notes.csv" in caught.value.reason
    assert "2" in caught.value.reason
    assert "3" in caught.value.reason


def test_matching_row_counts_pass(tmp_path: Path) -> None:
    package = open_package(_folder(tmp_path))

    check_row_counts(package, {"care_notes.csv": 2, "people.csv": 1})


# Ordering


def _key(generated_at: str, extract_id: str) -> tuple[object, ...]:
    body = json.dumps(_manifest(FILES, generated_at=generated_at, extract_id=extract_id))
    return parse_manifest(body.encode(), package="p").order_key


def test_packages_order_by_generated_at_before_extract_id() -> None:
    # Given an earlier-generated package with a later extract_id
    earlier = _key("2025-07-01T02:00:00Z", "0099")
    later = _key("2025-07-02T02:00:00Z", "0001")

    # Then generated_at decides
    assert earlier < later


def test_packages_generated_at_the_same_moment_order_by_extract_id() -> None:
    assert _key("2025-07-01T02:00:00Z", "9") < _key("2025-07-01T02:00:00Z", "10")
    assert _key("2025-07-01T02:00:00Z", "0041") < _key("2025-07-01T02:00:00Z", "0042")
    assert _key("2025-07-01T02:00:00Z", "a") < _key("2025-07-01T02:00:00Z", "b")


def test_generated_at_without_offset_is_london_time() -> None:
    # Given 02:30 London summer time (01:30 UTC) and 01:45 UTC with an explicit offset
    local = _key("2025-07-01T02:30:00", "1")
    explicit = _key("2025-07-01T01:45:00+00:00", "1")

    # Then the local one is the earlier instant
    assert local < explicit


# Discovery


def test_discover_finds_nested_packages_and_loose_files(tmp_path: Path) -> None:
    # Given an inbox with a package folder, a zip in a sub-folder, loose inputs and hidden files
    inbox = tmp_path / "inbox"
    folder = _folder(inbox / "exports" / "provider-a")
    zipped = _zip(inbox / "exports" / "provider-b", members={"manifest.json": b"{}"})
    (inbox / "inputs").mkdir()
    directory = inbox / "inputs" / "cqc_directory.csv"
    directory.write_text("Location ID\n")
    costs = inbox / "costs.csv"
    costs.write_text("provider_id\n")
    (inbox / ".DS_Store").write_text("x")
    (inbox / "exports" / ".hidden").mkdir()
    _folder(inbox / "exports" / ".hidden")

    # When the inbox is searched
    packages, others = discover(inbox)

    # Then both packages are found (not searched inside) and the loose files are the others
    assert packages == sorted([folder, zipped])
    assert others == sorted([directory, costs])


def test_discover_does_not_look_inside_a_package_folder(tmp_path: Path) -> None:
    folder = _folder(tmp_path / "inbox")
    (folder / "nested").mkdir()
    (folder / "nested" / "stray.csv").write_text("a\n1\n")

    packages, others = discover(tmp_path / "inbox")

    assert packages == [folder]
    assert others == []
