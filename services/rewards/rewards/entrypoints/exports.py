"""CSV (UTF-8 with BOM, opens in Excel) and XLSX (openpyxl) downloads."""

from __future__ import annotations

import csv
import io

from fastapi.responses import Response

_BINARY = {"schema": {"type": "string", "format": "binary"}}
CSV_ANSWER = {200: {"description": "CSV download (UTF-8 with BOM)", "content": {"text/csv": {"schema": {"type": "string"}}}}}
XLSX_ANSWER = {200: {"description": "Excel workbook download", "content": {
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": _BINARY}}}
IMAGE_ANSWER = {200: {"description": "The stored file, as uploaded (metadata removed)", "content": {
    "image/jpeg": _BINARY, "image/png": _BINARY, "application/pdf": _BINARY}}}


def csv_response(header: list[str], rows: list[list], filename: str) -> Response:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows([["" if v is None else v for v in row] for row in rows])
    return Response(("\ufeff" + out.getvalue()).encode(), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "no-store"})


def xlsx_response(header: list[str], rows: list[list], filename: str, title: str) -> Response:
    from openpyxl import Workbook  # ~20 MB, loaded by the first XLSX export only

    book = Workbook()
    sheet = book.active
    sheet.title = title
    sheet.append(header)
    for row in rows:
        sheet.append(["" if v is None else v for v in row])
    out = io.BytesIO()
    book.save(out)
    return Response(out.getvalue(), media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "no-store"})
