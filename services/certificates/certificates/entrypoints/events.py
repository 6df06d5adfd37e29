"""Events the certificates service consumes (behind the kit's inbox), keyed by type; the broker's queue
bindings are derived from these keys (certhub_kit.events.topology). Handlers never commit."""

from __future__ import annotations

from certhub_kit.inbox import EventHandler

from ..service_layer import status_changes

HANDLERS: dict[str, EventHandler] = {
    "review.decided.v1": status_changes.apply_decision,
    "certificate.original_scanned.v1": status_changes.apply_original_scanned,
    "review.tracks_updated.v1": status_changes.apply_tracks,
}
