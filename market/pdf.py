"""Chinese PDF documents (成交确认书, certificates, statements) with reportlab.

Every document is the same shape: a title, an optional subtitle, sections of labelled facts
or tables, an optional QR code and a footer line. Callers pass words already translated; this
module only lays them out. The CJK text uses reportlab's built-in CID font STSong-Light, which
PDF readers supply themselves, so nothing is embedded and no font file ships with the app.
"""

from dataclasses import dataclass, field
from io import BytesIO

from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from market.tables import Export

PDF_MEDIA_TYPE = "application/pdf"
FONT = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(FONT))

_TITLE = ParagraphStyle("title", fontName=FONT, fontSize=18, leading=24, alignment=1,
                        spaceAfter=4 * mm)
_SUBTITLE = ParagraphStyle("subtitle", fontName=FONT, fontSize=10, leading=14, alignment=1,
                           textColor=colors.grey, spaceAfter=6 * mm)
_HEADING = ParagraphStyle("heading", fontName=FONT, fontSize=12, leading=16,
                          spaceBefore=4 * mm, spaceAfter=2 * mm)
_CELL = ParagraphStyle("cell", fontName=FONT, fontSize=9.5, leading=13)
_FOOTER = ParagraphStyle("footer", fontName=FONT, fontSize=8.5, leading=12,
                         textColor=colors.grey, spaceBefore=6 * mm)
_GRID = TableStyle([
    ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
    ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ("LEFTPADDING", (0, 0), (-1, -1), 4),
    ("RIGHTPADDING", (0, 0), (-1, -1), 4),
])


@dataclass
class Facts:
    """A section of label → value pairs, printed as a two-column table."""

    heading: str | None
    rows: list[tuple[str, str]]


@dataclass
class Rows:
    """A section of tabular rows under column headers (a statement's lines)."""

    heading: str | None
    headers: list[str]
    rows: list[list[str]]


@dataclass
class Document:
    title: str
    sections: list[Facts | Rows] = field(default_factory=list)
    subtitle: str | None = None
    footer: str | None = None
    # A URL to print as a QR code (a certificate's public verification page).
    qr_url: str | None = None


def render(document: Document) -> bytes:
    """The document as PDF bytes."""
    buffer = BytesIO()
    pdf = SimpleDocTemplate(buffer, pagesize=A4, title=document.title, leftMargin=18 * mm,
                            rightMargin=18 * mm, topMargin=18 * mm, bottomMargin=18 * mm)
    story = [Paragraph(_escape(document.title), _TITLE)]
    if document.subtitle:
        story.append(Paragraph(_escape(document.subtitle), _SUBTITLE))
    for section in document.sections:
        if section.heading:
            story.append(Paragraph(_escape(section.heading), _HEADING))
        story.append(_table(section, pdf.width))
    if document.qr_url:
        story += [Spacer(1, 4 * mm), _qr(document.qr_url)]
    if document.footer:
        story.append(Paragraph(_escape(document.footer), _FOOTER))
    pdf.build(story)
    return buffer.getvalue()


def export(document: Document, filename: str) -> Export:
    """The document as a download (see `market.downloads.attachment`)."""
    return Export(filename, PDF_MEDIA_TYPE, render(document))


def _table(section: Facts | Rows, width: float) -> Table:
    if isinstance(section, Facts):
        data = [[_cell(label), _cell(value)] for label, value in section.rows]
        return Table(data, colWidths=[width * 0.3, width * 0.7], style=_GRID)
    data = [[_cell(h) for h in section.headers]]
    data += [[_cell(value) for value in row] for row in section.rows]
    table = Table(data, repeatRows=1, style=_GRID)
    table.setStyle(TableStyle([("BACKGROUND", (0, 0), (-1, 0), colors.whitesmoke)]))
    return table


def _cell(value) -> Paragraph:
    return Paragraph(_escape("" if value is None else str(value)), _CELL)


def _qr(url: str) -> Drawing:
    widget = QrCodeWidget(url)
    left, bottom, right, top = widget.getBounds()
    size = 32 * mm
    drawing = Drawing(size, size, transform=[size / (right - left), 0, 0,
                                             size / (top - bottom), 0, 0])
    drawing.add(widget)
    return drawing


def _escape(text: str) -> str:
    # Paragraph reads a little XML markup; values from users must not be taken for it.
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
