"""Unit of work: one transaction, committed at the boundary, with its outbox and audit."""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable
from typing import Any, Self

from sqlalchemy import Table, bindparam, insert
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
    instead of one per row (a bulk transaction's many rows: one insert per 1,000). Nothing in a
    transaction reads its own outbox or audit rows.
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

    async def __aenter__(self) -> Self:
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
        if not events and not audits:
            return
        if len(events) + len(audits) > SHAPED_ROWS:  # a bulk transaction: plain multi-row inserts, in chunks
            for table, rows in ((self._outbox, events), (self._audit, audits)):
                for start in range(0, len(rows), CHUNK_ROWS):
                    await self.session.execute(insert(table).values(rows[start : start + CHUNK_ROWS]))
            return
        params = {f"e{i}_{k}": v for i, row in enumerate(events) for k, v in row.items()}
        params.update({f"a{i}_{k}": v for i, row in enumerate(audits) for k, v in row.items()})
        await self.session.execute(_written_statement(self._outbox, self._audit, len(events), len(audits)), params)


SHAPED_ROWS = 16  # up to this many rows a transaction's insert is one statement built once per shape
CHUNK_ROWS = 1000  # beyond, rows per statement (PostgreSQL takes at most 32,767 parameters)
OUTBOX_COLUMNS = ("event_id", "type", "envelope")
AUDIT_COLUMNS = ("action", "actor_id", "subject", "from_state", "to_state", "reason", "details", "correlation_id")
_WRITTEN: dict[tuple[Table, Table, int, int], Any] = {}


def _written_statement(outbox: Table, audit: Table, events: int, audits: int) -> Any:
    """The insert of ``events`` outbox rows and ``audits`` audit rows, built once per shape (parameters
    ``e{i}_{column}``, ``a{i}_{column}``): building a statement costs more CPU than running it."""
    key = (outbox, audit, events, audits)
    statement = _WRITTEN.get(key)
    if statement is None:

        def rows(table: Table, prefix: str, count: int, columns: tuple[str, ...]) -> Any:
            shaped = [{c: bindparam(f"{prefix}{i}_{c}", type_=table.c[c].type) for c in columns} for i in range(count)]
            # one row as a plain VALUES dict: SQLAlchemy caches that statement's compiled form (a
            # multi-row VALUES list it compiles again each time)
            return shaped[0] if count == 1 else shaped

        audited = insert(audit).values(rows(audit, "a", audits, AUDIT_COLUMNS)) if audits else None
        if events:
            statement = insert(outbox).values(rows(outbox, "e", events, OUTBOX_COLUMNS))
            if audited is not None:
                statement = statement.add_cte(audited.cte("audited"))
        else:
            statement = audited
        _WRITTEN[key] = statement
    return statement


async def _run(hooks: list[Hook]) -> None:
    for hook in hooks:
        result = hook()
        if inspect.isawaitable(result):
            await result
