"""Returned transfers (退匯): the bank's CSV of rows it could not credit, checked against a paid batch.

Columns (header row required; ``services/rewards/README.md``): ``application_id`` (the 申請編號 of the
payout file), ``amount`` (NT$ the bank returned) and ``reason`` (the bank's reason, e.g. 帳號錯誤).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from certhub_kit.errors import Invalid

from .csv_files import csv_rows

TEMPLATE_HEADER = ["application_id", "amount", "reason"]
TEMPLATE_EXAMPLE = ["00000000-0000-0000-0000-000000000000", "1000", "帳號錯誤 / wrong account number"]
MAX_ROWS = 2000
OK, UNKNOWN, NOT_PAID, AMOUNT_MISMATCH, DUPLICATE, BAD_ROW = (
    "ok",
    "not_in_batch",
    "not_paid",
    "amount_mismatch",
    "duplicate",
    "invalid",
)
MESSAGES: dict[str, tuple[str, str]] = {
    OK: ("可退回待補正", "Returns to needs-fix"),
    UNKNOWN: ("此申請不在這個撥款批次中", "This application is not in this payout batch"),
    NOT_PAID: (
        "此申請不是已撥款狀態（可能已處理過退匯）",
        "This application is not paid (its return may be done already)",
    ),
    AMOUNT_MISMATCH: ("退匯金額與撥款金額不符", "The returned amount differs from the amount paid"),
    DUPLICATE: ("同一申請在檔案中重複出現", "The same application appears twice in the file"),
    BAD_ROW: (
        "欄位不完整：需要 application_id、amount、reason",
        "Incomplete row: application_id, amount and reason are needed",
    ),
}


@dataclass(frozen=True)
class ReturnedRow:
    row: int
    application_id: str
    amount: int | None
    reason: str


def parse_returns(data: bytes) -> list[ReturnedRow]:
    reader = csv_rows(
        data, zh="退匯檔須為 UTF-8 編碼的 CSV", en="The returns file must be a UTF-8 CSV", code="invalid_returns"
    )
    header = [(h or "").strip().lower() for h in reader.fieldnames or ()]
    if not set(TEMPLATE_HEADER) <= set(header):
        raise Invalid(
            "退匯檔第一列須為欄位名稱 application_id,amount,reason（請下載範本）",
            "The first row must name the columns application_id,amount,reason (download the template)",
            code="invalid_returns",
        )
    rows = []
    for number, raw in enumerate(reader, start=2):
        values = {(k or "").strip().lower(): (v or "").strip() for k, v in raw.items() if isinstance(v, str)}
        amount = values.get("amount", "").replace(",", "")
        rows.append(
            ReturnedRow(
                number,
                values.get("application_id", ""),
                int(amount) if amount.isdigit() else None,
                values.get("reason", "")[:200],
            )
        )
    if not rows or len(rows) > MAX_ROWS:
        raise Invalid(
            f"退匯檔須有 1 到 {MAX_ROWS} 筆資料", f"The returns file needs 1 to {MAX_ROWS} rows", code="invalid_returns"
        )
    return rows


def check_rows(rows: list[ReturnedRow], paid: Mapping[str, tuple[str, int]]) -> list[tuple[ReturnedRow, str]]:
    """Each row's status; ``paid`` maps the batch's application ids to (status, amount)."""
    seen: set[str] = set()
    checked = []
    for row in rows:
        known = paid.get(row.application_id.lower())
        if not row.application_id or row.amount is None or not row.reason:
            status = BAD_ROW
        elif row.application_id.lower() in seen:
            status = DUPLICATE
        elif known is None:
            status = UNKNOWN
        elif known[0] != "paid":
            status = NOT_PAID
        elif known[1] != row.amount:
            status = AMOUNT_MISMATCH
        else:
            status = OK
        seen.add(row.application_id.lower())
        checked.append((row, status))
    return checked


def repayable_amount(amount: int, fee: int) -> int:
    """What the next batch pays after the school's fee for the returned transfer."""
    return max(0, amount - fee)
