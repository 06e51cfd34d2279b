"""Accessible tables: captioned HTML tables, and a sortable, filterable data table."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import polars as pl
from dash import html
from dash.dash_table.DataTable import DataTable
from dash.dash_table.Format import Format, Group

from dashboards.dates import london_time
from dashboards.disclosure import SUPPRESSED
from dashboards.figures.theme import FONT_STACK, NHS_PALE_GREY, TEXT_COLOUR


class ColumnKind(StrEnum):
    """How a column's values are shown."""

    TEXT = "text"
    COUNT = "count"
    CONTROLLED_COUNT = "controlled_count"
    """A disclosure-controlled count: null means suppressed, shown as ``[c]``."""
    INSTANT = "instant"
    DATE = "date"
    YES_NO = "yes_no"


_NUMERIC_KINDS = frozenset({ColumnKind.COUNT, ColumnKind.CONTROLLED_COUNT})


@dataclass(frozen=True, slots=True)
class Column:
    """One column of a displayed table: the frame column, its heading and how to show it."""

    key: str
    heading: str
    kind: ColumnKind = ColumnKind.TEXT
    href_key: str | None = None
    """Frame column holding a link target; when set, each cell links there."""


def aria(**attributes: str) -> dict[str, Any]:
    """Return ``aria-*`` attributes for a Dash component: ``aria(label="…")``.

    Dash components take these as wildcard keyword arguments, which their typed signatures do
    not list, hence ``Any`` values in the returned mapping.
    """
    return {f"aria-{name}": value for name, value in attributes.items()}


def _display_frame(frame: pl.DataFrame, columns: Sequence[Column]) -> pl.DataFrame:
    """Turn every shown column into display text (counts keep their numbers for sorting)."""
    expressions = []
    for column in columns:
        if column.kind is ColumnKind.INSTANT:
            expressions.append(london_time(column.key).alias(column.key))
        elif column.kind is ColumnKind.YES_NO:
            expressions.append(
                pl.col(column.key)
                .replace_strict({True: "Yes", False: "No"}, default="Not checked")
                .alias(column.key)
            )
        elif column.kind is ColumnKind.DATE:
            expressions.append(pl.col(column.key).dt.strftime("%-d %b %Y").fill_null(""))
        elif column.kind in _NUMERIC_KINDS:
            expressions.append(pl.col(column.key))
        else:
            expressions.append(pl.col(column.key).cast(pl.String).fill_null(""))
    extras = [column.href_key for column in columns if column.href_key]
    return frame.select(*expressions, *extras)


def _cell(row: dict[str, Any], column: Column) -> html.Td:
    value = row[column.key]
    if column.kind in _NUMERIC_KINDS:
        blank = SUPPRESSED if column.kind is ColumnKind.CONTROLLED_COUNT else ""
        text = blank if value is None else f"{value:,}"
        return html.Td(text, className="numeric")
    class_name = "instant" if column.kind is ColumnKind.INSTANT else None
    if column.href_key and row[column.href_key]:
        return html.Td(html.A(value, href=row[column.href_key]), className=class_name)
    return html.Td(value, className=class_name)


def _row(row: dict[str, Any], columns: Sequence[Column], *, is_current: bool) -> html.Tr:
    cells = [_cell(row, column) for column in columns]
    if is_current:
        return html.Tr(cells, className="is-current", **aria(current="true"))
    return html.Tr(cells)


def html_table(
    frame: pl.DataFrame,
    *,
    columns: Sequence[Column],
    caption: str,
    table_id: str | None = None,
    current_row: int | None = None,
) -> html.Div:
    """Return a captioned table with column headers, one row per frame row.

    The table sits in a focusable, labelled scroll region so that wide tables can be scrolled
    with the keyboard on narrow screens.

    Args:
        frame: The rows to show.
        columns: Which columns to show, in order.
        caption: What the table holds.
        table_id: The component id of the table, if callbacks or tests need one.
        current_row: Index of the row to mark as the current one (``aria-current``).
    """
    shown = _display_frame(frame, columns)
    header = html.Thead(
        html.Tr(
            [
                html.Th(
                    column.heading,
                    scope="col",
                    className="numeric" if column.kind in _NUMERIC_KINDS else None,
                )
                for column in columns
            ]
        )
    )
    body = html.Tbody(
        [
            _row(row, columns, is_current=index == current_row)
            for index, row in enumerate(shown.iter_rows(named=True))
        ]
    )
    identity: dict[str, Any] = {"id": table_id} if table_id else {}
    return html.Div(
        html.Table([html.Caption(caption), header, body], className="data-table", **identity),
        className="table-scroll",
        tabIndex="0",
        role="region",
        **aria(label=caption),
    )


def _data_table_column(column: Column) -> dict[str, object]:
    """A DataTable column; counts are numeric with thousands separators (65,007)."""
    if column.kind in _NUMERIC_KINDS:
        grouped = Format(group=Group.yes).to_plotly_json()
        return {"id": column.key, "name": column.heading, "type": "numeric", "format": grouped}
    return {"id": column.key, "name": column.heading, "type": "text"}


def sortable_table(
    frame: pl.DataFrame, *, columns: Sequence[Column], caption: str, table_id: str
) -> html.Div:
    """Return a sortable, filterable table, introduced by a visible caption paragraph.

    Args:
        frame: The rows to show.
        columns: Which columns to show, in order.
        caption: What the table holds; shown above it and used as its accessible name.
        table_id: The component id of the data table.
    """
    shown = _display_frame(frame, columns)
    caption_id = f"{table_id}-caption"
    return html.Div(
        [
            html.P(caption, id=caption_id, className="table-caption"),
            html.P(
                "Select a column heading's arrows to sort. Type in the row under the "
                "headings to filter, for example quarantined or > 0.",
                className="table-hint",
            ),
            DataTable(
                id=table_id,
                data=shown.to_dicts(),  # type: ignore[arg-type]  # JSON rows; stubs too narrow
                columns=[_data_table_column(column) for column in columns],  # type: ignore[misc]
                sort_action="native",
                filter_action="native",
                page_action="native",
                page_size=25,
                style_table={"overflowX": "auto"},
                style_cell={
                    "minWidth": "5rem",
                    "maxWidth": "22rem",
                    "fontFamily": FONT_STACK,
                    "fontSize": "1rem",
                    "color": TEXT_COLOUR,
                    "padding": "0.5rem",
                    "textAlign": "left",
                    "whiteSpace": "normal",  # wrap, so every column fits at 1280 px
                    "height": "auto",
                },
                style_cell_conditional=[
                    {"if": {"column_type": "numeric"}, "textAlign": "right"},
                ],
                style_header={"fontWeight": "bold", "backgroundColor": NHS_PALE_GREY},
            ),
        ],
        className="sortable-table",
        role="region",
        **aria(labelledby=caption_id),
    )
