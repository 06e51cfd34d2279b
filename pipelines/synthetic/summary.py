"""What a generation run produced, in one object the CLI can print."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True, slots=True)
class GenerationSummary:
    """Counts of one synthetic run; the full detail is in ``truth.json``."""

    out_dir: Path
    providers: int
    care_homes: int
    home_care_agencies: int
    exporting_providers: int
    locations: int
    packages: int
    zipped_packages: int
    rows: dict[str, int] = field(default_factory=dict)
    faults: int = 0
    quirks: int = 0
    cqc_locations: int = 0
    adoption_returns: int = 0
    cost_files: int = 0

    @property
    def event_rows(self) -> int:
        """Rows of the versioned (event) entities."""
        reference = {"locations", "people", "staff", "occupancy"}
        return sum(n for name, n in self.rows.items() if name not in reference)

    def describe(self) -> str:
        """A few lines for the terminal: providers, locations, packages, rows, faults."""
        rows = ", ".join(f"{name} {count:,}" for name, count in self.rows.items() if count)
        lines = [
            f"Synthetic ICB written to {self.out_dir}: {self.providers} providers "
            f"({self.care_homes} care homes, {self.home_care_agencies} home-care agencies; "
            f"{self.exporting_providers} exporting), {self.locations} locations.",
            f"Packages: {self.packages} ({self.zipped_packages} zipped); "
            f"{self.event_rows:,} event rows.",
            f"Rows: {rows}.",
            f"Faults: {self.faults:,}; quirks: {self.quirks:,} (listed in truth.json).",
        ]
        if self.cqc_locations:
            lines.append(
                f"ICB inputs: {self.cqc_locations} CQC directory locations, "
                f"{self.adoption_returns} adoption returns, {self.cost_files} cost files."
            )
        return "\n".join(lines)
