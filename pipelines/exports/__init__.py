"""Applying ODE-1 packages: row contracts, references, versions and row accounting."""

from __future__ import annotations

from pipelines.exports.apply import apply_batch, apply_entity
from pipelines.exports.reading import ParsedFile, parse_package

__all__ = ["ParsedFile", "apply_batch", "apply_entity", "parse_package"]
