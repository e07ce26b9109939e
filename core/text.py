"""Text helpers for Vietnamese search: fold diacritics and case."""

import unicodedata


def fold(text: str) -> str:
    """'Đăng ký Khai sinh' -> 'dang ky khai sinh' (lower case, no diacritics, single spaces)."""
    text = (text or "").replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return " ".join(stripped.lower().split())
