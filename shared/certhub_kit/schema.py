"""Is the service's database at the schema its code expects? (``/readyz`` asks.)

The heads of a service's migration scripts are read from the files themselves (``revision`` and
``down_revision`` of each ``versions/*.py``), without importing Alembic: a service that does not
migrate itself (``CERTHUB_MIGRATE_ON_START=false``) never loads it. The database's revision is the
row of the service's own version table, ``alembic_version_<service>`` (certhub_kit.migrate).
"""

from __future__ import annotations

import ast
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from .db import Database


def version_table(service: str) -> str:
    return f"alembic_version_{service}"


def script_heads(migrations: Path) -> frozenset[str]:
    """Revisions of ``migrations/versions`` that no other revision builds on."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in (migrations / "versions").glob("*.py"):
        found = _assignments(path)
        revision, down = found.get("revision"), found.get("down_revision")
        if isinstance(revision, str):
            revisions.add(revision)
            downs = down if isinstance(down, list | tuple) else [down]
            parents.update(d for d in downs if isinstance(d, str))
    return frozenset(revisions - parents)


def _assignments(path: Path) -> dict[str, object]:
    values: dict[str, object] = {}
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        target: ast.expr
        if isinstance(node, ast.AnnAssign):
            target, value = node.target, node.value
        elif isinstance(node, ast.Assign) and len(node.targets) == 1:
            target, value = node.targets[0], node.value
        else:
            continue
        if isinstance(target, ast.Name) and target.id in ("revision", "down_revision") and value is not None:
            try:
                values[target.id] = ast.literal_eval(value)
            except ValueError:
                pass
    return values


class SchemaCheck:
    """``True`` once the database holds exactly the scripts' heads; remembered from then on."""

    def __init__(self, db: Database, migrations: Path, service: str):
        self.db = db
        self.heads = script_heads(migrations)
        self.table = version_table(service)
        self.at_head = False

    async def __call__(self) -> bool:
        if not self.at_head:
            self.at_head = bool(self.heads) and await self.current() == self.heads
        return self.at_head

    async def current(self) -> frozenset[str]:
        """The database's revisions (empty when it was never migrated)."""
        async with self.db.engine.connect() as conn:
            exists = await conn.scalar(text("SELECT to_regclass(:t) IS NOT NULL"), {"t": self.table})
            if not exists:
                return frozenset()
            try:
                rows = await conn.execute(text(f'SELECT version_num FROM "{self.table}"'))
            except DBAPIError:
                return frozenset()
            return frozenset(row[0] for row in rows)
