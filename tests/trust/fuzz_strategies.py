"""Hostile values for the bad-input tests (issue 9): what a careless user, a broken
client or an attacker may put in any form field or query parameter.

Every strategy yields values the test client can send (str, or a list of str for a
repeated key). The hypothesis profile "fuzz" is reproducible (derandomize) so CI
replays exactly the same examples.
"""

from __future__ import annotations

import unicodedata

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

settings.register_profile(
    "fuzz",
    derandomize=True,
    deadline=None,
    max_examples=30,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    print_blob=True,
)
FUZZ = settings.get_profile("fuzz")


def examples(n: int) -> settings:
    """The fuzz profile with n examples (used as a decorator)."""
    return settings(FUZZ, max_examples=n)


VIETNAMESE = "Nguyễn Thị Hương, số 12 đường Lê Lợi, phường Đông Hà"
# The same text with combining marks (NFD) instead of precomposed letters.
VIETNAMESE_NFD = unicodedata.normalize("NFD", VIETNAMESE)

CLASSES: dict[str, list[str]] = {
    "long": ["a" * 10_001, "Đ" * 10_500, ("Hồ sơ " * 2_000).strip(), "9" * 12_000],
    "control": [
        "\x00",
        "abc\x00def",
        "Nguyễn\x00",
        "\x01\x02\x03\x1b[31m\x7f",
        "line\r\nbreak\rcarriage\x0bvt\x0cff",
        "\x08\x08\x08",
        "\u0085\u2028\u2029",
    ],
    "bidi": ["\u202egnp.exe", "abc\u202dxyz\u202c", "\u2066\u2067\u2068isolate\u2069", "\u200fRTL\u200e"],
    "zero_width": ["\u200b", "a\u200bb\u200cc\u200dd", "\ufeffBOM", "\u2060\u2060"],
    "emoji": ["😀", "👨‍👩‍👧‍👦 gia đình", "🇻🇳", "🏳️‍🌈✅❌", "\U0001f4a9" * 50],
    "scripts": ["Ελληνικά", "中文 汉字", "العربية", "עברית", "日本語のテキスト", "Кириллица", "ꦗꦮ"],
    "vietnamese": [VIETNAMESE, VIETNAMESE_NFD, "ĐĂNG KÝ KHAI SINH", "đăng ký khai sinh", "Ỹ ỹ Ỷ ỷ Ự ự"],
    "sql": [
        "'; DROP TABLE motcua_dossier; --",
        "' OR '1'='1",
        '" OR ""="',
        "1; SELECT pg_sleep(0)--",
        "%' UNION SELECT password FROM thutuc_user --",
        "\\'; --",
        "%%_%_",
    ],
    "html": [
        "<script>alert(1)</script>",
        '"><img src=x onerror=alert(1)>',
        "</textarea><script>alert(2)</script>",
        "<b>đậm</b>&amp;&lt;",
        "javascript:alert(1)",
        "<!--",
    ],
    "template": [
        "{{ request.user.password }}",
        "{% debug %}",
        "{{7*7}}",
        "${7*7}",
        "#{7*7}",
        "%(name)s %s %n",
    ],
    "formula": ["=1+1", '=HYPERLINK("http://x","bấm")', "=cmd|' /C calc'!A0", "+1", "-1", "@SUM(A1)"],
    "date": [
        "31/02/2026",
        "2026-02-31",
        "2026-13-40",
        "00/00/0000",
        "0000-00-00",
        "31/12/9999",
        "9999-12-31",
        "9999-12-31T23:59",
        "0001-01-01",
        "2026-02-28T25:61",
        "29/02/2025",
        "10/02/2026",
        "2026-02-10",
        "2026-02-10T09:00",
        "10/02/2026 09:00",
        "1/1/1",
        "hôm qua",
        "2026/02/10",
        "1e10",
    ],
    "number": [
        "-1",
        "0",
        "-0",
        "1.5",
        "1,5",
        "1e309",
        "-1e309",
        "NaN",
        "nan",
        "Infinity",
        "-inf",
        "99999999999999999999999999",
        "-99999999999999999999",
        "2147483648",
        "9223372036854775808",
        "0x10",
        "١٢",
        "1_000",
        " 7 ",
        "+5",
    ],
    "blank": ["", " ", "   ", "\t", "\n\n", "\u00a0", "\u3000"],
    "id": [
        "999999",
        "0",
        "-1",
        "²",
        "١٢",
        "abc",
        "1.5",
        "1e5",
        "99999999999999999999",
        "' OR 1=1 --",
        "\x00",
    ],
}


def _mixed(draw_parts):
    return "".join(draw_parts)


# Random unicode text (hypothesis never yields lone surrogates by default, which no
# browser could send as UTF-8 either).
random_text = st.text(min_size=0, max_size=60)

hostile_text = st.one_of(
    st.sampled_from([value for values in CLASSES.values() for value in values]),
    random_text,
    st.lists(
        st.sampled_from([v for k, vs in CLASSES.items() if k != "long" for v in vs]), min_size=2, max_size=4
    ).map("".join),
)

hostile_number = st.one_of(
    st.sampled_from(CLASSES["number"] + CLASSES["blank"]),
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    hostile_text,
)

hostile_date = st.one_of(
    st.sampled_from(CLASSES["date"] + CLASSES["blank"]),
    st.dates().map(lambda d: d.strftime("%d/%m/%Y")),
    st.datetimes().map(lambda d: d.strftime("%Y-%m-%dT%H:%M")),
    hostile_text,
)

hostile_id = st.one_of(st.sampled_from(CLASSES["id"] + CLASSES["blank"]), hostile_number, hostile_text)

KINDS = {
    "text": hostile_text,
    "number": hostile_number,
    "date": hostile_date,
    "id": hostile_id,
    "choice": st.one_of(st.sampled_from(["khong-co", "ACCEPT", "1", "-1"] + CLASSES["blank"]), hostile_text),
    "hidden": hostile_text,
    "honeypot": hostile_text,
    "bool": st.sampled_from(["on", "off", "true", "false", "0", "1", "", "\x00", "có"]),
}


def hostile_value(kind: str) -> st.SearchStrategy:
    """A value for one key: usually one string, sometimes the key repeated (a list where
    a scalar is expected), sometimes a value of another kind."""
    base = KINDS[kind]
    single = st.one_of(base, base, base, hostile_text)
    return st.one_of(single, single, single, st.lists(single, min_size=2, max_size=3))


def mutation(fields: dict[str, str], *, max_fields: int = 3) -> st.SearchStrategy[dict]:
    """{field: hostile value or None (= leave the key out)} for 1..max_fields fields."""
    names = sorted(fields)

    @st.composite
    def _draw(draw):
        chosen = draw(
            st.lists(st.sampled_from(names), min_size=1, max_size=min(max_fields, len(names)), unique=True)
        )
        out = {}
        for name in chosen:
            out[name] = (
                draw(st.one_of(st.none(), hostile_value(fields[name])))
                if draw(st.integers(0, 9)) == 0
                else draw(hostile_value(fields[name]))
            )
        return out

    return _draw()
