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


def timestamp_stages(raw: pl.Expr, *, name: str) -> list[list[pl.Expr]]:
    """Expressions, in stages to apply one after another, that read a timestamp column.

    Each stage reads only columns added by earlier stages, so every intermediate (the regex
    groups, the wall-clock value, both readings of an ambiguous hour) is computed once. After
    the last stage the frame has ``name`` (Datetime in UTC, null when unreadable or in the
    spring-forward gap), ``{name}__gap`` (wall-clock time that does not exist in
    Europe/London) and ``{name}__ambiguous`` (wall-clock time in the autumn fall-back hour,
    read as the first occurrence, BST); the ``{name}__tmp_*`` helpers are for dropping.
    """
    parts, naive, offset = f"{name}__tmp_parts", f"{name}__tmp_naive", f"{name}__tmp_offset"
    earliest, latest = f"{name}__tmp_earliest", f"{name}__tmp_latest"
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
    local = pl.col(offset).is_null()
    minutes = pl.col(f"{offset}_minutes")
    fixed = (pl.col(naive) - pl.duration(minutes=minutes)).dt.replace_time_zone("UTC")
    return [
        [raw.str.strip_chars().str.extract_groups(TIMESTAMP_PATTERN).alias(parts)],
        [wall_clock.alias(naive), field("5").alias(offset)],
        [
            _offset_minutes(pl.col(offset)).alias(f"{offset}_minutes"),
            pl.col(naive)
            .dt.replace_time_zone(LONDON, ambiguous="earliest", non_existent="null")
            .dt.convert_time_zone("UTC")
            .alias(earliest),
            pl.col(naive)
            .dt.replace_time_zone(LONDON, ambiguous="latest", non_existent="null")
            .dt.convert_time_zone("UTC")
            .alias(latest),
        ],
        [
            pl.when(local)
            .then(pl.col(earliest))
            .when(minutes.abs() <= 18 * 60)
            .then(fixed)
            .otherwise(None)
            .alias(name),
            (local & pl.col(naive).is_not_null() & pl.col(earliest).is_null()).alias(
                f"{name}__gap"
            ),
            (local & pl.col(earliest).is_not_null() & (pl.col(earliest) != pl.col(latest))).alias(
                f"{name}__ambiguous"
            ),
        ],
    ]


TEMPORARY_MARK = "__tmp_"
"""Columns whose names contain this are intermediates of ``timestamp_stages``."""


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
