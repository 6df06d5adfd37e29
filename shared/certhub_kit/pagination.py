"""Paginated lists: one opaque cursor codec and one page shape for every service.

A list answer is ``{"items": [...], "next_cursor": "..." | null}``; the client passes ``next_cursor``
back as ``?cursor=`` until it is null (docs/CONVENTIONS.md, "Pagination"). A cursor is the urlsafe
base64 (unpadded) of a small JSON list of the values that locate the last item — a keyset such as
``(created_at, id)``, or an offset. It is not a secret and not signed: any well-formed cursor only
moves the page, and the query behind it still applies the caller's scope. Anything that does not
decode to the values asked for is refused with one error, :func:`invalid_cursor` (422
``invalid_cursor``).
"""

from __future__ import annotations

import base64
import binascii
import json
import re
import uuid
from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import Any, Generic, TypeVar

from pydantic import BaseModel

from .errors import Invalid

CursorValue = datetime | date | uuid.UUID | int | str
MAX_CURSOR = 200  # characters; the longest cursor we issue is about half of it
MAX_INT = 2**63 - 1  # a PostgreSQL bigint (ids, sequence numbers, offsets)
_ALPHABET = re.compile(r"[A-Za-z0-9_-]+")

T = TypeVar("T")
R = TypeVar("R")


class Page(BaseModel, Generic[T]):
    """One page of a list: the items and the cursor of the next page (null on the last one)."""

    items: list[T]
    next_cursor: str | None = None


def invalid_cursor() -> Invalid:
    return Invalid("分頁游標無效，請重新查詢", "The cursor is not valid; please search again", code="invalid_cursor")


def encode_cursor(*values: CursorValue) -> str:
    raw = json.dumps([_plain(v) for v in values], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str | None, *types: type) -> tuple[Any, ...] | None:
    """The values ``encode_cursor`` was given, typed as ``types`` (``datetime``, ``date``,
    ``uuid.UUID``, ``int``, ``str``); ``None`` for no cursor (the first page)."""
    if cursor is None or cursor == "":
        return None
    if len(cursor) > MAX_CURSOR or not _ALPHABET.fullmatch(cursor):
        raise invalid_cursor()
    try:
        values = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (ValueError, binascii.Error):  # UnicodeDecodeError and JSONDecodeError are ValueErrors
        raise invalid_cursor() from None
    if not isinstance(values, list) or len(values) != len(types):
        raise invalid_cursor()
    return tuple(_typed(value, kind) for value, kind in zip(values, types, strict=True))


def next_page(
    rows: Sequence[R], limit: int, position: Callable[[R], tuple[CursorValue, ...]]
) -> tuple[list[R], str | None]:
    """``rows`` fetched with ``limit + 1``: this page's rows, and the cursor after its last row when
    one more row showed that another page follows."""
    page = list(rows[:limit])
    return page, encode_cursor(*position(page[-1])) if len(rows) > limit and page else None


def _plain(value: CursorValue) -> str | int:
    if isinstance(value, date):  # datetime too
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise TypeError(f"a cursor holds datetimes, dates, UUIDs, ints and strings, not {type(value).__name__}")
    return value


def _typed(value: object, kind: type) -> CursorValue:
    if kind is int:
        if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= MAX_INT:
            return value
        raise invalid_cursor()
    if not isinstance(value, str) or "\x00" in value:
        raise invalid_cursor()
    if kind is str:
        return value
    try:
        if kind is datetime:
            return datetime.fromisoformat(value)
        if kind is date:
            return date.fromisoformat(value)
        if kind is uuid.UUID:
            return uuid.UUID(value)
    except ValueError:
        raise invalid_cursor() from None
    raise TypeError(f"a cursor cannot hold a {kind.__name__}")
