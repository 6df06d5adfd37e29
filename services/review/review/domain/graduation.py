"""Graduation thresholds (畢業門檻): per department and entry cohort (入學學年), a rule set the admin keeps.

A rule set is a list of rules that must all be met; a rule is met when any one of its alternatives is;
an alternative asks for ``count`` distinct passed certificates that match all of its conditions
(category, catalog entries, IT certificate, CEFR at least). Each certificate counts once per rule set,
for the first rule that can use it. How the cohort is read from the student number:
services/review/README.md, "Graduation thresholds".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from certhub_kit.errors import Invalid

CEFR_ORDER = ("A1", "A2", "B1", "B2", "C1", "C2")
_DIGITS = re.compile(r"^[A-Za-z]*(\d+)")


def cohort_of(student_id: str) -> int | None:
    """入學學年 from a student number: the digits after any leading letters, their first three when they
    start with 0 or 1 (s1100001 → 110, B1120034 → 112, s0990001 → 99), else their first two (9912345 → 99)."""
    match = _DIGITS.match(student_id or "")
    if not match or len(match.group(1)) < 5:
        return None
    digits = match.group(1)
    return int(digits[:3]) if digits[0] in "01" else int(digits[:2])


@dataclass(frozen=True)
class Alternative:
    count: int = 1
    category: int | None = None
    entries: tuple[str, ...] = ()
    it_certificate: bool | None = None
    min_cefr: str | None = None

    def accepts(self, cert: PassedCertificate) -> bool:
        if self.category is not None and cert.category != self.category:
            return False
        if self.entries and cert.entry_key not in self.entries:
            return False
        if self.it_certificate is not None and cert.it_certificate != self.it_certificate:
            return False
        if self.min_cefr is not None:
            return cert.cefr in CEFR_ORDER and CEFR_ORDER.index(cert.cefr) >= CEFR_ORDER.index(self.min_cefr)
        return True


@dataclass(frozen=True)
class Rule:
    name: str
    name_en: str
    any_of: tuple[Alternative, ...]


@dataclass(frozen=True)
class RuleSet:
    dept: str
    cohort: int
    rules: tuple[Rule, ...]


@dataclass(frozen=True)
class PassedCertificate:
    certificate_id: str
    entry_key: str
    category: int
    it_certificate: bool
    cefr: str | None
    issued_on: object = None


@dataclass
class RuleProgress:
    rule: Rule
    met: bool
    counted: list[str] = field(default_factory=list)
    missing: int = 0

    def as_dict(self) -> dict:
        return {
            "rule": self.rule.name,
            "rule_en": self.rule.name_en,
            "met": self.met,
            "counted": self.counted,
            "missing": self.missing,
            "missing_text": missing_text(self, "zh"),
            "missing_text_en": missing_text(self, "en"),
        }


def checked_rule_set(rule_set: RuleSet) -> RuleSet:
    """422 for an empty rule set, a rule without alternatives or an alternative asking for nothing sensible."""
    if not rule_set.rules:
        raise Invalid("門檻至少需有一條規則", "A threshold needs at least one rule", code="no_rules")
    for rule in rule_set.rules:
        if not rule.any_of:
            raise Invalid(
                f"規則「{rule.name}」至少需有一種達成方式",
                f"The rule {rule.name_en!r} needs an alternative",
                code="no_alternatives",
            )
        for alt in rule.any_of:
            if alt.min_cefr is not None and alt.min_cefr not in CEFR_ORDER:
                raise Invalid(
                    f"CEFR 等級「{alt.min_cefr}」不存在（A1–C2）",
                    f"Unknown CEFR level {alt.min_cefr!r} (A1–C2)",
                    code="bad_cefr",
                )
    return rule_set


def evaluate(rule_set: RuleSet, passed: list[PassedCertificate]) -> tuple[bool, list[RuleProgress]]:
    """Whether the student met the whole set, and each rule's progress (certificates counted, still missing)."""
    used: set[str] = set()
    progress = [_evaluate_rule(rule, passed, used) for rule in rule_set.rules]
    return all(p.met for p in progress), progress


def _evaluate_rule(rule: Rule, passed: list[PassedCertificate], used: set[str]) -> RuleProgress:
    best: RuleProgress | None = None
    for alt in rule.any_of:
        fitting = [c.certificate_id for c in passed if c.certificate_id not in used and alt.accepts(c)][: alt.count]
        attempt = RuleProgress(rule, len(fitting) >= alt.count, fitting, max(0, alt.count - len(fitting)))
        if best is None or attempt.missing < best.missing:
            best = attempt
        if attempt.met:
            break
    assert best is not None
    if best.met:
        used.update(best.counted)
    return best


def missing_text(progress: RuleProgress, lang: str) -> str:
    if progress.met:
        return "已達成" if lang == "zh" else "Met"
    if lang == "zh":
        return f"尚缺 {progress.missing} 張：{progress.rule.name}"
    return f"{progress.missing} more certificate(s) needed: {progress.rule.name_en}"
