"""Events the review service consumes (behind the kit's inbox), keyed by type; the broker's queue bindings
are derived from these keys (certhub_kit.events.topology). Handlers never commit."""

from __future__ import annotations

from certhub_kit.events.certificates import DepartmentChanged
from certhub_kit.inbox import EventHandler, SetHandler

from ..service_layer.intake import on_certificate_deleted, on_certificate_snapshots, on_department_changed

SNAPSHOT_EVENTS = (
    "certificate.registered.v1",
    "certificate.confirmed.v1",
    "certificate.updated.v1",
    "certificate.status_changed.v1",
)
_snapshots = SetHandler(on_certificate_snapshots)

HANDLERS: dict[str, EventHandler] = {
    **{name: _snapshots for name in SNAPSHOT_EVENTS},
    "certificate.deleted.v1": on_certificate_deleted,
    DepartmentChanged.type_name: on_department_changed,
}
