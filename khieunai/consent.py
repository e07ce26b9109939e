"""Personal data on the public feedback form: the notice shown before the citizen types
anything, and when consent is required.

Legal basis: Nghị định 13/2023/NĐ-CP on personal data protection, Điều 11 (consent of the
data subject): consent is valid only when the person knows the kind of data processed, the
purpose, who processes it and their own rights; it is given by a clear act such as ticking
a box, and silence is not consent. The notice below names those four things. The article's
wording was read in secondary sources only (the primary text was not reachable through our
search tool): see docs/khieunai.md, "Personal data".

Anonymous feedback stays possible where the law allows it: a phản ánh, kiến nghị may be
sent without a name (no personal data, nothing to consent to); a complaint or a
denunciation must state who sends it (Luật Khiếu nại 2011, Luật Tố cáo 2018), so it always
carries personal data and always needs the box ticked.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

# Bump when the notice's meaning changes (the consent stored with a case refers to it).
NOTICE_VERSION = 1

PERSONAL_FIELDS = (
    "submitter_name",
    "submitter_id_number",
    "submitter_phone",
    "submitter_email",
    "submitter_address",
)

NOTICE_TITLE = _("Thông báo về xử lý dữ liệu cá nhân")
NOTICE_PARAGRAPHS = (
    _(
        "Dữ liệu được xử lý: họ tên, số định danh cá nhân/CCCD, địa chỉ, số điện thoại, thư điện tử "
        "ông/bà ghi dưới đây, cùng nội dung đơn và tệp đính kèm."
    ),
    _(
        "Mục đích: chỉ để tiếp nhận, xác minh, giải quyết, trả lời đơn này và liên hệ với ông/bà "
        "về đơn; không dùng cho mục đích khác."
    ),
    _(
        "Bên xử lý: cơ quan nhận đơn ông/bà chọn; nếu đơn không thuộc thẩm quyền, đơn được chuyển "
        "cho cơ quan có thẩm quyền trên cổng này. Danh tính người tố cáo được giữ bí mật."
    ),
    _(
        "Quyền của ông/bà: được biết, yêu cầu xem, chỉnh sửa dữ liệu của mình và rút lại sự đồng ý "
        "bằng cách liên hệ cơ quan nhận đơn (theo Nghị định 13/2023/NĐ-CP về bảo vệ dữ liệu cá nhân)."
    ),
    _(
        "Không muốn ghi thông tin cá nhân? Phản ánh, kiến nghị có thể gửi không ghi tên: để trống "
        "phần Người gửi. Cơ quan vẫn xem xét nội dung; ông/bà theo dõi kết quả bằng mã đơn và mã "
        "tra cứu. Khiếu nại, tố cáo phải ghi rõ họ tên, địa chỉ theo luật."
    ),
)
CONSENT_LABEL = _(
    "Tôi đã đọc thông báo trên và đồng ý để cơ quan xử lý dữ liệu cá nhân tôi cung cấp cho mục đích "
    "giải quyết đơn này."
)
CONSENT_REQUIRED = _(
    "Ông/bà đã ghi thông tin cá nhân: cần đánh dấu đồng ý xử lý dữ liệu cá nhân, hoặc xóa các thông "
    "tin đó để gửi phản ánh không ghi tên."
)


def gives_personal_data(data: dict) -> bool:
    return any((data.get(name) or "").strip() for name in PERSONAL_FIELDS)
