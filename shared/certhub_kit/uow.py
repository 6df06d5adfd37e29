"""Unit of work: one transaction, committed at the boundary, with its outbox and audit."""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable
from typing import Any

from sqlalchemy import Table, insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from .context import current_correlation_id
from .events import Envelope, EventData

Hook = Callable[[], Awaitable[None] | None]


class UnitOfWork:
    """``async with uow: ... await uow.commit()``; anything not committed is rolled back.

    Use cases never commit: the boundary does (``Runtime.transaction``, the routers' ``UowDep``, the
    inbox, ``Runtime.each_in_own_transaction``). ``emit`` writes the event into the outbox table inside
    the same transaction as the state change; after commit the relay is nudged so it publishes promptly.
    ``after_commit`` / ``on_rollback`` register work outside the database (wake a loop, remove a stored
    object) that must follow the transaction's outcome.

    The outbox and audit rows of a transaction are held until ``commit`` and written then, all of them
    in one statement (the audit insert in a CTE of the outbox insert): one round trip per transaction
    instead of one per row. Nothing in a transaction reads its own outbox or audit rows.
    """

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        *,
        source: str,
        outbox: Table,
        audit: Table,
        on_commit: Callable[[], None] | None = None,
    ):
        self._sessions = sessions
        self.source = source
        self._outbox = outbox
        self._audit = audit
        self._on_commit = on_commit
        self.session: AsyncSession
        self._emitted = 0
        self.emitted: list[Envelope] = []

    async def __aenter__(self) -> UnitOfWork:
        self.session = self._sessions()
        await self.session.begin()
        self._emitted = 0
        self.emitted = []
        self._outbox_rows: list[dict] = []
        self._audit_rows: list[dict] = []
        self._after_commit: list[Hook] = []
        self._on_rollback: list[Hook] = []
        self._init_repositories()
        return self

    def _init_repositories(self) -> None:
        """Services override to build their repositories on ``self.session``."""

    async def __aexit__(self, *exc: Any) -> None:
        try:
            if self.session.in_transaction():
                await self.session.rollback()
        finally:
            try:
                await self.session.close()
            finally:
                hooks, self._on_rollback = self._on_rollback, []
                await _run(hooks)

    def after_commit(self, hook: Hook) -> None:
        """Run ``hook`` (sync or async) once this transaction has committed; registered once."""
        if hook not in self._after_commit:
            self._after_commit.append(hook)

    def on_rollback(self, hook: Hook) -> None:
        """Run ``hook`` (sync or async) if this transaction ends without committing."""
        if hook not in self._on_rollback:
            self._on_rollback.append(hook)

    async def commit(self) -> None:
        await self._write_outbox_and_audit()
        await self.session.commit()
        self._on_rollback = []
        if self._emitted and self._on_commit:
            self._on_commit()
        hooks, self._after_commit = self._after_commit, []
        await _run(hooks)

    async def rollback(self) -> None:
        await self.session.rollback()

    async def emit(self, data: EventData, *, subject: str | None = None) -> Envelope:
        envelope = Envelope.wrap(data, source=self.source, subject=subject, correlation_id=current_correlation_id())
        self._outbox_rows.append(
            dict(event_id=envelope.id, type=envelope.type, envelope=envelope.model_dump(mode="json"))
        )
        self._emitted += 1
        self.emitted.append(envelope)
        return envelope

    async def audit(
        self,
        action: str,
        *,
        actor_id: str | None,
        subject: str | None = None,
        from_state: str | None = None,
        to_state: str | None = None,
        reason: str | None = None,
        details: dict | None = None,
    ) -> None:
        self._audit_rows.append(
            dict(
                action=action,
                actor_id=actor_id,
                subject=subject,
                from_state=from_state,
                to_state=to_state,
                reason=reason,
                details=details,
                correlation_id=current_correlation_id(),
            )
        )

    async def _write_outbox_and_audit(self) -> None:
        """The held outbox and audit rows in one statement, in the order they were added."""
        events, audits = self._outbox_rows, self._audit_rows
        self._outbox_rows, self._audit_rows = [], []
        if events and audits:
            statement = insert(self._outbox).values(events).add_cte(insert(self._audit).values(audits).cte("audited"))
        elif events:
            statement = insert(self._outbox).values(events)
        elif audits:
            statement = insert(self._audit).values(audits)
        else:
            return
        await self.session.execute(statement)


async def _run(hooks: list[Hook]) -> None:
    for hook in hooks:
        result = hook()
        if inspect.isawaitable(result):
            await result
