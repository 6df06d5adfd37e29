"""The column lists and set-based statements the review item repository runs (built once, at import)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    Integer,
    String,
    Text,
    and_,
    bindparam,
    case,
    cast,
    func,
    literal,
    null,
    or_,
    select,
    true,
    union_all,
    update,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.dialects.postgresql import insert as pg_insert

from .orm import deleted_certificates
from .orm import review_items as items

SNAPSHOT_COLUMNS = (
    "certificate_id",
    "version",
    "student_id",
    "student_name",
    "student_email",
    "dept",
    "division",
    "program",
    "class_",
    "entry_id",
    "entry_key",
    "entry_name",
    "category",
    "it_certificate",
    "bundle",
    "national_code",
    "level_name",
    "issued_on",
    "certificate_no",
    "scan_phash",
    "status",
    "registered_at",
    "submitted_at",
    "queued_at",
    "content_version",
    "cefr",
    "stage_since",
    "entry_name_en",
    "level_name_en",
)
ITEM_FIELDS = (
    "certificate_id",
    "version",
    "student_id",
    "student_name",
    "dept",
    "entry_key",
    "entry_name",
    "category",
    "issued_on",
    "status",
    "registered_at",
    "submitted_at",
    "it_certificate",
    "bundle",
    "level_name",
    "certificate_no",
    "scan_phash",
    "original_checked_at",
    "awaiting_status",
    "track",
    "checklist",
    "flags",
    "content_version",
)


RETURNED = [name for name in ITEM_FIELDS if name not in ("checklist", "flags")]  # evaluation writes those anew


def _held_statement():
    """The item row (locked until commit) and whether a tombstone exists, in one statement:
    one row always, the item's columns NULL when there is none."""
    held_id = bindparam("held_id", type_=items.c.certificate_id.type)
    locked = select(items).where(items.c.certificate_id == held_id).with_for_update().cte("held")
    gone = (
        select(deleted_certificates.c.certificate_id).where(deleted_certificates.c.certificate_id == held_id).exists()
    )
    one = select(literal(1).label("one")).subquery("one")
    return select(gone.label("gone"), *locked.c).select_from(one.outerjoin(locked, true()))


def _arrays(names: tuple[str, ...], prefix: str = "new_") -> list:
    """``unnest(:new_<name>)`` per column: rows from one array parameter per column."""
    return [func.unnest(bindparam(f"{prefix}{name}", type_=ARRAY(items.c[name].type))).label(name) for name in names]


def _upsert_statement():
    """Insert, or update an older version; returns the stored rows (none where ours is as new).
    The rows come as one array per column, so any number of snapshots is one statement."""
    names = SNAPSHOT_COLUMNS
    stmt = pg_insert(items).from_select(list(names), select(*_arrays(names)))
    changes: dict[str, Any] = {name: stmt.excluded[name] for name in names if name != "certificate_id"}
    # a decision awaiting its echo is answered once the status moves (or arrives at what was decided),
    # or void once what was verified changed (certificates skips a decision on an older content version)
    answered = and_(
        items.c.awaiting_status.is_not(None),
        or_(
            stmt.excluded.status != items.c.status,
            stmt.excluded.status == items.c.awaiting_status,
            stmt.excluded.content_version > items.c.content_version,
        ),
    )
    changes["awaiting_status"] = case((answered, null()), else_=items.c.awaiting_status)
    # the SLA clock restarts when the item moves to another status or what was verified changes
    new_stage = or_(stmt.excluded.status != items.c.status, stmt.excluded.content_version > items.c.content_version)
    changes["stage_since"] = case((new_stage, func.now()), else_=items.c.stage_since)
    return stmt.on_conflict_do_update(
        index_elements=[items.c.certificate_id],
        set_={**changes, "updated_at": func.now()},
        where=items.c.version < stmt.excluded.version,
    ).returning(*[items.c[name] for name in RETURNED])


def _held_many_statement():
    """Version and status of the items, and the tombstones (version NULL), for an array of ids."""
    ids = bindparam("held_ids", type_=ARRAY(items.c.certificate_id.type))
    present = select(items.c.certificate_id, items.c.version, items.c.status, items.c.content_version).where(
        items.c.certificate_id == func.any(ids)
    )
    gone = select(
        deleted_certificates.c.certificate_id,
        null().label("version"),
        null().label("status"),
        null().label("content_version"),
    ).where(deleted_certificates.c.certificate_id == func.any(ids))
    return union_all(present, gone)


def _save_review_statement():
    """Checklists and flags of many items, from one array per column."""
    rows = select(
        func.unnest(bindparam("item_ids", type_=ARRAY(items.c.certificate_id.type))).label("id"),
        func.unnest(bindparam("tracks", type_=ARRAY(String()))).label("track"),
        func.unnest(bindparam("rule_years", type_=ARRAY(Integer()))).label("rule_year"),
        cast(func.unnest(bindparam("checklists", type_=ARRAY(Text()))), JSONB).label("checklist"),
        cast(func.unnest(bindparam("flag_lists", type_=ARRAY(Text()))), JSONB).label("flags"),
    ).subquery("v")
    return (
        update(items)
        .where(items.c.certificate_id == rows.c.id)
        .values(
            track=rows.c.track,
            rule_year=rows.c.rule_year,
            checklist=rows.c.checklist,
            flags=rows.c.flags,
            updated_at=func.now(),
        )
    )


HELD = _held_statement()
HELD_MANY = _held_many_statement()
SAVE_REVIEW = _save_review_statement()
UPSERT = _upsert_statement()
