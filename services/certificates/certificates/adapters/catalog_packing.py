"""Compact columns for the in-memory catalog: many short strings in one ``str``, ids in one ``bytes``.

Twenty thousand entries as dicts would cost tens of megabytes; as a few long strings and arrays they
cost a few. Rows are unpacked only for the page a search returns.
"""

from __future__ import annotations

import uuid
from array import array
from bisect import bisect_right

SEP = "\x00"  # PostgreSQL text cannot hold NUL, so it never occurs inside a value (or a search term)


class PackedStrings:
    """Rows of optional strings, one row after another in one ``str``, fields and rows split by NUL.

    Row ``k`` is ``text[starts[k]:starts[k + 1] - 1]``; ``None`` fields are kept in a bit mask.
    """

    def __init__(self) -> None:
        self._parts: list[str] = []
        self._offset = 0
        self.starts = array("i", [0])
        self._nulls = bytearray()
        self.text = ""

    def append(self, fields: tuple[str | None, ...]) -> None:
        mask = 0
        for k, value in enumerate(fields):
            if value is None:
                mask |= 1 << k
        row = SEP.join(value or "" for value in fields)
        self._parts.append(row)
        self._offset += len(row) + 1
        self.starts.append(self._offset)
        self._nulls.append(mask)

    def freeze(self) -> PackedStrings:
        self.text = SEP.join(self._parts) + SEP
        self._parts = []
        return self

    def __len__(self) -> int:
        return len(self.starts) - 1

    def row(self, k: int) -> list[str | None]:
        fields: list[str | None] = [*self.text[self.starts[k] : self.starts[k + 1] - 1].split(SEP)]
        mask = self._nulls[k]
        if mask:
            fields = [None if mask >> n & 1 else value for n, value in enumerate(fields)]
        return fields

    def field(self, k: int, n: int) -> str:
        """One field of a row (``""`` for None)."""
        return self.text[self.starts[k] : self.starts[k + 1] - 1].split(SEP)[n]

    def rows_containing(self, needle: str) -> list[int]:
        """Every row with ``needle`` inside, ascending (``str.find`` does the scanning at C speed)."""
        text, starts, found = self.text, self.starts, []
        at = text.find(needle)
        while at >= 0:
            k = bisect_right(starts, at) - 1
            found.append(k)
            at = text.find(needle, starts[k + 1])
        return found

    def contains(self, k: int, needle: str) -> bool:
        return self.text.find(needle, self.starts[k], self.starts[k + 1] - 1) >= 0


class PackedIds:
    """UUIDs as 16 bytes each in one ``bytes``."""

    def __init__(self) -> None:
        self._data = bytearray()
        self.data = b""

    def append(self, value: uuid.UUID) -> None:
        self._data += value.bytes

    def freeze(self) -> PackedIds:
        self.data = bytes(self._data)
        self._data = bytearray()
        return self

    def __getitem__(self, k: int) -> uuid.UUID:
        return uuid.UUID(bytes=self.data[16 * k : 16 * k + 16])
