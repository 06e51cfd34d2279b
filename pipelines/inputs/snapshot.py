"""The date a CQC directory describes, read from its preamble or its file name.

CQC writes the date in words ("Data as at 01 December 2025"), and file names carry it the same
way (``01_December_2025_HSCA_Active_Locations.ods``). Only unambiguous forms are read: a day,
a month name and a year, or ``YYYY-MM-DD``. A numeric ``01/12/2025`` is never guessed
(spec section 2), and then the caller falls back to the run date.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date

_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
_WORDS = re.compile(
    r"(?<!\d)(\d{1,2})(?:st|nd|rd|th)?[\s_\-]+([A-Za-z]{3,9})[\s_\-,]+(\d{4})(?!\d)"
)
_ISO = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)")


def find_snapshot_date(texts: Iterable[str]) -> date | None:
    """The first unambiguous calendar date in ``texts`` (preamble rows, then the file name)."""
    for text in texts:
        found = _date_in(text)
        if found is not None:
            return found
    return None


def _date_in(text: str) -> date | None:
    candidates: list[tuple[int, int, int, int]] = []
    for match in _WORDS.finditer(text):
        month = _MONTHS.get(match.group(2).lower())
        if month is not None:
            candidates.append((match.start(), int(match.group(3)), month, int(match.group(1))))
    candidates.extend(
        (match.start(), int(match.group(1)), int(match.group(2)), int(match.group(3)))
        for match in _ISO.finditer(text)
    )
    for _, year, month, day in sorted(candidates):
        try:
            return date(year, month, day)
        except ValueError:
            continue
    return None
