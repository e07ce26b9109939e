"""The register book (Sổ theo dõi hồ sơ, Mẫu số 07 of TT 03/2025/TT-VPCP, Phụ lục I) as PDF:
A4 landscape, the letterhead and title on the first page, the heading row repeated on every
page, "Trang x/y" at the bottom, each dossier code a link for a viewer who may open it.

Drawn with ReportLab, not WeasyPrint like the other printed forms (core.pdf): a book of
1,000 entries is ~13,000 table cells over ~40 pages, which WeasyPrint lays out in ~10 s (its
CSS cascade, box tree and line breaking cost ~10 ms per row whatever the stylesheet), and
ReportLab in under a second (docs/performance.md, "Register PDF (issue 21)"). The cells are
plain text broken into lines here (`_lines`), so that the table draws strings, not
paragraphs; the look follows static/css/forms.css (.form-07): Liberation Serif, 7.5 pt cells,
0.6 pt rules. Fonts are the installed TrueType files (fonts-liberation2, as WeasyPrint uses);
text is NFC-normalised, since ReportLab draws characters one glyph each, without shaping."""

from __future__ import annotations

import functools
import io
import os
import unicodedata
from collections.abc import Callable, Iterable
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    HRFlowable,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

PAGE = landscape(A4)
MARGINS = {"topMargin": 10 * mm, "rightMargin": 10 * mm, "bottomMargin": 12 * mm, "leftMargin": 10 * mm}
# Percentages of the printable width for the 13 columns (motcua.register.COLUMNS).
COLUMN_WIDTHS = [3, 13, 14, 4, 9, 10, 10, 6, 6, 6, 7, 6, 6]
CENTRED_COLUMNS = (0, 3)  # STT, Số lượng hồ sơ
CELL_SIZE = 7.5
CELL_LEADING = CELL_SIZE * 1.25
CELL_PADDING_X = 0.8 * mm
CELL_PADDING_Y = 0.6 * mm
RULE = 0.6  # points
# An entry taller than this goes on in the rows below it (a procedure's name may have 2,000
# characters: ~65 lines in its column, more than a page holds; 40 lines fill ~3/4 of one).
MAX_ROW_LINES = 40

# The serif of the other forms, then a fallback with the Vietnamese letters as well.
FONT_FILES = {
    "regular": ("LiberationSerif-Regular.ttf", "DejaVuSerif.ttf"),
    "bold": ("LiberationSerif-Bold.ttf", "DejaVuSerif-Bold.ttf"),
    "italic": ("LiberationSerif-Italic.ttf", "DejaVuSerif-Italic.ttf"),
}
FONT_DIRS = ("/usr/share/fonts", "/usr/local/share/fonts", os.path.expanduser("~/.local/share/fonts"))
REGULAR, BOLD, ITALIC = "RegisterSerif", "RegisterSerif-Bold", "RegisterSerif-Italic"


@functools.cache
def _fonts() -> None:
    """Register the three faces with ReportLab, once per process."""
    found: dict[str, str] = {}
    wanted = {name for names in FONT_FILES.values() for name in names}
    for root in FONT_DIRS:
        for folder, _dirs, files in os.walk(root):
            for name in wanted.intersection(files):
                found.setdefault(name, os.path.join(folder, name))
    for face, registered in (("regular", REGULAR), ("bold", BOLD), ("italic", ITALIC)):
        path = next((found[name] for name in FONT_FILES[face] if name in found), None)
        if path is None:
            raise RuntimeError(
                f"No font for the register PDF: install fonts-liberation2 ({FONT_FILES[face]})"
            )
        pdfmetrics.registerFont(TTFont(registered, path))


def _text(value) -> str:
    return unicodedata.normalize("NFC", "" if value is None else str(value))


def _lines(text: str, font: str, size: float, width: float) -> list[str]:
    """`text` broken into lines that fit `width`: between words; a word longer than the
    column is cut where it reaches the edge."""
    lines = []
    for line in simpleSplit(text, font, size, width) if text else []:
        if pdfmetrics.stringWidth(line, font, size) <= width:
            lines.append(line)
            continue
        start, used = 0, 0.0
        for index, char in enumerate(line):
            advance = pdfmetrics.stringWidth(char, font, size)
            if used + advance > width and index > start:
                lines.append(line[start:index])
                start, used = index, 0.0
            used += advance
        lines.append(line[start:])
    return lines


def _table_rows(cells: list[list[str]]) -> list[list[str]]:
    """One entry's cells (as lines) as table rows: one row, or several when a cell is
    longer than `MAX_ROW_LINES` (ReportLab cannot place a row taller than the page)."""
    parts = max(1, *((len(lines) + MAX_ROW_LINES - 1) // MAX_ROW_LINES for lines in cells))
    return [
        ["\n".join(lines[part * MAX_ROW_LINES : (part + 1) * MAX_ROW_LINES]) for lines in cells]
        for part in range(parts)
    ]


class _Link(Flowable):
    """A dossier code that links to its page (a PDF link annotation over the text)."""

    def __init__(self, text: str, url: str):
        super().__init__()
        self.text, self.url = text, url

    def wrap(self, available_width, available_height):
        self.width = pdfmetrics.stringWidth(self.text, REGULAR, CELL_SIZE)
        self.height = CELL_LEADING
        return self.width, self.height

    def draw(self):
        # on the baseline of the table's own text lines (ReportLab puts it one font size
        # below the cell's top)
        self.canv.setFont(REGULAR, CELL_SIZE)
        self.canv.drawString(0, self.height - CELL_SIZE, self.text)
        self.canv.linkURL(self.url, (0, 0, self.width, self.height), relative=1, thickness=0)


class _NumberedCanvas(Canvas):
    """Writes "Trang x/y" once the number of pages is known: the pages are kept until
    `save`, then each is finished with its footer (ReportLab's two-pass canvas recipe)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._pages: list[dict] = []

    def showPage(self):
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self):
        total = len(self._pages)
        for state in self._pages:
            self.__dict__.update(state)
            self.setFont(REGULAR, 8)
            self.drawRightString(
                PAGE[0] - MARGINS["rightMargin"],
                MARGINS["bottomMargin"] / 2 - 3,
                f"Trang {self._pageNumber}/{total}",
            )
            super().showPage()
        super().save()


def _style(name: str, *, font: str = REGULAR, size: float, align=TA_CENTER, **extra) -> ParagraphStyle:
    return ParagraphStyle(name, fontName=font, fontSize=size, leading=size * 1.25, alignment=align, **extra)


def _letterhead(head: dict, width: float) -> list[Flowable]:
    """The form's number, then the issuer and the national motto side by side
    (templates/pdf/_letterhead.html, the same context from motcua.printed_forms.letterhead)."""
    issuer = head["issuer"]
    left: list[Flowable] = []
    if issuer.parent:
        left.append(Paragraph(escape(_text(issuer.parent_line).upper()), _style("parent", size=9)))
    left += [
        Paragraph(escape(_text(issuer.name_line).upper()), _style("name", font=BOLD, size=9)),
        HRFlowable(width="35%", thickness=RULE, color=colors.black, spaceBefore=0.8 * mm, spaceAfter=1 * mm),
    ]
    right = [
        Paragraph(escape(head["motto"]), _style("motto", font=BOLD, size=9.5)),
        Paragraph(escape(head["motto_line"]), _style("motto-line", font=BOLD, size=10)),
        HRFlowable(width="55%", thickness=RULE, color=colors.black, spaceBefore=0.8 * mm, spaceAfter=1 * mm),
    ]
    table = Table([[left, right]], colWidths=[width * 0.43, width * 0.57])
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("ALIGN", (0, 0), (-1, -1), "CENTER"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (0, 0), 1 * mm),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5 * mm),
            ]
        )
    )
    number = Paragraph(
        escape(head["form"].label), _style("form-number", font=ITALIC, size=7.5, align=TA_RIGHT)
    )
    return [number, table]


def render_register_pdf(
    *,
    rows: Iterable[list],
    columns: list[str],
    head: dict,
    title: str,
    subtitle: str,
    link: Callable[[str], str | None],
) -> bytes:
    """The book as PDF bytes. `rows`: the 13 cells of each entry (motcua.register.row_values);
    `head`: the letterhead's context (motcua.printed_forms.letterhead); `link(code)`: the
    dossier page's URL for a code the viewer may open, else None (plain text)."""
    _fonts()
    width = PAGE[0] - MARGINS["leftMargin"] - MARGINS["rightMargin"]
    widths = [width * share / 100 for share in COLUMN_WIDTHS]
    text_widths = [w - 2 * CELL_PADDING_X for w in widths]
    data = [
        ["\n".join(_lines(_text(c), BOLD, CELL_SIZE, w)) for c, w in zip(columns, text_widths, strict=True)]
    ]
    for row in rows:
        cells = [_lines(_text(c), REGULAR, CELL_SIZE, w) for c, w in zip(row, text_widths, strict=True)]
        entry = _table_rows(cells)
        code = _text(row[1])
        url = link(code) if code else None
        if url and pdfmetrics.stringWidth(code, REGULAR, CELL_SIZE) <= text_widths[1]:
            entry[0][1] = _Link(code, url)
        data += entry
    style = [
        ("FONT", (0, 0), (-1, -1), REGULAR, CELL_SIZE, CELL_LEADING),
        ("FONT", (0, 0), (-1, 0), BOLD, CELL_SIZE, CELL_LEADING),
        ("GRID", (0, 0), (-1, -1), RULE, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("ALIGN", (0, 0), (-1, 0), "CENTER"),
        ("LEFTPADDING", (0, 0), (-1, -1), CELL_PADDING_X),
        ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PADDING_X),
        ("TOPPADDING", (0, 0), (-1, -1), CELL_PADDING_Y),
        ("BOTTOMPADDING", (0, 0), (-1, -1), CELL_PADDING_Y),
    ]
    style += [("ALIGN", (column, 1), (column, -1), "CENTER") for column in CENTRED_COLUMNS]
    table = Table(data, colWidths=widths, repeatRows=1, style=TableStyle(style))

    buffer = io.BytesIO()
    document = BaseDocTemplate(buffer, pagesize=PAGE, title=_text(title), creator="motcua", **MARGINS)
    frame = Frame(
        MARGINS["leftMargin"],
        MARGINS["bottomMargin"],
        width,
        PAGE[1] - MARGINS["topMargin"] - MARGINS["bottomMargin"],
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
    )
    document.addPageTemplates([PageTemplate(id="book", frames=[frame])])
    story = [
        *_letterhead(head, width),
        Paragraph(escape(_text(title).upper()), _style("h1", font=BOLD, size=12, spaceBefore=1.5 * mm)),
        Spacer(0, 0.5 * mm),
        Paragraph(escape(_text(subtitle)), _style("subtitle", size=10.5)),
        Spacer(0, 2.5 * mm),
        table,
    ]
    document.build(story, canvasmaker=_NumberedCanvas)
    return buffer.getvalue()
