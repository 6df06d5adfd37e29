"""Rules for what a student types when registering a certificate (pure; no I/O)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from certhub_kit.addresses import is_single_address

from .errors import FieldInvalid

EARLIEST_ISSUE = date(1950, 1, 1)
PHONE = re.compile(r"^[0-9+()#\-\s]{4,30}$")
LIMITS = {"score": 50, "certificate_no": 100, "remarks": 500, "email": 254, "phone": 30, "mobile": 30}
NAMES = {
    "score": ("級數或分數", "score"),
    "certificate_no": ("證照字號", "certificate number"),
    "remarks": ("備註", "remarks"),
    "email": ("電子郵件", "email"),
    "phone": ("聯絡電話", "phone"),
    "mobile": ("手機", "mobile"),
    "issued_on": ("發證或生效日期", "issue date"),
}


@dataclass(frozen=True)
class LevelRule:
    """What the catalog says about one level: which entry it belongs to and its score range."""

    id: str
    entry_id: str
    name: str
    min_score: Decimal | None = None
    max_score: Decimal | None = None


def clean_text(field: str, value: str | None) -> str | None:
    """Trimmed text or None; too long is a 422 naming the field."""
    if value is None:
        return None
    value = value.strip()
    if not value:
        return None
    limit = LIMITS.get(field)
    if limit and len(value) > limit:
        zh, en = NAMES[field]
        raise FieldInvalid(
            field, f"{zh}最多 {limit} 個字", f"The {en} may have at most {limit} characters", code="too_long"
        )
    return value


def parse_issued_on(raw: str | None, *, today: date) -> date:
    """ISO 8601 (``2024-03-01``) or the seeds' ``YYYYMMDD``; not in the future, not absurdly old."""
    text = (raw or "").strip()
    if not text:
        raise FieldInvalid("issued_on", "請填寫發證或生效日期", "The issue date is required", code="required")
    try:
        if re.fullmatch(r"\d{8}", text):
            value = date(int(text[:4]), int(text[4:6]), int(text[6:]))
        elif re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            value = date.fromisoformat(text)
        else:
            raise ValueError(text)
    except ValueError:
        raise FieldInvalid(
            "issued_on",
            "發證或生效日期格式錯誤，請用 YYYY-MM-DD 或 YYYYMMDD",
            "The issue date must be YYYY-MM-DD or YYYYMMDD",
            code="bad_date",
        ) from None
    if value > today:
        raise FieldInvalid(
            "issued_on", "發證或生效日期不能晚於今天", "The issue date cannot be in the future", code="future_date"
        )
    if value < EARLIEST_ISSUE:
        raise FieldInvalid("issued_on", "發證或生效日期不合理", "The issue date is implausibly old", code="bad_date")
    return value


def check_level(level: LevelRule | None, *, entry_id: str, entry_has_levels: bool) -> None:
    """The level must belong to the chosen entry; required when the entry has levels."""
    if level is None:
        if entry_has_levels:
            raise FieldInvalid("level_id", "請選擇證照等級", "Please choose the level", code="required")
        return
    if level.entry_id != entry_id:
        raise FieldInvalid(
            "level_id", "所選等級不屬於這張證照", "The level does not belong to this certificate", code="level_mismatch"
        )


def check_score(score: str | None, level: LevelRule | None) -> None:
    """A numeric score must fall inside the level's range when the level has one; text is free."""
    if score is None or level is None or (level.min_score is None and level.max_score is None):
        return
    try:
        value = Decimal(score)
    except InvalidOperation:
        return
    low, high = level.min_score, level.max_score
    if (low is not None and value < low) or (high is not None and value > high):
        span = f"{_fmt(low)}–{_fmt(high)}"
        raise FieldInvalid(
            "score",
            f"分數 {score} 不在「{level.name}」的範圍（{span}）內",
            f"Score {score} is outside the range of level {level.name} ({span})",
            code="score_out_of_range",
        )


def _fmt(value: Decimal | None) -> str:
    return "" if value is None else format(value.normalize(), "f")


def email_field(raw: str | None) -> str:
    """The typed email: surrounding spaces trimmed, a line break or control character anywhere refused."""
    if raw is not None and any(ord(c) < 32 or ord(c) == 127 for c in raw):
        raise _bad_email()
    return check_email(clean_text("email", raw))


def _bad_email() -> FieldInvalid:
    return FieldInvalid(
        "email",
        "電子郵件格式錯誤：請只填一個電子郵件地址（不可含逗號、姓名、空白或換行）",
        "The email address is not valid: give exactly one address (no commas, names, spaces or line breaks)",
        code="bad_email",
    )


def check_email(email: str | None) -> str:
    if not email:
        raise FieldInvalid(
            "email",
            "請填寫電子郵件（確認信會寄到這裡）",
            "The email is required (the confirmation goes there)",
            code="required",
        )
    if not is_single_address(email):
        raise _bad_email()
    return email


def check_phone(field: str, value: str | None) -> str | None:
    if value is not None and not PHONE.match(value):
        zh, en = NAMES[field]
        raise FieldInvalid(field, f"{zh}格式錯誤", f"The {en} is not a valid phone number", code="bad_phone")
    return value
