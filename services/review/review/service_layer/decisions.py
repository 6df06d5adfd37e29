"""Recording a decision: the outbox event ``review.decided.v1``, the queue fields and the audit row."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from certhub_kit.events.review import ReviewDecided

from ..domain.academic_year import academic_year_of, taipei_date
from ..domain.item import ReviewItem
from ..domain.reasons import RejectReason
from ..domain.statuses import REJECTED
from .unit_of_work import ReviewUnitOfWork

SYSTEM_ID, SYSTEM_NAME = "system", "系統自動審核"


@dataclass(frozen=True)
class Actor:
    id: str
    name: str
    is_center: bool = False


SYSTEM = Actor(SYSTEM_ID, SYSTEM_NAME, is_center=True)


@dataclass
class DecisionResult:
    certificate_id: str
    decision: str  # what was asked
    outcome: str  # the status it moves to
    reason: str | None = None
    released: list[dict] = field(default_factory=list)  # bundle members approved together with it

    def as_dict(self) -> dict:
        return {
            "certificate_id": self.certificate_id,
            "decision": self.decision,
            "outcome": self.outcome,
            "reason": self.reason,
            "released": self.released,
        }


async def record_decision(
    uow: ReviewUnitOfWork,
    item: ReviewItem,
    outcome: str,
    reason: str | None,
    actor: Actor,
    *,
    action: str = "review.decided",
    details: dict | None = None,
    chosen: RejectReason | None = None,
) -> None:
    now = datetime.now(UTC)
    await uow.emit(
        ReviewDecided(
            certificate_id=item.certificate_id,
            student_id=item.student_id,
            decision=outcome,
            reason=reason,
            reviewer_id=actor.id,
            reviewer_name=actor.name,
            decided_at=now,
            automatic=actor.id == SYSTEM_ID,
            version=item.version,
            reason_code=chosen.code if chosen else None,
            instruction=chosen.instruction if chosen else None,
            instruction_en=chosen.instruction_en if chosen else None,
        ),
        subject=str(item.certificate_id),
    )
    if outcome == REJECTED:
        await uow.reasons.record_rejection(
            item.certificate_id, item.dept, chosen.code if chosen else None, academic_year_of(taipei_date(now))
        )
    await uow.items.mark_decided(item.certificate_id, outcome=outcome, by=actor.id, at=now)
    item.awaiting_status = outcome
    await uow.audit(
        action,
        actor_id=actor.id,
        subject=str(item.certificate_id),
        from_state=item.status,
        to_state=outcome,
        reason=reason,
        details=details,
    )
