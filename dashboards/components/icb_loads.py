"""The ICB view of load accounting: one row per provider, every count disclosure-controlled."""

from __future__ import annotations

import polars as pl
from dash import html

from dashboards.components.tables import Column, ColumnKind, html_table
from dashboards.disclosure import SUPPRESSED

ICB_LOAD_COLUMNS = (
    Column("provider_id", "Provider"),
    Column("packages_loaded", "Packages loaded", ColumnKind.CONTROLLED_COUNT),
    Column("latest_extract_to", "Latest extract covers to", ColumnKind.DATE),
    Column("rows_read", "Rows read", ColumnKind.CONTROLLED_COUNT),
    Column("rows_loaded", "Rows loaded", ColumnKind.CONTROLLED_COUNT),
    Column("rows_quarantined", "Rows quarantined", ColumnKind.CONTROLLED_COUNT),
    Column("share_text", "Share quarantined"),
)
DISCLOSURE_NOTE = (
    f"Published outside the provider: counts from 1 to 7 are suppressed ({SUPPRESSED}) and "
    "other counts are rounded to the nearest 5. Shares are worked out from the unrounded "
    f"counts and are suppressed with them. A share of {SUPPRESSED} means one of its counts "
    "is suppressed; a dash means nothing was read."
)


def share_text(frame: pl.DataFrame, *, share: str, numerator: str, denominator: str) -> pl.Expr:
    """Return an expression showing ``share`` as a percentage to one decimal place.

    Args:
        frame: The controlled rows (only its column names are used, to check them).
        share: The share column (a fraction, null when suppressed or undefined).
        numerator: The controlled count on top.
        denominator: The controlled count below.

    Returns:
        ``1.3%``; :data:`SUPPRESSED` when either count is suppressed; ``–`` when the
        denominator is zero.
    """
    missing = {share, numerator, denominator} - set(frame.columns)
    if missing:
        raise KeyError(f"no columns {sorted(missing)}")
    return (
        pl.when(pl.col(numerator).is_null() | pl.col(denominator).is_null())
        .then(pl.lit(SUPPRESSED))
        .when(pl.col(share).is_null())
        .then(pl.lit("–"))
        .otherwise(
            (pl.col(share) * 100).round(1).cast(pl.String) + pl.lit("%")  # 1.3%
        )
    )


def provider_loads_table(frame: pl.DataFrame, *, table_id: str) -> html.Div:
    """Return the table of providers in the ICB with their controlled load figures.

    Args:
        frame: ``icb_provider_loads`` rows (already disclosure-controlled by the reader).
        table_id: The component id of the table.
    """
    shown = frame.with_columns(
        share_text(
            frame,
            share="share_quarantined",
            numerator="rows_quarantined",
            denominator="rows_read",
        ).alias("share_text")
    )
    return html.Div(
        [
            html_table(
                shown,
                columns=ICB_LOAD_COLUMNS,
                caption="Providers with a location in your ICB: packages loaded and rows "
                "read, loaded and quarantined over every load (all their locations)",
                table_id=table_id,
            ),
            html.P(DISCLOSURE_NOTE, className="note"),
        ]
    )
