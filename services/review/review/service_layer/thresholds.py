"""Use cases: graduation threshold rule sets (admin), a student's progress, the registrar's export."""

from __future__ import annotations

from certhub_kit.auth import Principal
from certhub_kit.errors import Forbidden, Invalid
from certhub_kit.visibility import RecordKind, ensure_visible

from ..adapters.thresholds import rules_json
from ..domain.graduation import RuleSet, checked_rule_set, cohort_of, evaluate
from .access import require_admin, require_staff
from .unit_of_work import ReviewUnitOfWork

EXPORT_HEADER = ["學號 student_id", "姓名 name", "系所 dept", "入學學年 cohort", "達成 met", "未達成規則 missing"]


def rule_set_item(rule_set: RuleSet) -> dict:
    return {"dept": rule_set.dept, "cohort": rule_set.cohort, "rules": rules_json(rule_set)}


async def put_threshold(uow: ReviewUnitOfWork, who: Principal, rule_set: RuleSet) -> dict:
    require_admin(who)
    await uow.thresholds.put(checked_rule_set(rule_set), who.sub)
    await uow.audit(
        "review.threshold_updated",
        actor_id=who.sub,
        subject=f"{rule_set.dept}/{rule_set.cohort}",
        details={"rules": rules_json(rule_set)},
    )
    return rule_set_item(rule_set)


async def list_thresholds(uow: ReviewUnitOfWork, who: Principal, dept: str | None) -> dict:
    require_staff(who)
    return {"thresholds": [rule_set_item(r) for r in await uow.thresholds.all(dept)]}


GRADUATION_THRESHOLD = RecordKind(
    "這位學生的畢業門檻",
    "Graduation threshold",
    "這位學生不屬於您負責的系所",
    "This student belongs to a department you do not review",
)


async def student_progress(uow: ReviewUnitOfWork, who: Principal, student_id: str) -> dict:
    """``{"student_id", "dept", "cohort", "met", "rules": [{"rule", "met", "counted", "missing", …}]}``;
    ``met`` is false and ``rules`` empty when no rule set applies (``threshold`` null)."""
    known = await uow.thresholds.student_dept(student_id)
    dept = known[0] if known else (who.dept if who.is_student and who.sub == student_id else None)
    ensure_visible(who, owner=student_id, dept=dept, kind=GRADUATION_THRESHOLD)
    cohort = cohort_of(student_id)
    rule_set = await uow.thresholds.applicable(dept, cohort) if dept and cohort is not None else None
    passed = (await uow.thresholds.passed([student_id]))[student_id]
    if rule_set is None:
        return {"student_id": student_id, "dept": dept, "cohort": cohort, "threshold": None, "met": False, "rules": []}
    met, progress = evaluate(rule_set, passed)
    return {
        "student_id": student_id,
        "dept": dept,
        "cohort": cohort,
        "threshold": {"dept": rule_set.dept, "cohort": rule_set.cohort},
        "met": met,
        "rules": [p.as_dict() for p in progress],
    }


async def export_rows(uow: ReviewUnitOfWork, who: Principal, dept: str, cohort: int | None) -> list[list]:
    """One row per student of the department (of the cohort, if given) with the rule set's verdict."""
    if not (who.is_center or who.has("registrar")):
        raise Forbidden(
            "只有職輔組、教務處與管理者可以匯出畢業門檻",
            "Only the centre, the registrar and admins may export graduation thresholds",
            code="forbidden_role",
        )
    if not dept:
        raise Invalid("請指定系所", "Give the department (dept)", code="dept_required")
    students = [(s, n) for s, n in await uow.thresholds.students(dept) if cohort is None or cohort_of(s) == cohort]
    passed = await uow.thresholds.passed([s for s, _ in students]) if students else {}
    rows = []
    for student_id, name in students:
        own = cohort_of(student_id)
        rule_set = await uow.thresholds.applicable(dept, own) if own is not None else None
        if rule_set is None:
            rows.append([student_id, name, dept, own, "無門檻 none", ""])
            continue
        met, progress = evaluate(rule_set, passed[student_id])
        rows.append(
            [student_id, name, dept, own, "Y" if met else "N", "；".join(p.rule.name for p in progress if not p.met)]
        )
    return rows
