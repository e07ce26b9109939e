"""The staff lists' fast tags (core/templatetags/listing.py, motcua's dossier_link) give the
same HTML as the generic template code they replace."""

import pytest
from django.template import Context, Template
from django.template.defaultfilters import truncatechars
from django.urls import reverse
from django.utils import translation

from core.templatetags.listing import clip, options
from motcua.templatetags.dossier_links import _detail_url

NAMES = [
    "",
    "Cấp giấy phép xây dựng",
    "Đăng ký khai sinh, đăng ký thường trú, cấp thẻ bảo hiểm y tế cho trẻ em dưới 6 tuổi (liên thông)",
    "x" * 60,
    "y" * 61,
    '<b>Thủ tục & "mẫu"</b> ' * 5,
]


@pytest.mark.parametrize("length", [1, 10, 60, 70])
def test_clip_is_truncatechars_for_plain_text(length):
    with translation.override("vi"):
        for name in NAMES:
            assert clip(name, length) == truncatechars(name, length)


def test_options_escape_and_select():
    rows = [(1, "1.001", 'Cấp <phép> & "giấy"'), (2, "1.002", "z" * 80)]
    html = options(rows, selected=2)
    assert html == (
        '<option value="1">1.001 – Cấp &lt;phép&gt; &amp; &quot;giấy&quot;</option>'
        f'<option value="2" selected>1.002 – {"z" * 59}…</option>'
    )
    rendered = Template("{% load listing %}{% options rows selected=2 %}").render(Context({"rows": rows}))
    assert rendered == html


@pytest.mark.parametrize("code", ["000.00.06.H99-260302-0001", "ABC 1?x=1#y", "Mã-hồ-sơ"])
def test_the_dossier_url_is_the_reversed_one(code):
    assert _detail_url(code) == reverse("motcua:dossier_detail", kwargs={"code": code})


def test_memo_renders_once_per_key_and_tag():
    """{% memo %} (core/templatetags/fragments.py): each tag keeps its own fragments, per
    value of its keys; what is not a key is not read again."""
    template = Template(
        "{% load fragments %}{% memo k %}A{{ v }}{% endmemo %}|{% memo k %}B{{ v }}{% endmemo %}"
    )
    assert template.render(Context({"k": 1, "v": "x"})) == "Ax|Bx"  # two tags, same key: apart
    assert template.render(Context({"k": 1, "v": "y"})) == "Ax|Bx"  # kept for key 1
    assert template.render(Context({"k": 2, "v": "y"})) == "Ay|By"  # a new key renders anew
