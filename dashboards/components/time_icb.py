"""The Time page for ICB leads: measured documentation time per provider, disclosure-controlled.

No assumption and no hours released: those are the provider's own business figures. Counts are
rounded to the nearest 5 and 1 to 7 suppressed (``[c]``); the rates come from the unrounded
counts and are suppressed with them (:mod:`dashboards.disclosure`).
"""

from __future__ import annotations

from datetime import date
from typing import Any

import polars as pl
from dash import html

from dashboards.components.empty_state import empty_state
from dashboards.components.tables import Column, ColumnKind, html_table
from dashboards.components.time_parts import (
    Basis,
    TimeTable,
    download_buttons,
    heading,
    number,
    share,
)
from dashboards.figures.time import month_text

BASIS_TEXT = {
    "shifts": "Care homes (per care-worker shift)",
    "visits": "Home care (per completed visit)",
}


def icb_download_frame(frame: pl.DataFrame) -> pl.DataFrame:
    """The ICB summary as downloaded: controlled counts and the rates, no recording seconds."""
    return frame.select(
        "provider_id",
        "shift_basis",
        "period_start",
        "period_end",
        "shifts",
        "care_notes",
        "notes_within_15_minutes",
        "minutes_per_shift",
        "share_within_15_minutes",
    )


def icb_section(frame: pl.DataFrame) -> list[Any]:
    """The per-provider summary table with its downloads, or why there is none."""
    title = heading(2, "Documentation time by provider", basis=Basis.MEASURED)
    if frame.is_empty():
        return [
            title,
            empty_state(
                "No provider in your ICB has a whole month on digital care records with "
                "recording times yet.",
                heading="Nothing measured yet",
            ),
        ]
    start = date.fromisoformat(str(frame["period_start"][0]))
    end = date.fromisoformat(str(frame["period_end"][0]))
    shown = frame.with_columns(
        pl.col("shift_basis").replace_strict(BASIS_TEXT, default="").alias("basis_text"),
        pl.col("minutes_per_shift")
        .map_elements(lambda v: number(v), return_dtype=pl.String)
        .fill_null("[c]")
        .alias("minutes_text"),
        pl.col("share_within_15_minutes")
        .map_elements(share, return_dtype=pl.String)
        .fill_null("[c]")
        .alias("within_text"),
    )
    columns = (
        Column("provider_id", "Provider"),
        Column("basis_text", "Service"),
        Column("shifts", "Care-worker shifts or visits", ColumnKind.CONTROLLED_COUNT),
        Column("care_notes", "Care notes", ColumnKind.CONTROLLED_COUNT),
        Column("minutes_text", "Recording minutes per care-worker shift or visit"),
        Column("within_text", "Notes recorded within 15 minutes"),
    )
    return [
        title,
        html.P(
            f"Measured from the providers' digital care records, {month_text(start)} to "
            f"{month_text(end)} (months after each location went live). Counts are rounded to "
            "the nearest 5 and counts from 1 to 7 are hidden ([c]); the minutes and shares are "
            "worked out from the exact counts and hidden with them. Providers' own assumptions "
            "and hours released are not shown here.",
            className="note",
        ),
        html_table(
            shown,
            columns=columns,
            caption="Measured documentation time and prompt recording, by provider",
        ),
        download_buttons(TimeTable.ICB, what="this table"),
    ]
