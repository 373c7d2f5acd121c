"""Spreadsheets people download. Every cell made from what someone typed is written as text, never as a formula:
a comment that starts with "=HYPERLINK(" stays those characters in Excel and LibreOffice (formula injection)."""

import io

from openpyxl.cell import Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

# What makes a spreadsheet program read a CSV cell as a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value) -> str:
    """A CSV cell that a spreadsheet program shows as text: a leading formula character is quoted."""
    text = str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


# One alignment for every cell of the body: made once, not once per cell (a thousand rows took seconds).
TOP = Alignment(vertical="top", wrap_text=True)


def append_text_row(sheet, values) -> None:
    """Append a row whose string cells are text, whatever they start with, aligned to the top and wrapped.
    The cells are made here, not looked for after the append (the sheet's last row is found by a scan)."""
    cells = []
    for value in values:
        cell = Cell(sheet, value=value)
        if isinstance(value, str):
            cell.data_type = "s"
        cell.alignment = TOP
        cells.append(cell)
    sheet.append(cells)


def header_style(sheet) -> None:
    for cell in sheet[1]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor="0033A0")
        cell.alignment = TOP


def column_widths(sheet, widths) -> None:
    for number, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(number)].width = width


def xlsx_bytes(book) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
