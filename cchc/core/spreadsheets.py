"""Spreadsheet exports write text as text: a value such as ``=HYPERLINK(…)`` typed by an officer or
read from an imported document must never become a live formula in somebody's Excel (formula
injection). openpyxl turns every string that starts with ``=`` into a formula; these helpers mark
text cells as text after the fact (normal sheets) or build them so (write-only sheets)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from openpyxl.cell import WriteOnlyCell
from openpyxl.worksheet.worksheet import Worksheet


def text_cells(cells: Iterable[Any]) -> None:
    """Mark every string cell as text (a normal worksheet's row: ``sheet[sheet.max_row]``)."""
    for cell in cells:
        if isinstance(cell.value, str):
            cell.data_type = "s"


def append_row(sheet: Worksheet, values: Sequence[object]) -> None:
    """``sheet.append(values)`` with its text cells kept as text."""
    sheet.append(list(values))
    text_cells(sheet[sheet.max_row])


def write_only_row(sheet: Any, values: Iterable[object]) -> list[object]:
    """A write-only sheet's row: strings become text cells (other values pass unchanged)."""
    row: list[object] = []
    for value in values:
        if isinstance(value, str) and value.startswith("="):
            cell = WriteOnlyCell(sheet, value=value)
            cell.data_type = "s"
            row.append(cell)
        else:
            row.append(value)
    return row
