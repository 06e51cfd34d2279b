"""The nightly schedule: time-of-day parsing, the next run across clock changes, the run loop."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from pipelines.errors import PipelineError
from pipelines.schedule import next_run_after, parse_time_of_day, run_forever

pytestmark = pytest.mark.integration

LONDON = ZoneInfo("Europe/London")


def _utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)  # type: ignore[misc]


def _next(now: datetime, at: str) -> datetime:
    """The next run as a UTC instant (comparisons across a clock change need one)."""
    return next_run_after(now, at=parse_time_of_day(at)).astimezone(UTC)


# parse_time_of_day


@pytest.mark.parametrize(
    ("text", "value"),
    [("02:00", time(2, 0)), ("23:59", time(23, 59)), ("00:00", time(0, 0)), ("7:05", time(7, 5))],
)
def test_times_of_day_are_parsed(text: str, value: time) -> None:
    assert parse_time_of_day(text) == value


@pytest.mark.parametrize(
    "text", ["24:00", "02:60", "2", "0200", "02:00:00", "ab:cd", "", "-1:00", "02-00"]
)
def test_bad_times_of_day_raise_a_clear_error(text: str) -> None:
    with pytest.raises(PipelineError, match="HH:MM"):
        parse_time_of_day(text)


# next_run_after


def test_ordinary_day_runs_tonight_or_tomorrow() -> None:
    # Given a summer afternoon and a summer early morning
    afternoon = _utc(2025, 6, 1, 14, 0)
    early = _utc(2025, 6, 1, 0, 30)  # 01:30 BST

    # Then 02:00 London (01:00 UTC in summer) is next: tomorrow, or later today
    assert _next(afternoon, "02:00") == _utc(2025, 6, 2, 1, 0)
    assert _next(early, "02:00") == _utc(2025, 6, 1, 1, 0)


def test_run_time_itself_is_not_the_next_run() -> None:
    now = _utc(2025, 1, 10, 2, 0)  # 02:00 GMT exactly

    assert _next(now, "02:00") == _utc(2025, 1, 11, 2, 0)


def test_spring_forward_night_runs_a_time_after_the_gap_once() -> None:
    # Given 02:30, which exists on 30 March 2025 (clocks go from 01:00 GMT to 02:00 BST)
    evening = _utc(2025, 3, 29, 20, 0)

    # When the next runs are found one after another
    first = _next(evening, "02:30")
    second = _next(first, "02:30")

    # Then it runs at 02:30 BST that night, then at 02:30 BST the next night
    assert first == _utc(2025, 3, 30, 1, 30)
    assert second == _utc(2025, 3, 31, 1, 30)


def test_spring_forward_night_runs_a_time_inside_the_gap_right_after_the_gap() -> None:
    # Given 01:30, which does not exist on 30 March 2025
    evening = _utc(2025, 3, 29, 20, 0)

    # When the next runs are found one after another
    first = _next(evening, "01:30")
    second = _next(first, "01:30")

    # Then it runs once, at the first moment after the gap (02:00 BST = 01:00 UTC),
    # then at 01:30 BST the next night
    assert first == _utc(2025, 3, 30, 1, 0)
    assert second == _utc(2025, 3, 31, 0, 30)


def test_fall_back_night_runs_a_repeated_time_once_at_its_first_occurrence() -> None:
    # Given 01:30, which occurs twice on 26 October 2025 (01:30 BST, then 01:30 GMT)
    evening = _utc(2025, 10, 25, 20, 0)

    # When the next runs are found one after another
    first = _next(evening, "01:30")
    second = _next(first, "01:30")

    # Then it runs at the first occurrence (00:30 UTC), and not again at the second
    assert first == _utc(2025, 10, 26, 0, 30)
    assert second == _utc(2025, 10, 27, 1, 30)


@pytest.mark.parametrize(
    "now",
    [
        _utc(2025, 10, 26, 0, 45),  # 01:45 BST, first pass through the hour
        _utc(2025, 10, 26, 1, 10),  # 01:10 GMT, second pass: 01:30 BST is already over
        _utc(2025, 10, 26, 1, 45),  # 01:45 GMT
    ],
    ids=["01:45-bst", "01:10-gmt", "01:45-gmt"],
)
def test_fall_back_night_next_run_is_always_in_the_future(now: datetime) -> None:
    # Given a moment inside the repeated hour, after the first 01:30 has passed
    # When the next 01:30 run is found
    due = _next(now, "01:30")

    # Then it is tomorrow's 01:30 GMT, not a time already gone
    assert due > now
    assert due == _utc(2025, 10, 27, 1, 30)


@pytest.mark.parametrize(
    "now",
    [_utc(2025, 3, 29, 12, 0), _utc(2025, 10, 25, 12, 0), _utc(2025, 12, 31, 23, 59)],
    ids=["spring", "autumn", "new-year"],
)
def test_next_run_is_within_a_day_and_a_bit(now: datetime) -> None:
    for hour in range(24):
        due = _next(now, f"{hour:02d}:15")
        assert now < due <= now + timedelta(hours=25)


# run_forever


@dataclass
class Clock:
    """A clock that reads ``times`` in turn, then keeps returning the last one."""

    times: list[datetime]
    reads: int = 0

    def __call__(self) -> datetime:
        value = self.times[min(self.reads, len(self.times) - 1)]
        self.reads += 1
        return value.astimezone(LONDON)


@dataclass
class Summary:
    """What the job returns (run_forever logs its message)."""

    message: str = "carelens load test: clean"


def _start(target: Callable[[], None]) -> threading.Thread:
    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    return thread


def test_job_runs_when_due_and_the_loop_stops() -> None:
    # Given a clock at 01:59:59 London, then at 02:00:01, and a job that asks to stop
    clock = Clock([_utc(2025, 1, 10, 1, 59, 59), _utc(2025, 1, 10, 2, 0, 1)])
    stop = threading.Event()
    runs: list[datetime] = []

    def job() -> Summary:
        runs.append(clock())
        stop.set()
        return Summary()

    # When the loop runs in a thread
    thread = _start(lambda: run_forever(at=time(2, 0), job=job, stop=stop, clock=clock))
    thread.join(timeout=5)

    # Then the job ran once, after 02:00, and the loop ended
    assert not thread.is_alive()
    assert runs == [_utc(2025, 1, 10, 2, 0, 1)]


def test_run_now_runs_at_once_even_when_not_due() -> None:
    # Given noon, ten hours before the next 02:00
    clock = Clock([_utc(2025, 1, 10, 12, 0)])
    stop = threading.Event()
    runs: list[int] = []

    def job() -> Summary:
        runs.append(1)
        stop.set()
        return Summary()

    # When the loop starts with run_now
    thread = _start(
        lambda: run_forever(at=time(2, 0), job=job, run_now=True, stop=stop, clock=clock)
    )
    thread.join(timeout=5)

    # Then the job ran straight away
    assert not thread.is_alive()
    assert runs == [1]


def test_stop_before_start_runs_nothing() -> None:
    stop = threading.Event()
    stop.set()
    runs: list[int] = []

    def job() -> Summary:
        runs.append(1)
        return Summary()

    run_forever(at=time(2, 0), job=job, run_now=True, stop=stop, clock=Clock([_utc(2025, 1, 1)]))

    assert runs == []


def test_stop_while_waiting_ends_the_loop_promptly() -> None:
    # Given a loop waiting for tomorrow's 02:00 (the clock stands still at noon)
    clock = Clock([_utc(2025, 1, 10, 12, 0)])
    stop = threading.Event()
    runs: list[int] = []

    def job() -> Summary:
        runs.append(1)
        return Summary()

    thread = _start(lambda: run_forever(at=time(2, 0), job=job, stop=stop, clock=clock))
    threading.Event().wait(0.2)

    # When stop is set from another thread
    stop.set()
    thread.join(timeout=2)

    # Then the loop ends within a couple of seconds, without running the job
    assert not thread.is_alive()
    assert runs == []
