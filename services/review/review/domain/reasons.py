"""Rejection reasons: an admin-kept bilingual list, each with what the student should do to fix it.

A rejection names a reason code (``reason_code``) beside its free text; the student sees the reason's
label and fix instruction on screen and in the mail. Codes are never deleted, only retired
(``active: false``), so old rejections keep their meaning in reports.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from certhub_kit.errors import Invalid

CODE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")


@dataclass(frozen=True)
class RejectReason:
    code: str
    label: str
    label_en: str
    instruction: str
    instruction_en: str
    active: bool = True


DEMO_REASONS = (
    RejectReason(
        "unclear_copy",
        "影本不清楚",
        "The copy is not legible",
        "請重新掃描或拍攝證照，文字與印章須清晰可辨，再上傳並送審。",
        "Scan or photograph the certificate again so that text and seals are legible, upload it and resubmit.",
    ),
    RejectReason(
        "not_holder",
        "非本人",
        "Not the student's own certificate",
        "證照上的姓名須與學籍相同；若曾改名，請於備註說明並附上證明文件。",
        "The name on the certificate must match your student record; if you changed your name, say so in "
        "the remarks and attach proof.",
    ),
    RejectReason(
        "too_old",
        "超過六個月",
        "Issued more than six months ago",
        "證照須於取得後六個月內登錄；若有特殊情形，請洽系辦說明。",
        "Certificates must be registered within six months of issue; ask your department office about exceptions.",
    ),
    RejectReason(
        "not_recognised",
        "非認可證照",
        "Not a recognised certificate",
        "此證照不在本校認可清單；請改選正確的證照項目，或提出新增證照目錄的申請。",
        "This certificate is not on the school's list; choose the right catalog entry or request a new one.",
    ),
    RejectReason(
        "wrong_level",
        "等級不符",
        "The level does not match",
        "請依證照上記載的等級或分數修改「等級」與「分數」欄位，再送審。",
        "Correct the level and score fields to what the certificate states, then resubmit.",
    ),
)


def checked_list(reasons: list[RejectReason]) -> list[RejectReason]:
    """The admin's list as given, refused whole (422) when a code is malformed or repeated or a text is empty."""
    seen: set[str] = set()
    for reason in reasons:
        if not CODE.match(reason.code):
            raise Invalid(
                f"原因代碼「{reason.code}」格式不符（小寫英數字、_ 或 -）",
                f"The reason code {reason.code!r} must be lower-case letters, digits, _ or -",
                code="bad_reason_code",
            )
        if reason.code in seen:
            raise Invalid(
                f"原因代碼「{reason.code}」重複",
                f"The reason code {reason.code!r} repeats",
                code="duplicate_reason_code",
            )
        seen.add(reason.code)
        if not all(text.strip() for text in (reason.label, reason.label_en, reason.instruction, reason.instruction_en)):
            raise Invalid(
                f"原因「{reason.code}」須有中英文名稱與補正說明",
                f"The reason {reason.code!r} needs a label and an instruction in both languages",
                code="reason_text_required",
            )
    return reasons


def usable(reasons: dict[str, RejectReason], code: str) -> RejectReason:
    """The active reason ``code`` (422 for an unknown or retired one)."""
    reason = reasons.get(code)
    if reason is None or not reason.active:
        raise Invalid(
            f"未知或已停用的退件原因：{code}",
            f"Unknown or retired rejection reason: {code}",
            code="unknown_reason_code",
        )
    return reason


def reason_text(reason: RejectReason | None, free_text: str | None) -> str | None:
    """What the decision's ``reason`` says: the reason's label, then the reviewer's own words."""
    if reason is None:
        return free_text
    return f"{reason.label}：{free_text}" if free_text else reason.label
