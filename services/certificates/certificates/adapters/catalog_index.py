"""The catalog in memory, searched exactly as ``CatalogRepository.search`` searches it in SQL (no I/O here).

Entries are numbered in the database's ``ORDER BY category, name, id`` (asked of PostgreSQL at load, so
no Python string order has to agree with the collation). The SQL ranks a match

  0 exact (lower) name / code / name_en, 1 prefix (upper) of code / name / name_en,
  2 name or name_en contains it (ILIKE), 3 the code contains it (ILIKE), 4 any other match,

then orders by ``length(name)`` and that position. Ranks 0 and 1 come from two sorted field lists
(bisect), usually filling the page; only when they do not are all matches of ``search_text`` found
(``str.find`` over one string) and ranked one by one. The column values were lower/upper-cased by
PostgreSQL at load; the term is cased as the SQL query cases it (Python for ``=``/``LIKE``,
PostgreSQL ``lower`` for ``ILIKE``, read alongside the revision).
"""

from __future__ import annotations

import json
import uuid
from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from .catalog_packing import PackedIds, PackedStrings

ACTIVE, FOREIGN, IT_CERTIFICATE = 1, 2, 4
FIELDS = 3  # name, name_en, national_code in ``lower``; national_code, name, name_en in ``upper``


@dataclass(frozen=True)
class TermForms:
    """A search term cased every way the SQL query cases it."""

    lower: str  # Python ``text.lower()``: search_text LIKE, lower(column) =
    upper: str  # Python ``text.upper()``: upper(column) LIKE 'T%'
    lower_db: str  # PostgreSQL ``lower(text)``: ILIKE lowers its pattern in the database
    codes_only: bool

    @classmethod
    def of(cls, text: str, lower_db: str, codes_only: bool) -> TermForms:
        return cls(text.lower(), text.upper(), lower_db, codes_only)


@dataclass(frozen=True)
class EntryRow:
    id: uuid.UUID
    key: str
    name: str
    name_en: str | None
    issuer: str
    category: int
    foreign: bool
    national_code: str | None
    it_certificate: bool
    bundle: str | None
    active: bool
    search_text: str
    lowered: tuple[str | None, str | None, str | None]  # lower(name), lower(name_en), lower(national_code)
    uppered: tuple[str | None, str | None, str | None]  # upper(national_code), upper(name), upper(name_en)
    code_order: int  # position in ORDER BY national_code, category, name, id
    validity: dict | None = None
    aliases: str | None = None


@dataclass(frozen=True)
class LevelRow:
    id: uuid.UUID
    name: str
    name_en: str | None
    cefr: str | None
    min_score: Decimal | None
    max_score: Decimal | None


class CatalogIndexBuilder:
    """Feed entries in position order, each followed by its levels (in position, name order)."""

    def __init__(self) -> None:
        self.index = CatalogIndex()
        self._name_lengths = array("i")
        self._code_orders: list[tuple[int, int]] = []

    def add_entry(self, row: EntryRow) -> None:
        ix = self.index
        k = len(ix.category)
        ix.ids.append(row.id)
        ix.records.append((row.key, row.name, row.name_en, row.issuer, row.national_code, row.bundle))
        ix.texts.append((row.search_text,))
        ix.lower.append(tuple(v or "" for v in row.lowered))
        ix.upper.append(tuple(v or "" for v in row.uppered))
        ix.category.append(row.category)
        ix.flags.append(ACTIVE * row.active | FOREIGN * row.foreign | IT_CERTIFICATE * row.it_certificate)
        ix.level_starts.append(ix.level_starts[-1])
        if row.validity:  # a text() query may hand JSONB over as its text
            ix.validity[k] = json.loads(row.validity) if isinstance(row.validity, str) else row.validity
        if row.aliases:
            ix.aliases[k] = row.aliases
        self._name_lengths.append(len(row.name))
        if row.uppered[0]:
            self._code_orders.append((row.code_order, k))

    def add_level(self, row: LevelRow) -> None:
        ix = self.index
        ix.level_ids.append(row.id)
        ix.levels.append((row.name, row.name_en, row.cefr, _text(row.min_score), _text(row.max_score)))
        ix.level_starts[-1] += 1

    def build(self) -> CatalogIndex:
        ix = self.index
        ix.freeze()
        size = len(ix)
        for rank, k in enumerate(sorted(range(size), key=lambda k: (self._name_lengths[k], k))):
            ix.base[k] = rank
        ix.exact = _sorted_fields(size, ix.lower)
        ix.prefix = _sorted_fields(size, ix.upper)
        for _, k in sorted(self._code_orders):
            ix.codes.setdefault(ix.upper.field(k, 0)[0], array("i")).append(k)
        return ix


def _text(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _sorted_fields(size: int, packed: PackedStrings) -> array:
    """Every non-empty field as ``k * FIELDS + n``, in code-point order of its value (for bisect)."""
    fields = [k * FIELDS + n for k in range(size) for n, value in enumerate(packed.row(k)) if value]
    fields.sort(key=lambda j: packed.field(j // FIELDS, j % FIELDS))
    return array("i", fields)


class CatalogIndex:
    def __init__(self) -> None:
        self.ids = PackedIds()
        self.records = PackedStrings()  # key, name, name_en, issuer, national_code, bundle
        self.texts = PackedStrings()  # search_text
        self.lower = PackedStrings()  # see FIELDS
        self.upper = PackedStrings()
        self.category = array("i")
        self.flags = bytearray()
        self.base = array("i")  # rank of (length(name), position)
        self.exact = array("i")
        self.prefix = array("i")
        self.codes: dict[str, array] = {}  # first character of upper(code) → entries in code order
        self.levels = PackedStrings()  # name, name_en, cefr, min_score, max_score
        self.level_ids = PackedIds()
        self.level_starts = array("i", [0])
        self.validity: dict[int, dict] = {}  # sparse: most entries never expire
        self.aliases: dict[int, str] = {}  # sparse too (their text is part of search_text)

    def freeze(self) -> None:
        for packed in (self.ids, self.records, self.texts, self.lower, self.upper, self.levels, self.level_ids):
            packed.freeze()
        self.base = array("i", bytes(4 * len(self)))

    def __len__(self) -> int:
        return len(self.records)

    # --- searching ---------------------------------------------------------
    def search(
        self, term: TermForms | None, *, category: int | None, include_inactive: bool, limit: int, offset: int
    ) -> list[dict[str, Any]]:
        allowed = self._allowed(category, include_inactive)
        need = offset + limit
        if term is None:
            picks = _take(self._browse(category), allowed, need)
        elif term.codes_only:
            picks = _take(
                (k for k in self.codes.get(term.upper[0], ()) if self.upper.field(k, 0).startswith(term.upper)),
                allowed,
                need,
            )
        else:
            picks = self._ranked(term, allowed, need)
        return [self.entry(k) for k in picks[offset:need]]

    def _allowed(self, category: int | None, include_inactive: bool) -> Callable[[int], bool]:
        flags, categories = self.flags, self.category
        if category is None:
            return (lambda k: True) if include_inactive else (lambda k: bool(flags[k] & ACTIVE))
        if include_inactive:
            return lambda k: categories[k] == category
        return lambda k: categories[k] == category and bool(flags[k] & ACTIVE)

    def _browse(self, category: int | None) -> Iterable[int]:
        if category is None:
            return range(len(self))
        return range(bisect_left(self.category, category), bisect_right(self.category, category))

    def _ranked(self, term: TermForms, allowed: Callable[[int], bool], need: int) -> list[int]:
        picks: list[int] = []
        placed: set[int] = set()
        for candidates in (self._exact(term.lower), self._prefixed(term.upper)):
            for k in sorted(candidates - placed, key=self.base.__getitem__):
                if allowed(k) and self.texts.contains(k, term.lower):
                    picks.append(k)
                    if len(picks) >= need:
                        return picks
            placed |= candidates
        rest = [k for k in self.texts.rows_containing(term.lower) if k not in placed and allowed(k)]
        rest.sort(key=lambda k: (self._rank_after_prefix(k, term.lower_db), self.base[k]))
        return picks + rest

    def _exact(self, lowered: str) -> set[int]:
        key = self._field_key(self.lower, None)
        found = self.exact[bisect_left(self.exact, lowered, key=key) : bisect_right(self.exact, lowered, key=key)]
        return {j // FIELDS for j in found}

    def _prefixed(self, uppered: str) -> set[int]:
        key = self._field_key(self.upper, len(uppered))
        found = self.prefix[bisect_left(self.prefix, uppered, key=key) : bisect_right(self.prefix, uppered, key=key)]
        return {j // FIELDS for j in found}

    @staticmethod
    def _field_key(packed: PackedStrings, size: int | None) -> Callable[[int], str]:
        return lambda j: packed.field(j // FIELDS, j % FIELDS)[:size]

    def _rank_after_prefix(self, k: int, lowered_db: str) -> int:
        name, name_en, code = self.lower.row(k)
        if lowered_db in (name or "") or lowered_db in (name_en or ""):
            return 2
        return 3 if lowered_db in (code or "") else 4

    # --- answers -------------------------------------------------------------
    def entry(self, k: int) -> dict[str, Any]:
        key, name, name_en, issuer, code, bundle = self.records.row(k)
        flags, entry_id = self.flags[k], self.ids[k]
        return {
            "id": entry_id,
            "key": key,
            "name": name,
            "name_en": name_en,
            "issuer": issuer,
            "category": self.category[k],
            "foreign": bool(flags & FOREIGN),
            "national_code": code,
            "it_certificate": bool(flags & IT_CERTIFICATE),
            "bundle": bundle,
            "active": bool(flags & ACTIVE),
            "validity": self.validity.get(k),
            "aliases": self.aliases.get(k),
            "levels": [self._level(n, entry_id) for n in range(self.level_starts[k], self.level_starts[k + 1])],
        }

    def _level(self, n: int, entry_id: uuid.UUID) -> dict[str, Any]:
        name, name_en, cefr, low, high = self.levels.row(n)
        return {
            "id": self.level_ids[n],
            "entry_id": entry_id,
            "name": name,
            "name_en": name_en,
            "cefr": cefr,
            "min_score": None if low is None else Decimal(low),
            "max_score": None if high is None else Decimal(high),
        }


def _take(candidates: Iterable[int], allowed: Callable[[int], bool], need: int) -> list[int]:
    picks: list[int] = []
    for k in candidates:
        if allowed(k):
            picks.append(k)
            if len(picks) >= need:
                break
    return picks
