"""Errors of the nightly pipeline: one base error, specific ones naming file, line and rule."""

from __future__ import annotations


class PipelineError(Exception):
    """Base error of the pipelines package."""


class FileRejectedError(PipelineError):
    """A whole file is refused (spec: "reject"): loaded nowhere, reported with file and rule."""

    def __init__(self, *, file_name: str, rule: str, reason: str, line: int | None = None) -> None:
        self.file_name = file_name
        self.rule = rule
        self.reason = reason
        self.line = line
        where = f"{file_name}, line {line}" if line is not None else file_name
        super().__init__(f"{where}: {reason} [{rule}]")


class PackageRejectedError(PipelineError):
    """A whole ODE-1 package is refused (missing or bad manifest, files disagreeing with it)."""

    def __init__(self, *, package: str, rule: str, reason: str) -> None:
        self.package = package
        self.rule = rule
        self.reason = reason
        super().__init__(f"{package}: {reason} [{rule}]")


class WarehouseError(PipelineError):
    """The warehouse could not be opened, built or published."""
