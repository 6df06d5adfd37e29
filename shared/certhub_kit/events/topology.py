"""Which service consumes which event types.

Every service declares the whole topology on start, so an event is never
unroutable because its consumer has not started yet.
"""

from __future__ import annotations

SUBSCRIPTIONS: dict[str, list[str]] = {
    "certificates": [
        "review.decided.v1",
        "certificate.original_scanned.v1",
        "review.tracks_updated.v1",
    ],
    "review": [
        "certificate.registered.v1",
        "certificate.confirmed.v1",
        "certificate.updated.v1",
        "certificate.deleted.v1",
        "certificate.status_changed.v1",
        "department.changed.v1",
    ],
    "rewards": [
        "certificate.status_changed.v1",
        "certificate.deleted.v1",
        "department.changed.v1",
    ],
    "notify": [
        "certificate.registered.v1",
        "certificate.confirmation_resent.v1",
        "certificate.status_changed.v1",
        "certificate.confirmed.v1",
        "certificate.updated.v1",
        "certificate.deleted.v1",
        "catalog.request_answered.v1",
        "reward.application_submitted.v1",
        "reward.application_withdrawn.v1",
        "reward.first_reviewed.v1",
        "reward.second_reviewed.v1",
        "reward.paid.v1",
        "reward.transfer_returned.v1",
        "review.reviewer_seen.v1",
        "review.tracks_updated.v1",
    ],
    "credentials": [
        "certificate.status_changed.v1",
        "certificate.deleted.v1",
    ],
}


def queue_name(service: str, prefix: str = "") -> str:
    return f"{prefix}{service}.events"
