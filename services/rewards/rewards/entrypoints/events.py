"""Event consumers of the rewards service (run behind the kit's inbox; they never commit)."""

from __future__ import annotations

from typing import Any

from certhub_kit.department_copy import on_department_changed
from certhub_kit.events.certificates import CertificateDeleted, CertificateStatusChanged, DepartmentChanged
from certhub_kit.inbox import SetHandler

from ..service_layer.eligibility import on_deleted, on_status_changes


def handlers(runtime: Any) -> dict:
    return {CertificateStatusChanged.type_name: SetHandler(on_status_changes), CertificateDeleted.type_name: on_deleted,
            DepartmentChanged.type_name: on_department_changed}
