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


# Vietnamese alphabetical order (the order of dictionaries and of the official lists): the 29
# letters with ă, â after a, đ after d, ê after e, ô, ơ after o, ư after u (f, j, w, z of foreign
# names in their Latin places); words that differ only by tone come in the order no tone, huyền,
# hỏi, ngã, sắc, nặng. Python's default order (code points) puts "Đ" after "Z" and "Ă" after
# "Y", which readers take for a bug.
_LETTERS = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_LETTER_MARKS = {"\u0306": "ă", "\u0302": "â", "\u031b": "ơ"}  # breve, circumflex, horn
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}
_RANK = {letter: chr(0xE000 + i) for i, letter in enumerate(_LETTERS)}  # after digits and spaces
_LETTER_OF = {rank: letter for letter, rank in _RANK.items()}
_WITH_MARK = {
    ("a", "ă"): "ă",
    ("a", "â"): "â",
    ("e", "â"): "ê",
    ("o", "â"): "ô",
    ("o", "ơ"): "ơ",
    ("u", "ơ"): "ư",
}


def vi_sort_key(text: str | None) -> tuple[str, str]:
    """A key that sorts Vietnamese text in dictionary order: letters first, tones break ties
    ("Cà Mau" < "Cao Bằng" < "Đà Nẵng" < "Điện Biên" < "Yên Bái")."""
    letters: list[str] = []
    tones: list[str] = []
    for ch in unicodedata.normalize("NFD", nfc(text).lower()):
        if ch in _TONES:
            if tones:
                tones[-1] = str(_TONES[ch])
            continue
        if ch in _LETTER_MARKS and letters:
            base = letters.pop()
            plain = _LETTER_OF.get(base, base)
            letter = _WITH_MARK.get((plain, _LETTER_MARKS[ch]), plain)
            letters.append(_RANK.get(letter, base))
            continue
        if unicodedata.category(ch) == "Mn":
            continue
        letters.append(_RANK.get(ch, ch))
        tones.append("0")
    return "".join(letters), "".join(tones)
