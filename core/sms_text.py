"""SMS text for Vietnamese gateways: unaccented GSM-7 text, one message of 160 characters.

With diacritics a message is UCS-2 (70 characters a part, 3–4 parts for one sentence),
so Vietnamese gateways usually send plain Latin letters: "Hồ sơ đã được tiếp nhận" is
sent as "Ho so da duoc tiep nhan". Case is kept (codes and PINs are upper case).
"""

import unicodedata

SMS_MAX_LENGTH = 160  # one GSM-7 part

# GSM 03.38 basic character set (each counts 1) and its extension table (each counts 2).
GSM_BASIC = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM_EXTENDED = set("^{}\\[~]|€\f")

_PUNCTUATION = str.maketrans(
    {"–": "-", "—": "-", "‘": "'", "’": "'", "“": '"', "”": '"', "…": "...", "\u00a0": " ", "•": "-"}
)


def unaccent(text: str) -> str:
    """'Hồ sơ Đã TIẾP NHẬN' -> 'Ho so Da TIEP NHAN': diacritics removed, case kept."""
    text = (text or "").replace("đ", "d").replace("Đ", "D").translate(_PUNCTUATION)
    decomposed = unicodedata.normalize("NFD", text)
    return unicodedata.normalize("NFC", "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn"))


def to_sms_text(text: str) -> str:
    """Unaccented text with anything outside the GSM-7 alphabet replaced by '?'."""
    return "".join(ch if ch in GSM_BASIC or ch in GSM_EXTENDED else "?" for ch in unaccent(text))


def gsm_length(text: str) -> int:
    """Length in GSM-7 septets (extension characters count twice)."""
    return sum(2 if ch in GSM_EXTENDED else 1 for ch in text)


def fit_sms(candidates) -> str:
    """The first candidate (richest first) that fits one SMS, else the last one cut. The
    candidates are converted one by one: those after the first that fits cost nothing."""
    text = ""
    for candidate in candidates:
        text = to_sms_text(candidate)
        if gsm_length(text) <= SMS_MAX_LENGTH:
            return text
    return text[:SMS_MAX_LENGTH]
