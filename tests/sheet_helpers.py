"""Workbooks built in the tests with openpyxl, and read back."""

import io
from typing import Any

import openpyxl


def xlsx(sheets: dict[str, list[list[Any]]]) -> bytes:
    """A workbook with one sheet per entry, in order: title → rows (the first is the header)."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()


def read_back(data: bytes) -> dict[str, list[list[Any]]]:
    """Every sheet's rows, as values."""
    book = openpyxl.load_workbook(io.BytesIO(data))
    return {
        sheet.title: [list(row) for row in sheet.iter_rows(values_only=True)]
        for sheet in book.worksheets
    }
