"""What the hardening tests share: the distinctive personal data of the `personal_data`
fixture's dossier and feedback (tests/trust/conftest.py), and the public and staff pages to
fetch."""

from dataclasses import dataclass

from tests.khieunai.factories import pdf_bytes

# Personal data nobody else uses in the test data: any of these on a public page is a leak.
NAME = "Hoàng Thị Quỳnh Như"
ID_NUMBER = "079301987654"
PHONE = "0987654321"
EMAIL = "quynhnhu.hoang@example.vn"
ADDRESS = "Số 77 đường Lê Thánh Tông, phường Hạc Thành"
PERSONAL_DATA = [NAME, ID_NUMBER, PHONE, EMAIL, ADDRESS, "Quỳnh Như", "quynhnhu"]

FEEDBACK_NAME = "Trịnh Văn Khải Hoàn"
FEEDBACK_ID_NUMBER = "001088765432"
FEEDBACK_PHONE = "0977123456"
FEEDBACK_EMAIL = "khaihoan.trinh@example.vn"
FEEDBACK_ADDRESS = "Thôn Bến Ngự, xã Tân Phú"
FEEDBACK_PERSONAL_DATA = [
    FEEDBACK_NAME,
    FEEDBACK_ID_NUMBER,
    FEEDBACK_PHONE,
    FEEDBACK_EMAIL,
    FEEDBACK_ADDRESS,
    "Khải Hoàn",
    "khaihoan",
]
PDF_BYTES = pdf_bytes()  # a real one-page PDF: attachments are parsed (khieunai.uploads)


@dataclass
class World:
    dossier: object
    dossier_pin: str
    feedback: object
    feedback_pin: str
    attachment: object
    procedure: object


def public_responses(client, world):
    """(label, response) for every public page, in the order a citizen meets them."""
    dossier, feedback = world.dossier, world.feedback
    out = [
        ("home", client.get("/")),
        ("catalogue", client.get("/thu-tuc/")),
        ("catalogue search", client.get("/thu-tuc/", {"q": "khai sinh"})),
        ("procedure", client.get(f"/thu-tuc/{world.procedure.code}/")),
        ("tracking form", client.get("/tra-cuu/", {"ma": dossier.code})),
        ("tracking result", client.post("/tra-cuu/", {"ma": dossier.code, "pin": world.dossier_pin})),
        ("tracking by QR", client.get("/tra-cuu/", {"ma": dossier.code, "pin": world.dossier_pin})),
        ("tracking wrong PIN", client.post("/tra-cuu/", {"ma": dossier.code, "pin": "ZZZZZZ"})),
        (
            "rating",
            client.post(
                "/tra-cuu/danh-gia/",
                {"ma": dossier.code, "pin": world.dossier_pin, "value": "satisfied", "comment": "Tốt"},
            ),
        ),
        ("feedback submit", client.get("/phan-anh/")),
        ("feedback track form", client.get("/phan-anh/tra-cuu/")),
        (
            "feedback track wrong PIN",
            client.post("/phan-anh/tra-cuu/", {"code": feedback.code, "pin": "ZZZZZZ"}),
        ),
        (
            "feedback status",
            client.post("/phan-anh/tra-cuu/", {"code": feedback.code, "pin": world.feedback_pin}),
        ),
        ("feedback published", client.get("/phan-anh/cong-khai/")),
        ("attachment", client.get(f"/phan-anh/tep/{world.attachment.pk}/")),
        (
            "service dashboard",
            client.get("/cong-khai/", {"month": dossier.received_at.month, "year": dossier.received_at.year}),
        ),
        ("login", client.get("/dang-nhap/")),
        ("not found", client.get("/khong-co-trang-nay/")),
    ]
    return out


# Staff pages, one of each kind (list, detail, form, PDF, export, admin), per user.
def staff_urls(world):
    dossier, feedback = world.dossier, world.feedback
    return {
        "tiepnhan": [
            "/mot-cua/",
            "/mot-cua/tiep-nhan/",
            f"/mot-cua/tiep-nhan/?thu_tuc={world.procedure.code}",
            "/mot-cua/so-theo-doi/",
            "/mot-cua/so-theo-doi/so-theo-doi.xlsx",
            "/mot-cua/thong-bao/",
            "/doi-mat-khau/",
        ],
        "lanhdao": [
            f"/mot-cua/ho-so/{dossier.code}/",
            f"/mot-cua/ho-so/{dossier.code}/phieu-kiem-soat.pdf",
            "/khieu-nai/",
            f"/khieu-nai/{feedback.code}/",
            f"/khieu-nai/{feedback.code}/thong-bao/",
            "/duong-day-nong/",
            "/tiep-cong-dan/",
            f"/phan-anh/tep/{world.attachment.pk}/",
            "/bao-cao/thong-ke/",
        ],
        "quantri": ["/quan-tri/", "/quan-tri/thutuc/procedure/", "/quan-tri/thutuc/procedure/import/"],
    }
