"""Catalog rules: search terms, entry and level values, admin input checks (pure)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal

from .errors import FieldInvalid
from .validity import check_validity

CEFR = frozenset({"A1", "A2", "B1", "B2", "C1", "C2"})
MAX_QUERY = 100
KEY = re.compile(r"^[a-z0-9][a-z0-9._-]{0,79}$")


@dataclass(frozen=True)
class SearchTerm:
    text: str  # normalised (NFKC, trimmed)

    @property
    def codes_only(self) -> bool:
        """One character says too little of a name; it may still start a code (``A``, ``1``)."""
        return len(self.text) < 2


def search_term(raw: str | None) -> SearchTerm | None:
    """NFKC folds full-width letters and digits (ＴＱＣ → TQC) so students can type either."""
    text = unicodedata.normalize("NFKC", raw or "").strip()
    if not text:
        return None
    if len(text) > MAX_QUERY:
        raise FieldInvalid(
            "q", f"關鍵字最多 {MAX_QUERY} 個字", f"The search text may have at most {MAX_QUERY} characters"
        )
    if "\x00" in text:  # PostgreSQL text cannot hold it (and the in-memory catalog uses it as a separator)
        raise FieldInvalid("q", "關鍵字含有無效的字元", "The search text contains an invalid character")
    return SearchTerm(text)


def like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


@dataclass
class LevelSpec:
    name: str
    name_en: str | None = None
    cefr: str | None = None
    min_score: Decimal | None = None
    max_score: Decimal | None = None
    id: str | None = None


@dataclass
class EntrySpec:
    key: str
    name: str
    issuer: str
    category: int
    name_en: str | None = None
    foreign: bool = False
    national_code: str | None = None
    it_certificate: bool = False
    bundle: str | None = None
    active: bool = True
    levels: list[LevelSpec] = field(default_factory=list)
    validity: dict | None = None  # domain/validity.py; None = never expires
    aliases: str | list[str] | None = None  # check_entry makes it the stored text: "英檢, 全民英檢"
    # An import row names these only when its file has the column; otherwise the entry keeps its own.
    validity_given: bool = False
    aliases_given: bool = False


def check_level(level: LevelSpec, where: str = "levels") -> LevelSpec:
    level.name = (level.name or "").strip()
    if not level.name or len(level.name) > 100:
        raise FieldInvalid(where, "等級名稱必填且最多 100 字", "A level needs a name of at most 100 characters")
    if level.cefr is not None:
        level.cefr = level.cefr.strip().upper() or None
        if level.cefr and level.cefr not in CEFR:
            raise FieldInvalid(
                where, f"CEFR 指標「{level.cefr}」不正確（A1–C2）", f"Unknown CEFR level {level.cefr!r} (A1–C2)"
            )
    if level.min_score is not None and level.max_score is not None and level.min_score > level.max_score:
        raise FieldInvalid(
            where, "等級的最低分不能高於最高分", "A level's minimum score exceeds its maximum", code="score_range"
        )
    return level


MAX_ALIASES, MAX_ALIAS = 20, 50
ALIAS_SEPARATORS = re.compile(r"[,，、;；|\n]")


def aliases_text(raw: str | list[str] | None) -> str | None:
    """The names people type for an entry (英檢, 多益), as stored: NFKC, trimmed, each once, joined by ", ";
    None for none. A list (the API's, its size and lengths checked by the schema) is taken item by item; a
    text (the CSV import's) is split at commas (，、;|) and each part checked."""
    if isinstance(raw, list):
        parts = [unicodedata.normalize("NFKC", str(part)).strip() for part in raw]
    else:
        parts = [unicodedata.normalize("NFKC", part).strip() for part in ALIAS_SEPARATORS.split(raw or "")]
        if any(len(part) > MAX_ALIAS for part in parts):
            raise FieldInvalid(
                "aliases",
                f"別名最多 {MAX_ALIAS} 字",
                f"An alias may have at most {MAX_ALIAS} characters",
                code="invalid_alias",
            )
    aliases: list[str] = []
    for alias in parts:
        if alias and alias.casefold() not in {a.casefold() for a in aliases}:
            aliases.append(alias)
    if len(aliases) > MAX_ALIASES:
        raise FieldInvalid(
            "aliases", f"別名最多 {MAX_ALIASES} 個", f"At most {MAX_ALIASES} aliases", code="invalid_alias"
        )
    return ", ".join(aliases) or None


def alias_list(text: str | None) -> list[str]:
    return [a for a in (text or "").split(", ") if a]


def check_entry(entry: EntrySpec, categories: set[int]) -> EntrySpec:
    entry.name = entry.name.strip()
    entry.issuer = entry.issuer.strip()
    if not entry.name or len(entry.name) > 200:
        raise FieldInvalid("name", "證照名稱必填且最多 200 字", "The name is required (at most 200 characters)")
    if not entry.issuer or len(entry.issuer) > 200:
        raise FieldInvalid("issuer", "發照單位必填且最多 200 字", "The issuer is required (at most 200 characters)")
    if entry.category not in categories:
        raise FieldInvalid(
            "category",
            f"沒有代碼為 {entry.category} 的證照類別",
            f"No category with code {entry.category}",
            code="unknown_category",
        )
    if not KEY.match(entry.key):
        raise FieldInvalid(
            "key", "代稱只能使用小寫英數字與 . _ -", "The key may use only lowercase letters, digits, . _ -"
        )
    entry.national_code = (entry.national_code or "").strip() or None
    entry.bundle = (entry.bundle or "").strip().upper() or None
    entry.validity = check_validity(entry.validity)
    entry.aliases = aliases_text(entry.aliases)
    names = [check_level(level).name for level in entry.levels]
    if len(names) != len(set(names)):
        raise FieldInvalid(
            "levels",
            "同一張證照的等級名稱不能重複",
            "Level names of one entry must be distinct",
            code="duplicate_level",
        )
    return entry


def key_for(national_code: str | None, name: str, fallback: str) -> str:
    """A stable key for an entry made by an admin or an import (codes are unique)."""
    if national_code:
        slug = re.sub(r"[^a-z0-9._-]+", "-", national_code.lower()).strip("-")
        if slug:
            return f"code-{slug}"[:80]
    return f"entry-{fallback}"
