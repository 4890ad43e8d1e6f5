"""Vietnamese text utilities: NFC normalisation, accent folding for matching."""

import re
import unicodedata

_SPACES = re.compile(r"\s+")


def nfc(text: str | None) -> str:
    """Unicode NFC with runs of whitespace collapsed; documents and forms often carry NFD text."""
    if not text:
        return ""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text)).strip()


def fold(text: str | None) -> str:
    """Lower case without diacritics ("Đồng Nai" -> "dong nai"), for matching and search only."""
    decomposed = unicodedata.normalize("NFD", nfc(text).lower().replace("đ", "d"))
    return "".join(c for c in decomposed if unicodedata.category(c) != "Mn")


# Vietnamese alphabetical order (a ă â b c d đ e ê …), then tones (ngang, huyền, hỏi, ngã, sắc,
# nặng): Python's code-point order would put "Đ" after "Z" and "Ư" after every Latin letter.
_ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_MARKED = {
    ("a", "\u0306"): "ă",
    ("a", "\u0302"): "â",
    ("e", "\u0302"): "ê",
    ("o", "\u0302"): "ô",
    ("o", "\u031b"): "ơ",
    ("u", "\u031b"): "ư",
}
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}
_RANK = {c: i for i, c in enumerate(_ALPHABET)}


def vietnamese_sort_key(text: str | None) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """A key sorting names as Vietnamese readers expect: by letters in Vietnamese alphabet order,
    then by tones; other characters after the letters, by code point."""
    letters: list[int] = []
    tones: list[int] = []
    for ch in nfc(text).lower():
        parts = unicodedata.normalize("NFD", ch)
        base, marks = parts[0], parts[1:]
        tone = 0
        for mark in marks:
            if mark in _TONES:
                tone = _TONES[mark]
            else:
                base = _MARKED.get((base, mark), base)
        letters.append(-1 if base.isspace() else _RANK.get(base, 100 + ord(base)))
        tones.append(tone)
    return tuple(letters), tuple(tones)
