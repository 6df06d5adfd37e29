"""Class rosters (團體申報): a department's or the centre's file of exam results, checked row by row (pure).

Columns (a header row is required; zh-TW or English names, any order; docs in services/certificates/README.md,
"Class rosters"): 學號/student_no (required), 證照/entry (required: the catalog entry's id, key or 技專代號),
級別/level (the level's name, required when the entry has levels), 分數/score, 發證日期/issued_on (required,
YYYY-MM-DD or YYYYMMDD), 證照字號/certificate_no.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime

from certhub_kit.errors import Invalid

from . import registration as rules
from .catalog_import import decode
from .errors import FieldInvalid

MAX_ROWS = 2000
STUDENT_NO = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{2,63}$")
HEADERS = {
    "學號": "student_no",
    "student_no": "student_no",
    "student_number": "student_no",
    "student": "student_no",
    "證照": "entry",
    "證照代號": "entry",
    "技專代號": "entry",
    "entry": "entry",
    "catalog_entry": "entry",
    "national_code": "entry",
    "key": "entry",
    "級別": "level",
    "等級": "level",
    "level": "level",
    "分數": "score",
    "級數或分數": "score",
    "score": "score",
    "發證日期": "issued_on",
    "發證或生效日期": "issued_on",
    "日期": "issued_on",
    "date": "issued_on",
    "issued_on": "issued_on",
    "證照字號": "certificate_no",
    "證號": "certificate_no",
    "certificate_no": "certificate_no",
    "certificate_number": "certificate_no",
}
REQUIRED = ("student_no", "entry", "issued_on")
TEMPLATE_HEADER = [
    "學號 student_no",
    "證照 entry",
    "級別 level",
    "分數 score",
    "發證日期 issued_on",
    "證照字號 certificate_no",
]
TEMPLATE_EXAMPLE = ["s1109999", "T-0002", "金色證書", "900", "2024-03-01", "TOEIC-0001"]

OK, EXISTS = "ok", "exists"
MESSAGES = {
    OK: ("可匯入", "ready to import"),
    EXISTS: ("已匯入過，不會重複建立", "already imported; nothing new is created"),
    "unknown_student": (
        "學號格式錯誤或不屬於您負責的系所",
        "the student number is malformed or not in your department",
    ),
    "unknown_entry": ("找不到這張證照（代號、代稱或 id）", "no catalog entry with this id, key or national code"),
    "unknown_level": ("這張證照沒有這個級別", "the entry has no such level"),
    "duplicate": ("與本檔其他列或學生已登錄的證照重複", "repeats another row or a certificate the student registered"),
    "score_out_of_range": ("分數不在該級別的範圍內", "the score is outside the level's range"),
    "bad_date": ("發證日期錯誤（YYYY-MM-DD，不可晚於今天）", "bad issue date (YYYY-MM-DD, not in the future)"),
    "invalid": ("欄位內容不正確", "a field is not valid"),
}


class RosterInvalid(Invalid):
    """The file itself cannot be read (no header, missing columns, too many rows)."""

    def __init__(self, message: str, message_en: str):
        super().__init__(f"名冊無法讀取：{message}", f"The roster cannot be read: {message_en}", code="roster_invalid")


class RosterRowsInvalid(Invalid):
    """Confirming a roster with bad rows: nothing is created, every row's verdict is in the answer."""

    def __init__(self, rows: list[dict]):
        super().__init__(
            "名冊有錯誤的列，未建立任何證照；請修正後再上傳",
            "The roster has bad rows; nothing was created. Fix them and upload again",
            code="roster_rows_invalid",
        )
        self.rows = rows

    def as_body(self) -> dict:
        body = super().as_body()
        body["error"]["rows"] = self.rows
        return body


@dataclass(frozen=True)
class EntryChoice:
    """What a row's entry resolves to: its id and levels (name → (level id, LevelRule))."""

    id: str
    levels: Mapping[str, rules.LevelRule]


@dataclass(frozen=True)
class RosterRow:
    row: int  # the line in the file (1 = the header)
    values: dict[str, str]


@dataclass
class RowVerdict:
    row: int
    status: str
    student_id: str | None = None
    entry_id: str | None = None
    level_id: str | None = None
    score: str | None = None
    issued_on: date | None = None
    certificate_no: str | None = None
    key: str | None = None

    def item(self) -> dict:
        zh, en = MESSAGES[self.status]
        return {"row": self.row, "status": self.status, "message": zh, "message_en": en, "student_no": self.student_id}


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _column(header: str) -> str | None:
    """``學號 student_no`` (the template's own header) or either half alone."""
    text = header.strip()
    for candidate in (text, text.lower(), *text.split()):
        if candidate in HEADERS or candidate.lower() in HEADERS:
            return HEADERS.get(candidate, HEADERS.get(candidate.lower()))
    return None


def read_table(data: bytes, filename: str) -> list[list]:
    if data[:2] == b"PK" or filename.lower().endswith(".xlsx"):
        return _xlsx_table(data)
    try:
        return list(csv.reader(io.StringIO(decode(data))))
    except csv.Error:
        raise RosterInvalid("CSV 格式錯誤", "malformed CSV") from None
    except Invalid:
        raise RosterInvalid("檔案編碼無法辨識（請用 UTF-8 或 Big5）", "the file is not UTF-8 or Big5") from None


def _xlsx_table(data: bytes) -> list[list]:
    from openpyxl import load_workbook  # loaded by the first XLSX roster only

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        rows = [
            list(r) for _, r in zip(range(MAX_ROWS + 2), book.worksheets[0].iter_rows(values_only=True), strict=False)
        ]
        book.close()
        return rows
    except Exception:  # noqa: BLE001 - any unreadable workbook is the same answer to the reviewer
        raise RosterInvalid("不是有效的 XLSX 或 CSV 檔", "not a valid XLSX or CSV file") from None


def parse_roster(table: list[list]) -> list[RosterRow]:
    if not table:
        raise RosterInvalid("檔案是空的或沒有標題列", "the file is empty or has no header row")
    columns = [_column(_text(h)) for h in table[0]]
    missing = [c for c in REQUIRED if c not in columns]
    if missing:
        raise RosterInvalid(f"缺少欄位 {', '.join(missing)}", f"missing columns {', '.join(missing)}")
    rows: list[RosterRow] = []
    for line, values in enumerate(table[1:], start=2):
        cells = {c: _text(v) for c, v in zip(columns, values, strict=False) if c}
        if not any(cells.values()):
            continue
        if len(rows) >= MAX_ROWS:
            raise RosterInvalid(f"超過 {MAX_ROWS} 列上限", f"more than {MAX_ROWS} rows")
        rows.append(RosterRow(line, cells))
    if not rows:
        raise RosterInvalid("檔案沒有任何資料列", "the file has no data rows")
    return rows


@dataclass(frozen=True)
class RosterContext:
    """What the service looked up for the whole file before judging it."""

    entries: Mapping[str, EntryChoice]  # id, key or national code (as typed) → entry
    may_include: Callable[[str], bool]  # the uploader may name this student (by student number)
    imported: frozenset[str]  # row keys already imported
    registered: frozenset[tuple[str, str, str]]  # (student, entry id, certificate no) the students registered
    today: date


def row_key(student: str, entry_id: str, level_id: str | None, issued_on: date, certificate_no: str | None) -> str:
    """The same result of the same student, whichever file (or upload) it comes in: re-uploads change nothing."""
    text = "|".join((student.upper(), entry_id, level_id or "", issued_on.isoformat(), certificate_no or ""))
    return hashlib.sha256(text.encode()).hexdigest()


def judge(rows: list[RosterRow], ctx: RosterContext) -> list[RowVerdict]:
    seen: set[str] = set()
    verdicts = []
    for row in rows:
        verdict = _judge_row(row, ctx)
        if verdict.key is not None:
            if verdict.key in seen:
                verdict.status = "duplicate"
            seen.add(verdict.key)
        verdicts.append(verdict)
    return verdicts


def _judge_row(row: RosterRow, ctx: RosterContext) -> RowVerdict:
    values = row.values
    student = values.get("student_no", "")
    verdict = RowVerdict(row.row, OK, student_id=student or None)
    if not STUDENT_NO.match(student) or not ctx.may_include(student):
        verdict.status = "unknown_student"
        return verdict
    entry = ctx.entries.get(values.get("entry", ""))
    if entry is None:
        verdict.status = "unknown_entry"
        return verdict
    verdict.entry_id = entry.id
    status = _check_values(verdict, entry, values, ctx.today)
    if status != OK:
        verdict.status = status
        return verdict
    assert verdict.issued_on is not None  # a required column, parsed when the values were OK
    verdict.key = row_key(student, entry.id, verdict.level_id, verdict.issued_on, verdict.certificate_no)
    if verdict.key in ctx.imported:
        verdict.status = EXISTS
    elif verdict.certificate_no and (student, entry.id, verdict.certificate_no) in ctx.registered:
        verdict.status = "duplicate"
    return verdict


def _check_values(verdict: RowVerdict, entry: EntryChoice, values: dict[str, str], today: date) -> str:
    level_name = values.get("level", "")
    level = entry.levels.get(level_name) if level_name else None
    if (level_name and level is None) or (not level_name and entry.levels):
        return "unknown_level"
    verdict.level_id = level.id if level else None
    try:
        verdict.issued_on = rules.parse_issued_on(values.get("issued_on"), today=today)
    except FieldInvalid:
        return "bad_date"
    try:
        verdict.score = rules.clean_text("score", values.get("score"))
        verdict.certificate_no = rules.clean_text("certificate_no", values.get("certificate_no"))
        rules.check_score(verdict.score, level)
    except FieldInvalid as exc:
        return "score_out_of_range" if exc.code == "score_out_of_range" else "invalid"
    return OK
