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
