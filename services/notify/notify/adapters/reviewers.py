"""The reviewers notify knows of (review.reviewer_seen.v1), and whom each department's digest goes to."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from .orm import known_reviewer


class ReviewerBook:
    def __init__(self, session: AsyncSession):
        self.session = session

    async def record(
        self, *, reviewer_id: str, name: str, email: str | None, depts: list[str], roles: list[str], seen_at: datetime
    ) -> None:
        """Keep the newest sighting of each person (an older one arriving late changes nothing)."""
        t = known_reviewer
        stmt = insert(t).values(
            reviewer_id=reviewer_id, name=name, email=email, depts=depts, roles=roles, seen_at=seen_at
        )
        new = stmt.excluded
        await self.session.execute(
            stmt.on_conflict_do_update(
                index_elements=[t.c.reviewer_id],
                set_={
                    "name": new.name,
                    "email": new.email,
                    "depts": new.depts,
                    "roles": new.roles,
                    "seen_at": new.seen_at,
                },
                where=t.c.seen_at < new.seen_at,
            )
        )

    async def addresses_by_dept(self, seen_since: datetime) -> dict[str, list[str]]:
        """Email addresses of department reviewers seen since ``seen_since``, per department."""
        t = known_reviewer
        rows = await self.session.execute(
            select(t.c.email, t.c.depts)
            .where(t.c.roles.any("reviewer"), t.c.email.is_not(None), t.c.seen_at >= seen_since)
            .order_by(t.c.reviewer_id)
        )
        found: dict[str, list[str]] = {}
        for email, depts in rows:
            for dept in depts:
                found.setdefault(dept, []).append(email)
        return found

    async def center_addresses(self, seen_since: datetime) -> list[str]:
        """Email addresses of centre staff (role ``center``) seen since ``seen_since``."""
        t = known_reviewer
        rows = await self.session.scalars(
            select(t.c.email)
            .where(t.c.roles.any("center"), t.c.email.is_not(None), t.c.seen_at >= seen_since)
            .order_by(t.c.reviewer_id)
        )
        return list(rows)
