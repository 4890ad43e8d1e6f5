"""Vietnamese text utilities: NFC normalisation, accent folding for matching."""

import functools
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


def _char_key(ch: str) -> tuple[str, str]:
    """(the letter's rank, the tone's digit) of one precomposed lower-case character."""
    decomposed = unicodedata.normalize("NFD", ch)
    letter, tone = decomposed[0], "0"
    for mark in decomposed[1:]:
        if mark in _TONES:
            tone = str(_TONES[mark])
        elif mark in _LETTER_MARKS:
            letter = _WITH_MARK.get((letter, _LETTER_MARKS[mark]), letter)
    return _RANK.get(letter, letter), tone


def _tables() -> tuple[dict[int, str | None], dict[int, str | None]]:
    # Every Latin letter with its marks (Latin-1 to Latin Extended Additional, U+1EA0–U+1EF9
    # being the Vietnamese ones): a text's key is then two str.translate calls, not a loop in
    # Python — the catalogue orders 2,000 names per search.
    letters: dict[int, str | None] = {}
    tones: dict[int, str | None] = {}
    for code in [*range(0x61, 0x7B), *range(0xC0, 0x250), *range(0x1E00, 0x1F00)]:
        ch = chr(code)
        if ch.lower() != ch or unicodedata.category(ch) != "Ll":
            continue
        letters[code], tones[code] = _char_key(ch)
    for code in range(0x300, 0x370):  # a stray combining mark (text not in NFC) counts for nothing
        letters[code] = tones[code] = None
    return letters, tones


_LETTER_TABLE, _TONE_TABLE = _tables()


def vi_sort_key(text: str | None) -> tuple[str, str]:
    """A key that sorts Vietnamese text in dictionary order: letters first, tones break ties
    ("Cà Mau" < "Cao Bằng" < "Đà Nẵng" < "Điện Biên" < "Yên Bái")."""
    return _vi_key(text or "")


@functools.lru_cache(maxsize=20_000)
def _vi_key(text: str) -> tuple[str, str]:
    # Remembered per process: the same names (a catalogue, the units) are ordered on every request.
    lower = nfc(text).lower()
    return lower.translate(_LETTER_TABLE), lower.translate(_TONE_TABLE)
