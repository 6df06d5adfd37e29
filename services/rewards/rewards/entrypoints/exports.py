"""The OpenAPI answers of the CSV/XLSX downloads; the files are built by the kit (certhub_kit.exports),
which neutralises formula-like cells."""

from __future__ import annotations

from typing import Any

from certhub_kit.exports import XLSX_TYPE, csv_response, xlsx_response

__all__ = ["CSV_ANSWER", "IMAGE_ANSWER", "XLSX_ANSWER", "csv_response", "xlsx_response"]

_BINARY = {"schema": {"type": "string", "format": "binary"}}
CSV_ANSWER: dict[int | str, dict[str, Any]] = {
    200: {"description": "CSV download (UTF-8 with BOM)", "content": {"text/csv": {"schema": {"type": "string"}}}}
}
XLSX_ANSWER: dict[int | str, dict[str, Any]] = {
    200: {"description": "Excel workbook download", "content": {XLSX_TYPE: _BINARY}}
}
IMAGE_ANSWER: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "The stored file, as uploaded (metadata removed)",
        "content": {"image/jpeg": _BINARY, "image/png": _BINARY, "application/pdf": _BINARY},
    }
}
