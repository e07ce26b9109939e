"""Masking a name for public pages: enough for the owner to recognise, not to identify."""

MASK = "*"


def mask_name(name: str) -> str:
    """Keep the first word (the family name) and the first letter of every other word.

    'Nguyễn Văn An' -> 'Nguyễn V** A*'; 'An' -> 'A*'; '' -> ''. Every letter after the
    first of a masked word becomes one '*', so the shape of the name stays readable."""
    words = (name or "").split()
    if not words:
        return ""
    if len(words) == 1:
        return _mask_word(words[0])
    return " ".join([words[0], *(_mask_word(word) for word in words[1:])])


def _mask_word(word: str) -> str:
    return word[0] + MASK * (len(word) - 1) if len(word) > 1 else word + MASK
