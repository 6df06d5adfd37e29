"""Events this service consumes (behind the kit's inbox), keyed by type."""

from __future__ import annotations

from certhub_kit.inbox import EventHandler

from ..service_layer import status_changes


def event_handlers(runtime) -> dict[str, EventHandler]:
    return {
        "review.decided.v1": status_changes.apply_decision,
        "certificate.original_scanned.v1": status_changes.apply_original_scanned,
        "review.tracks_updated.v1": status_changes.apply_tracks,
    }
