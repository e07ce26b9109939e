"""Small but real form templates (mẫu đơn, tờ khai) for the demo catalogue, generated in
code rather than committed as binaries: a Word .docx written as WordprocessingML with the
standard library, and a PDF rendered by WeasyPrint. Both open in Word / LibreOffice / any PDF
reader. They are SAMPLE illustrations ("mẫu minh họa"), laid out like the official forms,
not the forms themselves; a province uploads its own on the case page of the admin."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from xml.sax.saxutils import escape

# A fixed timestamp inside the archive: the same template is byte-for-byte the same file.
_ZIP_DATE = (2026, 1, 1, 0, 0, 0)

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    "</Types>"
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="word/document.xml"/>'
    "</Relationships>"
)
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


@dataclass(frozen=True)
class FormTemplate:
    title: str
    lines: tuple[str, ...]
    extension: str  # "docx" or "pdf"


def _paragraph(text: str, *, bold=False, centre=False, italic=False, size=26) -> str:
    props = "".join(
        [
            '<w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" w:cs="Times New Roman"/>',
            "<w:b/>" if bold else "",
            "<w:i/>" if italic else "",
            f'<w:sz w:val="{size}"/>',
        ]
    )
    justify = '<w:pPr><w:jc w:val="center"/></w:pPr>' if centre else ""
    run = f'<w:r><w:rPr>{props}</w:rPr><w:t xml:space="preserve">{escape(text)}</w:t></w:r>'
    return f"<w:p>{justify}{run}</w:p>"


def docx_bytes(form: FormTemplate) -> bytes:
    body = [
        _paragraph("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold=True, centre=True),
        _paragraph("Độc lập - Tự do - Hạnh phúc", bold=True, centre=True),
        _paragraph(""),
        _paragraph(form.title.upper(), bold=True, centre=True, size=28),
        _paragraph("(Mẫu minh họa – dữ liệu mẫu của cổng một cửa)", italic=True, centre=True, size=22),
        _paragraph(""),
        *(_paragraph(f"{line}: " + "." * 60) for line in form.lines),
        _paragraph(""),
        _paragraph("Tôi cam đoan những nội dung khai trên đây là đúng sự thật.", italic=True),
        _paragraph("…………, ngày …… tháng …… năm ……", italic=True, centre=True),
        _paragraph("NGƯỜI YÊU CẦU", bold=True, centre=True),
        _paragraph("(Ký, ghi rõ họ, chữ đệm, tên)", italic=True, centre=True, size=22),
    ]
    document = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="{_W}"><w:body>'
        + "".join(body)
        + '<w:sectPr><w:pgSz w:w="11906" w:h="16838"/>'
        '<w:pgMar w:top="1134" w:right="1134" w:bottom="1134" w:left="1701"/></w:sectPr>'
        "</w:body></w:document>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in (
            ("[Content_Types].xml", _CONTENT_TYPES),
            ("_rels/.rels", _RELS),
            ("word/document.xml", document),
        ):
            archive.writestr(zipfile.ZipInfo(name, date_time=_ZIP_DATE), content.encode("utf-8"))
    return buffer.getvalue()


def pdf_bytes(form: FormTemplate) -> bytes:
    from weasyprint import HTML

    rows = "".join(f"<p>{escape(line)}: <span class='dots'></span></p>" for line in form.lines)
    html = f"""<!doctype html><html lang="vi"><head><meta charset="utf-8"><style>
      @page {{ size: A4; margin: 20mm 20mm 20mm 30mm; }}
      body {{ font-family: "Liberation Serif", "Noto Serif", "DejaVu Serif", serif; font-size: 13pt; }}
      .c {{ text-align: center; }} h1 {{ font-size: 14pt; text-align: center; margin: 8mm 0 2mm; }}
      .dots {{ display: inline-block; width: 60%; border-bottom: 1px dotted #000; }}
      .sign {{ margin-left: 50%; text-align: center; margin-top: 10mm; }}
    </style></head><body>
      <p class="c"><b>CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</b><br><b>Độc lập - Tự do - Hạnh phúc</b></p>
      <h1>{escape(form.title.upper())}</h1>
      <p class="c"><i>(Mẫu minh họa – dữ liệu mẫu của cổng một cửa)</i></p>
      {rows}
      <p><i>Tôi cam đoan những nội dung khai trên đây là đúng sự thật.</i></p>
      <div class="sign"><i>…………, ngày …… tháng …… năm ……</i><br><b>NGƯỜI YÊU CẦU</b><br>
      <i>(Ký, ghi rõ họ, chữ đệm, tên)</i></div>
    </body></html>"""
    return HTML(string=html).write_pdf()


def render(form: FormTemplate) -> bytes:
    return pdf_bytes(form) if form.extension == "pdf" else docx_bytes(form)


_PERSON = ("Họ, chữ đệm, tên người yêu cầu", "Nơi cư trú", "Số định danh cá nhân / CCCD")

# Paper name in the demo catalogue -> its sample template.
DEMO_TEMPLATES: dict[str, FormTemplate] = {
    "Tờ khai đăng ký khai sinh (theo mẫu)": FormTemplate(
        "Tờ khai đăng ký khai sinh",
        (
            *_PERSON,
            "Quan hệ với người được khai sinh",
            "Họ, chữ đệm, tên người được khai sinh",
            "Ngày, tháng, năm sinh",
            "Giới tính",
            "Dân tộc",
            "Quốc tịch",
            "Nơi sinh",
            "Quê quán",
            "Họ, chữ đệm, tên người mẹ",
            "Họ, chữ đệm, tên người cha",
        ),
        "docx",
    ),
    "Tờ khai đăng ký kết hôn (theo mẫu)": FormTemplate(
        "Tờ khai đăng ký kết hôn",
        (
            "Họ, chữ đệm, tên bên nữ",
            "Ngày, tháng, năm sinh bên nữ",
            "Nơi cư trú bên nữ",
            "Họ, chữ đệm, tên bên nam",
            "Ngày, tháng, năm sinh bên nam",
            "Nơi cư trú bên nam",
            "Kết hôn lần thứ mấy",
        ),
        "docx",
    ),
    "Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp (theo mẫu)": FormTemplate(
        "Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp",
        (*_PERSON, "Ngày, tháng, năm sinh", "Mục đích sử dụng Phiếu", "Số lượng Phiếu yêu cầu cấp"),
        "pdf",
    ),
    "Giấy đề nghị đăng ký hộ kinh doanh (theo mẫu)": FormTemplate(
        "Giấy đề nghị đăng ký hộ kinh doanh",
        (*_PERSON, "Tên hộ kinh doanh", "Địa chỉ trụ sở", "Ngành, nghề kinh doanh", "Vốn kinh doanh (đồng)"),
        "pdf",
    ),
}
