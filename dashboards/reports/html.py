"""The business-case report as one self-contained HTML file.

Inline CSS, charts as inline SVG drawn from :mod:`dashboards.reports.drawing`, system fonts:
nothing is fetched, no script runs, and the file prints on A4. Every text is escaped.
"""

from __future__ import annotations

from html import escape

from dashboards.reports.business_case import (
    Block,
    Bullets,
    Document,
    Heading,
    Paragraph,
    Table,
)
from dashboards.reports.drawing import Anchor, Chart, Line, Polyline, Rect, Shape

STYLE = """
:root { color: #212B32; background: #FFFFFF; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial,
  "Noto Sans", "Liberation Sans", sans-serif; font-size: 15px; line-height: 1.45;
  max-width: 60rem; margin: 2rem auto; padding: 0 1.25rem; }
header { border-bottom: 4px solid #005EB8; margin-bottom: 1.5rem; }
h1 { font-size: 1.9rem; margin: 0 0 .25rem; color: #003087; }
h2 { font-size: 1.4rem; margin: 2rem 0 .6rem; color: #003087; border-bottom: 1px solid #D8DDE0;
  padding-bottom: .2rem; }
h3 { font-size: 1.15rem; margin: 1.4rem 0 .5rem; }
.subtitle { font-size: 1.2rem; margin: 0 0 .3rem; }
.prepared { color: #425563; margin: 0 0 1rem; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1.2rem; font-size: .88rem; }
caption { text-align: left; font-weight: 600; padding: .2rem 0 .4rem; }
th, td { border: 1px solid #D8DDE0; padding: .3rem .45rem; vertical-align: top; text-align: left; }
thead th { background: #E8EDEE; }
tbody th { font-weight: 600; }
td.number, th.number { text-align: right; font-variant-numeric: tabular-nums; }
.nowrap { white-space: nowrap; }
figure { margin: .5rem 0 1.5rem; }
figcaption { font-weight: 600; margin-bottom: .3rem; }
svg { width: 100%; height: auto; display: block; }
footer { border-top: 1px solid #D8DDE0; margin-top: 2rem; padding-top: .5rem; color: #425563; }
@page { size: A4; margin: 15mm; }
@media print { body { margin: 0; max-width: none; font-size: 10pt; }
  h2 { break-after: avoid; } table, figure { break-inside: avoid; } }
"""

SHORT_FIGURE = 16
"""Figures up to this many characters are kept on one line."""
_ANCHORS = {Anchor.START: "start", Anchor.MIDDLE: "middle", Anchor.END: "end"}


def render_html(document: Document) -> str:
    """Write a laid-out report as an HTML document.

    Args:
        document: The report's layout.

    Returns:
        The whole file, ``<!DOCTYPE html>`` first.
    """
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en-GB">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(document.title)}: {escape(document.subtitle)}</title>",
        f"<style>{STYLE}</style>",
        "</head>",
        "<body>",
        "<header>",
        f"<h1>{escape(document.title)}</h1>",
        f'<p class="subtitle">{escape(document.subtitle)}</p>',
        f'<p class="prepared">{escape(document.prepared)}</p>',
        "</header>",
        "<main>",
    ]
    charts = 0
    for block in document.blocks:
        if isinstance(block, Chart):
            charts += 1
            parts.append(_chart(block, number=charts))
        else:
            parts.append(_block(block))
    parts += [
        "</main>",
        f"<footer><p>{escape(document.prepared)}</p></footer>",
        "</body>",
        "</html>",
    ]
    return "\n".join(parts) + "\n"


def _block(block: Block) -> str:
    if isinstance(block, Heading):
        level = min(max(block.level, 2), 4)
        return f"<h{level}>{escape(block.text)}</h{level}>"
    if isinstance(block, Paragraph):
        return f"<p>{escape(block.text)}</p>"
    if isinstance(block, Bullets):
        items = "".join(f"<li>{escape(item)}</li>" for item in block.items)
        return f"<ul>{items}</ul>"
    if isinstance(block, Table):
        return _table(block)
    raise TypeError(f"Unknown block {block!r}")


def _table(table: Table) -> str:
    def cls(column: int, text: str = "") -> str:
        names = ["number"] if table.numeric[column] else []
        if table.numeric[column] and len(text) <= SHORT_FIGURE:
            names.append("nowrap")
        return f' class="{" ".join(names)}"' if names else ""

    head = "".join(
        f'<th scope="col"{cls(i)}>{escape(text)}</th>' for i, text in enumerate(table.headers)
    )
    body = []
    for row in table.rows:
        cells = []
        for i, text in enumerate(row):
            if i == 0 and table.row_headers:
                cells.append(f'<th scope="row"{cls(i, text)}>{escape(text)}</th>')
            else:
                cells.append(f"<td{cls(i, text)}>{escape(text)}</td>")
        body.append(f"<tr>{''.join(cells)}</tr>")
    columns = ""
    if table.widths:
        total = sum(table.widths)
        columns = (
            "<colgroup>"
            + "".join(f'<col style="width: {100 * width / total:.1f}%">' for width in table.widths)
            + "</colgroup>"
        )
    return (
        f"<table><caption>{escape(table.caption)}</caption>{columns}"
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"
    )


def _chart(chart: Chart, *, number: int) -> str:
    title_id = f"chart-{number}-title"
    desc_id = f"chart-{number}-desc"
    shapes = "".join(_shape(shape) for shape in chart.shapes)
    return (
        f"<figure><figcaption>{escape(chart.title)}</figcaption>"
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {chart.width:g} {chart.height:g}" '
        f'role="img" aria-labelledby="{title_id} {desc_id}" '
        "font-family=\"system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif\">"
        f'<title id="{title_id}">{escape(chart.title)}</title>'
        f'<desc id="{desc_id}">{escape(chart.description)}</desc>'
        f"{shapes}</svg></figure>"
    )


def _n(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _shape(shape: Shape) -> str:
    if isinstance(shape, Rect):
        return (
            f'<rect x="{_n(shape.x)}" y="{_n(shape.y)}" width="{_n(shape.width)}" '
            f'height="{_n(shape.height)}" fill="{shape.fill}"/>'
        )
    if isinstance(shape, Line):
        dash = ' stroke-dasharray="5 4"' if shape.dashed else ""
        return (
            f'<line x1="{_n(shape.x1)}" y1="{_n(shape.y1)}" x2="{_n(shape.x2)}" '
            f'y2="{_n(shape.y2)}" stroke="{shape.stroke}" '
            f'stroke-width="{_n(shape.stroke_width)}"{dash}/>'
        )
    if isinstance(shape, Polyline):
        points = " ".join(f"{_n(x)},{_n(y)}" for x, y in shape.points)
        return (
            f'<polyline points="{points}" fill="none" stroke="{shape.stroke}" '
            f'stroke-width="{_n(shape.stroke_width)}" stroke-linejoin="round"/>'
        )
    weight = ' font-weight="bold"' if shape.bold else ""
    return (
        f'<text x="{_n(shape.x)}" y="{_n(shape.y)}" font-size="{_n(shape.size)}" '
        f'text-anchor="{_ANCHORS[shape.anchor]}" fill="{shape.fill}"{weight}>'
        f"{escape(shape.text)}</text>"
    )
