"""Reward rules of one academic year (獎勵要點): a cap per student, exclusions by flag, a budget pool
with a waiting list (候補) ranked by the year's rule, and the fee of a returned transfer (退匯).

Cap decision (docs in services/rewards/README.md): an application that would take a student past the
year's cap is *reduced to the remainder*; once nothing remains it is refused (``cap_reached``).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from certhub_kit.errors import Conflict, Invalid

SUBSIDISED = "subsidised"  # already subsidised by the government (the student declares it)
THRESHOLD = "threshold"  # used for the graduation threshold (student or reviewer sets it)
FLAGS: dict[str, tuple[str, str]] = {
    SUBSIDISED: ("已獲政府補助", "Already subsidised by the government"),
    THRESHOLD: ("已用於畢業門檻", "Used for the graduation threshold"),
}
EARLIEST, HIGHEST_LEVEL, HIGHEST_AMOUNT = "earliest", "highest_level", "highest_amount"
RANKINGS: dict[str, tuple[str, str]] = {
    EARLIEST: ("申請先後", "Earliest application first"),
    HIGHEST_LEVEL: ("等級高者優先", "Highest level first"),
    HIGHEST_AMOUNT: ("金額高者優先", "Highest amount first"),
}
MAX_MONEY = 100_000_000


@dataclass(frozen=True)
class YearRules:
    academic_year: int
    cap_per_student: int | None = None  # NT$ per student per year; None: no cap
    budget: int | None = None  # NT$ pool of the year; None: unlimited
    exclusions: tuple[str, ...] = ()
    ranking: str = EARLIEST
    return_fee: int = 0  # NT$ the school deducts when a transfer comes back (0: none)


def _money(value, name_zh: str, name_en: str) -> int | None:
    return None if value is None else _amount(value, name_zh, name_en)


def _amount(value, name_zh: str, name_en: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_MONEY:
        raise Invalid(
            f"{name_zh}須為 0 到 {MAX_MONEY:,} 的整數（新臺幣元）",
            f"The {name_en} must be a whole NT$ amount from 0 to {MAX_MONEY:,}",
            code="invalid_rules",
        )
    return value


def rules_from_form(
    year: int, *, cap_per_student, budget, exclusions: Sequence[str] | None, ranking: str | None, return_fee=0
) -> YearRules:
    if not 1 <= year <= 999:
        raise Invalid("學年必須是民國年（例如 114）", "The academic year is a ROC year (e.g. 114)", code="invalid_year")
    chosen = list(dict.fromkeys(exclusions or ()))
    unknown = [f for f in chosen if f not in FLAGS]
    if unknown:
        raise Invalid(
            f"不認得的排除條件：{'、'.join(unknown)}（可用 {', '.join(FLAGS)}）",
            f"Unknown exclusion(s): {', '.join(unknown)} (use {', '.join(FLAGS)})",
            code="invalid_rules",
        )
    ranking = ranking or EARLIEST
    if ranking not in RANKINGS:
        raise Invalid(
            f"排序方式須為 {', '.join(RANKINGS)}",
            f"The ranking must be one of {', '.join(RANKINGS)}",
            code="invalid_rules",
        )
    return YearRules(
        year,
        _money(cap_per_student, "每人每學年上限", "cap per student"),
        _money(budget, "年度預算", "budget"),
        tuple(chosen),
        ranking,
        _amount(return_fee or 0, "退匯手續費", "returned-transfer fee"),
    )


def check_flags(flags: Iterable[str]) -> list[str]:
    chosen = list(dict.fromkeys(flags))
    unknown = [f for f in chosen if f not in FLAGS]
    if unknown:
        raise Invalid(
            f"不認得的註記：{'、'.join(unknown)}", f"Unknown flag(s): {', '.join(unknown)}", code="invalid_flags"
        )
    return chosen


def check_not_excluded(rules: YearRules, flags: Iterable[str]) -> None:
    """An application carrying a flag the year excludes gets no reward."""
    hit = [f for f in flags if f in rules.exclusions]
    if hit:
        zh = "、".join(FLAGS[f][0] for f in hit)
        en = "; ".join(FLAGS[f][1].lower() for f in hit)
        raise Conflict(
            f"依 {rules.academic_year} 學年獎勵要點，{zh}的證照不發給獎勵",
            f"Under the reward rules of academic year {rules.academic_year}, certificates {en} get no reward",
            code="excluded_by_rules",
        )


def capped_amount(rules: YearRules, amount: int, already: int) -> int:
    """The amount an application gets under the cap, given what the student already claims this year."""
    if rules.cap_per_student is None or amount <= 0:
        return amount
    remainder = rules.cap_per_student - already
    if remainder <= 0:
        raise Conflict(
            f"您本學年的獎勵金已達每人上限 NT${rules.cap_per_student:,}，無法再申請",
            f"Your rewards this academic year reached the cap of NT${rules.cap_per_student:,} per student",
            code="cap_reached",
        )
    return min(amount, remainder)


@dataclass(frozen=True)
class Claim:
    """One application as the budget sees it."""

    id: uuid.UUID
    seq: int
    student_id: str
    student_name: str
    label: str
    amount: int
    level: int
    committed: bool = False  # already passed the second review or paid: it holds its share of the budget


def ranked(claims: Iterable[Claim], ranking: str) -> list[Claim]:
    keys = {
        EARLIEST: lambda c: (c.seq,),
        HIGHEST_LEVEL: lambda c: (-c.level, c.seq),
        HIGHEST_AMOUNT: lambda c: (-c.amount, c.seq),
    }
    return sorted(claims, key=keys[ranking])


def fits(budget: int | None, committed: int, amount: int) -> bool:
    return budget is None or committed + amount <= budget


def promotable(budget: int | None, committed: int, waiting: Iterable[Claim], ranking: str) -> list[Claim]:
    """Waiting claims that the freed budget now pays, strictly in rank order (nobody skips the queue)."""
    chosen = []
    for claim in ranked(waiting, ranking):
        if not fits(budget, committed, claim.amount):
            break
        committed += claim.amount
        chosen.append(claim)
    return chosen


@dataclass
class Preview:
    total: int = 0
    count: int = 0
    funded_total: int = 0
    over_cap: list[dict] = field(default_factory=list)
    waiting: list[dict] = field(default_factory=list)


def preview(rules: YearRules, claims: Sequence[Claim]) -> Preview:
    """What-if: the year's claims under these rules — capped per student, then the budget in rank order
    (committed claims keep their share; the rest are paid in rank order until the budget ends)."""
    result = Preview()
    per_student: dict[str, int] = {}
    capped: list[Claim] = []
    for claim in sorted(claims, key=lambda c: c.seq):
        already = per_student.get(claim.student_id, 0)
        room = (
            claim.amount
            if rules.cap_per_student is None
            else max(0, min(claim.amount, rules.cap_per_student - already))
        )
        if room < claim.amount:
            result.over_cap.append({**_claim_view(claim), "capped_amount": room})
        per_student[claim.student_id] = already + room
        if room > 0:
            capped.append(Claim(**{**claim.__dict__, "amount": room}))
    committed = sum(c.amount for c in capped if c.committed)
    open_claims = [c for c in capped if not c.committed]
    funded = promotable(rules.budget, committed, open_claims, rules.ranking)
    funded_ids = {c.id for c in funded}
    result.waiting = [
        {**_claim_view(c), "rank": n}
        for n, c in enumerate((c for c in ranked(open_claims, rules.ranking) if c.id not in funded_ids), start=1)
    ]
    result.total = sum(c.amount for c in capped)
    result.count = len(capped)
    result.funded_total = committed + sum(c.amount for c in funded)
    return result


def _claim_view(claim: Claim) -> dict:
    return {
        "application_id": str(claim.id),
        "student_id": claim.student_id,
        "student_name": claim.student_name,
        "label": claim.label,
        "amount": claim.amount,
        "level": claim.level,
    }
