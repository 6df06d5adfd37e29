"""Events of the review service."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel

from .envelope import EventData


class OriginalScanned(EventData):
    """The centre checked and scanned the original (KSU 查證) → ``verifying``."""

    type_name = "certificate.original_scanned.v1"
    certificate_id: uuid.UUID
    student_id: str
    scanned_by: str
    scanned_at: datetime
    version: int | None = None  # the certificate version the centre checked the original against


class ReviewDecided(EventData):
    """A decision on a certificate: the status it moves to, and why."""

    type_name = "review.decided.v1"
    certificate_id: uuid.UUID
    student_id: str
    decision: str
    reason: str | None = None
    reviewer_id: str
    reviewer_name: str
    decided_at: datetime
    automatic: bool = False
    version: int | None = None  # the certificate version decided on; stale once what was verified changed
    # A rejection's reason from the admin-kept list (GET /api/review/reasons) and what the student should
    # do to fix it; absent for free-text-only reasons and from older producers.
    reason_code: str | None = None
    instruction: str | None = None
    instruction_en: str | None = None


class TrackAssignment(BaseModel):
    category: int
    dept: str | None = None
    track: str
    confirmation_required: bool
    sla_days: int = 7  # the track's SLA (days per reviewable stage); older producers leave it out


class TracksUpdated(EventData):
    """The full current assignment of review tracks, so certificates knows which need confirmation
    and notify when a pending item becomes overdue."""

    type_name = "review.tracks_updated.v1"
    assignments: list[TrackAssignment]


class ReviewerSeen(EventData):
    """A member of staff (reviewer, centre, admin) used the review API, as their access token
    described them: notify addresses each department's daily digest to the reviewers it has seen.
    Sent when someone is first seen, when what the token says changed, and at most hourly otherwise."""

    type_name = "review.reviewer_seen.v1"
    reviewer_id: str
    name: str
    email: str | None = None
    depts: list[str]
    roles: list[str]
    seen_at: datetime
