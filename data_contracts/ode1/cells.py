"""How an ODE-1 text cell is read: polars expressions for each column kind (spec section 2).

Every parser returns null where the text does not follow the rule, so a contract can compare
"text present" with "value parsed" and quarantine the row with the rule that failed.
"""

from __future__ import annotations

import polars as pl

LONDON = "Europe/London"

TIMESTAMP_PATTERN = (
    r"^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?"
    r"(Z|z|[+-]\d{2}(?::?\d{2})?)?$"
)
_FAST_PATTERN = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:Z|[+-](?:(?:0\d|1[0-7]):[0-5]\d|18:00))?$"
DATE_PATTERN = r"^\d{4}-\d{2}-\d{2}$"
INTEGER_PATTERN = r"^[+-]?\d{1,18}$"
CQC_ID_PATTERN = r"^1-\d{9,11}$"
ICB_CODE_PATTERN = r"^[A-Za-z0-9]{3}$"
CONTROL_CHARACTERS = r"[\x00-\x1f\x7f]"
TRUE_WORDS = ("true", "1", "y", "yes")
FALSE_WORDS = ("false", "0", "n", "no")
IDENTIFIER_MAX_LENGTH = 64


def enum_value(raw: pl.Expr) -> pl.Expr:
    """An enumerated value as matched: trimmed and lower-cased."""
    return raw.str.strip_chars().str.to_lowercase()


def integer_value(raw: pl.Expr) -> pl.Expr:
    """An integer, or null when the text is not a whole number."""
    text = raw.str.strip_chars()
    return pl.when(text.str.contains(INTEGER_PATTERN)).then(text.cast(pl.Int64, strict=False))


def date_value(raw: pl.Expr) -> pl.Expr:
    """A calendar date from YYYY-MM-DD only; any other form is null, never guessed."""
    text = raw.str.strip_chars()
    return pl.when(text.str.contains(DATE_PATTERN)).then(text.str.to_date("%Y-%m-%d", strict=False))


def boolean_value(raw: pl.Expr) -> pl.Expr:
    """True/false from true/false, 1/0, y/n, yes/no in any case; null otherwise."""
    word = enum_value(raw)
    return (
        pl.when(word.is_in(TRUE_WORDS))
        .then(pl.lit(True))
        .when(word.is_in(FALSE_WORDS))
        .then(pl.lit(False))
        .otherwise(None)
    )


def _offset_minutes(offset: pl.Expr) -> pl.Expr:
    digits = offset.str.replace_all(":", "", literal=True)
    sign = pl.when(digits.str.starts_with("-")).then(-1).otherwise(1)
    hours = digits.str.slice(1, 2).cast(pl.Int64, strict=False)
    minutes = digits.str.slice(3, 2).cast(pl.Int64, strict=False).fill_null(0)
    return (
        pl.when(offset.str.to_uppercase() == "Z").then(0).otherwise(sign * (hours * 60 + minutes))
    )


def timestamp_fast(raw: pl.Expr) -> tuple[pl.Expr, pl.Expr]:
    """Parse the two common shapes exactly, leaving every other shape null in both.

    Wall-clock ``2025-06-01T10:00:00`` gives the naive value; ``2025-06-01T10:00:00Z`` or
    ``+01:00`` gives the UTC instant.
    """
    exact = raw.str.contains(_FAST_PATTERN)  # chrono alone would accept 2025-1-1 and +2025
    naive = raw.str.to_datetime("%Y-%m-%dT%H:%M:%S", time_unit="us", strict=False)
    instant = raw.str.to_datetime("%Y-%m-%dT%H:%M:%S%#z", time_unit="us", strict=False)
    return pl.when(exact).then(naive), pl.when(exact).then(instant.dt.convert_time_zone("UTC"))


def timestamp_slow_stages(raw: pl.Expr, *, prefix: str) -> list[list[pl.Expr]]:
    """Every other ISO 8601 shape, in stages (each intermediate computed once).

    After the last stage the frame has ``{prefix}naive`` (wall-clock time when the text has
    no offset) and ``{prefix}fixed`` (the UTC instant when it has one); both null when the
    text is not an ISO 8601 timestamp. Meant for the few rows ``timestamp_fast`` missed.
    """
    parts, offset = f"{prefix}parts", f"{prefix}offset"
    field = pl.col(parts).struct.field
    fraction = field("4").fill_null("0").str.slice(0, 6).str.pad_end(6, "0")
    wall_clock = pl.concat_str(
        field("1"),
        pl.lit("T"),
        field("2"),
        pl.lit(":"),
        field("3").fill_null("00"),
        pl.lit("."),
        fraction,
    ).str.to_datetime("%Y-%m-%dT%H:%M:%S.%6f", time_unit="us", strict=False)
    minutes = _offset_minutes(pl.col(offset))
    return [
        [raw.str.strip_chars().str.extract_groups(TIMESTAMP_PATTERN).alias(parts)],
        [wall_clock.alias(f"{prefix}wall"), field("5").alias(offset)],
        [
            pl.when(pl.col(offset).is_null()).then(pl.col(f"{prefix}wall")).alias(f"{prefix}naive"),
            pl.when(minutes.abs() <= 18 * 60)
            .then(
                (pl.col(f"{prefix}wall") - pl.duration(minutes=minutes)).dt.replace_time_zone("UTC")
            )
            .alias(f"{prefix}fixed"),
        ],
    ]


def timestamp_final(*, naive: pl.Expr, fixed: pl.Expr, name: str) -> list[pl.Expr]:
    """``name`` (UTC instant), ``{name}__gap`` and ``{name}__ambiguous`` from the readings.

    Wall-clock times are Europe/London: one inside the spring-forward gap does not exist
    (null, gap), one in the autumn fall-back hour is read as its first occurrence (BST).
    """
    earliest = naive.dt.replace_time_zone(
        LONDON, ambiguous="earliest", non_existent="null"
    ).dt.convert_time_zone("UTC")
    latest = naive.dt.replace_time_zone(
        LONDON, ambiguous="latest", non_existent="null"
    ).dt.convert_time_zone("UTC")
    return [
        pl.when(naive.is_not_null()).then(earliest).otherwise(fixed).alias(name),
        (naive.is_not_null() & earliest.is_null()).alias(f"{name}__gap"),
        (earliest.is_not_null() & (earliest != latest)).alias(f"{name}__ambiguous"),
    ]


TEMPORARY_MARK = "__tmp_"
"""Columns whose names contain this are intermediates of timestamp reading."""


def nhs_number_digits(raw: pl.Expr) -> pl.Expr:
    """The ten digits of an NHS number with spaces removed, or null if it fails Modulus 11."""
    digits = raw.str.replace_all(" ", "", literal=True)
    weighted = pl.sum_horizontal(
        [digits.str.slice(i, 1).cast(pl.Int64, strict=False) * (10 - i) for i in range(9)]
    )
    check = 11 - (weighted % 11)
    expected = pl.when(check == 11).then(0).otherwise(check)
    given = digits.str.slice(9, 1).cast(pl.Int64, strict=False)
    valid = digits.str.contains(r"^\d{10}$") & (expected != 10) & (expected == given)
    return pl.when(valid).then(digits)


def is_valid_nhs_number(text: str) -> bool:
    """Whether ``text`` (spaces allowed) is ten digits passing the Modulus 11 check."""
    digits = text.replace(" ", "")
    if len(digits) != 10 or not digits.isdigit():
        return False
    check = 11 - sum(int(d) * (10 - i) for i, d in enumerate(digits[:9])) % 11
    check = 0 if check == 11 else check
    return check != 10 and check == int(digits[9])
