"""The MOE 技專校院校務基本資料庫 certificate report: terms, the KSU columns, counts by national code.

A certificate belongs to the term in which the student applied (its ``submitted_at``, Asia/Taipei):
學年 N runs from August 1 of N + 1911 to July 31; 學期 1 is August–January, 學期 2 February–July.
Columns and their meaning: docs/moe-report.md.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

TAIPEI = ZoneInfo("Asia/Taipei")
ROC_OFFSET = 1911
REPORTED_STATUSES = ("approved", "recorded", "credit_pending")

COLUMNS = [
    "申請年度",
    "學期",
    "系所",
    "班級",
    "學制",
    "技專代號",
    "證照名稱",
    "認證日期",
    "國內外",
    "證照類別",
    "級別",
    "發照單位",
]
COUNT_COLUMNS = ["技專代號", "證照名稱", "發照單位", "張數"]

DIVISIONS = {"day": "日間部", "night": "進修部", "in-service": "在職專班"}
PROGRAMS = {"associate": "二技／專科", "bachelor": "學士班", "master": "碩士班", "phd": "博士班"}
DEMO_DEPARTMENTS = {
    "IM": ["資訊管理學系", "Department of Information Management"],
    "EE": ["電機工程學系", "Department of Electrical Engineering"],
}


@dataclass(frozen=True)
class Term:
    """學年 ``year`` and, if given, 學期 ``semester`` (1 or 2); ``semester=None`` is the whole year."""

    year: int
    semester: int | None = None

    def bounds(self) -> tuple[datetime, datetime]:
        """[start, end) as aware Taipei datetimes."""
        first = date(self.year + ROC_OFFSET, 8, 1)
        middle = date(self.year + ROC_OFFSET + 1, 2, 1)
        last = date(self.year + ROC_OFFSET + 1, 8, 1)
        start, end = {None: (first, last), 1: (first, middle), 2: (middle, last)}[self.semester]
        return _midnight(start), _midnight(end)


def _midnight(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=TAIPEI)


def term_of(moment: datetime) -> tuple[int, int]:
    """(學年, 學期) of an aware moment, read in Asia/Taipei."""
    day = moment.astimezone(TAIPEI).date()
    year = day.year - ROC_OFFSET if day.month >= 8 else day.year - ROC_OFFSET - 1
    semester = 1 if day.month >= 8 or day.month == 1 else 2
    return year, semester


def roc_date(day: date) -> str:
    """113/03/01 for 2024-03-01, as the MOE forms write dates."""
    return f"{day.year - ROC_OFFSET:03d}/{day.month:02d}/{day.day:02d}"


def words(table: dict[str, str], code: str | None) -> str:
    """The word for a code where one is known, else the code as given (empty for none)."""
    return table.get(code or "", code or "")


def programme(division: str | None, program: str | None) -> str:
    """學制 in words: 日間部學士班, 進修部二技／專科 …"""
    return words(DIVISIONS, division) + words(PROGRAMS, program)


def report_row(cert: dict, departments: dict[str, list[str]]) -> list:
    """One KSU row of a certificate joined with its catalog entry, level and category."""
    year, semester = term_of(cert["submitted_at"] or cert["created_at"])
    dept_words = departments.get(cert["dept"] or "", [cert["dept"] or ""])[0]
    return [
        year,
        semester,
        dept_words,
        cert["klass"] or "",
        programme(cert["division"], cert["program"]),
        cert["national_code"] or "",
        cert["entry_name"],
        roc_date(cert["issued_on"]),
        "國外" if cert["foreign"] else "國內",
        cert["category_name"] or "",
        cert["level_name"] or "",
        cert["entry_issuer"],
    ]


def split_by_code(certs: list[dict]) -> tuple[list[dict], list[dict]]:
    """(with a national code, without one): the second list is for the centre to fix the catalog first."""
    coded = [c for c in certs if c["national_code"]]
    return coded, [c for c in certs if not c["national_code"]]


def counts_by_code(certs: list[dict]) -> list[dict]:
    """``{national_code, name, issuer, count}`` per code, most certificates first, then by code."""
    tally = Counter(c["national_code"] for c in certs if c["national_code"])
    first: dict[str, dict] = {}
    for cert in certs:
        first.setdefault(cert["national_code"], cert)
    return [
        {"national_code": code, "name": first[code]["entry_name"], "issuer": first[code]["entry_issuer"], "count": n}
        for code, n in sorted(tally.items(), key=lambda item: (-item[1], item[0]))
    ]
