"""Errors of the exchange readers: a line number and a one-line reason people can act on."""

from __future__ import annotations


class ExchangeError(ValueError):
    """A file that cannot be used as it is.

    ``line`` is the 1-based line of the file (the header is line 1; 0 when the problem is the
    file itself, e.g. it cannot be opened); ``reason`` a one-line Vietnamese explanation;
    ``errors`` every (line, reason) found when the reader collected more than one.
    """

    def __init__(
        self, line: int, reason: str, *, path: str = "", errors: list[tuple[int, str]] | None = None
    ):
        self.line = line
        self.reason = " ".join(str(reason).split())
        self.path = path
        self.errors = errors if errors is not None else [(line, self.reason)]
        super().__init__(str(self))

    def __str__(self) -> str:
        where = f"{self.path}: " if self.path else ""
        return f"{where}dòng {self.line}: {self.reason}" if self.line else f"{where}{self.reason}"


UTF16_MARKS = (b"\xff\xfe", b"\xfe\xff")


def refuse_other_encodings(path: object) -> None:
    """The exchange files are UTF-8. A UTF-16 file (what Excel's "Unicode Text" writes) read as
    UTF-8 looked like a file with no known column; say what it really is."""
    try:
        with open(path, "rb") as fh:  # type: ignore[call-overload]
            start = fh.read(4)
    except (OSError, TypeError):
        return  # the caller's own open reports it
    if start.startswith(UTF16_MARKS) or (len(start) == 4 and start[1::2] == b"\x00\x00"):
        raise ExchangeError(
            0,
            "tệp được mã hóa UTF-16, không phải UTF-8; hãy lưu lại dưới dạng “CSV UTF-8 "
            "(phân tách bằng dấu phẩy)”.",
            path=str(path),
        )
