"""Events the rewards service consumes (behind the kit's inbox), keyed by type; the broker's queue bindings
are derived from these keys (certhub_kit.events.topology). Handlers never commit."""

from __future__ import annotations

from certhub_kit.department_copy import on_department_changed
from certhub_kit.events.certificates import CertificateDeleted, CertificateStatusChanged, DepartmentChanged
from certhub_kit.inbox import EventHandler, SetHandler

from ..service_layer.eligibility import on_deleted, on_status_changes

HANDLERS: dict[str, EventHandler] = {
    CertificateStatusChanged.type_name: SetHandler(on_status_changes),
    CertificateDeleted.type_name: on_deleted,
    DepartmentChanged.type_name: on_department_changed,
}
