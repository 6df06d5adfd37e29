"""Uploaded CSV files (UTF-8, a BOM allowed, a header row) as rows of named columns."""

from __future__ import annotations

import csv
import io

from certhub_kit.errors import Invalid


def csv_rows(data: bytes, *, zh: str, en: str, code: str) -> csv.DictReader:
    """``zh``/``en``/``code``: the 422 when the bytes are not UTF-8."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise Invalid(zh, en, code=code) from None
    return csv.DictReader(io.StringIO(text))
