"""The register book's PDF drawn by motcua.register_pdf (ReportLab): a book of 1,000 entries
keeps the heading row and "Trang x/y" on every page, every code once and as a link, the
Vietnamese letters, and every cell inside its column."""

import re
import subprocess
import unicodedata
from types import SimpleNamespace

import pytest
from reportlab.pdfbase import pdfmetrics

from motcua import printed_forms
from motcua.register import COLUMNS
from motcua.register_pdf import BOLD, CELL_SIZE, REGULAR, _fonts, _lines, render_register_pdf

from .pdftext import pdf_pages, pdf_text

HEADINGS = [heading for heading, _w in COLUMNS]
PROCEDURES = [
    "Đăng ký khai sinh",
    "Cấp giấy phép xây dựng nhà ở riêng lẻ đối với công trình không theo tuyến",
    "Chứng thực bản sao từ bản chính giấy tờ, văn bản do cơ quan có thẩm quyền của Việt Nam cấp",
]


def code(n: int) -> str:
    return f"000.00.20.H56-261202-{n:04d}"


def entry(n: int) -> list:
    # names typed on another system may arrive decomposed (NFD): printed as the same letters
    name = unicodedata.normalize("NFD", f"Nguyễn Thị Hồng Nhung {n}") if n % 5 == 0 else f"Trần Văn Đức {n}"
    address = "Thôn Đông, xã Tân Phú, 0912345678"
    if n % 97 == 0:  # a word longer than its column is cut, not drawn over the next one
        address = "https://example.vn/" + "x" * 120
    return [
        f"{n:02d}",
        code(n),
        PROCEDURES[n % 3],
        1,
        name,
        address,
        "Ủy ban nhân dân xã Tân Phú",
        "02/12/2026",
        "15/12/2026",
        "03/12/2026" if n % 2 else "",
        "Bổ sung: 04/12/2026; Kết quả: 10/12/2026" if n % 3 == 0 else "",
        "12/12/2026" if n % 2 else "",
        "10. Đã trả kết quả; chuyển từ hệ thống cũ",
    ]


def render(rows) -> bytes:
    issuer = printed_forms.Issuer(
        "Ủy ban nhân dân tỉnh Minh Sơn",
        "Trung tâm Phục vụ hành chính công",
        SimpleNamespace(address="Số 1 đường Lê Lợi, tỉnh Minh Sơn"),
    )
    return render_register_pdf(
        rows=rows,
        columns=HEADINGS,
        head=printed_forms.letterhead(issuer, form=printed_forms.REGISTER, number=None),
        title="Sổ theo dõi hồ sơ năm 2026",
        subtitle=f"Trung tâm Phục vụ hành chính công tỉnh Minh Sơn · {len(rows)} hồ sơ",
        link=lambda c: None if c.endswith("7") else f"https://motcua.example.vn/mot-cua/ho-so/{c}/",
    )


@pytest.fixture(scope="module")
def book() -> bytes:
    return render([entry(n) for n in range(1, 1001)])


def test_every_page_of_a_1000_entry_book_has_the_heading_and_its_number(book):
    total = pdf_pages(book)
    assert total >= 30  # ~18 entries a page
    texts = pdf_text(book).split("\f")[:total]
    for number, text in enumerate(texts, start=1):
        assert "STT" in text and "Mã hồ sơ" in text and "Tên thủ tục hành chính" in text, number
        assert "Ghi chú" in text, number
        assert re.search(rf"Trang {number}/{total}\s*$", text), text[-200:]
    first = texts[0]
    assert (
        first.index("Mẫu số 07")
        < first.index("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
        < first.index("SỔ THEO DÕI HỒ SƠ NĂM 2026")
    )
    assert "1000 hồ sơ" in first
    assert all("SỔ THEO DÕI HỒ SƠ" not in text for text in texts[1:])  # the title once


def test_every_entry_once_with_its_letters(book):
    text = pdf_text(book)
    assert all(text.count(code(n)) == 1 for n in range(1, 1001))
    assert text.count("Nguyễn Thị Hồng") == 200  # NFD input, NFC letters in the PDF
    assert "Chứng thực bản sao từ bản chính" in text and "Ủy ban nhân dân xã Tân" in text


def test_codes_are_links_for_the_viewer_who_may_open_them(book):
    xml = subprocess.run(
        ["pdftohtml", "-stdout", "-xml", "-i", "-q", "-", "-"], input=book, capture_output=True, check=True
    ).stdout.decode()
    links = set(re.findall(r'<a href="https://motcua\.example\.vn/mot-cua/ho-so/([^/"]+)/"', xml))
    assert links == {code(n) for n in range(1, 1001) if not code(n).endswith("7")}


def test_a4_landscape():
    info = subprocess.run(
        ["pdfinfo", "-"], input=render([entry(1)]), capture_output=True, check=True
    ).stdout.decode()
    assert "841.89 x 595.276" in info and "Pages:           1" in info


@pytest.mark.parametrize(
    "text",
    [
        "Cấp giấy phép xây dựng nhà ở riêng lẻ đối với công trình không theo tuyến",
        "https://example.vn/" + "x" * 120,
        "Số lượng hồ sơ (bộ)",
        "a",
    ],
)
@pytest.mark.parametrize("font", [REGULAR, BOLD])
def test_cells_are_broken_into_lines_that_fit_their_column(text, font):
    _fonts()
    width = 30.0  # points
    lines = _lines(text, font, CELL_SIZE, width)
    assert all(pdfmetrics.stringWidth(line, font, CELL_SIZE) <= width for line in lines)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")  # nothing lost


def test_an_entry_longer_than_a_page_goes_on_below_it():
    """A procedure's name may have 2,000 characters (CaseVersion.procedure_name): more lines
    than a page holds. ReportLab cannot place such a row; it is continued in the next."""
    long_entry = entry(2)
    long_entry[2] = " ".join(f"điều{n:03d}" for n in range(250))  # 2,000 characters
    pdf = render([entry(1), long_entry, entry(3)])
    text = pdf_text(pdf)
    assert pdf_pages(pdf) >= 2
    assert all(f"điều{n:03d}" in text for n in range(250))
    assert text.index(code(1)) < text.index(code(2)) < text.index(code(3))
