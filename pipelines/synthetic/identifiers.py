"""Invented identifiers and names: CQC-format IDs, NHS test numbers, places and suppliers."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

_NHS_WEIGHTS = np.arange(10, 1, -1)


@dataclass(frozen=True, slots=True)
class Supplier:
    """An invented DSCR supplier and the way its exports write values."""

    name: str
    timestamp_style: str
    """``naive`` (Europe/London wall clock), ``utc`` (``Z``) or ``offset`` (``+01:00``)."""
    boolean_style: str
    """``true_false``, ``one_zero`` or ``yes_no``."""


#: Invented DSCR suppliers; none is a real product name.
SUPPLIERS: tuple[Supplier, ...] = (
    Supplier("Wrenfield Records", "naive", "true_false"),
    Supplier("Tillbrook Care Log", "utc", "one_zero"),
    Supplier("Harebell DSCR", "offset", "yes_no"),
    Supplier("Quillmoor Care", "naive", "yes_no"),
    Supplier("Lanternfold", "utc", "true_false"),
)

_HOME_WORDS = (
    "Rowan",
    "Heather",
    "Larch",
    "Bramble",
    "Juniper",
    "Linden",
    "Aspen",
    "Myrtle",
    "Sorrel",
    "Thistle",
    "Clover",
    "Foxglove",
    "Kestrel",
    "Heron",
    "Lapwing",
    "Skylark",
    "Curlew",
    "Plover",
    "Marten",
    "Otter",
    "Willowmere",
    "Fernhollow",
    "Quarrymoor",
    "Tansy",
    "Yarrow",
    "Campion",
    "Teasel",
    "Burdock",
    "Wychelm",
    "Sloeberry",
    "Damson",
    "Medlar",
    "Quince",
    "Hornbeam",
    "Whitebeam",
    "Spindle",
    "Guelder",
    "Sedgemoor",
    "Reedbank",
    "Stonechat",
)
_HOME_SUFFIXES = (
    "Court",
    "House",
    "Lodge",
    "Grange",
    "Manor",
    "View",
    "Gardens",
    "Park",
    "Hall",
    "Mews",
    "Croft",
    "Rise",
    "Place",
    "Meadows",
)
_AGENCY_SUFFIXES = (
    "Home Care",
    "Care at Home",
    "Homecare Services",
    "Community Care",
    "Domiciliary Care",
)
_AGENCY_WORDS = (
    "Beacon",
    "Harbour",
    "Lantern",
    "Compass",
    "Kindred",
    "Hearth",
    "Waymark",
    "Brightside",
    "Tidewell",
    "Northmoor",
    "Eastbridge",
    "Wexcombe",
    "Saltmarsh",
    "Oakhurst",
    "Fellside",
    "Millrace",
    "Greystone",
    "Cobblefield",
    "Ashcombe",
    "Brookhaven",
    "Silverdene",
    "Kingsmead",
    "Wayfarer",
    "Riverside",
    "Highfold",
    "Dunmere",
    "Hollins",
    "Fairwater",
    "Coldharbour",
    "Lowfield",
)
#: Invented local authorities of the synthetic ICB and its neighbour.
LOCAL_AUTHORITIES = ("Northmoor", "Eastbridge", "Wexcombe", "Saltmarsh", "Fellside")


def nhs_check_digit(nine: np.ndarray) -> np.ndarray:
    """Modulus 11 check digit of each row of nine digits; 10 means no valid number exists.

    Args:
        nine: Integer array of shape (n, 9).

    Returns:
        One check digit per row (0-9, or 10 for an impossible stem).
    """
    remainder = (nine * _NHS_WEIGHTS).sum(axis=1) % 11
    check = 11 - remainder
    return np.where(check == 11, 0, check)


def nhs_numbers(*, rng: np.random.Generator, count: int) -> np.ndarray:
    """Valid NHS numbers in the ``999`` test range, as 10-character strings."""
    stems = np.empty((0, 9), dtype=np.int64)
    while len(stems) < count:
        draw = np.concatenate(
            [
                np.full((count * 2, 3), 9, dtype=np.int64),
                rng.integers(0, 10, size=(count * 2, 6), dtype=np.int64),
            ],
            axis=1,
        )
        stems = np.concatenate([stems, draw[nhs_check_digit(draw) != 10]])
    stems = stems[:count]
    digits = np.concatenate([stems, nhs_check_digit(stems)[:, None]], axis=1)
    return np.array(["".join(map(str, row)) for row in digits], dtype=object)


def is_valid_nhs_number(value: str) -> bool:
    """Whether ``value`` (spaces allowed) is 10 digits passing the Modulus 11 check."""
    digits = value.replace(" ", "")
    if len(digits) != 10 or not digits.isdigit():
        return False
    array = np.array([[int(c) for c in digits[:9]]])
    return int(nhs_check_digit(array)[0]) == int(digits[9])


def cqc_ids(*, rng: np.random.Generator, count: int, taken: set[str]) -> list[str]:
    """Invented CQC-format IDs: ``1-`` and 11 digits starting with 9 (real ones start with 1).

    Args:
        rng: Random generator.
        count: How many IDs to return.
        taken: IDs already used; updated in place so IDs stay unique across calls.
    """
    out: list[str] = []
    while len(out) < count:
        value = f"1-9{int(rng.integers(0, 10**10)):010d}"
        if value not in taken:
            taken.add(value)
            out.append(value)
    return out


def care_home_names(*, rng: np.random.Generator, count: int, taken: set[str]) -> list[str]:
    """Invented care-home names such as "Rowan Court"; unique within ``taken``."""
    return _names(rng=rng, count=count, taken=taken, first=_HOME_WORDS, second=_HOME_SUFFIXES)


def agency_names(*, rng: np.random.Generator, count: int, taken: set[str]) -> list[str]:
    """Invented home-care agency names such as "Beacon Home Care"; unique within ``taken``."""
    return _names(rng=rng, count=count, taken=taken, first=_AGENCY_WORDS, second=_AGENCY_SUFFIXES)


def _names(
    *,
    rng: np.random.Generator,
    count: int,
    taken: set[str],
    first: tuple[str, ...],
    second: tuple[str, ...],
) -> list[str]:
    out: list[str] = []
    while len(out) < count:
        name = f"{first[rng.integers(len(first))]} {second[rng.integers(len(second))]}"
        if name in taken:
            # Past the simple combinations, add a place as a real directory does.
            place = LOCAL_AUTHORITIES[rng.integers(len(LOCAL_AUTHORITIES))]
            name = f"{name} ({place})"
            if name in taken:
                name = f"{name[:-1]} {len(taken)})"
        taken.add(name)
        out.append(name)
    return out
