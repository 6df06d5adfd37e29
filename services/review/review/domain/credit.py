"""Credit waiver (抵免): a student's first passing IT certificate waits for the registrar
(``credit_pending``); later ones are ``recorded`` without a second waiver."""

from __future__ import annotations

from .statuses import APPROVED, CREDIT_PENDING, RECORDED
from .tracks import Track


def pass_outcome(track: Track, it_certificate: bool, credit_holder: str | None, certificate_id: str) -> str:
    """The status a passing item moves to. ``credit_holder`` is the certificate that holds the
    student's waiver (None = none yet; the caller claims it atomically when this returns
    ``credit_pending``)."""
    if not (track.credit_waiver and it_certificate):
        return APPROVED
    if credit_holder is None or credit_holder == certificate_id:
        return CREDIT_PENDING
    return RECORDED
