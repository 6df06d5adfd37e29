"""CSV import of a national-code list (技專校院證照代號): parsed and checked whole before anything is applied.

Columns (a header row is required; English or Chinese names):
``national_code``/證照代號 (required), ``name``/證照名稱 (required), ``issuer``/發照單位 (required),
``category``/證照類別 (code 1–5 or its name, required), ``name_en``/英文名稱, ``foreign``/國內外
(國內/國外, true/false), ``it_certificate``/資訊證照 (Y/N), ``bundle``/組合, ``levels``/等級
(``name[:CEFR[:min-max]]`` separated by ``|``, e.g. ``初級:A2|中級:B1`` or ``金色證書:B2:860-990``),
``validity``/有效期限 (empty or ``never``, ``2y`` = two years from the issue date, or a last date
``YYYY-MM-DD``; a file without the column leaves each entry's validity as it is), ``aliases``/別名 (the
names people type, e.g. ``英檢、全民英檢``, separated by , 、 or |; a file without the column keeps them).
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal, InvalidOperation

from certhub_kit.errors import Invalid

from .catalog import EntrySpec, LevelSpec, check_entry, key_for
from .errors import FieldInvalid
from .validity import parse_import

MAX_ROWS = 50_000
HEADERS = {
    "national_code": "national_code",
    "code": "national_code",
    "證照代號": "national_code",
    "代號": "national_code",
    "name": "name",
    "證照名稱": "name",
    "名稱": "name",
    "name_en": "name_en",
    "英文名稱": "name_en",
    "issuer": "issuer",
    "發照單位": "issuer",
    "category": "category",
    "證照類別": "category",
    "類別": "category",
    "foreign": "foreign",
    "國內外": "foreign",
    "it_certificate": "it_certificate",
    "資訊證照": "it_certificate",
    "bundle": "bundle",
    "組合": "bundle",
    "levels": "levels",
    "等級": "levels",
    "級別": "levels",
    "validity": "validity",
    "有效期限": "validity",
    "aliases": "aliases",
    "別名": "aliases",
    "俗稱": "aliases",
}
REQUIRED = ("national_code", "name", "issuer", "category")
# The downloadable template: the Chinese header names and one example row (the admin screen documents each column).
TEMPLATE_HEADER = (
    "證照代號",
    "證照名稱",
    "英文名稱",
    "發照單位",
    "證照類別",
    "國內外",
    "資訊證照",
    "組合",
    "等級",
    "有效期限",
)
TEMPLATE_EXAMPLE = (
    "EX-0001",
    "範例：TQC 文書處理 Word（匯入前請刪除此列）",
    "Example: TQC Word (delete this row)",
    "財團法人中華民國電腦技能基金會",
    "3",
    "國內",
    "Y",
    "TQC",
    "實用級|進階級",
    "never",
)


def template_csv() -> bytes:
    """The template in UTF-8 with a byte-order mark, so Excel opens the Chinese headers correctly."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(TEMPLATE_HEADER)
    writer.writerow(TEMPLATE_EXAMPLE)
    return out.getvalue().encode("utf-8-sig")


TRUE = {"1", "true", "yes", "y", "是", "國外", "foreign"}
FALSE = {"", "0", "false", "no", "n", "否", "國內", "domestic"}


class ImportRowInvalid(Invalid):
    """A bad row: reported by its line number (1 = the header), nothing of the file applied."""

    def __init__(self, line: int, message: str, message_en: str):
        super().__init__(
            f"第 {line} 行：{message}，整個檔案未匯入",
            f"Line {line}: {message_en}; nothing was imported",
            code="import_row_invalid",
        )
        self.line = line

    def as_body(self) -> dict:
        body = super().as_body()
        body["error"]["line"] = self.line
        return body


def decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp950"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportRowInvalid(1, "檔案編碼無法辨識（請用 UTF-8 或 Big5）", "the file is not UTF-8 or Big5")


def parse_catalog_csv(data: bytes, categories: dict[str, int]) -> list[EntrySpec]:
    """``categories`` maps both codes (as text) and names to category codes."""
    reader = csv.reader(io.StringIO(decode(data)))
    try:
        header = next(reader)
    except (StopIteration, csv.Error):
        raise ImportRowInvalid(1, "檔案是空的或沒有標題列", "the file is empty or has no header row") from None
    columns = [HEADERS.get(h.strip().lower(), HEADERS.get(h.strip())) for h in header]
    missing = [c for c in REQUIRED if c not in columns]
    if missing:
        raise ImportRowInvalid(1, f"缺少欄位 {', '.join(missing)}", f"missing columns {', '.join(missing)}")
    entries: list[EntrySpec] = []
    seen: dict[str | None, int] = {}
    try:
        for values in reader:
            line = reader.line_num
            if not any(v.strip() for v in values):
                continue
            if len(entries) >= MAX_ROWS:
                raise ImportRowInvalid(line, f"超過 {MAX_ROWS} 列上限", f"more than {MAX_ROWS} rows")
            row = {c: v.strip() for c, v in zip(columns, values, strict=False) if c}
            entry = _entry(row, line, categories)
            if entry.national_code in seen:
                raise ImportRowInvalid(
                    line,
                    f"證照代號 {entry.national_code} 與第 {seen[entry.national_code]} 行重複",
                    f"code {entry.national_code} repeats line {seen[entry.national_code]}",
                )
            seen[entry.national_code] = line
            entries.append(entry)
    except csv.Error as exc:
        raise ImportRowInvalid(reader.line_num, "CSV 格式錯誤", f"malformed CSV ({exc})") from None
    if not entries:
        raise ImportRowInvalid(2, "檔案沒有任何資料列", "the file has no data rows")
    return entries


def _entry(row: dict[str, str], line: int, categories: dict[str, int]) -> EntrySpec:
    for column in REQUIRED:
        if not row.get(column):
            raise ImportRowInvalid(line, f"欄位 {column} 不能空白", f"column {column} is empty")
    category = categories.get(row["category"])
    if category is None:
        raise ImportRowInvalid(line, f"未知的證照類別「{row['category']}」", f"unknown category {row['category']!r}")
    try:
        entry = EntrySpec(
            key=key_for(row["national_code"], row["name"], row["national_code"]),
            name=row["name"],
            issuer=row["issuer"],
            category=category,
            name_en=row.get("name_en") or None,
            foreign=_flag(row.get("foreign", ""), line, "foreign"),
            national_code=row["national_code"],
            it_certificate=_flag(row.get("it_certificate", ""), line, "it_certificate"),
            bundle=row.get("bundle") or None,
            levels=_levels(row.get("levels", ""), line),
            validity=parse_import(row.get("validity", "")),
        )
        entry.validity_given = "validity" in row  # absent column: keep what the entry has
        entry.aliases = row.get("aliases") or None
        entry.aliases_given = "aliases" in row  # likewise
        return check_entry(entry, set(categories.values()))
    except FieldInvalid as exc:
        raise ImportRowInvalid(line, exc.message, exc.message_en) from None


def _flag(value: str, line: int, column: str) -> bool:
    folded = value.strip().lower()
    if folded in TRUE:
        return True
    if folded in FALSE:
        return False
    raise ImportRowInvalid(
        line, f"欄位 {column} 的值「{value}」看不懂", f"column {column} has an unclear value {value!r}"
    )


def _levels(text: str, line: int) -> list[LevelSpec]:
    levels = []
    for part in filter(None, (p.strip() for p in text.split("|"))):
        name, _, rest = part.partition(":")
        cefr, _, span = rest.partition(":")
        low = high = None
        if span:
            low_text, _, high_text = span.partition("-")
            try:
                low = Decimal(low_text) if low_text.strip() else None
                high = Decimal(high_text) if high_text.strip() else None
            except InvalidOperation:
                raise ImportRowInvalid(
                    line, f"等級「{name}」的分數範圍看不懂", f"level {name!r} has an unclear score range"
                ) from None
        levels.append(LevelSpec(name=name.strip(), cefr=cefr.strip() or None, min_score=low, max_score=high))
    return levels
