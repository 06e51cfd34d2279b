"""What a page shows instead of data when there is none to show."""

from __future__ import annotations

import re

from dash import html

_CODE = re.compile(r"`([^`]+)`")


def empty_state(message: str, *, heading: str = "Nothing to show yet") -> html.Div:
    """Return a calm notice; text between backticks in ``message`` is shown as code."""
    parts: list[str | html.Code] = []
    for index, piece in enumerate(_CODE.split(message)):
        if piece:
            parts.append(html.Code(piece) if index % 2 else piece)
    return html.Div(
        [html.H2(heading, className="empty-state-heading"), html.P(parts)],
        className="empty-state",
        role="status",
    )
