"""What one nightly run did: counts, failures, the exit code and the one-line summary."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import datetime

from pipelines.accounting import FileOutcome


@dataclass(slots=True)
class RunSummary:
    """What one run did, for the terminal and the exit code."""

    run_id: str
    started_at: datetime
    finished_at: datetime | None = None
    packages_found: int = 0
    packages_loaded: int = 0
    packages_skipped: int = 0
    packages_rejected: int = 0
    files: list[FileOutcome] = field(default_factory=list)
    failure: str | None = None
    checks_passed: bool | None = None
    data_docs_path: str | None = None
    check_messages: list[str] = field(default_factory=list)

    def total(self, attribute: str) -> int:
        """Sum of a FileOutcome counter over every file."""
        return sum(int(getattr(f, attribute)) for f in self.files)

    @property
    def files_rejected(self) -> int:
        """Files refused whole (their package's rejection included)."""
        return sum(1 for f in self.files if f.rejected_reason is not None)

    @property
    def exit_code(self) -> int:
        """0 clean, 1 loaded with quarantined rows, 2 something rejected or failed."""
        if self.failure or self.packages_rejected or self.files_rejected:
            return 2
        return 1 if self.total("rows_quarantined") else 0

    @property
    def status(self) -> str:
        """clean, quarantined, rejected or failed."""
        return {0: "clean", 1: "quarantined"}.get(
            self.exit_code, "failed" if self.failure else "rejected"
        )

    @property
    def message(self) -> str:
        """The one-line summary printed at the end of a run."""
        if self.failure:
            return f"carelens load {self.run_id}: FAILED, warehouse unchanged: {self.failure}"
        return (
            f"carelens load {self.run_id}: {self.status}; packages {self.packages_loaded} loaded, "
            f"{self.packages_skipped} skipped, {self.packages_rejected} rejected; rows "
            f"{self.total('rows_read'):,} read, {self.total('rows_loaded'):,} loaded, "
            f"{self.total('duplicates_skipped'):,} duplicates, "
            f"{self.total('rows_quarantined'):,} quarantined; "
            f"{self.files_rejected} file(s) rejected"
            + ("" if self.checks_passed in (None, True) else "; table checks warned")
        )


def new_run_id(now: datetime) -> str:
    """A sortable, unique run id such as ``20261122T020000Z-3f2a``."""
    return f"{now:%Y%m%dT%H%M%SZ}-{secrets.token_hex(2)}"
