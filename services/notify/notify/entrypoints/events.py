"""Events the notify service consumes (behind the kit's inbox), keyed by type; the broker's queue bindings
are derived from these keys (certhub_kit.events.topology). Handlers never commit."""

from __future__ import annotations

from certhub_kit.department_copy import on_department_changed
from certhub_kit.events.certificates import (
    CatalogRequestAnswered,
    CertificateConfirmationResent,
    CertificateConfirmed,
    CertificateDeleted,
    CertificateRegistered,
    CertificateStatusChanged,
    CertificateUpdated,
    DepartmentChanged,
)
from certhub_kit.events.review import ReviewerSeen, TracksUpdated
from certhub_kit.events.rewards import (
    ApplicationSubmitted,
    ApplicationWithdrawn,
    FirstReviewed,
    RewardPaid,
    SecondReviewed,
    TransferReturned,
)
from certhub_kit.inbox import EventHandler, SetHandler

from ..service_layer import handlers as on

_snapshots = SetHandler(on.certificate_snapshots)

HANDLERS: dict[str, EventHandler] = {
    **{
        kind.type_name: _snapshots
        for kind in (
            CertificateRegistered,
            CertificateConfirmationResent,
            CertificateConfirmed,
            CertificateUpdated,
            CertificateStatusChanged,
        )
    },
    CertificateDeleted.type_name: on.certificate_deleted,
    CatalogRequestAnswered.type_name: on.catalog_request_answered,
    ApplicationSubmitted.type_name: SetHandler(on.applications_submitted),  # a batch's run: one statement
    ApplicationWithdrawn.type_name: on.application_withdrawn,
    FirstReviewed.type_name: on.first_reviewed,
    SecondReviewed.type_name: on.second_reviewed,
    RewardPaid.type_name: on.reward_paid,
    TransferReturned.type_name: on.transfer_returned,
    ReviewerSeen.type_name: on.reviewer_seen,
    TracksUpdated.type_name: on.tracks_updated,
    DepartmentChanged.type_name: on_department_changed,
}
