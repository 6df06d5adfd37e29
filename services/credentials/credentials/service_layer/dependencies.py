"""The credentials service's collaborators besides the unit of work, built once per process in
bootstrap.py (``runtime.deps``)."""

from __future__ import annotations

from dataclasses import dataclass

from .issuer import IssuerContext


@dataclass
class CredentialsDeps:
    issuer: IssuerContext
    """The issuer's settings and signing keys (loaded on start)."""
