"""Set-based handlers must leave what one-event-at-a-time handling leaves.

``both_ways`` feeds the same deliveries (duplicates, versions out of order, other types
interleaved) to two fresh instances of a service: one event per transaction on one, batches
through ``Inbox.process_batch`` on the other; the caller compares what each stored.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from sqlalchemy import MetaData, select

from certhub_kit.events import Envelope
from certhub_kit.inbox import Inbox, with_deps

from .apps import running

# set by now(), so they differ between two runs of the same events
CLOCK_COLUMNS = {
    "at",
    "created_at",
    "deleted_at",
    "sent_at",
    "updated_at",
    "decided_at",
    "occurred_at",
    "recorded_at",
    "available_at",
    "processed_at",
    "published_at",
    "claimed_at",
    "stage_since",
}


def inbox_of(app) -> Inbox:
    runtime = app.state.runtime
    return Inbox(
        runtime.service,
        runtime.uow,
        runtime.inbox_table,
        with_deps(runtime.spec.handlers, getattr(runtime, "deps", None)),
    )


async def both_ways(
    make_app: Callable[[str], Any],
    deliveries: Sequence[Envelope],
    dump: Callable[[Any], Awaitable[Any]],
    *,
    batch: int = 40,
    prepare: Callable[[Any], Awaitable[None]] | None = None,
) -> tuple[Any, Any]:
    """(what one-by-one left, what batches left) — ``dump(app)`` reads it; ``prepare(app)`` runs
    on each fresh instance first."""
    one_app, set_app = make_app("one"), make_app("set")
    async with running(one_app), running(set_app):
        for app in (one_app, set_app) if prepare else ():
            await prepare(app)
        one, many = inbox_of(one_app), inbox_of(set_app)
        for envelope in deliveries:
            await one.process(envelope)
        for start in range(0, len(deliveries), batch):
            await many.process_batch(deliveries[start : start + batch])
        return await dump(one_app), await dump(set_app)


async def table_rows(
    app, metadata: MetaData, names: Sequence[str], *, ignore: set[str] = frozenset(), key: Callable[[dict], Any] = repr
) -> dict[str, list[dict]]:
    """Every row of these tables without clock columns (and ``ignore``), sorted by ``key``."""
    out: dict[str, list[dict]] = {}
    async with app.state.runtime.db.sessions() as session:
        for name in names:
            table = metadata.tables[name]
            columns = [c for c in table.c if c.name not in CLOCK_COLUMNS | set(ignore)]
            rows = [dict(r) for r in (await session.execute(select(*columns))).mappings()]
            out[name] = sorted(rows, key=key)
    return out


def differences(one: dict[str, list], other: dict[str, list]) -> list[str]:
    """What differs, table by table and field by field (empty when both are the same)."""
    out = []
    for name in sorted(set(one) | set(other)):
        a, b = one.get(name, []), other.get(name, [])
        if len(a) != len(b):
            out.append(f"{name}: {len(a)} rows != {len(b)} rows")
        for i, (x, y) in enumerate(zip(a, b, strict=False)):
            if x == y:
                continue
            fields = sorted(k for k in set(x) | set(y) if x.get(k) != y.get(k)) if isinstance(x, dict) else ["row"]
            out.append(f"{name}[{i}]: " + "; ".join(f"{k}: {_get(x, k)!r} != {_get(y, k)!r}" for k in fields))
    return out


def _get(row: Any, key: str) -> Any:
    return row.get(key) if isinstance(row, dict) else row


async def kit_rows(app, metadata: MetaData) -> dict[str, list]:
    """The events a service emitted (type and subject) and its audit trail, without ids and clocks."""
    rows = await table_rows(app, metadata, ["outbox", "audit_log"], ignore={"seq", "event_id", "correlation_id"})
    return {
        "outbox": sorted((r["type"], r["envelope"]["subject"]) for r in rows["outbox"]),
        "audit_log": rows["audit_log"],
    }


def at(day: int, hour: int = 9) -> dt.datetime:
    return dt.datetime(2026, 3, day, hour, tzinfo=dt.UTC)
