"""Readers of synthetic packages shared by the generator tests."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

SMALL = {"seed": 7, "providers": 4, "months": 4, "fault_rate": 0.005}


def read_package(root: Path, container: str) -> dict[str, bytes]:
    """File name -> bytes of one package, folder or zip."""
    path = root / container
    if container.endswith(".zip"):
        with zipfile.ZipFile(path) as archive:
            return {Path(n).name: archive.read(n) for n in archive.namelist()}
    return {p.name: p.read_bytes() for p in path.iterdir()}


def containers(root: Path) -> list[str]:
    return sorted(f"exports/{p.name}" for p in (root / "exports").iterdir())


def decode(data: bytes) -> str:
    """Text of a CSV file the way a consumer must read it (UTF-8, BOM, or Windows-1252)."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252")


def rows_by_line(data: bytes) -> tuple[list[str], dict[int, list[str]]]:
    """Header and data rows keyed by the physical line each row starts on (header = 1)."""
    reader = csv.reader(io.StringIO(decode(data), newline=""))
    header = next(reader)
    rows: dict[int, list[str]] = {}
    start = reader.line_num + 1
    for row in reader:
        rows[start] = row
        start = reader.line_num + 1
    return header, rows
