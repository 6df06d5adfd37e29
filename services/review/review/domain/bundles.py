"""Bundles (TQC, MOS, BAP…): entries that pass only when a student has N passing members.

Until then an approved member waits in ``rereview``; the member that makes N
releases all waiting ones together. The service layer holds a row lock on the
(student, bundle) progress while it calls these methods, so two members passing
at the same moment are counted one after the other.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class BundleProgress:
    student_id: str
    bundle: str
    members: list[str] = field(default_factory=list)  # certificate ids that passed review, in order
    complete: bool = False

    def pass_member(self, certificate_id: str, size: int) -> list[str]:
        """Records that ``certificate_id`` passed review; returns the members that now pass
        (all waiting ones when this is the N-th, just this one when the bundle is already
        complete, none while it still waits)."""
        if certificate_id not in self.members:
            self.members.append(certificate_id)
        if self.complete:
            return [certificate_id]
        if len(self.members) >= size:
            self.complete = True
            return list(self.members)
        return []

    def withdraw(self, certificate_id: str) -> bool:
        """A member was rejected, deleted or resubmitted: it no longer counts (a complete
        bundle stays complete — its members were already approved)."""
        if certificate_id in self.members and not self.complete:
            self.members.remove(certificate_id)
            return True
        return False

    @property
    def waiting(self) -> int:
        return 0 if self.complete else len(self.members)
