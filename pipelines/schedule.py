"""Nightly running: wake at a local time each day (and on SIGUSR1), run the load, repeat."""

from __future__ import annotations

import logging
import signal
import threading
from collections.abc import Callable
from datetime import UTC, datetime, time, timedelta
from types import FrameType
from typing import Protocol
from zoneinfo import ZoneInfo

from pipelines.errors import PipelineError

log = logging.getLogger(__name__)
_LONDON = ZoneInfo("Europe/London")


class _Summary(Protocol):
    @property
    def message(self) -> str: ...


def parse_time_of_day(text: str) -> time:
    """Parse ``HH:MM`` (24-hour clock)."""
    try:
        hours, minutes = (int(part) for part in text.split(":"))
        return time(hour=hours, minute=minutes)
    except ValueError:
        raise PipelineError(f"--at {text!r} is not a time of day in HH:MM form") from None


def _exists(moment: datetime) -> bool:
    """Whether a London wall-clock time really occurs (it does not inside the spring gap)."""
    return moment.astimezone(UTC).astimezone(_LONDON).replace(tzinfo=None) == moment.replace(
        tzinfo=None
    )


def next_run_after(now: datetime, *, at: time) -> datetime:
    """The next moment at London wall-clock time ``at`` strictly after ``now``.

    On the night the clocks go forward, a time inside the missing hour runs at the first
    moment after the gap (02:00 BST); on the night they go back, a time that occurs twice runs
    once, at its first occurrence (BST). Comparisons are made in UTC.
    """
    instant = now.astimezone(UTC)
    day = instant.astimezone(_LONDON).date()
    for offset in range(3):
        candidate = datetime.combine(day + timedelta(days=offset), at, tzinfo=_LONDON)
        while not _exists(candidate):  # inside the spring-forward gap: step to its end
            candidate = (candidate + timedelta(minutes=1)).replace(second=0, microsecond=0)
        if candidate.astimezone(UTC) > instant:
            return candidate.astimezone(UTC).astimezone(_LONDON)
    raise PipelineError("could not find the next run time")  # unreachable for a valid time


def run_forever(
    *,
    at: time,
    job: Callable[[], _Summary],
    run_now: bool = False,
    stop: threading.Event | None = None,
    clock: Callable[[], datetime] = lambda: datetime.now(_LONDON),
) -> None:
    """Run ``job`` every night at ``at``; SIGUSR1 runs it at once; SIGTERM/SIGINT stop."""
    stop = stop or threading.Event()
    wake = threading.Event()
    if threading.current_thread() is threading.main_thread():

        def on_demand(_signum: int, _frame: FrameType | None) -> None:
            wake.set()

        def on_stop(_signum: int, _frame: FrameType | None) -> None:
            stop.set()
            wake.set()

        signal.signal(signal.SIGUSR1, on_demand)
        signal.signal(signal.SIGTERM, on_stop)
        signal.signal(signal.SIGINT, on_stop)  # a load in progress finishes; then it stops
    if run_now:
        wake.set()
    while not stop.is_set():
        due = next_run_after(clock(), at=at)
        log.warning("next load at %s", due.strftime("%d %b %Y %H:%M %Z"))
        while not stop.is_set() and not wake.is_set() and clock() < due:
            # short waits so that a stop from any thread is noticed within a second
            wake.wait(timeout=min(1.0, max(0.0, (due - clock()).total_seconds())))
        if stop.is_set():
            break
        wake.clear()
        summary = job()
        log.warning("%s", summary.message)
