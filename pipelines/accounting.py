"""Row accounting of one load: what happened to every file and every set-aside row.

These records become ``audit.load_files``, ``audit.quarantine`` and ``audit.warnings``
(shared/spec/metrics-v1.md, "Load accounting"). For every file:
rows read = rows loaded + duplicates skipped + rows quarantined.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from data_contracts.enums import FileStatus


@dataclass(frozen=True, slots=True)
class QuarantinedRow:
    """One row set aside with the rule it broke."""

    export_id: str
    file_name: str
    line_number: int
    rule: str
    reason: str
    entity: str | None = None
    provider_id: str | None = None
    record_json: str | None = None


@dataclass(frozen=True, slots=True)
class LoadWarning:
    """Something noted about a row or file that still loads."""

    export_id: str
    file_name: str
    rule: str
    message: str
    line_number: int | None = None


@dataclass(slots=True)
class FileOutcome:
    """What one load did with one file."""

    export_id: str
    file_name: str
    entity: str | None
    provider_id: str | None = None
    rows_read: int = 0
    rows_loaded: int = 0
    duplicates_skipped: int = 0
    rows_quarantined: int = 0
    rejected_reason: str | None = None
    skipped: bool = False
    encoding: str | None = None
    sha256: str | None = None
    quarantine: list[QuarantinedRow] = field(default_factory=list)
    warnings: list[LoadWarning] = field(default_factory=list)

    @property
    def status(self) -> FileStatus:
        """loaded, partial, rejected or skipped_already_loaded."""
        if self.skipped:
            return FileStatus.SKIPPED_ALREADY_LOADED
        if self.rejected_reason is not None:
            return FileStatus.REJECTED
        if self.rows_quarantined:
            return FileStatus.PARTIAL
        return FileStatus.LOADED

    @property
    def balances(self) -> bool:
        """The accounting invariant of the spec."""
        return self.rows_read == self.rows_loaded + self.duplicates_skipped + self.rows_quarantined

    def reject(self, reason: str) -> None:
        """Refuse the whole file: nothing from it loads; its rows are not counted as loaded."""
        self.rejected_reason = reason
        self.rows_loaded = 0
        self.duplicates_skipped = 0
        self.rows_quarantined = 0
        self.rows_read = 0
        self.quarantine.clear()
