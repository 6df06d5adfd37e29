"""Bank accounts for payouts (金融帳號): institution codes, account numbers, masking.

Rules of B3673S: post office code ``7000021``; other institutions 3-digit head
office + 4-digit branch (e.g. 台灣銀行屏東分行 ``0040174``); the account is the
student's own; "other" payment only when the student declares they have no account.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from certhub_kit.errors import Conflict, Invalid

BANK, POST, OTHER = "bank", "post", "other"
METHODS = (BANK, POST, OTHER)
POST_OFFICE_CODE = "7000021"
POST_HEAD_OFFICE = "700"
POSTAL_CODE = re.compile(r"^(\d{3}|\d{5}|\d{6})$")
SEVEN_DIGITS = re.compile(r"^\d{7}$")


@dataclass(frozen=True)
class Institution:
    code: str
    name: str
    name_en: str | None
    kind: str
    account_digits: tuple[int, ...]


class BankDirectory:
    """The shipped list of Taiwanese financial institutions, by 3-digit head-office code."""

    def __init__(self, rows: Iterable[Mapping]):
        self._by_code = {
            str(r["code"]): Institution(
                str(r["code"]),
                r["name"],
                r.get("name_en"),
                r.get("kind", "bank"),
                tuple(int(d) for d in r.get("account_digits") or ()),
            )
            for r in rows
        }

    def get(self, head_office: str) -> Institution | None:
        return self._by_code.get(head_office)

    def __len__(self) -> int:
        return len(self._by_code)


@dataclass(frozen=True)
class BankAccount:
    """A payout account as the student gave it (plain; encrypt before storing)."""

    method: str
    code: str | None
    account_no: str | None
    account_name: str | None
    postal_code: str
    address: str
    other_reason: str | None = None

    @property
    def last4(self) -> str | None:
        return self.account_no[-4:] if self.account_no else None

    @property
    def masked(self) -> str | None:
        return mask(self.account_no)


def mask(account_no: str | None) -> str | None:
    """Every digit but the last four hidden: ``********1234``."""
    if not account_no:
        return None
    return "*" * max(len(account_no) - 4, 4) + account_no[-4:]


def mask_last4(last4: str | None) -> str | None:
    return f"********{last4}" if last4 else None


def _invalid(zh: str, en: str) -> Invalid:
    return Invalid(zh, en, code="invalid_bank_account")


def _digits(value: str | None) -> str:
    return re.sub(r"[\s-]", "", value or "")


def check_institution(code: str, method: str, directory: BankDirectory) -> Institution:
    """The institution of a 7-digit remittance code, consistent with the payment method."""
    if not SEVEN_DIGITS.match(code):
        raise _invalid(
            "金融機構匯款代碼須為 7 碼數字（郵局請輸入 7000021；其他金融機構為總行 3 碼＋分行 4 碼）",
            "The remittance code must be 7 digits (post office 7000021; others: 3-digit head office + 4-digit branch)",
        )
    head = code[:3]
    if (method == POST or head == POST_HEAD_OFFICE) and (code != POST_OFFICE_CODE or method != POST):
        raise _invalid(
            "郵局帳戶請選擇「郵局匯款」，代碼為 7000021",
            "For a post office account choose 'Post office transfer'; the code is 7000021",
        )
    institution = directory.get(head)
    if institution is None:
        raise _invalid(
            f"查無總行代碼 {head} 的金融機構，請確認代碼", f"No institution has head-office code {head}; check the code"
        )
    return institution


def check_account_number(account_no: str, institution: Institution) -> None:
    if not account_no.isdigit():
        raise _invalid("帳號只能包含數字", "The account number may contain digits only")
    if institution.account_digits and len(account_no) not in institution.account_digits:
        lengths = "、".join(str(n) for n in institution.account_digits)
        raise _invalid(
            f"{institution.name}的帳號應為 {lengths} 碼，請確認後重新輸入",
            f"Accounts at {institution.name_en or institution.name} have "
            f"{', '.join(str(n) for n in institution.account_digits)} digits; please check the number",
        )


def bank_account_from_form(
    *,
    method: str,
    code: str | None,
    account_no: str | None,
    account_name: str | None,
    postal_code: str | None,
    address: str | None,
    other_reason: str | None,
    student_name: str,
    directory: BankDirectory,
) -> BankAccount:
    """Validates a submitted form; raises ``Invalid`` with a message a student understands."""
    method = (method or "").strip().lower()
    if method not in METHODS:
        raise _invalid(
            "支付方式必須是 bank（銀行）、post（郵局）或 other（其他）",
            "The payment method must be bank, post or other",
        )
    postal = _digits(postal_code)
    if not POSTAL_CODE.match(postal):
        raise _invalid("郵遞區號須為 3、5 或 6 碼數字", "The postal code must have 3, 5 or 6 digits")
    address = (address or "").strip()
    if not address or len(address) > 200:
        raise _invalid("請填寫戶籍住址（200 字以內）", "Give your household address (at most 200 characters)")
    if method == OTHER:
        return _other_payment(code, account_no, account_name, other_reason, student_name, postal, address)
    code = _digits(code)
    institution = check_institution(code, method, directory)
    number = _digits(account_no)
    check_account_number(number, institution)
    name = (account_name or "").strip()
    if _normal_name(name) != _normal_name(student_name):
        raise _invalid("帳戶名稱必須是學生本人姓名", "The account name must be your own name")
    return BankAccount(method, code, number, name, postal, address, None)


def _other_payment(
    code: str | None,
    account_no: str | None,
    account_name: str | None,
    other_reason: str | None,
    student_name: str,
    postal: str,
    address: str,
) -> BankAccount:
    """ "Other" (no account at all): a reason the centre acknowledges, the payee is the student, and no
    bank code or account number half-given."""
    reason = (other_reason or "").strip()
    if not reason:
        raise _invalid(
            "獎勵金以匯款支付為原則；選擇其他支付方式時請說明您沒有存款帳號的原因",
            "Rewards are paid by transfer; choose 'other' only with a reason why you have no account",
        )
    if len(reason) > 500:
        raise _invalid("其他支付方式的原因最多 500 字", "The reason may have at most 500 characters")
    if _digits(code) or _digits(account_no):
        raise _invalid(
            "選擇其他支付方式時不填匯款代碼與帳號；有存款帳號請選擇銀行或郵局",
            "With 'other' leave the code and account number empty; with an account choose bank or post",
        )
    name = (account_name or "").strip() or student_name
    if _normal_name(name) != _normal_name(student_name):
        raise _invalid("受款人必須是學生本人", "The payee must be yourself")
    return BankAccount(OTHER, None, None, name, postal, address, reason)


def check_payable(amount: int, method: str | None, other_acknowledged: bool, *, label: str = "") -> None:
    """Money needs a way to pay it: an application with an amount needs a payment method before its first
    review passes or it joins a payout batch — a transfer account, or "other" acknowledged by the centre."""
    if amount <= 0:
        return
    if method is None:
        raise Conflict(
            f"{label}此申請有獎勵金 NT${amount:,}，須先填寫支付方式（金融帳號），才能通過初審或撥款",
            f"{label}This application pays NT${amount:,}: it needs a payment method (bank account) before "
            "its first review can pass or it can be paid",
            code="bank_account_missing",
        )
    if method == OTHER and not other_acknowledged:
        raise Conflict(
            f"{label}學生選擇「其他支付方式」，須先由職輔組確認其原因，才能通過初審或撥款",
            f"{label}The student chose 'other' payment: the centre must acknowledge the reason before the "
            "first review can pass or it can be paid",
            code="other_payment_unacknowledged",
        )


def _normal_name(name: str) -> str:
    return re.sub(r"\s+", "", name)
