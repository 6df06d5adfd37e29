"""Class rosters (團體申報): a department reviewer or the centre uploads a file of results; confirmed rows wait
as pre-registered certificates that each student completes in one click (README, "Class rosters").

Which students exist: the service knows only students who registered something. A reviewer may name a
student it has seen in their own department, or any well-formed student number it has not seen yet (the
pre-registration is kept for that number and the reviewer's department; only a student signed in with that
number — and, for a department's roster, that department — can complete it). The centre may name anyone.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from certhub_kit.auth import CENTER, REVIEWER, Principal
from certhub_kit.errors import Conflict, not_found
from certhub_kit.storage import ObjectStorage

from ..domain import roster as domain
from ..domain.certificate import Certificate
from ..domain.registration import LevelRule
from ..settings import CertificatesSettings
from . import registration
from .registration import CertificateInput, today_in_taipei
from .unit_of_work import CertificatesUnitOfWork


def ensure_uploader(user: Principal) -> Principal:
    return user.require(REVIEWER, CENTER)


async def upload(uow: CertificatesUnitOfWork, user: Principal, data: bytes, filename: str, *, dry_run: bool) -> dict:
    ensure_uploader(user)
    rows = domain.parse_roster(domain.read_table(data, filename))
    verdicts = domain.judge(rows, await _context(uow, user, rows))
    items = [v.item() for v in verdicts]
    if dry_run:
        return {"rows": items, "created": 0, "dry_run": True}
    if any(v.status not in (domain.OK, domain.EXISTS) for v in verdicts):
        raise domain.RosterRowsInvalid(items)
    roster_id = uuid.uuid4()
    created = await uow.rosters.add_prefills([_prefill(v, roster_id, user) for v in verdicts if v.status == domain.OK])
    await uow.audit(
        "roster.imported",
        actor_id=user.sub,
        subject=str(roster_id),
        details={"rows": len(verdicts), "created": created, "dept": _dept_of(user)},
    )
    return {"rows": items, "created": created, "dry_run": False, "roster_id": str(roster_id)}


def _dept_of(user: Principal) -> str | None:
    return None if user.is_center else user.dept


def _prefill(verdict: domain.RowVerdict, roster_id: uuid.UUID, user: Principal) -> dict:
    return {
        "id": uuid.uuid4(),
        "roster_id": roster_id,
        "row_key": verdict.key,
        "row": verdict.row,
        "student_id": verdict.student_id,
        "dept": _dept_of(user),
        "entry_id": uuid.UUID(verdict.entry_id),
        "level_id": uuid.UUID(verdict.level_id) if verdict.level_id else None,
        "score": verdict.score,
        "issued_on": verdict.issued_on,
        "certificate_no": verdict.certificate_no,
        "uploaded_by": user.sub,
    }


async def _context(uow: CertificatesUnitOfWork, user: Principal, rows: list[domain.RosterRow]) -> domain.RosterContext:
    texts = sorted({r.values.get("entry", "") for r in rows} - {""})
    students = sorted({r.values.get("student_no", "") for r in rows} - {""})
    entries = await _entry_choices(uow, texts)
    known = await uow.rosters.known_depts(students)

    def may_include(student: str) -> bool:
        return user.is_center or student not in known or user.can_review_dept(known[student])

    today = today_in_taipei()
    keys, triples = _candidates(rows, entries, today)
    return domain.RosterContext(
        entries=entries,
        may_include=may_include,
        today=today,
        imported=await uow.rosters.imported_keys(keys),
        registered=await uow.rosters.registered(triples),
    )


async def _entry_choices(uow: CertificatesUnitOfWork, texts: list[str]) -> dict[str, domain.EntryChoice]:
    ids = await uow.rosters.entries_by(texts)
    choices, loaded = {}, {}
    for text, entry_id in ids.items():
        if entry_id not in loaded:
            loaded[entry_id] = await uow.catalog.entry(entry_id)
        entry = loaded[entry_id]
        if entry and entry["active"]:
            levels = {
                lv["name"]: LevelRule(
                    id=str(lv["id"]),
                    entry_id=str(entry_id),
                    name=lv["name"],
                    min_score=lv["min_score"],
                    max_score=lv["max_score"],
                )
                for lv in entry["levels"]
            }
            choices[text] = domain.EntryChoice(id=str(entry_id), levels=levels)
    return choices


def _candidates(rows, entries, today) -> tuple[list[str], list[tuple[str, str, str]]]:
    """Row keys and (student, entry, number) of the rows that parse, to look up in one query each."""
    context = domain.RosterContext(
        entries=entries, may_include=lambda _s: True, imported=frozenset(), registered=frozenset(), today=today
    )
    judged = domain.judge(rows, context)  # a row with a key has its student and entry
    return (
        [v.key for v in judged if v.key],
        [
            (v.student_id, v.entry_id, v.certificate_no)
            for v in judged
            if v.key and v.student_id and v.entry_id and v.certificate_no
        ],
    )


# --- the student's side ---------------------------------------------------
def prefill_item(prefill: dict) -> dict:
    return {
        "id": str(prefill["id"]),
        "roster_id": str(prefill["roster_id"]),
        "entry_id": str(prefill["entry_id"]),
        "entry_key": prefill["entry_key"],
        "entry_name": prefill["entry_name"],
        "entry_name_en": prefill["entry_name_en"],
        "national_code": prefill["national_code"],
        "level_id": str(prefill["level_id"]) if prefill["level_id"] else None,
        "level_name": prefill["level_name"],
        "score": prefill["score"],
        "issued_on": prefill["issued_on"].isoformat(),
        "certificate_no": prefill["certificate_no"],
        "status": "prefilled",
        "status_label": "待補件（系所已預填）",
        "status_label_en": "Pre-registered (complete it)",
        "created_at": prefill["created_at"].isoformat(),
    }


async def pending(uow: CertificatesUnitOfWork, user: Principal) -> dict:
    registration.ensure_student(user)
    items = [p for p in await uow.rosters.pending_of(user.sub) if _may_complete(user, p)]
    return {"items": [prefill_item(p) for p in items]}


def _may_complete(user: Principal, prefill: dict) -> bool:
    return prefill["student_id"] == user.sub and (prefill["dept"] is None or prefill["dept"] == user.dept)


async def complete(
    uow: CertificatesUnitOfWork,
    settings: CertificatesSettings,
    storage: ObjectStorage,
    user: Principal,
    prefill_id: uuid.UUID,
    scan: bytes | None,
    email: str | None,
) -> Certificate:
    """The student's one click: the roster's values, their scan and email → a certificate registered as any
    other (confirmation mail where the track needs one); the pre-registration is then done."""
    registration.ensure_student(user)
    prefill = await uow.rosters.prefill(prefill_id)
    if prefill is None or not _may_complete(user, prefill):
        raise not_found_prefill()
    values = {
        "entry_id": str(prefill["entry_id"]),
        "issued_on": prefill["issued_on"].isoformat(),
        "email": email if email is not None else (user.email or ""),
    }
    for name in ("level_id", "score", "certificate_no"):
        if prefill[name] is not None:
            values[name] = str(prefill[name])

    async def claim(uow: CertificatesUnitOfWork, certificate_id: uuid.UUID) -> dict:
        locked = await uow.rosters.prefill(prefill_id, for_update=True)
        if locked is None or locked["certificate_id"] is not None:
            raise Conflict(
                "這筆預填的證照已完成登錄",
                "This pre-registered certificate was already completed",
                code="prefill_completed",
            )
        await uow.rosters.completed(prefill_id, certificate_id, datetime.now(UTC))
        return {"roster_id": locked["roster_id"]}

    return await registration.register(
        uow, settings, storage, user, CertificateInput(values=values, scan=scan), claim=claim
    )


def prefill_id_of(text: str) -> uuid.UUID:
    try:
        return uuid.UUID(text)
    except ValueError:
        raise not_found_prefill() from None


def not_found_prefill():
    return not_found("這筆預填的證照", "Pre-registered certificate")
