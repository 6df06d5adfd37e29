"""The review service's collaborators besides the unit of work, built once per process in bootstrap.py
(``runtime.deps``)."""

from __future__ import annotations

from dataclasses import dataclass

from .reviewers import SeenReviewers


@dataclass
class ReviewDeps:
    reviewers: SeenReviewers
    """Whom this process recorded as staff, and when (notify's digests)."""
