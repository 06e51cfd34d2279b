"""Lockout of names that match no account, so that lockout does not reveal which names exist.

The account store locks an account after repeated failures. A name that matches no account has
nothing in the store to lock, so without this an attacker could tell real names from made-up
ones by whether "try again later" ever appears. Names are kept in memory only, for as long as
their lockout lasts, and never written anywhere.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass
class _Failures:
    count: int
    locked_until: datetime | None


class UnknownNameLockout:
    """Counts failed sign-ins per unknown name and locks like the store does.

    Args:
        attempts: Consecutive failures that lock a name.
        minutes: How long a name stays locked.
        max_names: Names remembered at most (the oldest are forgotten first).
    """

    def __init__(self, *, attempts: int, minutes: int, max_names: int = 10_000) -> None:
        self._attempts = attempts
        self._duration = timedelta(minutes=minutes)
        self._max_names = max_names
        self._names: OrderedDict[str, _Failures] = OrderedDict()
        self._lock = threading.Lock()

    def is_locked(self, name: str, *, now: datetime) -> bool:
        """Whether ``name`` is locked at ``now``."""
        with self._lock:
            failures = self._names.get(name.lower())
            return bool(failures and failures.locked_until and now < failures.locked_until)

    def fail(self, name: str, *, now: datetime) -> bool:
        """Count one failure for ``name``; return whether it is now locked."""
        key = name.lower()
        with self._lock:
            failures = self._names.pop(key, None) or _Failures(count=0, locked_until=None)
            if failures.locked_until and now >= failures.locked_until:
                failures = _Failures(count=0, locked_until=None)
            failures.count += 1
            if failures.count >= self._attempts:
                failures.locked_until = now + self._duration
            self._names[key] = failures
            while len(self._names) > self._max_names:
                self._names.popitem(last=False)
            return failures.locked_until is not None
