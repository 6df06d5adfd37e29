"""Who of the staff has used the review API (one row per person, the latest of what their token said)."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import or_
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from .orm import reviewers_seen


class ReviewerRepository:
    def __init__(self, session: AsyncSession):
        self.session = session

    async def record(
        self,
        *,
        reviewer_id: str,
        name: str,
        email: str | None,
        depts: list[str],
        roles: list[str],
        at: datetime,
        refresh: timedelta,
    ) -> bool:
        """Insert or update the row; True when it changed: someone new, what the token says changed,
        or the row is older than ``refresh``. Concurrent requests of one person change it once."""
        t = reviewers_seen
        stmt = insert(t).values(reviewer_id=reviewer_id, name=name, email=email, depts=depts, roles=roles, seen_at=at)
        new = stmt.excluded
        upsert = stmt.on_conflict_do_update(
            index_elements=[t.c.reviewer_id],
            set_={"name": new.name, "email": new.email, "depts": new.depts, "roles": new.roles, "seen_at": new.seen_at},
            where=or_(
                t.c.name != new.name,
                t.c.email.is_distinct_from(new.email),
                t.c.depts != new.depts,
                t.c.roles != new.roles,
                t.c.seen_at < new.seen_at - refresh,
            ),
        ).returning(t.c.reviewer_id)
        return (await self.session.execute(upsert)).first() is not None
