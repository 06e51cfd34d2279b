"""Finding ODE-1 packages in an inbox and checking them against their manifests (spec section 1)."""

from __future__ import annotations

import hashlib
import json
import os
import re
import zipfile
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from pipelines.errors import PackageRejectedError

MANIFEST = "manifest.json"
SPEC_VERSION = "1.0"
PROVIDER_ID = re.compile(r"^1-\d{9,11}$")
SHA256 = re.compile(r"^[0-9a-fA-F]{64}$")
MAX_PACKAGE_BYTES = 4 * 1024**3
"""A zip that would expand past this is refused rather than read into memory."""
_LONDON = ZoneInfo("Europe/London")


@dataclass(frozen=True, slots=True)
class ManifestFile:
    """One entry of the manifest's ``files`` list."""

    name: str
    rows: int
    sha256: str


@dataclass(frozen=True, slots=True)
class Manifest:
    """The parsed ``manifest.json`` of a package."""

    spec_version: str
    supplier: str
    provider_id: str
    extract_id: str
    extract_from: date
    extract_to: date
    generated_at: datetime
    files: tuple[ManifestFile, ...]

    @property
    def order_key(self) -> tuple[datetime, int, str]:
        """Packages apply in order of generated_at, then extract_id (numerically if digits)."""
        numeric = int(self.extract_id) if self.extract_id.isdigit() else 2**63
        return (self.generated_at, numeric, self.extract_id)


@dataclass(frozen=True, slots=True)
class Package:
    """An opened package: its manifest and the bytes of each file, by lower-cased file name."""

    export_id: str
    path: Path
    manifest: Manifest
    files: dict[str, bytes]


def is_package_path(path: Path) -> bool:
    """Whether ``path`` looks like a package: a folder with a manifest, or a zip."""
    if path.is_dir():
        return (path / MANIFEST).is_file()
    return path.suffix.lower() == ".zip" and path.is_file()


def discover(inbox: Path) -> tuple[list[Path], list[Path]]:
    """Package folders and zips below ``inbox``, and every other file (candidate inputs).

    A folder holding ``manifest.json`` is a package and is not searched further.
    """
    packages: list[Path] = []
    others: list[Path] = []
    pending = [inbox]
    while pending:
        folder = pending.pop()
        for entry in sorted(folder.iterdir()):
            if entry.name.startswith("."):
                continue
            if is_package_path(entry):
                packages.append(entry)
            elif entry.is_dir():
                pending.append(entry)
            elif entry.is_file():
                others.append(entry)
    return sorted(packages), sorted(others)


def _read_folder(path: Path) -> dict[str, bytes]:
    contents = {}
    with os.scandir(path) as entries:  # scandir: no extra stat per file
        for entry in entries:
            if entry.is_file():
                with open(entry.path, "rb") as handle:
                    contents[entry.name] = handle.read()
    return dict(sorted(contents.items()))


def _read_zip(path: Path) -> dict[str, bytes]:
    try:
        with zipfile.ZipFile(path) as archive:
            members = [m for m in archive.infolist() if not m.is_dir()]
            if sum(m.file_size for m in members) > MAX_PACKAGE_BYTES:
                raise PackageRejectedError(
                    package=export_id_of(path), rule="zip", reason="expands past 4 GiB; refused"
                )
            names = {Path(m.filename).parent.as_posix() for m in members}
            if len(names) > 1:
                raise PackageRejectedError(
                    package=export_id_of(path),
                    rule="zip",
                    reason="files are spread over several folders; expected one package folder",
                )
            return {Path(m.filename).name: archive.read(m) for m in members}
    except (zipfile.BadZipFile, OSError, EOFError) as error:
        raise PackageRejectedError(
            package=export_id_of(path), rule="zip", reason=f"not a readable zip file ({error})"
        ) from None


def _field(raw: dict[str, object], key: str, package: str) -> object:
    if key not in raw:
        raise PackageRejectedError(
            package=package, rule="manifest", reason=f"manifest.json has no {key!r}"
        )
    return raw[key]


def _text(raw: dict[str, object], key: str, package: str) -> str:
    value = _field(raw, key, package)
    if not isinstance(value, str) or not value.strip():
        raise PackageRejectedError(
            package=package, rule="manifest", reason=f"manifest {key!r} must be a non-empty string"
        )
    return value


def _date(raw: dict[str, object], key: str, package: str) -> date:
    value = _text(raw, key, package)
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise PackageRejectedError(
            package=package, rule="manifest", reason=f"manifest {key!r} is not YYYY-MM-DD"
        )
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise PackageRejectedError(
            package=package, rule="manifest", reason=f"manifest {key!r} is not a real date"
        ) from None


def _timestamp(raw: dict[str, object], key: str, package: str) -> datetime:
    value = _text(raw, key, package)
    try:
        parsed = datetime.fromisoformat(value.replace("z", "Z"))
    except ValueError:
        raise PackageRejectedError(
            package=package, rule="manifest", reason=f"manifest {key!r} is not ISO 8601"
        ) from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=_LONDON)
    return parsed.astimezone(UTC)


def _files(raw: dict[str, object], package: str) -> tuple[ManifestFile, ...]:
    entries = _field(raw, "files", package)
    if not isinstance(entries, list):
        raise PackageRejectedError(
            package=package, rule="manifest", reason="manifest 'files' must be a list"
        )
    files: list[ManifestFile] = []
    for entry in entries:
        name = entry.get("name") if isinstance(entry, dict) else None
        rows = entry.get("rows") if isinstance(entry, dict) else None
        digest = entry.get("sha256") if isinstance(entry, dict) else None
        if (
            not isinstance(name, str)
            or isinstance(rows, bool)
            or not isinstance(rows, int)
            or rows < 0
            or not isinstance(digest, str)
            or not SHA256.match(digest)
        ):
            raise PackageRejectedError(
                package=package,
                rule="manifest",
                reason=f"manifest 'files' entry {entry!r} needs name, rows (>= 0) and sha256",
            )
        files.append(ManifestFile(name=name, rows=rows, sha256=digest.lower()))
    if len({f.name.lower() for f in files}) != len(files):
        raise PackageRejectedError(
            package=package, rule="manifest", reason="manifest lists a file twice"
        )
    return tuple(files)


def parse_manifest(data: bytes, *, package: str) -> Manifest:
    """Parse and check ``manifest.json``; raise PackageRejectedError naming the problem."""
    try:
        raw = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise PackageRejectedError(
            package=package, rule="manifest", reason=f"manifest.json is not valid JSON ({error})"
        ) from None
    if not isinstance(raw, dict):
        raise PackageRejectedError(
            package=package, rule="manifest", reason="manifest.json is not a JSON object"
        )
    version = _text(raw, "spec_version", package)
    if version != SPEC_VERSION:
        raise PackageRejectedError(
            package=package,
            rule="manifest",
            reason=f"spec_version {version!r} is not supported (expected {SPEC_VERSION!r})",
        )
    provider_id = _text(raw, "provider_id", package)
    if not PROVIDER_ID.match(provider_id):
        raise PackageRejectedError(
            package=package, rule="manifest", reason=f"provider_id {provider_id!r} is not a CQC ID"
        )
    manifest = Manifest(
        spec_version=version,
        supplier=_text(raw, "supplier", package),
        provider_id=provider_id,
        extract_id=_text(raw, "extract_id", package),
        extract_from=_date(raw, "extract_from", package),
        extract_to=_date(raw, "extract_to", package),
        generated_at=_timestamp(raw, "generated_at", package),
        files=_files(raw, package),
    )
    if manifest.extract_from > manifest.extract_to:
        raise PackageRejectedError(
            package=package, rule="manifest", reason="extract_from is after extract_to"
        )
    return manifest


def export_id_of(path: Path) -> str:
    """The export id of a package: its folder or zip name without the .zip suffix."""
    return path.name.removesuffix(".zip").removesuffix(".ZIP")


def read_manifest(path: Path) -> Manifest:
    """Read and check only the manifest of a package folder or zip (cheap: no data files)."""
    export_id = export_id_of(path)
    try:
        if path.is_dir():
            manifest_path = path / MANIFEST
            if not manifest_path.is_file():
                raise PackageRejectedError(
                    package=export_id, rule="manifest", reason="no manifest.json"
                )
            data = manifest_path.read_bytes()
        else:
            with zipfile.ZipFile(path) as archive:
                names = [n for n in archive.namelist() if Path(n).name == MANIFEST]
                if len(names) != 1:
                    raise PackageRejectedError(
                        package=export_id, rule="manifest", reason="no single manifest.json"
                    )
                data = archive.read(names[0])
    except (zipfile.BadZipFile, OSError, EOFError) as error:
        raise PackageRejectedError(
            package=export_id, rule="zip", reason=f"cannot read the package ({error})"
        ) from None
    return parse_manifest(data, package=export_id)


def open_package(path: Path) -> Package:
    """Read a package folder or zip and check every file against the manifest's sha256.

    Row counts are checked later, once the files are parsed (``check_row_counts``).
    """
    export_id = export_id_of(path)
    try:
        contents = _read_zip(path) if path.is_file() else _read_folder(path)
    except OSError as error:
        raise PackageRejectedError(
            package=export_id, rule="io", reason=f"cannot read the package ({error.strerror})"
        ) from None
    if MANIFEST not in contents:
        raise PackageRejectedError(package=export_id, rule="manifest", reason="no manifest.json")
    manifest = parse_manifest(contents.pop(MANIFEST), package=export_id)
    files = {name.lower(): data for name, data in contents.items()}
    listed = {f.name.lower(): f for f in manifest.files}
    for name, entry in listed.items():
        if name not in files:
            raise PackageRejectedError(
                package=export_id,
                rule="manifest_mismatch",
                reason=f"{entry.name} is listed in the manifest but missing",
            )
        if hashlib.sha256(files[name]).hexdigest() != entry.sha256:
            raise PackageRejectedError(
                package=export_id,
                rule="manifest_mismatch",
                reason=f"{entry.name}: sha256 does not match the manifest",
            )
    unlisted = sorted(n for n in files if n.endswith(".csv") and n not in listed)
    if unlisted:
        raise PackageRejectedError(
            package=export_id,
            rule="manifest_mismatch",
            reason=f"{', '.join(unlisted)} not listed in the manifest",
        )
    return Package(export_id=export_id, path=path, manifest=manifest, files=files)


def check_row_counts(package: Package, records: dict[str, int]) -> None:
    """Reject the package if any parsed file's record count differs from the manifest."""
    for entry in package.manifest.files:
        found = records.get(entry.name.lower())
        if found is not None and found != entry.rows:
            raise PackageRejectedError(
                package=package.export_id,
                rule="manifest_mismatch",
                reason=f"{entry.name}: manifest says {entry.rows} rows, file has {found}",
            )
