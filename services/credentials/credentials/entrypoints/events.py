"""Events the credentials service consumes (behind the kit's inbox), keyed by type; the broker's queue
bindings are derived from these keys (certhub_kit.events.topology). Handlers never commit."""

from __future__ import annotations

from certhub_kit.events.certificates import CertificateDeleted, CertificateStatusChanged
from certhub_kit.inbox import EventHandler

from ..service_layer.issuing import on_deleted, on_status_changed

HANDLERS: dict[str, EventHandler] = {
    CertificateStatusChanged.type_name: on_status_changed,
    CertificateDeleted.type_name: on_deleted,
}
