"""Graduation threshold rule sets and the passed certificates they are judged on."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from ..domain.graduation import Alternative, PassedCertificate, Rule, RuleSet
from ..domain.statuses import PASSING
from .orm import graduation_thresholds as G
from .orm import review_items as I


def rules_json(rule_set: RuleSet) -> list[dict]:
    return [
        {
            "name": r.name,
            "name_en": r.name_en,
            "any_of": [
                {
                    "count": a.count,
                    "category": a.category,
                    "entries": list(a.entries),
                    "it_certificate": a.it_certificate,
                    "min_cefr": a.min_cefr,
                }
                for a in r.any_of
            ],
        }
        for r in rule_set.rules
    ]


def rule_set_of(dept: str, cohort: int, rules: list[dict]) -> RuleSet:
    return RuleSet(
        dept,
        cohort,
        tuple(
            Rule(
                r["name"],
                r["name_en"],
                tuple(
                    Alternative(
                        count=a["count"],
                        category=a["category"],
                        entries=tuple(a["entries"]),
                        it_certificate=a["it_certificate"],
                        min_cefr=a["min_cefr"],
                    )
                    for a in r["any_of"]
                ),
            )
            for r in rules
        ),
    )


class ThresholdRepository:
    def __init__(self, session: AsyncSession):
        self.session = session

    async def put(self, rule_set: RuleSet, by: str) -> None:
        stmt = insert(G).values(dept=rule_set.dept, cohort=rule_set.cohort, rules=rules_json(rule_set), updated_by=by)
        await self.session.execute(
            stmt.on_conflict_do_update(
                index_elements=[G.c.dept, G.c.cohort],
                set_={"rules": stmt.excluded.rules, "updated_by": by, "updated_at": func.now()},
            )
        )

    async def applicable(self, dept: str, cohort: int) -> RuleSet | None:
        """The rule set of the cohort, else of the latest earlier cohort of the department."""
        row = (
            await self.session.execute(
                select(G).where(G.c.dept == dept, G.c.cohort <= cohort).order_by(G.c.cohort.desc()).limit(1)
            )
        ).first()
        return rule_set_of(row.dept, row.cohort, row.rules) if row else None

    async def all(self, dept: str | None = None) -> list[RuleSet]:
        query = select(G).order_by(G.c.dept, G.c.cohort)
        if dept:
            query = query.where(G.c.dept == dept)
        return [rule_set_of(r.dept, r.cohort, r.rules) for r in await self.session.execute(query)]

    async def student_dept(self, student_id: str) -> tuple[str | None, str | None] | None:
        """(dept, name) from the student's latest certificate here; None if review knows none of theirs."""
        row = (
            await self.session.execute(
                select(I.c.dept, I.c.student_name)
                .where(I.c.student_id == student_id)
                .order_by(I.c.registered_at.desc())
                .limit(1)
            )
        ).first()
        return (row.dept, row.student_name) if row else None

    async def passed(self, student_ids: list[str]) -> dict[str, list[PassedCertificate]]:
        """Each student's passed certificates, oldest issue first (they are counted in that order)."""
        rows = await self.session.execute(
            select(
                I.c.student_id,
                I.c.certificate_id,
                I.c.entry_key,
                I.c.category,
                I.c.it_certificate,
                I.c.cefr,
                I.c.issued_on,
            )
            .where(I.c.student_id.in_(student_ids), I.c.status.in_(PASSING))
            .order_by(I.c.student_id, I.c.issued_on, I.c.certificate_id)
        )
        out: dict[str, list[PassedCertificate]] = {s: [] for s in student_ids}
        for r in rows:
            out[r.student_id].append(
                PassedCertificate(str(r.certificate_id), r.entry_key, r.category, r.it_certificate, r.cefr, r.issued_on)
            )
        return out

    async def students(self, dept: str) -> list[tuple[str, str]]:
        """(student number, name) of every student of the department review knows of."""
        rows = await self.session.execute(
            select(I.c.student_id, func.max(I.c.student_name))
            .where(I.c.dept == dept)
            .group_by(I.c.student_id)
            .order_by(I.c.student_id)
        )
        return [(r[0], r[1]) for r in rows]
