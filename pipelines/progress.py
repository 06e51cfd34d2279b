"""A progress bar for long loads on a terminal (rich), silent elsewhere."""

from __future__ import annotations

from types import TracebackType

from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeElapsedColumn
from rich.progress import Progress as RichProgress


class Progress:
    """One bar over the packages of a run; does nothing when disabled (not a terminal)."""

    def __init__(self, *, enabled: bool, total: int) -> None:
        self._bar: RichProgress | None = None
        self._task = None
        if enabled and total:
            self._bar = RichProgress(
                TextColumn("[bold]packages"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                TextColumn("{task.description}"),
                transient=False,
            )
            self._task = self._bar.add_task("", total=total)

    def __enter__(self) -> Progress:
        if self._bar is not None:
            self._bar.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if self._bar is not None:
            self._bar.stop()

    def advance(self, description: str, *, step: int = 1) -> None:
        """Move the bar on by ``step`` packages and show what is happening."""
        if self._bar is not None and self._task is not None:
            self._bar.update(self._task, advance=step, description=description)

    def describe(self, description: str) -> None:
        """Show what is happening without moving the bar."""
        self.advance(description, step=0)
