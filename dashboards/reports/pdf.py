"""The business-case report as a PDF, drawn with fpdf2: A4 portrait, Helvetica, vector charts.

fpdf2's core fonts (Helvetica) need no font file but hold only Latin-1 characters, so the text
is written in Latin-1 here: the minus sign and dashes become a hyphen-minus, curly quotes
straight ones, and any other character outside Latin-1 its unaccented letter (or ``?``). The
pound sign is Latin-1 and stays. Charts are the shapes of :mod:`dashboards.reports.drawing`,
scaled onto the text width with fpdf2's rectangles, lines and text.
"""

from __future__ import annotations

import unicodedata

from fpdf import FPDF
from fpdf.enums import Align, TableBordersLayout, XPos, YPos
from fpdf.fonts import FontFace

from dashboards.reports.business_case import (
    Block,
    Bullets,
    Document,
    Heading,
    Paragraph,
    Table,
)
from dashboards.reports.drawing import Anchor, Chart, Line, Polyline, Rect, Text

FONT = "Helvetica"
MARGIN_MM = 15.0
POINTS_PER_MM = 72 / 25.4
DARK_BLUE = (0, 48, 135)
GREY_TEXT = (66, 85, 99)
RULE = (216, 221, 224)
HEAD_FILL = (232, 237, 238)
BODY_PT = 9.5
TABLE_PT = 7.5
_LATIN1 = str.maketrans(
    {
        "\u2212": "-",  # minus sign
        "\u2013": "-",  # en dash
        "\u2014": "-",  # em dash
        "\u2018": "'",
        "\u2019": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u2026": "...",
        "\u00ad": "",  # soft hyphen
        "\u2022": "-",
        "\u0141": "L",  # letters with no decomposition to a Latin-1 base
        "\u0142": "l",
        "\u0152": "OE",
        "\u0153": "oe",
    }
)


def latin1(text: str) -> str:
    """``text`` in the characters Helvetica has (Latin-1), as near as can be.

    Args:
        text: Any text.

    Returns:
        The text with dashes, quotes and ellipses replaced, accents dropped from letters
        outside Latin-1, and anything else as ``?``.
    """
    translated = text.translate(_LATIN1)
    try:
        translated.encode("latin-1")
    except UnicodeEncodeError:
        characters = []
        for character in translated:
            try:
                character.encode("latin-1")
                characters.append(character)
            except UnicodeEncodeError:
                bare = unicodedata.normalize("NFKD", character).encode("latin-1", "ignore")
                characters.append(bare.decode("latin-1") or "?")
        translated = "".join(characters)
    return translated


class _ReportPdf(FPDF):
    """An A4 page with the report's running footer."""

    def __init__(self, footer_text: str) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self._footer_text = footer_text

    def footer(self) -> None:
        """Write the running footer: what the report is, and the page number."""
        self.set_y(-11)
        self.set_font(FONT, size=7.5)
        self.set_text_color(*GREY_TEXT)
        self.cell(0, 4, self._footer_text, align=Align.L)
        self.set_x(self.l_margin)
        self.cell(0, 4, f"Page {self.page_no()} of {{nb}}", align=Align.R)


def render_pdf(document: Document, *, compress: bool = True) -> bytes:
    """Draw a laid-out report as a PDF.

    Args:
        document: The report's layout.
        compress: Whether to compress the page streams.

    Returns:
        The PDF file's bytes.
    """
    pdf = _ReportPdf(latin1(f"{document.title}: {document.subtitle}"))
    pdf.set_compression(compress)
    pdf.set_margins(MARGIN_MM, MARGIN_MM, MARGIN_MM)
    pdf.set_auto_page_break(auto=True, margin=16)
    pdf.set_title(latin1(f"{document.title}: {document.subtitle}"))
    pdf.set_lang("en-GB")
    pdf.set_creator("carelens")
    pdf.set_subject(latin1(document.prepared))
    pdf.add_page()
    _title(pdf, document)
    for block in document.blocks:
        _block(pdf, block)
    return bytes(pdf.output())


def _title(pdf: FPDF, document: Document) -> None:
    pdf.set_text_color(*DARK_BLUE)
    pdf.set_font(FONT, style="B", size=17)
    pdf.multi_cell(0, 8, latin1(document.title), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_text_color(0, 0, 0)
    pdf.set_font(FONT, size=12)
    pdf.multi_cell(0, 6.5, latin1(document.subtitle), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_text_color(*GREY_TEXT)
    pdf.set_font(FONT, size=9)
    pdf.multi_cell(0, 5, latin1(document.prepared), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_draw_color(0, 94, 184)
    pdf.set_line_width(1.0)
    pdf.line(pdf.l_margin, pdf.get_y() + 2, pdf.w - pdf.r_margin, pdf.get_y() + 2)
    pdf.set_line_width(0.2)
    pdf.ln(5)


def _block(pdf: FPDF, block: Block) -> None:
    pdf.set_text_color(33, 43, 50)
    if isinstance(block, Heading):
        _heading(pdf, block)
    elif isinstance(block, Paragraph):
        pdf.set_font(FONT, size=BODY_PT)
        pdf.multi_cell(0, 4.6, latin1(block.text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(2)
    elif isinstance(block, Bullets):
        pdf.set_font(FONT, size=BODY_PT)
        for item in block.items:
            pdf.set_x(pdf.l_margin)
            pdf.cell(5, 4.6, "-")
            pdf.multi_cell(0, 4.6, latin1(item), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            pdf.ln(0.8)
        pdf.ln(1.5)
    elif isinstance(block, Table):
        _table(pdf, block)
    else:
        _chart(pdf, block)


def _heading(pdf: FPDF, heading: Heading) -> None:
    size = 13.5 if heading.level <= 2 else 11
    # keep a heading with what follows it
    if pdf.will_page_break(30):
        pdf.add_page()
    pdf.ln(3 if heading.level <= 2 else 1.5)
    pdf.set_text_color(*DARK_BLUE)
    pdf.set_font(FONT, style="B", size=size)
    pdf.multi_cell(0, size * 0.5, latin1(heading.text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    if heading.level <= 2:
        pdf.set_draw_color(*RULE)
        pdf.set_line_width(0.3)
        y = pdf.get_y() + 0.8
        pdf.line(pdf.l_margin, y, pdf.w - pdf.r_margin, y)
    pdf.ln(2.5)
    pdf.set_text_color(33, 43, 50)


def _table(pdf: FPDF, table: Table) -> None:
    if pdf.will_page_break(20):
        pdf.add_page()
    pdf.set_font(FONT, style="B", size=8.5)
    pdf.multi_cell(0, 4.5, latin1(table.caption), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(0.5)
    pdf.set_font(FONT, size=TABLE_PT)
    # fpdf2 fills some body cells with the fill colour in force: make it white, not a chart's
    pdf.set_fill_color(255, 255, 255)
    pdf.set_draw_color(*RULE)
    pdf.set_line_width(0.2)
    align = tuple(Align.R if numeric else Align.L for numeric in table.numeric)
    widths = table.widths or tuple(1.0 for _ in table.headers)
    with pdf.table(
        col_widths=widths,
        text_align=align,
        line_height=3.4,
        padding=(0.8, 1.0),
        borders_layout=TableBordersLayout.ALL,
        headings_style=FontFace(emphasis="BOLD", fill_color=HEAD_FILL),
        v_align="TOP",
    ) as drawn:
        heading = drawn.row()
        for text in table.headers:
            heading.cell(latin1(text))
        for cells in table.rows:
            row = drawn.row()
            for text in cells:
                row.cell(latin1(text))
    pdf.ln(3)


def _chart(pdf: FPDF, chart: Chart) -> None:
    width = pdf.w - pdf.l_margin - pdf.r_margin
    scale = width / chart.width
    height = chart.height * scale
    if pdf.will_page_break(height + 10):
        pdf.add_page()
    pdf.set_font(FONT, style="B", size=8.5)
    pdf.multi_cell(0, 4.5, latin1(chart.title), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    left, top = pdf.l_margin, pdf.get_y() + 1
    for shape in chart.shapes:
        if isinstance(shape, Rect):
            pdf.set_fill_color(shape.fill)
            pdf.rect(
                left + shape.x * scale,
                top + shape.y * scale,
                max(shape.width * scale, 0.01),
                max(shape.height * scale, 0.01),
                style="F",
            )
        elif isinstance(shape, Line):
            pdf.set_draw_color(shape.stroke)
            pdf.set_line_width(shape.stroke_width * scale)
            if shape.dashed:
                pdf.set_dash_pattern(dash=1.4, gap=1.1)
            pdf.line(
                left + shape.x1 * scale,
                top + shape.y1 * scale,
                left + shape.x2 * scale,
                top + shape.y2 * scale,
            )
            if shape.dashed:
                pdf.set_dash_pattern()
        elif isinstance(shape, Polyline):
            pdf.set_draw_color(shape.stroke)
            pdf.set_line_width(shape.stroke_width * scale)
            pdf.polyline([(left + x * scale, top + y * scale) for x, y in shape.points], style="D")
        else:
            _text(pdf, shape, left=left, top=top, scale=scale)
    pdf.set_line_width(0.2)
    pdf.set_fill_color(255, 255, 255)
    pdf.set_y(top + height + 4)


def _text(pdf: FPDF, shape: Text, *, left: float, top: float, scale: float) -> None:
    pdf.set_font(FONT, style="B" if shape.bold else "", size=shape.size * scale * POINTS_PER_MM)
    pdf.set_text_color(shape.fill)
    text = latin1(shape.text)
    x = left + shape.x * scale
    if shape.anchor is not Anchor.START:
        size = pdf.get_string_width(text)
        x -= size if shape.anchor is Anchor.END else size / 2
    pdf.text(x, top + shape.y * scale, text)
