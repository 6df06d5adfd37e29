"""The transaction boundary: hooks follow the outcome, deadlock victims are retried, bulk items stand alone."""

from __future__ import annotations

import pytest
from sqlalchemy.exc import DBAPIError

from certhub_kit.errors import Conflict
from certhub_kit.transactions import each_in_own_transaction, in_transaction
from certhub_kit.uow import UnitOfWork


class FakeSession:
    def __init__(self, log: list[str], fail_commit: BaseException | None = None):
        self.log, self.fail_commit, self.open = log, fail_commit, False

    async def begin(self):
        self.open = True

    def in_transaction(self):
        return self.open

    async def commit(self):
        if self.fail_commit is not None:
            raise self.fail_commit
        self.open = False
        self.log.append("commit")

    async def rollback(self):
        self.open = False
        self.log.append("rollback")

    async def close(self):
        self.log.append("close")


class Deadlock(Exception):
    sqlstate = "40P01"


def factory(log: list[str], failures: list[BaseException | None] | None = None):
    failures = list(failures or [])

    def sessions():
        return FakeSession(log, failures.pop(0) if failures else None)

    return lambda: UnitOfWork(sessions, source="test", outbox=None, audit=None)


async def test_after_commit_runs_only_once_committed_and_on_rollback_only_when_not():
    log: list[str] = []

    async def stored_object_removed():
        log.append("removed")

    async def work(uow):
        uow.after_commit(lambda: log.append("woken"))
        uow.after_commit(lambda: log.append("woken"))  # a different lambda: registered twice
        uow.on_rollback(stored_object_removed)
        return "done"

    assert await in_transaction(factory(log), work) == "done"
    assert log == ["commit", "woken", "woken", "close"]

    log.clear()

    async def refused(uow):
        uow.on_rollback(stored_object_removed)
        uow.after_commit(lambda: log.append("woken"))
        raise Conflict("不行", "No", code="no")

    with pytest.raises(Conflict):
        await in_transaction(factory(log), refused)
    assert log == ["rollback", "close", "removed"]


async def test_a_failed_commit_runs_the_rollback_hooks():
    log: list[str] = []

    async def work(uow):
        uow.on_rollback(lambda: log.append("removed"))

    with pytest.raises(RuntimeError):
        await in_transaction(factory(log, [RuntimeError("connection lost")]), work)
    assert log[-1] == "removed"


async def test_a_deadlock_victim_is_retried_in_a_fresh_transaction():
    log: list[str] = []
    deadlock = DBAPIError("UPDATE", {}, Deadlock())
    calls = []

    async def work(uow):
        calls.append(uow)
        uow.on_rollback(lambda: log.append("removed"))
        return len(calls)

    assert await in_transaction(factory(log, [deadlock]), work) == 2
    assert calls[0] is not calls[1] and log.count("removed") == 1 and log.count("commit") == 1


async def test_each_item_in_its_own_transaction():
    log: list[str] = []

    async def work(uow, item):
        if item == "bad":
            raise Conflict("不行", "No", code="no")
        if item == "crash":
            raise ValueError("bug")
        return item.upper()

    outcomes = await each_in_own_transaction(factory(log), ["a", "bad", "crash", "b"], work, report_crashes=True)
    assert [(o.item, o.ok, o.result) for o in outcomes] == [
        ("a", True, "A"),
        ("bad", False, None),
        ("crash", False, None),
        ("b", True, "B"),
    ]
    assert outcomes[1].error.code == "no" and outcomes[2].crashed
    assert log.count("commit") == 2

    with pytest.raises(ValueError):
        await each_in_own_transaction(factory(log), ["crash"], work)
