"""How applications look in responses and exports (bank accounts always masked here)."""

from __future__ import annotations

from certhub_kit.auth import Principal

from ..adapters.applications_repository import BankSummary
from ..domain.applications import Application, status_label
from ..domain.banking import mask_last4
from ..domain.calendar import TAIPEI


def _when(moment) -> str | None:
    return moment.astimezone(TAIPEI).isoformat() if moment is not None else None


def _review(application: Application, stage: str) -> dict | None:
    result = getattr(application, f"{stage}_result")
    if result is None:
        return None
    return {
        "result": result,
        "reviewer": getattr(application, f"{stage}_reviewer_name"),
        "reviewer_id": getattr(application, f"{stage}_reviewer_id"),
        "reviewed_at": _when(getattr(application, f"{stage}_reviewed_at")),
        "note": getattr(application, f"{stage}_note"),
    }


def bank_view(bank: BankSummary | None) -> dict | None:
    if bank is None:
        return None
    return {
        "method": bank.method,
        "code": bank.code,
        "account_masked": mask_last4(bank.account_last4),
        "account_name": bank.account_name,
        "has_passbook": bank.passbook_key is not None,
        "other_acknowledged": bank.other_acknowledged_at is not None if bank.method == "other" else None,
        "other_acknowledged_by": bank.other_acknowledged_by,
    }


def application_view(
    application: Application,
    certificates: list[dict],
    bank: BankSummary | None,
    principal: Principal,
    window_open: bool,
) -> dict:
    zh, en = status_label(application.status)
    changeable = principal.sub == application.student_id and application.student_may_change and window_open
    return {
        "id": str(application.id),
        "academic_year": application.academic_year,
        "student_id": application.student_id,
        "student_name": application.student_name,
        "dept": application.dept,
        "division": application.division,
        "program": application.program,
        "class": application.class_,
        "standard_id": str(application.standard_id),
        "label": application.label,
        "amount": application.amount,
        "level": application.level,
        "status": application.status,
        "status_label": zh,
        "status_label_en": en,
        "first_review": _review(application, "first"),
        "second_review": _review(application, "second"),
        "certificate_count": len(certificates),
        "certificates": certificates,
        "bank_account": bank_view(bank),
        "paid_at": _when(application.paid_at),
        "invalid_reason": application.invalid_reason,
        "invalid_reason_en": application.invalid_reason_en,
        "created_at": _when(application.created_at),
        "can_edit": changeable,
        "can_delete": changeable,
        "flags": list(application.flags or ()),
        "standard_amount": application.standard_amount,
        "capped": application.standard_amount is not None
        and application.amount + application.returned_fees < application.standard_amount,
        "returned_fees": application.returned_fees,
    }


EXPORT_HEADER = [
    "學年 academic_year",
    "學號 student_id",
    "姓名 name",
    "系所 dept",
    "部別 division",
    "學制 program",
    "班級 class",
    "獎勵標準 standard",
    "金額 amount",
    "狀態 status",
    "初審結果 first_result",
    "初審人員 first_reviewer",
    "初審日期 first_date",
    "複審結果 second_result",
    "複審人員 second_reviewer",
    "複審日期 second_date",
    "證照張數 certificates",
    "證照 certificate_names",
    "金融帳號 bank_account",
    "撥款日期 paid_at",
]


def export_row(view: dict) -> list:
    first, second, bank = view["first_review"] or {}, view["second_review"] or {}, view["bank_account"] or {}
    names = "、".join(
        f"{c['entry_name']}{' ' + c['level_name'] if c['level_name'] else ''}" for c in view["certificates"]
    )
    account = f"{bank.get('code') or ''} {bank.get('account_masked') or ''}".strip() if bank else ""
    return [
        view["academic_year"],
        view["student_id"],
        view["student_name"],
        view.get("dept_name", view["dept"]),
        view.get("division_name", view["division"]),
        view.get("program_name", view["program"]),
        view["class"],
        view["label"],
        view["amount"],
        view["status_label"],
        first.get("result"),
        first.get("reviewer"),
        (first.get("reviewed_at") or "")[:10],
        second.get("result"),
        second.get("reviewer"),
        (second.get("reviewed_at") or "")[:10],
        view["certificate_count"],
        names,
        account,
        (view["paid_at"] or "")[:10],
    ]
